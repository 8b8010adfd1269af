/** Spark's CAST rules: which casts exist and what each does, with ANSI errors or nulls on bad input. */
import { SluiceError } from "../errors/sluice-error.js";
import { parseInterval } from "../types/calendar-interval.js";
import { simpleString, type DataType } from "../types/data-type.js";
import { daysToMicros, microsToDays, stringToDate, stringToTimestamp, stringToTimestampNtz } from "../types/datetime.js";
import { doubleToUnscaled, fitsPrecision, formatUnscaled, pow10, rescale, textToUnscaled, unscaledToDouble } from "../types/decimal.js";
import { encodeUtf8, replaceLoneSurrogates } from "../types/utf8-string.js";
import { formatDouble, formatFloat, valueToString } from "../types/value-format.js";
import type { EvalContext } from "./eval-context.js";

const INT_RANGE: Record<string, [number, number]> = {
  byte: [-128, 127], short: [-32768, 32767], integer: [-2147483648, 2147483647],
};

export function canCast(from: DataType, to: DataType): boolean {
  if (from.kind === to.kind && from.kind !== "struct" && from.kind !== "array" && from.kind !== "map") return true;
  if (from.kind === "null") return true;
  if (to.kind === "string") return true;
  switch (to.kind) {
    case "boolean": case "byte": case "short": case "integer": case "long": case "float": case "double": case "decimal":
      return ["string", "boolean", "byte", "short", "integer", "long", "float", "double", "decimal", "timestamp"].includes(from.kind);
    case "date": return ["string", "timestamp", "timestamp_ntz", "date"].includes(from.kind);
    case "timestamp": case "timestamp_ntz":
      return ["string", "date", "timestamp", "timestamp_ntz", "byte", "short", "integer", "long", "float", "double", "decimal"].includes(from.kind);
    case "binary": return from.kind === "string" || from.kind === "binary";
    case "interval": return from.kind === "string";
    case "array": return from.kind === "array" && canCast(from.elementType, to.elementType);
    case "map": return from.kind === "map" && canCast(from.keyType, to.keyType) && canCast(from.valueType, to.valueType);
    case "struct": return from.kind === "struct" && from.fields.length === to.fields.length && from.fields.every((f, i) => canCast(f.dataType, to.fields[i]!.dataType));
    default: return false;
  }
}

export type CastFn = (v: unknown) => unknown;

/**
 * The function that casts a non-null value of `from` to `to`. Returns null where Spark's non-ANSI cast gives null;
 * under ANSI (and not TRY_CAST) it throws `CAST_INVALID_INPUT` / `ARITHMETIC_OVERFLOW` instead.
 */
