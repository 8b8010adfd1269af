/**
 * Compiles a resolved expression into a vectorized evaluator `(batch) => ColumnVector`. Compiled once per query;
 * typed-array fast paths for arithmetic and comparison; CASE, AND and OR evaluate their branches only on the rows
 * that reach them, so an ANSI error in an unselected branch never fires (as in Spark).
 */
import { dataTypeOf } from "../analysis/expression-types.js";
import { VectorBuilder } from "../columnar/vector-builder.js";
import { constantVector, getValue, isTyped, type ColumnVector } from "../columnar/column-vector.js";
import type { RecordBatch } from "../columnar/record-batch.js";
import { internalError } from "../errors/sluice-error.js";
import { checkIntegral, divideByZero, invalidArrayIndex, overflow, remainderByZero } from "../functions/arithmetic-checks.js";
import { castFunction } from "../expressions/cast.js";
import type { EvalContext } from "../expressions/eval-context.js";
import type { Binary, Expression } from "../expressions/expression.js";
import { lookupFunction } from "../functions/registry.js";
import { compareValues } from "../functions/math-functions.js";
import { compileJavaRegex, compileLike } from "../functions/java-regex.js";
import { type CalendarInterval } from "../types/calendar-interval.js";
import { BooleanType, type DataType, type DecimalType } from "../types/data-type.js";
import { decimalBinary } from "./decimal-arithmetic.js";
import { addMonthsToDays, localToUtcPreferring, zoneOffsetMs } from "../types/datetime.js";

const MICROS_PER_DAY = 86_400_000_000;

export type Evaluator = (batch: RecordBatch) => ColumnVector;

/** Applies a row function over input vectors, skipping nulls unless `nullSafe`. */
function mapRows(inputs: readonly ColumnVector[], n: number, out: DataType, f: (args: unknown[]) => unknown, nullSafe: boolean): ColumnVector {
  const b = new VectorBuilder(out, Math.max(n, 1));
  const args = new Array<unknown>(inputs.length);
  const k = inputs.length;
  outer: for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const v = getValue(inputs[j]!, i);
      if (v === null && !nullSafe) { b.appendNull(); continue outer; }
      args[j] = v;
    }
    b.append(f(args));
  }
  return b.build();
}

function combineNulls(a: ColumnVector, b: ColumnVector, n: number): Uint8Array | null {
  if (a.nulls === null && b.nulls === null) return null;
  const out = new Uint8Array(n);
  const an = a.nulls, bn = b.nulls;
  for (let i = 0; i < n; i++) out[i] = (an !== null ? an[i]! : 0) | (bn !== null ? bn[i]! : 0);
  return out;
}

