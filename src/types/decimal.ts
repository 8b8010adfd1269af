/**
 * Exact decimals, as Spark's `Decimal`: a value of `DECIMAL(p, s)` is held inside Sluice as its unscaled integer, a
 * `bigint` (the type carries the scale): `12.96` in `DECIMAL(10,2)` is `1296n`. Arithmetic, rounding (HALF_UP) and
 * overflow follow Spark; nothing passes through a JS number on the way.
 *
 * Users see {@link Decimal} values in rows: printing gives Spark's text, conversion to a number is explicit.
 *
 * @example
 * const d = Decimal.parse("12.96");          // Decimal('12.96')
 * d.toString();                               // "12.96"
 * d.toNumber();                               // 12.96 (explicit, may round)
 * d.plus("0.04").toString();                  // "13.00" (exact arithmetic: plus, minus, times, compareTo)
 */
import { inspect } from "node:util";

export const MAX_PRECISION = 38;
const POW10: bigint[] = [];
for (let i = 0, p = 1n; i <= 80; i++, p *= 10n) POW10.push(p);

/** 10^n as a bigint. */
export function pow10(n: number): bigint {
  return n <= 80 ? POW10[n]! : 10n ** BigInt(n);
}

/** An exact decimal value a user holds: the unscaled integer and the scale. */
export class Decimal {
  constructor(readonly unscaled: bigint, readonly scale: number) {}

  /** Parses decimal text (`12.96`, `-1.5E+3`, `.5`); throws on anything else. The scale is the text's. */
  static parse(text: string): Decimal {
    const p = parseDecimalText(text);
    if (p === null) throw new RangeError(`not a decimal number: ${JSON.stringify(text)}`);
    return new Decimal(p.unscaled, p.scale);
  }

  /** A decimal from a JS value: a Decimal, decimal text, a bigint, or a number (by its shortest round-trip digits). */
  static from(v: Decimal | string | bigint | number): Decimal {
    if (v instanceof Decimal) return v;
    if (typeof v === "bigint") return new Decimal(v, 0);
    if (typeof v === "number") {
      if (!Number.isFinite(v)) throw new RangeError(`not a finite number: ${v}`);
      return Decimal.parse(String(v));
    }
    return Decimal.parse(v);
  }

  /** Spark's text: plain notation with exactly `scale` digits after the point. */
  toString(): string { return formatUnscaled(this.unscaled, this.scale); }
  /** JSON keeps the exact text. */
  toJSON(): string { return this.toString(); }
  /** The nearest double (explicit: may round). */
  toNumber(): number { return Number(this.toString()); }
  /** The same value at another scale, HALF_UP. */
  setScale(scale: number): Decimal { return new Decimal(rescale(this.unscaled, this.scale, scale), scale); }
  equals(other: Decimal): boolean { return compareDecimals(this.unscaled, this.scale, other.unscaled, other.scale) === 0; }
  /** -1, 0 or 1 as this is below, equal to or above `other` (numerically: 1.50 equals 1.5). */
  compareTo(other: Decimal | string | bigint | number): number {
    const o = Decimal.from(other);
    return compareDecimals(this.unscaled, this.scale, o.unscaled, o.scale);
  }
  /** Exact sum, at the larger scale. */
  plus(other: Decimal | string | bigint | number): Decimal {
    const o = Decimal.from(other), s = Math.max(this.scale, o.scale);
    return new Decimal(rescale(this.unscaled, this.scale, s) + rescale(o.unscaled, o.scale, s), s);
  }
  /** Exact difference, at the larger scale. */
  minus(other: Decimal | string | bigint | number): Decimal {
    return this.plus(Decimal.from(other).negate());
  }
  /** Exact product, at the sum of the scales. */
  times(other: Decimal | string | bigint | number): Decimal {
    const o = Decimal.from(other);
    return new Decimal(this.unscaled * o.unscaled, this.scale + o.scale);
  }
  negate(): Decimal { return new Decimal(-this.unscaled, this.scale); }
  [inspect.custom](): string { return `Decimal('${this.toString()}')`; }
}

