/** A string key that is equal for equal rows of internal values (grouping, distinct, deduplication, join keys). */

function plain(v: unknown): boolean {
  return v === null || typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));
}

function replacer(_k: string, v: unknown): unknown {
  if (typeof v === "bigint") return `${v}n`;
  if (v instanceof Map) return { m: [...v.entries()] };
  if (v instanceof Uint8Array) return { b: Buffer.from(v).toString("base64") };
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  return v;
}

export function rowKey(values: readonly unknown[]): string {
  // Fast path: plain values (and arrays of them, such as a window's [start, end]) serialize identically without the
  // replacer, so keys stay byte-for-byte what the general path writes into checkpointed state.
  let simple = true;
  for (let i = 0; i < values.length && simple; i++) {
    const v = values[i];
    if (plain(v)) continue;
    if (Array.isArray(v)) { for (const x of v) if (!plain(x)) { simple = false; break; } continue; }
    simple = false;
  }
  return simple ? JSON.stringify(values) : JSON.stringify(values, replacer);
}
