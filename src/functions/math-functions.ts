/** Spark's math functions. */
import { arithmeticType, decimalOperandType, widerType } from "../analysis/type-coercion.js";
import type { EvalContext } from "../expressions/eval-context.js";
import { DoubleType, IntegerType, LongType, decimalType, isIntegral, isNumeric, type DataType, type DecimalType } from "../types/data-type.js";
import { fitsPrecision, pow10, rescale } from "../types/decimal.js";
import { compareUtf8 } from "../types/utf8-string.js";
import { checkIntegral, overflow, remainderByZero, wrapIntegral } from "./arithmetic-checks.js";
import { decimalBinary } from "../execution/decimal-arithmetic.js";
import { fixed, requireType, typeMismatch, type FunctionDef, type RowFunction } from "./function-def.js";

const D = DoubleType;

/**
 * Rounds the decimal text of `x` (its shortest round-tripping digits, as Java's Double.toString gives Spark's
 * BigDecimal) to `scale` digits: `round(2.675, 2)` is 2.68, not the 2.67 that binary arithmetic gives.
 */
function roundDecimalText(x: number, scale: number, halfEven: boolean): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const [mant, expText] = Math.abs(x).toExponential().split("e") as [string, string];
  const digits = mant.replace(".", "");
  const keep = Number(expText) + 1 + scale; // significant digits kept
  if (keep >= digits.length) return x; // already within `scale` decimals
  if (keep < 0) return 0;
  const kept = digits.slice(0, keep);
  const next = digits.charCodeAt(keep) - 48;
  const restIsZero = /^0*$/.test(digits.slice(keep + 1));
  const last = kept.length > 0 ? kept.charCodeAt(kept.length - 1) - 48 : 0;
  const up = next > 5 || (next === 5 && (!restIsZero || !halfEven || last % 2 === 1));
  const n = BigInt(kept === "" ? "0" : kept) + (up ? 1n : 0n);
  return Math.sign(x) * Number(`${n}e${-scale}`); // n × 10^-scale, parsed with correct rounding
}

/** HALF_UP rounding to `scale` digits (negative scales round to tens, hundreds, ...), as Spark's `round`. */
export function roundHalfUp(x: number, scale: number): number {
  const r = roundDecimalText(x, scale, false);
  return Object.is(r, -0) ? 0 : r;
}

function roundHalfEven(x: number, scale: number): number {
  const r = roundDecimalText(x, scale, true);
  return Object.is(r, -0) ? 0 : r;
}

function numericUnary(name: string, impl: (x: number) => number): FunctionDef {
  return {
    name, minArgs: 1, maxArgs: 1,
    resolve: ([t]) => {
      requireType(name, t!, (x) => isNumeric(x) || x.kind === "null" || x.kind === "string", "a numeric type", 0);
      return { argTypes: [D], returnType: D };
    },
    compile: () => (a) => impl(a[0] as number),
  };
}

