/** A string key that is equal for equal rows of internal values (grouping, distinct, deduplication). */
export function rowKey(values: readonly unknown[]): string {
  return JSON.stringify(values, (_k, v: unknown) => {
    if (typeof v === "bigint") return `${v}n`;
    if (v instanceof Map) return { m: [...v.entries()] };
    if (v instanceof Uint8Array) return { b: Buffer.from(v).toString("base64") };
    if (typeof v === "number" && !Number.isFinite(v)) return String(v);
    return v;
  });
}