function arithmeticRow(op: string, t: DataType, ctx: EvalContext): (a: unknown, b: unknown) => unknown {
  const integral = t.kind === "integer" || t.kind === "short" || t.kind === "byte";
  const [lo, hi] = t.kind === "byte" ? [-128, 127] : t.kind === "short" ? [-32768, 32767] : [-2147483648, 2147483647];
  let a0: unknown, b0: unknown;
  const checkInt = (v: number): number | null => {
    if (v >= lo && v <= hi) return v;
    if (ctx.ansi) throw overflow(op, t.kind === "integer" ? "INT" : t.kind === "short" ? "SMALLINT" : "TINYINT", a0, b0);
    return t.kind === "integer" ? v | 0 : t.kind === "short" ? (v << 16) >> 16 : (v << 24) >> 24;
  };
  const isLong = t.kind === "long";
  /** Long arithmetic: the double result where both operands are numbers and it is a safe integer (then exact), else bigint. */
  const longOp = (fnum: (a: number, b: number) => number, fbig: (a: bigint, b: bigint) => bigint) => (a: unknown, b: unknown): unknown => {
    if (typeof a === "number" && typeof b === "number") {
      const v = fnum(a, b);
      if (Number.isSafeInteger(v)) return v;
    }
    // A bigint operand (beyond 2^53) takes the exact path: a double result can look safe and still be wrong.
    return checkIntegral(fbig(BigInt(a as number | bigint), BigInt(b as number | bigint)), "long", ctx.ansi, op);
  };
  switch (op) {
    case "+":
      if (isLong) return longOp((a, b) => a + b, (a, b) => a + b);
      if (integral) return (a, b) => { a0 = a; b0 = b; return checkInt((a as number) + (b as number)); };
      return (a, b) => (a as number) + (b as number);
    case "-":
      if (isLong) return longOp((a, b) => a - b, (a, b) => a - b);
      if (integral) return (a, b) => { a0 = a; b0 = b; return checkInt((a as number) - (b as number)); };
      return (a, b) => (a as number) - (b as number);
    case "*":
      if (isLong) return longOp((a, b) => a * b, (a, b) => a * b);
      if (integral) return (a, b) => { a0 = a; b0 = b; return checkInt((a as number) * (b as number)); }; // exact: |int * int| < 2^62
      return (a, b) => (a as number) * (b as number);
    case "/":
      return (a, b) => {
        if (Number(b) === 0) { if (ctx.ansi) throw divideByZero(); return null; }
        return Number(a) / Number(b);
      };
    case "%":
      return (a, b) => {
        if (Number(b) === 0) { if (ctx.ansi) throw remainderByZero(); return null; }
        if (typeof a === "bigint" || typeof b === "bigint") { const r = BigInt(a as bigint) % BigInt(b as bigint); return Number.isSafeInteger(Number(r)) ? Number(r) : r; }
        const r = (a as number) % (b as number);
        return integral || isLong ? r + 0 : r; // INT_MIN % -1 is 0, never -0
      };
    case "div":
      return (a, b) => {
        if (Number(b) === 0) { if (ctx.ansi) throw divideByZero(); return null; }
        const exact = (x: unknown): boolean => typeof x === "bigint" || (typeof x === "number" && Number.isInteger(x));
        if (exact(a) && exact(b) && (typeof a === "bigint" || typeof b === "bigint" || isLong)) {
          // BIGINT_MIN div -1 overflows BIGINT (Spark's `div` is a BIGINT operation).
          return checkIntegral(BigInt(a as bigint) / BigInt(b as bigint), "long", ctx.ansi, "div");
        }
        return Math.trunc((a as number) / (b as number)) + 0;
      };
  }
  throw internalError(`arithmetic operator ${op}`);
}

/**
 * Spark's `timestampAddInterval` in `tz`: months, then whole days as calendar days (a day-time interval's whole days
 * too, as `timestampAddDayTime`), the local time resolved keeping the start's offset where valid; then the rest
 * as exact microseconds.
 */
function addInterval(tz: string, sign: number): (ts: unknown, iv: unknown) => unknown {
  return (ts, iv) => {
    const i = iv as CalendarInterval;
    const micros = ts as number;
    let months = sign * i.months, days = sign * i.days, rest = sign * i.micros;
    if (months === 0) {
      const total = days * MICROS_PER_DAY + rest;
      days = Math.trunc(total / MICROS_PER_DAY);
      rest = total - days * MICROS_PER_DAY;
    }
    if (months === 0 && days === 0) return micros + rest;
    const offset = zoneOffsetMs(tz, Math.floor(micros / 1000));
    const local = micros + offset * 1000;
    const localDays = Math.floor(local / MICROS_PER_DAY);
    const shifted = (addMonthsToDays(localDays, months) + days) * MICROS_PER_DAY + (local - localDays * MICROS_PER_DAY);
    return localToUtcPreferring(shifted, tz, offset) + rest;
  };
}

/** A date plus a year-month or whole-day interval (Spark's `DateAddYMInterval`, `DateAdd`). */
function addIntervalToDate(sign: number): (d: unknown, iv: unknown) => unknown {
  return (d, iv) => {
    const i = iv as CalendarInterval;
    return addMonthsToDays(d as number, sign * i.months) + sign * i.days;
  };
}

const COMPARE: Record<string, (c: number) => boolean> = {
  "=": (c) => c === 0, "!=": (c) => c !== 0, "<": (c) => c < 0, "<=": (c) => c <= 0, ">": (c) => c > 0, ">=": (c) => c >= 0,
};

