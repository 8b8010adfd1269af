/**
 * One column of a batch. Fixed-width types live in typed arrays with an optional null mask (1 = null);
 * everything else (strings, binary, nested values, and longs outside the safe-integer range) in a JS array
 * where `null` is null.
 *
 * Physical forms by type:
 * - boolean: Uint8Array (0/1); byte, short, integer, date (days): Int32Array
 * - float, double, timestamp (microseconds): Float64Array
 * - long: Float64Array holding safe integers, or an array of `number | bigint` once a value is outside ±2^53
 * - string, binary (Uint8Array), decimal (number), interval, array (unknown[]), map (Map), struct (unknown[] by field position): arrays
 */
import type { DataType } from "../types/data-type.js";

export type TypedValues = Float64Array | Int32Array | Uint8Array;
export type Values = TypedValues | unknown[];

export interface ColumnVector {
  readonly type: DataType;
  readonly length: number;
  readonly values: Values;
  /** For typed values only: 1 marks a null. Null when the column has no nulls. */
  readonly nulls: Uint8Array | null;
}

export function isTyped(v: Values): v is TypedValues {
  return !Array.isArray(v);
}

/** The value at row `i`, in Sluice's internal representation (see module doc). */
export function getValue(v: ColumnVector, i: number): unknown {
  const vals = v.values;
  if (Array.isArray(vals)) return vals[i] ?? null;
  if (v.nulls !== null && v.nulls[i] === 1) return null;
  return v.type.kind === "boolean" ? vals[i] === 1 : vals[i];
}

export function isNullAt(v: ColumnVector, i: number): boolean {
  const vals = v.values;
  if (Array.isArray(vals)) return vals[i] === null || vals[i] === undefined;
  return v.nulls !== null && v.nulls[i] === 1;
}

/** Which physical form a type uses when all values fit. */
export function typedArrayFor(type: DataType, n: number): TypedValues | null {
  switch (type.kind) {
    case "boolean": return new Uint8Array(n);
    case "byte": case "short": case "integer": case "date": return new Int32Array(n);
    case "float": case "double": case "timestamp": case "timestamp_ntz": case "long": return new Float64Array(n);
    default: return null;
  }
}

export function vector(type: DataType, values: Values, nulls: Uint8Array | null = null): ColumnVector {
  return { type, length: values.length, values, nulls };
}

/** A vector of `n` copies of `value`. */
export function constantVector(type: DataType, value: unknown, n: number): ColumnVector {
  const typed = typedArrayFor(type, n);
  if (typed !== null && !(typeof value === "bigint")) {
    if (value === null || value === undefined) {
      const nulls = new Uint8Array(n).fill(1);
      return { type, length: n, values: typed, nulls };
    }
    typed.fill(typeof value === "boolean" ? (value ? 1 : 0) : (value as number));
    return { type, length: n, values: typed, nulls: null };
  }
  return { type, length: n, values: new Array<unknown>(n).fill(value ?? null), nulls: null };
}

/** Rows `idx[0..count)` of `v`, in that order. */
export function takeVector(v: ColumnVector, idx: Int32Array | number[], count = idx.length): ColumnVector {
  const vals = v.values;
  if (Array.isArray(vals)) {
    const out = new Array<unknown>(count);
    for (let k = 0; k < count; k++) out[k] = vals[idx[k]!];
    return { type: v.type, length: count, values: out, nulls: null };
  }
  const out = new (vals.constructor as { new(n: number): TypedValues })(count);
  for (let k = 0; k < count; k++) out[k] = vals[idx[k]!]!;
  let nulls: Uint8Array | null = null;
  if (v.nulls !== null) {
    nulls = new Uint8Array(count);
    const src = v.nulls;
    let any = 0;
    for (let k = 0; k < count; k++) any |= nulls[k] = src[idx[k]!]!;
    if (any === 0) nulls = null;
  }
  return { type: v.type, length: count, values: out, nulls };
}

export function sliceVector(v: ColumnVector, start: number, end: number): ColumnVector {
  const vals = v.values;
  return {
    type: v.type, length: end - start,
    values: Array.isArray(vals) ? vals.slice(start, end) : vals.subarray(start, end),
    nulls: v.nulls === null ? null : v.nulls.subarray(start, end),
  };
}

/** Concatenates vectors of one type. */
export function concatVectors(type: DataType, parts: readonly ColumnVector[]): ColumnVector {
  if (parts.length === 1) return parts[0]!;
  const n = parts.reduce((s, p) => s + p.length, 0);
  const typed = typedArrayFor(type, n);
  if (typed !== null && parts.every((p) => isTyped(p.values))) {
    let off = 0;
    let nulls: Uint8Array | null = null;
    for (const p of parts) {
      typed.set(p.values as TypedValues, off);
      if (p.nulls !== null) { nulls ??= new Uint8Array(n); nulls.set(p.nulls, off); }
      off += p.length;
    }
    return { type, length: n, values: typed, nulls };
  }
  const out = new Array<unknown>(n);
  let off = 0;
  for (const p of parts) for (let i = 0; i < p.length; i++) out[off++] = getValue(p, i);
  return { type, length: n, values: out, nulls: null };
}