function rounding(name: string, halfEven: boolean): FunctionDef {
  return {
    name, minArgs: 1, maxArgs: 2,
    resolve: ([t, s], args) => {
      requireType(name, t!, (x) => isNumeric(x) || x.kind === "null", "a numeric type", 0);
      if (s !== undefined) requireType(name, s, (x) => x.kind === "integer" || x.kind === "short" || x.kind === "byte", "int", 1);
      const x = t!;
      if (x.kind === "decimal") {
        // Spark's RoundBase: one more integral digit may be needed after rounding.
        const target = Number(args[1]?.kind === "literal" ? args[1].value : 0);
        const intDigits = x.precision - x.scale + 1;
        if (target < 0) return { argTypes: [undefined, undefined], returnType: decimalType(Math.min(Math.max(intDigits, -target + 1), 38), 0) };
        const scale = Math.min(x.scale, target);
        return { argTypes: [undefined, undefined], returnType: decimalType(Math.min(intDigits + scale, 38), scale) };
      }
      return { argTypes: [undefined, undefined], returnType: x.kind === "null" ? D : x };
    },
    compile: (types, ret, ctx) => {
      const isInt = ret.kind === "integer" || ret.kind === "long" || ret.kind === "short" || ret.kind === "byte";
      const from = types[0]!;
      if (from.kind === "decimal" && ret.kind === "decimal") {
        return (a) => {
          const target = a.length > 1 ? (a[1] as number) : 0;
          const rounded = roundUnscaled(a[0] as bigint, from.scale, target, halfEven);
          return fitsPrecision(rounded, ret.precision) ? rounded : null;
        };
      }
      return (a) => {
        const scale = a.length > 1 ? (a[1] as number) : 0;
        if (isInt && (typeof a[0] === "bigint" || typeof a[0] === "number")) {
          // Exact integral rounding to tens, hundreds, ...: the result may leave the type (ARITHMETIC_OVERFLOW under ANSI).
          if (scale >= 0) return a[0];
          const x = BigInt(a[0] as number | bigint), p = 10n ** BigInt(-scale);
          const abs = x < 0n ? -x : x, q = abs / p, r = abs % p;
          const up = 2n * r > p || (2n * r === p && (!halfEven || q % 2n === 1n));
          const m = (q + (up ? 1n : 0n)) * p;
          return checkIntegral(x < 0n ? -m : m, ret.kind, ctx.ansi, "round");
        }
        void types;
        return halfEven ? roundHalfEven(a[0] as number, scale) : roundHalfUp(a[0] as number, scale);
      };
    },
  };
}

function floorCeil(name: string, f: (x: number) => number): FunctionDef {
  return {
    name, minArgs: 1, maxArgs: 1,
    resolve: ([t]) => {
      requireType(name, t!, (x) => isNumeric(x) || x.kind === "null" || x.kind === "string", "a numeric type", 0);
      // Spark: floor/ceil of DECIMAL(p, s) is DECIMAL(p - s + 1, 0).
      if (t!.kind === "decimal") return { argTypes: [undefined], returnType: decimalType(Math.min(38, t!.precision - t!.scale + 1), 0) };
      return { argTypes: [t!.kind === "long" ? undefined : D], returnType: LongType };
    },
    compile: ([t], ret, ctx) => {
      if (t!.kind === "decimal") {
        const unit = pow10(t!.scale), up = f === Math.ceil;
        return (a) => {
          const u = a[0] as bigint;
          let q = u / unit; // truncates toward zero
          if (q * unit !== u && (u < 0n) !== up) q += up ? 1n : -1n;
          return q;
        };
      }
      return (a) => {
        if (typeof a[0] === "bigint" || ret.kind !== "long") return typeof a[0] === "number" && ret.kind !== "long" ? f(a[0]) : a[0];
        const v = f(a[0] as number);
        if (Number.isSafeInteger(v)) return v;
        if (Number.isNaN(v)) { if (ctx.ansi) throw overflow("floor", "BIGINT"); return 0; } // Java's (long) NaN is 0
        // Beyond BIGINT: ARITHMETIC_OVERFLOW under ANSI, Java's saturating (long) cast otherwise.
        if (v >= 9223372036854775808 || v < -9223372036854775808) {
          if (ctx.ansi) throw overflow("floor", "BIGINT");
          return v > 0 ? 9223372036854775807n : -9223372036854775808n;
        }
        return BigInt(v);
      };
    },
  };
}

/**
 * A decimal's unscaled value rounded to `target` decimal places (negative: tens, hundreds, …), HALF_UP or HALF_EVEN,
 * expressed at the result scale `max(0, min(scale, target))`.
 */
function roundUnscaled(u: bigint, scale: number, target: number, halfEven: boolean): bigint {
  const outScale = Math.max(0, Math.min(scale, target));
  if (target >= scale) return u;
  const drop = pow10(scale - target);
  const neg = u < 0n;
  const x = neg ? -u : u;
  let q = x / drop;
  const r = x - q * drop;
  const twice = r * 2n;
  if (twice > drop || (twice === drop && (!halfEven || q % 2n === 1n))) q += 1n;
  // q is the value in units of 10^-target; re-express at outScale.
  const v = target >= 0 ? q * pow10(outScale - target) : q * pow10(-target);
  return neg ? -v : v;
}