function equalValues(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return Number.isNaN(a) && Number.isNaN(b);
  if (typeof a === "object" || typeof b === "object" || typeof a === "bigint" || typeof b === "bigint") return compareValues(a, b) === 0 && deepEqual(a, b);
  return false;
}
function deepEqual(a: unknown, b: unknown): boolean {
  if (a instanceof Map && b instanceof Map) return a.size === b.size && [...a].every(([k, v]) => b.has(k) && deepEqual(v, b.get(k)));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => (x === null ? b[i] === null : b[i] !== null && equalValues(x, b[i])));
  return compareValues(a, b) === 0;
}

function compileBinary(e: Binary, ctx: EvalContext): Evaluator {
  const l = compileExpression(e.left, ctx), r = compileExpression(e.right, ctx);
  const op = e.op;
  if (op === "and" || op === "or") return compileLogical(op, l, r);
  const lt = dataTypeOf(e.left);
  const outType = dataTypeOf(e);
  if (op in COMPARE) {
    const test = COMPARE[op]!;
    const numeric = lt.kind !== "string" && lt.kind !== "binary" && lt.kind !== "array" && lt.kind !== "struct" && lt.kind !== "map";
    return (batch) => {
      const a = l(batch), b = r(batch), n = batch.numRows;
      if (numeric && isTyped(a.values) && isTyped(b.values)) {
        const x = a.values, y = b.values, out = new Uint8Array(n);
        switch (op) {
          case "=": for (let i = 0; i < n; i++) out[i] = x[i] === y[i] ? 1 : 0; break;
          case "!=": for (let i = 0; i < n; i++) out[i] = x[i] !== y[i] ? 1 : 0; break;
          case "<": for (let i = 0; i < n; i++) out[i] = x[i]! < y[i]! ? 1 : 0; break;
          case "<=": for (let i = 0; i < n; i++) out[i] = x[i]! <= y[i]! ? 1 : 0; break;
          case ">": for (let i = 0; i < n; i++) out[i] = x[i]! > y[i]! ? 1 : 0; break;
          case ">=": for (let i = 0; i < n; i++) out[i] = x[i]! >= y[i]! ? 1 : 0; break;
        }
        if (lt.kind === "double" || lt.kind === "float") {
          // NaN = NaN is true and NaN is larger than any other value in Spark.
          for (let i = 0; i < n; i++) if (Number.isNaN(x[i]) || Number.isNaN(y[i])) out[i] = test(compareValues(x[i], y[i])) ? 1 : 0;
        }
        return { type: BooleanType, length: n, values: out, nulls: combineNulls(a, b, n) };
      }
      const eq = op === "=" || op === "!=";
      return mapRows([a, b], n, BooleanType, (v) => (eq ? equalValues(v[0], v[1]) === (op === "=") : test(compareValues(v[0], v[1]))), false);
    };
  }
  if (op === "<=>") {
    return (batch) => mapRows([l(batch), r(batch)], batch.numRows, BooleanType, (v) => (v[0] === null || v[1] === null ? v[0] === v[1] : equalValues(v[0], v[1])), true);
  }
  const rt = dataTypeOf(e.right);
  if (rt.kind === "interval" && (lt.kind === "timestamp" || lt.kind === "timestamp_ntz")) {
    const f = addInterval(lt.kind === "timestamp" ? ctx.timeZone : "UTC", op === "-" ? -1 : 1);
    return (batch) => mapRows([l(batch), r(batch)], batch.numRows, outType, (v) => f(v[0], v[1]), false);
  }
  if (rt.kind === "interval" && lt.kind === "date") {
    const f = addIntervalToDate(op === "-" ? -1 : 1);
    return (batch) => mapRows([l(batch), r(batch)], batch.numRows, outType, (v) => f(v[0], v[1]), false);
  }
  if (lt.kind === "interval" && rt.kind === "interval") {
    const s = op === "-" ? -1 : 1;
    return (batch) => mapRows([l(batch), r(batch)], batch.numRows, outType, (v) => {
      const a = v[0] as CalendarInterval, b = v[1] as CalendarInterval;
      return { months: a.months + s * b.months, days: a.days + s * b.days, micros: a.micros + s * b.micros };
    }, false);
  }
  if (lt.kind === "timestamp" && rt.kind === "timestamp") {
    return (batch) => mapRows([l(batch), r(batch)], batch.numRows, outType, (v) => (v[0] as number) - (v[1] as number), false);
  }
  if (op === "&" || op === "|" || op === "^") {
    const f = op === "&" ? (a: number, b: number) => a & b : op === "|" ? (a: number, b: number) => a | b : (a: number, b: number) => a ^ b;
    const big = op === "&" ? (a: bigint, b: bigint) => a & b : op === "|" ? (a: bigint, b: bigint) => a | b : (a: bigint, b: bigint) => a ^ b;
    return (batch) => mapRows([l(batch), r(batch)], batch.numRows, outType, (v) => (outType.kind === "long" ? Number(BigInt.asIntN(64, big(BigInt(v[0] as number), BigInt(v[1] as number)))) : f(v[0] as number, v[1] as number)), false);
  }
  if (outType.kind === "decimal" && (op === "+" || op === "-" || op === "*" || op === "/" || op === "%")) {
    const f = decimalBinary(op, lt as DecimalType, rt as DecimalType, outType, ctx.ansi);
    return (batch) => mapRows([l(batch), r(batch)], batch.numRows, outType, (v) => f(v[0] as bigint, v[1] as bigint), false);
  }
  const row = arithmeticRow(op, outType, ctx);
  const fastDouble = (outType.kind === "double" || outType.kind === "float") && (op === "+" || op === "-" || op === "*");
  return (batch) => {
    const a = l(batch), b = r(batch), n = batch.numRows;
    if (fastDouble && a.values instanceof Float64Array && b.values instanceof Float64Array) {
      const x = a.values, y = b.values, out = new Float64Array(n);
      if (op === "+") for (let i = 0; i < n; i++) out[i] = x[i]! + y[i]!;
      else if (op === "-") for (let i = 0; i < n; i++) out[i] = x[i]! - y[i]!;
      else for (let i = 0; i < n; i++) out[i] = x[i]! * y[i]!;
      if (outType.kind === "float") for (let i = 0; i < n; i++) out[i] = Math.fround(out[i]!);
      return { type: outType, length: n, values: out, nulls: combineNulls(a, b, n) };
    }
    return mapRows([a, b], n, outType, (v) => row(v[0], v[1]), false);
  };
}

