/** Spark's `show()` table text: `+---+` borders, cells truncated to 20 characters, right-aligned when truncating. */
import type { RecordBatch } from "../columnar/record-batch.js";
import { valueToString } from "../types/value-format.js";

export function showString(batch: RecordBatch, numRows: number, truncate: number | boolean, timeZone: string, hasMore: boolean): string {
  const t = truncate === true ? 20 : truncate === false ? 0 : truncate;
  const fields = batch.schema.fields;
  const cell = (s: string): string => (t > 0 && s.length > t ? (t < 4 ? s.slice(0, t) : `${s.slice(0, t - 3)}...`) : s);
  const rows: string[][] = [fields.map((f) => cell(f.name))];
  const n = Math.min(numRows, batch.numRows);
  for (let i = 0; i < n; i++) {
    const r = batch.row(i);
    rows.push(r.map((v, c) => cell(v === null ? "NULL" : valueToString(v, fields[c]!.dataType, timeZone))));
  }
  const widths = fields.map((_, c) => Math.max(3, ...rows.map((r) => [...r[c]!].length)));
  const sep = `+${widths.map((w) => "-".repeat(w)).join("+")}+`;
  const line = (r: string[]): string => `|${r.map((s, c) => (t > 0 ? s.padStart(widths[c]!) : s.padEnd(widths[c]!))).join("|")}|`;
  const out = [sep, line(rows[0]!), sep, ...rows.slice(1).map(line), sep];
  if (hasMore) out.push(`only showing top ${numRows} row${numRows === 1 ? "" : "s"}`);
  return out.join("\n") + "\n";
}