function extremum(name: string, pickLeft: (c: number) => boolean): FunctionDef {
  return {
    name, minArgs: 2, maxArgs: 1_000, nullSafe: true,
    resolve: (types) => {
      let t: DataType | undefined = types[0];
      for (const x of types.slice(1)) t = t && widerType(t, x);
      if (t === undefined) throw typeMismatch(name, "arguments must share a common type");
      return { argTypes: types.map(() => t), returnType: t };
    },
    compile: () => (a) => {
      let best: unknown = null;
      for (const v of a) if (v !== null && (best === null || pickLeft(compareValues(v, best)))) best = v;
      return best;
    },
  };
}

/** Total order of internal values of one type (numbers, bigints, strings, booleans); NaN sorts last as in Spark. */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") {
    if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
    if (Number.isNaN(b)) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === "string" && typeof b === "string") return compareUtf8(a, b); // Spark's binary (UTF-8 byte) order
  if ((typeof a === "bigint" || typeof a === "number") && (typeof b === "bigint" || typeof b === "number")) {
    const x = BigInt(a as bigint), y = BigInt(b as bigint);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const x = a[i], y = b[i];
      if (x === null || y === null) { if (x !== y) return x === null ? -1 : 1; continue; }
      const c = compareValues(x, y);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  return 0;
}

/** Spark's Pmod: `r = a % n; r < 0 ? (r + n) % n : r`, with Java's wrapping of `r + n` for integral types. */
function pmod(t: DataType, ctx: EvalContext): RowFunction {
  const kind = t.kind;
  return (a) => {
    const x = a[0], y = a[1];
    if (Number(y) === 0) { if (ctx.ansi) throw remainderByZero(); return null; }
    if (isIntegral(t)) {
      const bx = BigInt(x as number | bigint), by = BigInt(y as number | bigint);
      const r = bx % by;
      if (r >= 0n) return wrapIntegral(r, kind);
      return wrapIntegral(BigInt(wrapIntegral(r + by, kind)) % by, kind);
    }
    const r = (x as number) % (y as number);
    return r < 0 ? (r + (y as number)) % (y as number) : r;
  };
}

/** `mod(a, b)`: the `%` operator as a function (REMAINDER_BY_ZERO under ANSI, NULL otherwise). */
const modFunction: FunctionDef = {
  name: "mod", minArgs: 2, maxArgs: 2,
  resolve: ([a, b]) => {
    const t = arithmeticType("%", a!, b!);
    if (t === undefined) throw typeMismatch("mod", "arguments must be numeric");
    return { argTypes: [t, t], returnType: t, nullable: true };
  },
  compile: (_t, ret, ctx) => (a) => {
    const x = a[0], y = a[1];
    if (Number(y) === 0) { if (ctx.ansi) throw remainderByZero(); return null; }
    if (isIntegral(ret)) return wrapIntegral(BigInt(x as number | bigint) % BigInt(y as number | bigint), ret.kind);
    return (x as number) % (y as number);
  },
};

