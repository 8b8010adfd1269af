/**
 * Estimated V8 heap bytes of state entries, by their shape: what `memoryUsedBytes` reports (Spark's providers report
 * an estimate too). Checked against heap measurements of 100,000 aggregation entries: within about 10%.
 *
 *     key "[[1700000000000000,1700000060000000],1234]"   16 + 41 bytes, to 8           64
 *     value [20, 1234567890123]                          array 32 + elements 16 + 2 x 8  64 (+16 per boxed double)
 *     the Map's entry and its share of the hash table                                  32
 */

const align = (n: number): number => Math.ceil(n / 8) * 8;

function stringBytes(s: string): number {
  let wide = false;
  for (let i = 0; i < s.length && !wide; i++) wide = s.charCodeAt(i) > 255;
  return align(16 + s.length * (wide ? 2 : 1));
}

/** Estimated heap bytes of one value (excluding the slot that points to it): small integers live in the slot. */
export function heapBytes(v: unknown): number {
  if (v === null || v === undefined || typeof v === "boolean") return 0;
  if (typeof v === "number") return Number.isInteger(v) && v >= -(2 ** 30) && v < 2 ** 30 ? 0 : 16;
  if (typeof v === "string") return stringBytes(v);
  if (typeof v === "bigint") return 24;
  if (v instanceof Uint8Array) return 96 + align(v.byteLength);
  if (Array.isArray(v)) {
    // All numbers: an unboxed double array; otherwise tagged slots.
    const doubles = v.length > 0 && v.every((x) => typeof x === "number");
    let bytes = 32 + 16 + 8 * v.length;
    if (!doubles) for (const x of v) bytes += heapBytes(x); // an unboxed double array holds its numbers inline
    return bytes;
  }
  if (v instanceof Map) {
    let bytes = 32 + 48 + 32 * v.size;
    for (const [k, x] of v) bytes += heapBytes(k) + heapBytes(x);
    return bytes;
  }
  if (v instanceof Set) {
    let bytes = 32 + 48 + 24 * v.size;
    for (const x of v) bytes += heapBytes(x);
    return bytes;
  }
  if (typeof v === "object") {
    const values = Object.values(v as Record<string, unknown>);
    let bytes = 24 + 8 * values.length;
    for (const x of values) bytes += heapBytes(x);
    return bytes;
  }
  return 16;
}

/** Estimated heap bytes of one state entry: its key, its value, and its entry in the state's Map. */
export function entryHeapBytes(key: string, value: unknown): number {
  return stringBytes(key) + heapBytes(value) + 32;
}