/** Three-valued AND/OR; the right side is evaluated only on rows the left side does not decide. */
function compileLogical(op: "and" | "or", l: Evaluator, r: Evaluator): Evaluator {
  const decided = op === "and" ? 0 : 1;
  return (batch) => {
    const a = l(batch), n = batch.numRows;
    const av = a.values as Uint8Array, an = a.nulls;
    const pending: number[] = [];
    for (let i = 0; i < n; i++) if ((an !== null && an[i] === 1) || av[i] !== decided) pending.push(i);
    const out = new Uint8Array(n);
    const nulls = new Uint8Array(n);
    out.fill(decided);
    if (pending.length > 0) {
      const sub = pending.length === n ? batch : batch.take(pending);
      const b = r(sub);
      const bv = b.values as Uint8Array, bn = b.nulls;
      for (let k = 0; k < pending.length; k++) {
        const i = pending[k]!;
        const aNull = an !== null && an[i] === 1, bNull = bn !== null && bn[k] === 1;
        const bVal = bv[k]!;
        if (op === "and") {
          if (!bNull && bVal === 0) out[i] = 0;
          else if (aNull || bNull) nulls[i] = 1;
          else out[i] = 1;
        } else {
          if (!bNull && bVal === 1) out[i] = 1;
          else if (aNull || bNull) nulls[i] = 1;
          else out[i] = 0;
        }
      }
    }
    return { type: BooleanType, length: n, values: out, nulls };
  };
}