/** Integral arithmetic for try_add/try_subtract/try_multiply/try_mod: exact, null where it overflows. */
function tryArithmetic(name: string, op: "+" | "-" | "*" | "/" | "%"): FunctionDef {
  return {
    name, minArgs: 2, maxArgs: 2,
    resolve: ([a, b], args) => {
      const t = arithmeticType(op, a!, b!);
      if (t === undefined) throw typeMismatch(name, "arguments must be numeric");
      if (t.kind === "decimal") return { argTypes: [decimalOperandType(args[0]!, a!), decimalOperandType(args[1]!, b!)], returnType: t, nullable: true };
      return { argTypes: [t, t], returnType: t, nullable: true };
    },
    compile: (types, ret) => {
      // Decimals: exact, NULL on overflow or a zero divisor.
      if (ret.kind === "decimal") {
        const f = decimalBinary(op, types[0] as DecimalType, types[1] as DecimalType, ret, false);
        return (a) => f(a[0] as bigint, a[1] as bigint);
      }
      const kind = ret.kind;
      return (a) => {
        const x = a[0], y = a[1];
        if ((op === "/" || op === "%") && Number(y) === 0) return null;
        if (isIntegral(ret)) {
          const bx = BigInt(x as number | bigint), by = BigInt(y as number | bigint);
          const v = op === "+" ? bx + by : op === "-" ? bx - by : op === "*" ? bx * by : bx % by;
          try { return checkIntegral(v, kind, true, op); } catch { return null; }
        }
        const nx = Number(x), ny = Number(y);
        const v = op === "+" ? nx + ny : op === "-" ? nx - ny : op === "*" ? nx * ny : op === "/" ? nx / ny : nx % ny;
        return kind === "float" ? Math.fround(v) : v;
      };
    },
  };
}

/** `shiftleft`, `shiftright`, `shiftrightunsigned` (and `<<`, `>>`, `>>>`): INT unless the value is BIGINT, as Java's shifts. */
function shift(name: string, op: "<<" | ">>" | ">>>"): FunctionDef {
  return {
    name, minArgs: 2, maxArgs: 2,
    resolve: ([a, b]) => {
      requireType(name, a!, (x) => isNumeric(x) || x.kind === "null" || x.kind === "string", "an integral type", 0);
      requireType(name, b!, (x) => isNumeric(x) || x.kind === "null" || x.kind === "string", "int", 1);
      const t = a!.kind === "long" ? LongType : IntegerType;
      return { argTypes: [t, IntegerType], returnType: t };
    },
    compile: (_types, ret) => {
      if (ret.kind === "long") {
        return (a) => {
          const x = BigInt(a[0] as number | bigint), n = BigInt((a[1] as number) & 63);
          const v = op === "<<" ? BigInt.asIntN(64, x << n) : op === ">>" ? x >> n : BigInt.asIntN(64, BigInt.asUintN(64, x) >> n);
          return Number.isSafeInteger(Number(v)) ? Number(v) : v;
        };
      }
      return (a) => {
        const x = a[0] as number, n = a[1] as number;
        return op === "<<" ? x << n : op === ">>" ? x >> n : (x >>> n) | 0;
      };
    },
  };
}

/** `abs` and `negative`: exact for integral types, with Spark's overflow (ANSI) or Java's wrapping for the minimum. */
function integralSafeUnary(name: string, f: (x: bigint) => bigint, g: (x: number) => number): FunctionDef {
  return {
    name, minArgs: 1, maxArgs: 1,
    resolve: ([t]) => {
      requireType(name, t!, (x) => isNumeric(x) || x.kind === "null" || x.kind === "string", "a numeric type", 0);
      return isNumeric(t!) ? { argTypes: [undefined], returnType: t! } : { argTypes: [D], returnType: D };
    },
    compile: ([t], _ret, ctx) => {
      if (isIntegral(t!)) return (a) => checkIntegral(f(BigInt(a[0] as number | bigint)), t!.kind, ctx.ansi, name);
      if (t!.kind === "decimal") return (a) => f(a[0] as bigint); // the unscaled value; the type keeps |x| and -x
      return (a) => (typeof a[0] === "number" ? g(a[0]) : a[0]);
    },
  };
}

