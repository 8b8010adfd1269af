/** Spark's array, map and struct functions (generators such as explode are plan nodes, not functions). */
import { widerType } from "../analysis/type-coercion.js";
import { SluiceError } from "../errors/sluice-error.js";
import { BooleanType, IntegerType, NullType, StringType, arrayType, isIntegral, mapType, structField, structType, type DataType } from "../types/data-type.js";
import { invalidArrayIndex } from "./arithmetic-checks.js";
import { compareValues } from "./math-functions.js";
import { literalArg, requireType, typeMismatch, type FunctionDef } from "./function-def.js";

function commonType(name: string, types: readonly DataType[]): DataType {
  let t: DataType | undefined = types[0] ?? NullType;
  for (const x of types.slice(1)) t = t && widerType(t, x);
  if (t === undefined) throw typeMismatch(name, "arguments must share a common type");
  return t;
}

/** Output column name Spark gives a struct field built from an argument expression. */
export function structFieldName(e: import("../expressions/expression.js").Expression, i: number): string {
  if (e.kind === "alias") return e.name;
  if (e.kind === "column") return e.nameParts[e.nameParts.length - 1]!;
  if (e.kind === "boundRef") return e.name;
  if (e.kind === "extract" && e.key.kind === "literal" && typeof e.key.value === "string") return e.key.value;
  return `col${i + 1}`;
}

function elementAtErrors(index: number, size: number): SluiceError {
  return new SluiceError("INVALID_ARRAY_INDEX_IN_ELEMENT_AT", `The index ${index} is out of bounds. The array has ${size} elements. Use \`try_element_at\` to tolerate accessing element at invalid index and return NULL instead. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error.`,
    { params: { indexValue: String(index), arraySize: String(size), ansiConfig: "\"spark.sql.ansi.enabled\"" } });
}

/**
 * `element_at(array, i)` (1-based, negative from the end; out of range INVALID_ARRAY_INDEX_IN_ELEMENT_AT under ANSI)
 * and `element_at(map, key)`; `try_element_at` gives NULL out of range. Index 0 is INVALID_INDEX_OF_ZERO for both.
 */
function elementAt(name: string, tolerant: boolean): FunctionDef {
  return {
    name, minArgs: 2, maxArgs: 2,
    resolve: ([t]) => {
      requireType(name, t!, (x) => x.kind === "array" || x.kind === "map", "array or map", 0);
      return t!.kind === "array"
        ? { argTypes: [undefined, IntegerType], returnType: t!.elementType, nullable: true }
        : { argTypes: [undefined, t!.kind === "map" ? t!.keyType : undefined], returnType: (t as { valueType: DataType }).valueType, nullable: true };
    },
    compile: (_t, _r, ctx) => (a) => {
      if (a[0] instanceof Map) {
        const m = a[0];
        if (m.has(a[1])) return m.get(a[1]) ?? null;
        for (const [k, v] of m) if (compareValues(k, a[1]) === 0 && typeof k === typeof a[1]) return v ?? null;
        return null;
      }
      const arr = a[0] as unknown[], i = a[1] as number;
      if (i === 0) throw new SluiceError("INVALID_INDEX_OF_ZERO", "The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1).", {});
      if (Math.abs(i) > arr.length) { if (ctx.ansi && !tolerant) throw elementAtErrors(i, arr.length); return null; }
      return (i > 0 ? arr[i - 1] : arr[arr.length + i]) ?? null;
    },
  };
}

