/**
 * The checkpoint files of one state partition, shared by every provider: `<version>.delta` (this version's puts and
 * removals) and `<version>.snapshot` (the whole state), gzip-compressed JSON lines (plain files are read too) with
 * values in state-codec form:
 *
 *     {"k":"[\"a\"]","v":{"keys":["a"],"buffers":[3]}}     a put
 *     {"k":"[\"b\"]","r":1}                                 a removal
 */
import * as path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { SluiceError } from "../errors/sluice-error.js";
import type { FileSystem } from "../fs/file-system.js";
import { decodeState, encodeState } from "./state-codec.js";

export type StateRecord = { readonly k: string; readonly v?: unknown; readonly r?: 1 };

/** Calls `apply` for every record of the state at `version`: the latest snapshot at or before it, then later deltas. */
export async function replayState(fs: FileSystem, dir: string, version: number, apply: (rec: StateRecord) => void): Promise<void> {
  if (version === 0) return;
  const files = (await fs.list(dir)).map((s) => path.basename(s.path));
  const versionsOf = (ext: string): number[] => files.filter((f) => f.endsWith(ext) && /^\d+\./.test(f)).map((f) => Number(f.split(".")[0])).filter((v) => v <= version);
  const snapshot = Math.max(0, ...versionsOf(".snapshot"));
  if (snapshot > 0) await readFile(fs, path.join(dir, `${snapshot}.snapshot`), apply);
  for (const v of versionsOf(".delta").filter((v) => v > snapshot).sort((a, b) => a - b)) await readFile(fs, path.join(dir, `${v}.delta`), apply);
}

async function readFile(fs: FileSystem, file: string, apply: (rec: StateRecord) => void): Promise<void> {
  const bytes = await fs.read(file);
  const gzipped = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  const text = (gzipped ? gunzipSync(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString("utf8");
  let n = 0;
  for (const line of text.split("\n")) {
    n++;
    if (line.length === 0) continue;
    let rec: StateRecord;
    try { rec = decodeState(line) as StateRecord; } catch (e) {
      throw new SluiceError("CHECKPOINT_CORRUPT", `State file ${file} is corrupt at line ${n}. Restore the checkpoint or use a new checkpointLocation.`, { cause: e, params: { path: file, line: n } });
    }
    apply(rec);
  }
}

/** Writes `version`'s delta; returns the number of puts and removals. */
export async function writeDelta(fs: FileSystem, dir: string, version: number, changes: Iterable<[string, unknown]>, isRemoved: (v: unknown) => boolean): Promise<{ updated: number; removed: number }> {
  const lines: string[] = [];
  let updated = 0, removed = 0;
  for (const [k, v] of changes) {
    if (isRemoved(v)) { lines.push(encodeState({ k, r: 1 })); removed++; } else { lines.push(encodeState({ k, v })); updated++; }
  }
  if (lines.length > 0) await fs.write(path.join(dir, `${version}.delta`), gzipSync(lines.join("\n") + "\n", { level: 1 }));
  return { updated, removed };
}

export async function writeSnapshot(fs: FileSystem, dir: string, version: number, entries: Iterable<[string, unknown]>): Promise<void> {
  const lines: string[] = [];
  for (const [k, v] of entries) lines.push(encodeState({ k, v }));
  if (lines.length > 0) await fs.write(path.join(dir, `${version}.snapshot`), gzipSync(lines.join("\n") + "\n", { level: 1 }));
}