export function castFunction(from: DataType, to: DataType, ctx: EvalContext, mode: "cast" | "try" = "cast"): CastFn {
  const strict = ctx.ansi && mode === "cast";
  /** Where a non-ANSI CAST wraps or saturates, TRY_CAST gives NULL. */
  const wraps = !strict && mode === "cast";
  const invalid = (v: unknown): null => {
    if (!strict) return null;
    throw new SluiceError("CAST_INVALID_INPUT",
      `The value '${String(v)}' of the type "${simpleString(from).toUpperCase()}" cannot be cast to "${simpleString(to).toUpperCase()}" because it is malformed. Correct the value as per the syntax, or use try_cast to tolerate malformed input and return NULL instead.`,
      { params: { value: String(v), sourceType: simpleString(from), targetType: simpleString(to) } });
  };
  const overflow = (v: unknown): null => {
    if (!strict) return null;
    throw new SluiceError("CAST_OVERFLOW",
      `The value ${String(v)} of the type "${simpleString(from).toUpperCase()}" cannot be cast to "${simpleString(to).toUpperCase()}" due to an overflow. Use \`try_cast\` to tolerate overflow and return NULL instead.`,
      { params: { value: String(v), sourceType: simpleString(from), targetType: simpleString(to) } });
  };
  if (from.kind === to.kind && from.kind !== "struct" && from.kind !== "array" && from.kind !== "map" && from.kind !== "decimal") return (v) => v;
  const tz = ctx.timeZone;
  switch (to.kind) {
    case "string": return (v) => valueToString(v, from, tz);
    case "boolean":
      if (from.kind === "string") return (v) => {
        const s = (v as string).trim().toLowerCase();
        if (s === "t" || s === "true" || s === "y" || s === "yes" || s === "1") return true;
        if (s === "f" || s === "false" || s === "n" || s === "no" || s === "0") return false;
        return invalid(v);
      };
      return (v) => (typeof v === "bigint" ? v !== 0n : (v as number) !== 0);
    case "byte": case "short": case "integer": case "long": {
      const isLong = to.kind === "long";
      const [lo, hi] = isLong ? [-9223372036854775808, 9223372036854775807] : INT_RANGE[to.kind]!;
      const [blo, bhi] = isLong ? [-9223372036854775808n, 9223372036854775807n] : [BigInt(lo), BigInt(hi)];
      const fromNumber = (v: number, original: unknown): unknown => {
        if (!Number.isFinite(v)) return !wraps ? overflow(original) : Number.isNaN(v) ? 0 : saturate(v, to.kind);
        const t = Math.trunc(v);
        if (t < lo || t > hi) return !wraps ? overflow(original) : saturate(t, to.kind);
        if (isLong && !Number.isSafeInteger(t)) return BigInt(t);
        return t === 0 ? 0 : t;
      };
      const fromBig = (b: bigint, original: unknown): unknown => {
        if (b < blo || b > bhi) {
          if (!wraps) return overflow(original);
          const w = BigInt.asIntN(isLong ? 64 : 32, b);
          return isLong ? normalizeLong(w) : wrapInt(Number(w), to.kind);
        }
        return normalizeLong(b);
      };
      if (from.kind === "string") return (v) => {
        const s = (v as string).trim();
        if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(s)) return invalid(v);
        const intText = s.replace(/\..*$/, "");
        const b = BigInt(intText === "" || intText === "+" || intText === "-" ? "0" : intText);
        if (b < blo || b > bhi) return invalid(v);
        return normalizeLong(b);
      };
      if (from.kind === "boolean") return (v) => (v ? 1 : 0);
      if (from.kind === "timestamp") return (v) => fromNumber(Math.floor((v as number) / 1_000_000), v);
      if (from.kind === "decimal") {
        const f = pow10(from.scale);
        return (v) => fromBig((v as bigint) / f, `${formatUnscaled(v as bigint, from.scale)}BD`);
      }
      if (from.kind === "float" || from.kind === "double") {
        const suffix = from.kind === "float" ? "F" : "D";
        return (v) => fromNumber(v as number, `${from.kind === "float" ? formatFloat(v as number) : formatDouble(v as number)}${suffix}`);
      }
      return (v) => fromBig(BigInt(v as number | bigint), v);
    }
    case "float": case "double": {
      const round = to.kind === "float" ? Math.fround : (x: number) => x;
      if (from.kind === "string") return (v) => {
        const s = (v as string).trim();
        const lower = s.toLowerCase();
        if (lower === "nan" || lower === "infinity" || lower === "+infinity" || lower === "-infinity" || lower === "inf" || lower === "-inf" || lower === "+inf") {
          return lower === "nan" ? NaN : lower.startsWith("-") ? -Infinity : Infinity;
        }
        if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?$/.test(s)) return invalid(v);
        return round(Number(s.replace(/[dDfF]$/, "")));
      };
      if (from.kind === "boolean") return (v) => (v ? 1 : 0);
      if (from.kind === "timestamp") return (v) => round((v as number) / 1_000_000);
      if (from.kind === "decimal") return (v) => round(unscaledToDouble(v as bigint, from.scale));
      return (v) => round(Number(v));
    }
    case "decimal": {
      const { precision, scale } = to;
      const check = (u: bigint, original: unknown): unknown => (fitsPrecision(u, precision) ? u : strict ? decimalOutOfRange(original, precision, scale) : null);
      if (from.kind === "decimal") {
        if (from.scale === scale && from.precision <= precision) return (v) => v;
        return (v) => check(rescale(v as bigint, from.scale, scale), formatUnscaled(v as bigint, from.scale));
      }
      if (from.kind === "string") return (v) => {
        const u = textToUnscaled(v as string, scale);
        return u === null ? invalid(v) : check(u, (v as string).trim());
      };
      if (from.kind === "boolean") return (v) => check((v ? 1n : 0n) * pow10(scale), v);
      if (from.kind === "float" || from.kind === "double") return (v) => {
        const u = doubleToUnscaled(v as number, scale);
        return u === null ? (strict ? invalid(v) : null) : check(u, v);
      };
      if (from.kind === "timestamp") return (v) => check(rescale(BigInt(v as number), 6, scale), v);
      return (v) => check(BigInt(v as number | bigint) * pow10(scale), v);
    }
    case "date":
      if (from.kind === "string") return (v) => stringToDate(v as string) ?? invalid(v);
      if (from.kind === "timestamp") return (v) => microsToDays(v as number, tz);
      if (from.kind === "timestamp_ntz") return (v) => microsToDays(v as number, "UTC");
      break;
    case "timestamp": case "timestamp_ntz": {
      const zone = to.kind === "timestamp" ? tz : "UTC";
      if (from.kind === "string") {
        return to.kind === "timestamp" ? (v) => stringToTimestamp(v as string, zone) ?? invalid(v) : (v) => stringToTimestampNtz(v as string) ?? invalid(v);
      }
      if (from.kind === "date") return (v) => daysToMicros(v as number, zone);
      if (from.kind === "timestamp" || from.kind === "timestamp_ntz") return (v) => v;
      if (from.kind === "decimal") return (v) => Number(rescale(v as bigint, from.scale, 6));
      return (v) => {
        const n = Number(v);
        if (!Number.isFinite(n)) return invalid(v);
        return Math.round(n * 1_000_000);
      };
    }
    case "binary":
      if (from.kind === "string") return (v) => encodeUtf8(replaceLoneSurrogates(v as string)); // Java's getBytes(UTF_8): '?' for a lone surrogate
      break;
    case "interval":
      if (from.kind === "string") return (v) => parseInterval(v as string) ?? invalid(v);
      break;
    case "array":
      if (from.kind === "array") {
        const el = castFunction(from.elementType, to.elementType, ctx, mode);
        return (v) => (v as unknown[]).map((x) => (x === null ? null : el(x)));
      }
      break;
    case "map":
      if (from.kind === "map") {
        const k = castFunction(from.keyType, to.keyType, ctx, mode), x = castFunction(from.valueType, to.valueType, ctx, mode);
        return (v) => {
          const out = new Map<unknown, unknown>();
          for (const [a, b] of v as Map<unknown, unknown>) out.set(k(a), b === null ? null : x(b));
          return out;
        };
      }
      break;
    case "struct":
      if (from.kind === "struct") {
        const fns = from.fields.map((f, i) => castFunction(f.dataType, to.fields[i]!.dataType, ctx, mode));
        return (v) => (v as unknown[]).map((x, i) => (x === null ? null : fns[i]!(x)));
      }
      break;
    case "null": return () => null;
  }
  throw new SluiceError("DATATYPE_MISMATCH", `Cannot cast ${simpleString(from)} to ${simpleString(to)}.`, {
    params: { sourceType: simpleString(from), targetType: simpleString(to) },
  });
}