export const mathFunctions: readonly FunctionDef[] = [
  integralSafeUnary("abs", (x) => (x < 0n ? -x : x), Math.abs),
  integralSafeUnary("negative", (x) => -x, (x) => -x),
  modFunction,
  tryArithmetic("try_add", "+"), tryArithmetic("try_subtract", "-"), tryArithmetic("try_multiply", "*"),
  tryArithmetic("try_divide", "/"), tryArithmetic("try_mod", "%"),
  shift("shiftleft", "<<"), shift("shiftright", ">>"), shift("shiftrightunsigned", ">>>"),
  numericUnary("sqrt", Math.sqrt),
  numericUnary("cbrt", Math.cbrt),
  numericUnary("exp", Math.exp),
  numericUnary("ln", (x) => (x <= 0 ? NaN : Math.log(x))),
  numericUnary("log10", (x) => (x <= 0 ? NaN : Math.log10(x))),
  numericUnary("log2", (x) => (x <= 0 ? NaN : Math.log2(x))),
  numericUnary("sin", Math.sin), numericUnary("cos", Math.cos), numericUnary("tan", Math.tan),
  numericUnary("asin", Math.asin), numericUnary("acos", Math.acos), numericUnary("atan", Math.atan),
  numericUnary("degrees", (x) => (x * 180) / Math.PI), numericUnary("radians", (x) => (x * Math.PI) / 180),
  numericUnary("signum", Math.sign), numericUnary("sign", Math.sign),
  fixed("log", [D, D], D, () => (a) => (a.length === 1 ? ((a[0] as number) <= 0 ? null : Math.log(a[0] as number))
    : (a[0] as number) <= 0 || (a[1] as number) <= 0 ? null : Math.log(a[1] as number) / Math.log(a[0] as number)), { optional: 1 }),
  fixed("pow", [D, D], D, () => (a) => (a[0] as number) ** (a[1] as number)),
  fixed("power", [D, D], D, () => (a) => (a[0] as number) ** (a[1] as number)),
  fixed("atan2", [D, D], D, () => (a) => Math.atan2(a[0] as number, a[1] as number)),
  fixed("pi", [], D, () => () => Math.PI),
  fixed("e", [], D, () => () => Math.E),
  rounding("round", false),
  rounding("bround", true),
  floorCeil("floor", Math.floor),
  floorCeil("ceil", Math.ceil),
  floorCeil("ceiling", Math.ceil),
  extremum("greatest", (c) => c > 0),
  extremum("least", (c) => c < 0),
  {
    name: "pmod", minArgs: 2, maxArgs: 2,
    resolve: ([a, b], args) => {
      const t = arithmeticType("%", a!, b!);
      if (t === undefined) throw typeMismatch("pmod", "arguments must be numeric");
      // Decimals keep their own types (a common one could overflow); the result is the remainder's type.
      if (t.kind === "decimal") return { argTypes: [decimalOperandType(args[0]!, a!), decimalOperandType(args[1]!, b!)], returnType: t };
      return { argTypes: [t, t], returnType: t };
    },
    compile: (types, ret, ctx) => {
      if (ret.kind !== "decimal") return pmod(ret, ctx);
      const [lt, rt] = types as [DecimalType, DecimalType];
      const s = Math.max(lt.scale, rt.scale), lf = pow10(s - lt.scale), rf = pow10(s - rt.scale);
      return (a) => {
        const n = (a[1] as bigint) * rf;
        if (n === 0n) { if (ctx.ansi) throw remainderByZero(); return null; }
        let r = ((a[0] as bigint) * lf) % n;
        if (r < 0n) r = (r + n) % n;
        const out = rescale(r, s, ret.scale);
        return fitsPrecision(out, ret.precision) ? out : null;
      };
    },
  },
  {
    name: "rand", minArgs: 0, maxArgs: 1, volatile: true,
    resolve: () => ({ argTypes: [LongType], returnType: D, nullable: false }),
    compile: () => () => Math.random(),
  },
  fixed("randn", [LongType], D, () => () => Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random()), { optional: 1 }),
  fixed("factorial", [IntegerType], LongType, () => (a) => {
    const n = a[0] as number;
    if (n < 0 || n > 20) return null;
    let r = 1n;
    for (let i = 2n; i <= BigInt(n); i++) r *= i;
    return r <= 9007199254740991n ? Number(r) : r;
  }),
];