export const collectionFunctions: readonly FunctionDef[] = [
  {
    name: "array", minArgs: 0, maxArgs: 10_000, nullSafe: true,
    resolve: (types) => { const t = commonType("array", types); return { argTypes: types.map(() => t), returnType: arrayType(types.length === 0 ? NullType : t), nullable: false }; },
    compile: () => (a) => a.slice(),
  },
  {
    name: "struct", minArgs: 0, maxArgs: 10_000, nullSafe: true,
    resolve: (types, args) => ({ argTypes: types.map(() => undefined), returnType: structType(types.map((t, i) => structField(structFieldName(args[i]!, i), t))), nullable: false }),
    compile: () => (a) => a.slice(),
  },
  {
    name: "named_struct", minArgs: 0, maxArgs: 10_000, nullSafe: true,
    resolve: (types, args) => {
      if (types.length % 2 !== 0) throw typeMismatch("named_struct", "expects an even number of arguments");
      const fields = [];
      for (let i = 0; i < types.length; i += 2) fields.push(structField(String(literalArg("named_struct", args, i)), types[i + 1]!));
      return { argTypes: types.map(() => undefined), returnType: structType(fields), nullable: false };
    },
    compile: () => (a) => a.filter((_, i) => i % 2 === 1),
  },
  {
    name: "map", minArgs: 0, maxArgs: 10_000, nullSafe: true,
    resolve: (types) => {
      const k = commonType("map", types.filter((_, i) => i % 2 === 0)), v = commonType("map", types.filter((_, i) => i % 2 === 1));
      return { argTypes: types.map((_, i) => (i % 2 === 0 ? k : v)), returnType: mapType(k, v), nullable: false };
    },
    compile: () => (a) => { const m = new Map(); for (let i = 0; i < a.length; i += 2) m.set(a[i], a[i + 1]); return m; },
  },
  ...["size", "cardinality"].map((name): FunctionDef => ({
    // NULL for NULL under ANSI (Spark 4's default); -1 is the legacy (spark.sql.legacy.sizeOfNull, non-ANSI) answer.
    name, minArgs: 1, maxArgs: 1, nullSafe: true,
    resolve: ([t]) => { requireType(name, t!, (x) => x.kind === "array" || x.kind === "map" || x.kind === "null", "array or map", 0); return { argTypes: [undefined], returnType: IntegerType }; },
    compile: (_t, _r, ctx) => (a) => (a[0] === null ? (ctx.ansi ? null : -1) : a[0] instanceof Map ? a[0].size : (a[0] as unknown[]).length),
  })),
  {
    name: "array_contains", minArgs: 2, maxArgs: 2,
    resolve: ([t, v]) => {
      requireType("array_contains", t!, (x) => x.kind === "array", "array", 0);
      const el = t!.kind === "array" ? t!.elementType : NullType;
      const w = widerType(el, v!) ?? el;
      return { argTypes: [arrayType(w), w], returnType: BooleanType };
    },
    compile: () => (a) => {
      let sawNull = false;
      for (const x of a[0] as unknown[]) { if (x === null) sawNull = true; else if (compareValues(x, a[1]) === 0) return true; }
      return sawNull ? null : false;
    },
  },
  elementAt("element_at", false),
  elementAt("try_element_at", true),
  {
    // get(array, index): 0-based, NULL outside the array (never an error).
    name: "get", minArgs: 2, maxArgs: 2,
    resolve: ([t]) => {
      requireType("get", t!, (x) => x.kind === "array", "array", 0);
      return { argTypes: [undefined, IntegerType], returnType: (t as { elementType: DataType }).elementType, nullable: true };
    },
    compile: () => (a) => { const arr = a[0] as unknown[], i = a[1] as number; return i >= 0 && i < arr.length ? arr[i] ?? null : null; },
  },
  {
    // elt(n, s1, s2, ...): the n-th string (1-based); outside the list INVALID_ARRAY_INDEX under ANSI, NULL otherwise.
    name: "elt", minArgs: 2, maxArgs: 10_000, nullSafe: true,
    resolve: (types) => {
      requireType("elt", types[0]!, (x) => isIntegral(x) || x.kind === "null" || x.kind === "string", "int", 0);
      const bin = types.slice(1).every((t) => t.kind === "binary");
      const el = bin ? types[1]! : StringType;
      return { argTypes: types.map((_, i) => (i === 0 ? IntegerType : el)), returnType: el, nullable: true };
    },
    compile: (_t, _r, ctx) => (a) => {
      const n = a[0] as number | null;
      if (n === null) return null;
      if (n < 1 || n > a.length - 1) { if (ctx.ansi) throw invalidArrayIndex(n, a.length - 1); return null; }
      return a[n] ?? null;
    },
  },
  {
    // sequence(start, stop[, step]) over integral types; the step's sign must lead from start to stop.
    name: "sequence", minArgs: 2, maxArgs: 3,
    resolve: (types) => {
      types.forEach((t, i) => requireType("sequence", t, (x) => isIntegral(x) || x.kind === "null", "an integral type", i));
      let t: DataType = types[0]!;
      for (const x of types) t = widerType(t, x) ?? t;
      if (t.kind === "null") t = IntegerType;
      return { argTypes: types.map(() => t), returnType: arrayType(t, false) };
    },
    compile: (_t, ret) => {
      const el = (ret as { elementType: DataType }).elementType.kind;
      return (a) => {
        const start = BigInt(a[0] as number | bigint), stop = BigInt(a[1] as number | bigint);
        const step = a.length > 2 ? BigInt(a[2] as number | bigint) : start <= stop ? 1n : -1n;
        if (!((step > 0n && start <= stop) || (step < 0n && start >= stop) || (step === 0n && start === stop))) {
          throw new SluiceError("INVALID_PARAMETER_VALUE", `Illegal sequence boundaries: ${start} to ${stop} by ${step}.`,
            { params: { functionName: "`sequence`", start: String(start), stop: String(stop), step: String(step) } });
        }
        const len = step === 0n ? 1n : (stop - start) / step + 1n;
        if (len > 2147483632n) {
          throw new SluiceError("INVALID_PARAMETER_VALUE", `Too long sequence: ${len}. Should be <= 2147483632.`, { params: { functionName: "`sequence`", length: String(len) } });
        }
        const out: unknown[] = [];
        for (let v = start, k = 0n; k < len; k++, v += step) out.push(el === "long" && !Number.isSafeInteger(Number(v)) ? v : Number(v));
        return out;
      };
    },
  },
  {
    name: "map_keys", minArgs: 1, maxArgs: 1,
    resolve: ([t]) => { requireType("map_keys", t!, (x) => x.kind === "map", "map", 0); return { argTypes: [undefined], returnType: arrayType((t as { keyType: DataType }).keyType, false) }; },
    compile: () => (a) => [...(a[0] as Map<unknown, unknown>).keys()],
  },
  {
    name: "map_values", minArgs: 1, maxArgs: 1,
    resolve: ([t]) => { requireType("map_values", t!, (x) => x.kind === "map", "map", 0); return { argTypes: [undefined], returnType: arrayType((t as { valueType: DataType }).valueType) }; },
    compile: () => (a) => [...(a[0] as Map<unknown, unknown>).values()],
  },
  {
    name: "sort_array", minArgs: 1, maxArgs: 2,
    resolve: ([t]) => { requireType("sort_array", t!, (x) => x.kind === "array", "array", 0); return { argTypes: [undefined, BooleanType], returnType: t! }; },
    compile: () => (a) => {
      const asc = a.length < 2 || a[1] === true;
      return [...(a[0] as unknown[])].sort((x, y) => {
        if (x === null || y === null) return x === y ? 0 : (x === null) === asc ? -1 : 1;
        return asc ? compareValues(x, y) : compareValues(y, x);
      });
    },
  },
  {
    // array_sort(arr): ascending (strings by UTF-8 bytes), null elements last, as Spark's default comparator.
    name: "array_sort", minArgs: 1, maxArgs: 1,
    resolve: ([t]) => { requireType("array_sort", t!, (x) => x.kind === "array", "array", 0); return { argTypes: [undefined], returnType: t! }; },
    compile: () => (a) => [...(a[0] as unknown[])].sort((x, y) => (x === null || y === null ? (x === y ? 0 : x === null ? 1 : -1) : compareValues(x, y))),
  },
  {
    name: "array_distinct", minArgs: 1, maxArgs: 1,
    resolve: ([t]) => { requireType("array_distinct", t!, (x) => x.kind === "array", "array", 0); return { argTypes: [undefined], returnType: t! }; },
    compile: () => (a) => { const out: unknown[] = []; for (const x of a[0] as unknown[]) if (!out.some((y) => (x === null ? y === null : y !== null && compareValues(x, y) === 0))) out.push(x); return out; },
  },
  {
    name: "array_join", minArgs: 2, maxArgs: 3,
    resolve: () => ({ argTypes: [arrayType(StringType), StringType, StringType], returnType: StringType }),
    compile: () => (a) => (a[0] as (string | null)[]).flatMap((x) => (x === null ? (a.length > 2 ? [a[2] as string] : []) : [x])).join(a[1] as string),
  },
];