function wrapInt(t: number, kind: string): number {
  switch (kind) {
    case "byte": return (t << 24) >> 24;
    case "short": return (t << 16) >> 16;
    default: return t | 0;
  }
}

/** Java's saturating double → int/long conversion, then Java's narrowing to byte/short (Spark's non-ANSI cast). */
function saturate(t: number, kind: string): unknown {
  if (kind === "long") {
    if (Number.isNaN(t)) return 0;
    return t >= 9223372036854775807 ? 9223372036854775807n : t <= -9223372036854775808 ? -9223372036854775808n : normalizeLong(BigInt(Math.trunc(t)));
  }
  const i = Number.isNaN(t) ? 0 : t >= 2147483647 ? 2147483647 : t <= -2147483648 ? -2147483648 : Math.trunc(t);
  return wrapInt(i, kind);
}

/** A long as Sluice holds it: a number when safe, a bigint otherwise. */
export function normalizeLong(b: bigint): number | bigint {
  return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
}

function decimalOutOfRange(value: unknown, precision: number, scale: number): never {
  throw new SluiceError("NUMERIC_VALUE_OUT_OF_RANGE",
    ` ${String(value)} cannot be represented as Decimal(${precision}, ${scale}). If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error, and return NULL instead.`,
    { params: { value: String(value), precision, scale } });
}

