/**
 * A string key that is equal for equal rows of internal values (grouping, distinct, deduplication, join keys), and
 * that decodes back to the values: plain values as JSON, others in the state codec's tagged JSON.
 */
import { decodeState, encodeState } from "../state/state-codec.js";

function plain(v: unknown): boolean {
  return v === null || typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));
}

export function rowKey(values: readonly unknown[]): string {
  // Fast path: plain values (and arrays of them, such as a window's [start, end]) need no tagging.
  let simple = true;
  for (let i = 0; i < values.length && simple; i++) {
    const v = values[i];
    if (plain(v)) continue;
    if (Array.isArray(v)) { for (const x of v) if (!plain(x)) { simple = false; break; } continue; }
    simple = false;
  }
  return simple ? JSON.stringify(values) : encodeState(values);
}

/** The values a `rowKey` was made from. */
export function decodeRowKey(key: string): unknown[] {
  return key === "" ? [] : decodeState(key) as unknown[];
}