function compileCase(e: Extract<Expression, { kind: "case" }>, ctx: EvalContext): Evaluator {
  const conds = e.branches.map(([c]) => compileExpression(c, ctx));
  const vals = e.branches.map(([, v]) => compileExpression(v, ctx));
  const other = e.otherwise ? compileExpression(e.otherwise, ctx) : null;
  const t = dataTypeOf(e);
  return (batch) => {
    const n = batch.numRows;
    const result = new Array<unknown>(n).fill(null);
    let remaining: number[] = Array.from({ length: n }, (_, i) => i);
    for (let k = 0; k < conds.length && remaining.length > 0; k++) {
      const sub = remaining.length === n ? batch : batch.take(remaining);
      const c = conds[k]!(sub);
      const hit: number[] = [], miss: number[] = [];
      for (let j = 0; j < remaining.length; j++) (getValue(c, j) === true ? hit : miss).push(j);
      if (hit.length > 0) {
        const v = vals[k]!(hit.length === sub.numRows ? sub : sub.take(hit));
        for (let j = 0; j < hit.length; j++) result[remaining[hit[j]!]!] = getValue(v, j);
      }
      remaining = miss.map((j) => remaining[j]!);
    }
    if (other !== null && remaining.length > 0) {
      const v = other(remaining.length === n ? batch : batch.take(remaining));
      for (let j = 0; j < remaining.length; j++) result[remaining[j]!] = getValue(v, j);
    }
    const b = new VectorBuilder(t, Math.max(n, 1));
    for (let i = 0; i < n; i++) b.append(result[i]);
    return b.build();
  };
}