/** Decimal text → unscaled integer and scale (the text's own), or null when it is not a number. */
export function parseDecimalText(text: string): { unscaled: bigint; scale: number } | null {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
  if (m === null) return null;
  const intPart = m[2]!, frac = m[3] ?? "";
  if (intPart === "" && frac === "") return null;
  const exp = m[4] !== undefined ? Number(m[4]) : 0;
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 100_000) return null;
  let digits = (intPart + frac).replace(/^0+(?=\d)/, "");
  let scale = frac.length - exp;
  if (scale < 0) { digits += "0".repeat(-scale); scale = 0; }
  const u = BigInt(digits === "" ? "0" : digits);
  return { unscaled: m[1] === "-" ? -u : u, scale };
}

/** Rounds (HALF_UP) or pads an unscaled value from one scale to another. */
export function rescale(u: bigint, from: number, to: number): bigint {
  if (to === from) return u;
  if (to > from) return u * pow10(to - from);
  return divideHalfUp(u, pow10(from - to));
}

/** a / b rounded HALF_UP (away from zero on ties); b ≠ 0. */
export function divideHalfUp(a: bigint, b: bigint): bigint {
  const neg = (a < 0n) !== (b < 0n);
  const x = a < 0n ? -a : a, y = b < 0n ? -b : b;
  let q = x / y;
  const r = x - q * y;
  if (r * 2n >= y) q += 1n;
  return neg ? -q : q;
}

/** Whether an unscaled value fits `precision` digits. */
export function fitsPrecision(u: bigint, precision: number): boolean {
  const lim = pow10(precision);
  return u < lim && u > -lim;
}

/** Plain text of an unscaled value at `scale`: `1296n, 2` → `12.96`; `-5n, 3` → `-0.005`. */
export function formatUnscaled(u: bigint, scale: number): string {
  const neg = u < 0n;
  let s = (neg ? -u : u).toString();
  if (scale > 0) {
    if (s.length <= scale) s = "0".repeat(scale - s.length + 1) + s;
    s = `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`;
  }
  return neg ? `-${s}` : s;
}

/**
 * Java's `BigDecimal.toString` (what Spark's JSON writer prints): plain unless the adjusted exponent is below -6,
 * then scientific — `0E-10`, `-1E-10`, `1.25`, `1.2E-7`.
 */
export function javaBigDecimalText(u: bigint, scale: number): string {
  const neg = u < 0n;
  const digits = (neg ? -u : u).toString();
  const adjusted = -scale + (digits.length - 1);
  if (scale >= 0 && adjusted >= -6) return formatUnscaled(u, scale);
  const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${neg ? "-" : ""}${mant}E${adjusted >= 0 ? "+" : ""}${adjusted}`;
}

/** The nearest double of an unscaled value at `scale` (exact text → correctly rounded). */
export function unscaledToDouble(u: bigint, scale: number): number {
  if (scale === 0) return Number(u);
  return Number(formatUnscaled(u, scale));
}

/**
 * A double as a decimal at `scale` (HALF_UP), via its shortest round-trip digits as Spark's `Decimal(double)`;
 * null for NaN and infinities.
 */
export function doubleToUnscaled(x: number, scale: number): bigint | null {
  if (!Number.isFinite(x)) return null;
  const p = parseDecimalText(String(x))!;
  return rescale(p.unscaled, p.scale, scale);
}

/** Text → unscaled at `scale` (HALF_UP), or null if not a number. Precision is the caller's to check. */
export function textToUnscaled(text: string, scale: number): bigint | null {
  const p = parseDecimalText(text);
  return p === null ? null : rescale(p.unscaled, p.scale, scale);
}

export function compareDecimals(a: bigint, sa: number, b: bigint, sb: number): number {
  const s = Math.max(sa, sb);
  const x = rescale(a, sa, s), y = rescale(b, sb, s);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Number of decimal digits of |u| (1 for 0). */
export function digitCount(u: bigint): number {
  return (u < 0n ? -u : u).toString().length;
}

/** A user value (Decimal, text, bigint, number) as the unscaled integer of `DECIMAL(·, scale)`. */
export function toUnscaled(v: unknown, scale: number): bigint {
  if (typeof v === "bigint") return v * pow10(scale);
  const d = v instanceof Decimal ? v : Decimal.from(v as string | number);
  return rescale(d.unscaled, d.scale, scale);
}