export function compileExpression(e: Expression, ctx: EvalContext): Evaluator {
  switch (e.kind) {
    case "boundRef": { const o = e.ordinal; return (batch) => batch.columns[o]!; }
    case "literal": { const t = e.dataType, v = e.value; return (batch) => constantVector(t, v, batch.numRows); }
    case "alias": case "sortOrder": return compileExpression(e.child, ctx);
    case "cast": {
      const child = compileExpression(e.child, ctx);
      const from = dataTypeOf(e.child);
      const f = castFunction(from, e.to, ctx, e.mode);
      if (from.kind === e.to.kind && from.kind !== "decimal" && from.kind !== "struct" && from.kind !== "array" && from.kind !== "map") {
        return (batch) => ({ ...child(batch), type: e.to });
      }
      return (batch) => mapRows([child(batch)], batch.numRows, e.to, (v) => f(v[0]), false);
    }
    case "unary": {
      const child = compileExpression(e.child, ctx);
      const t = dataTypeOf(e);
      switch (e.op) {
        case "isNull": case "isNotNull": {
          const want = e.op === "isNull";
          return (batch) => {
            const v = child(batch), n = batch.numRows, out = new Uint8Array(n);
            if (isTyped(v.values)) { const nl = v.nulls; for (let i = 0; i < n; i++) out[i] = ((nl !== null && nl[i] === 1) === want) ? 1 : 0; }
            else { const vals = v.values; for (let i = 0; i < n; i++) out[i] = ((vals[i] === null) === want) ? 1 : 0; }
            return { type: BooleanType, length: n, values: out, nulls: null };
          };
        }
        case "not": return (batch) => {
          const v = child(batch), n = batch.numRows, src = v.values as Uint8Array, out = new Uint8Array(n);
          for (let i = 0; i < n; i++) out[i] = src[i] === 1 ? 0 : 1;
          return { type: BooleanType, length: n, values: out, nulls: v.nulls };
        };
        case "positive": return child;
        case "negate": {
          const integral = t.kind === "byte" || t.kind === "short" || t.kind === "integer" || t.kind === "long";
          return (batch) => mapRows([child(batch)], batch.numRows, t, (v) => {
            const x = v[0];
            if (integral) return checkIntegral(-BigInt(x as number | bigint), t.kind, ctx.ansi, "-");
            if (typeof x === "object") { const i = x as CalendarInterval; return { months: -i.months, days: -i.days, micros: -i.micros }; }
            return -(x as number);
          }, false);
        }
        case "bitnot": return (batch) => mapRows([child(batch)], batch.numRows, t, (v) => ~(v[0] as number), false);
      }
      break;
    }
    case "binary": return compileBinary(e, ctx);
    case "case": return compileCase(e, ctx);
    case "in": {
      const child = compileExpression(e.child, ctx);
      const list = e.list.map((x) => compileExpression(x, ctx));
      const allLiteral = e.list.every((x) => x.kind === "literal");
      if (allLiteral) {
        const values = e.list.map((x) => (x as { value: unknown }).value);
        const hasNull = values.some((v) => v === null);
        const set = new Set(values.filter((v) => v !== null && typeof v !== "object"));
        const objects = values.filter((v) => v !== null && typeof v === "object");
        return (batch) => mapRows([child(batch)], batch.numRows, BooleanType, (v) => {
          if (set.has(v[0]) || objects.some((o) => equalValues(o, v[0]))) return true;
          return hasNull ? null : false;
        }, false);
      }
      return (batch) => mapRows([child(batch), ...list.map((f) => f(batch))], batch.numRows, BooleanType, (v) => {
        if (v[0] === null) return null;
        let sawNull = false;
        for (let i = 1; i < v.length; i++) { if (v[i] === null) sawNull = true; else if (equalValues(v[0], v[i])) return true; }
        return sawNull ? null : false;
      }, true);
    }
    case "like": {
      const child = compileExpression(e.child, ctx), pattern = compileExpression(e.pattern, ctx);
      // Linear-time matchers (RE2): no pattern can make a query backtrack for ever. ILIKE lower-cases both sides.
      const ilike = e.op === "ilike";
      let cachedPattern: unknown, match: ((s: string) => boolean) | undefined;
      const build = (p: string): ((s: string) => boolean) => {
        if (e.op === "rlike") { const re = compileJavaRegex(p, "rlike"); return (s) => re.find(s); }
        return compileLike(ilike ? p.toLowerCase() : p, e.escape);
      };
      return (batch) => mapRows([child(batch), pattern(batch)], batch.numRows, BooleanType, (v) => {
        if (v[1] !== cachedPattern) { match = build(v[1] as string); cachedPattern = v[1]; }
        return match!(ilike ? (v[0] as string).toLowerCase() : (v[0] as string));
      }, false);
    }
    case "function": {
      const def = lookupFunction(e.name);
      if (def === undefined) throw internalError(`function ${e.name} reached evaluation unresolved`);
      const argTypes = e.args.map(dataTypeOf);
      const ret = dataTypeOf(e);
      const f = def.compile(argTypes, ret, ctx, e.args);
      const args = e.args.map((a) => compileExpression(a, ctx));
      const nullSafe = def.nullSafe ?? false;
      return (batch) => mapRows(args.map((a) => a(batch)), batch.numRows, ret, (v) => f(v), nullSafe);
    }
    case "extract": {
      const child = compileExpression(e.child, ctx), key = compileExpression(e.key, ctx);
      const t = dataTypeOf(e.child), out = dataTypeOf(e);
      if (t.kind === "struct") {
        const idx = (e.key as { value: number }).value;
        return (batch) => mapRows([child(batch)], batch.numRows, out, (v) => (v[0] as unknown[])[idx] ?? null, false);
      }
      if (t.kind === "array") {
        return (batch) => mapRows([child(batch), key(batch)], batch.numRows, out, (v) => {
          const arr = v[0] as unknown[], k = v[1], i = typeof k === "number" ? k | 0 : Number(BigInt.asIntN(32, k as bigint));
          if (i >= 0 && i < arr.length) return arr[i] ?? null;
          if (ctx.ansi) throw invalidArrayIndex(i, arr.length);
          return null;
        }, false);
      }
      return (batch) => mapRows([child(batch), key(batch)], batch.numRows, out, (v) => {
        const m = v[0] as Map<unknown, unknown>;
        if (m.has(v[1])) return m.get(v[1]);
        for (const [k, x] of m) if (equalValues(k, v[1])) return x;
        return null;
      }, false);
    }
    case "column": case "star": throw internalError(`${e.kind} reached evaluation unresolved`);
  }
  throw internalError("cannot compile expression");
}

/** Evaluates a boolean predicate and returns the indices of rows where it is true. */
export function selectTrue(v: ColumnVector): Int32Array {
  const n = v.length, out = new Int32Array(n);
  let k = 0;
  if (isTyped(v.values)) {
    const vals = v.values, nl = v.nulls;
    if (nl === null) { for (let i = 0; i < n; i++) if (vals[i] === 1) out[k++] = i; }
    else for (let i = 0; i < n; i++) if (vals[i] === 1 && nl[i] === 0) out[k++] = i;
  } else {
    const vals = v.values;
    for (let i = 0; i < n; i++) if (vals[i] === true) out[k++] = i;
  }
  return out.subarray(0, k);
}

