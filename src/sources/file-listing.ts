/** Lists the data files under a path as Spark does: hidden files (`_x`, `.x`) skipped, `k=v` folders as partitions. */
import { readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import type { FileStatus, FileSystem } from "../fs/file-system.js";
import { committedSinkFiles, committedSinkFilesSync } from "../sinks/file-sink-log.js";
import { structField, type DataType, type StructField } from "../types/data-type.js";
import { inferPartitionValueType, partitionDirValues, widerPartitionType } from "./partitioning.js";

function hidden(name: string): boolean {
  return (name.startsWith("_") && !name.includes("=")) || name.startsWith(".");
}

/** Data files under `dir` (or `dir` itself when it is a file), honouring a file sink's log when there is one. */
export async function listDataFiles(fs: FileSystem, dir: string): Promise<FileStatus[]> {
  const st = await fs.stat(dir);
  if (st === undefined) return [];
  if (!st.isDirectory) return [st];
  const committed = await committedSinkFiles(fs, dir);
  if (committed !== undefined) {
    const out: FileStatus[] = [];
    for (const p of committed) { const s = await fs.stat(p); if (s) out.push(s); }
    return out;
  }
  const walk = async (d: string): Promise<FileStatus[]> => {
    const res: FileStatus[] = [];
    for (const e of await fs.list(d)) {
      const name = path.basename(e.path);
      if (hidden(name)) continue;
      if (e.isDirectory) res.push(...(await walk(e.path)));
      else res.push(e);
    }
    return res;
  };
  return walk(dir);
}

export interface PartitionInference {
  /** spark.sql.sources.partitionColumnTypeInference.enabled */
  readonly typeInference: boolean;
  readonly timeZone: string;
}

/**
 * Partition columns discovered under `base`, typed as Spark's PartitioningUtils infers and widens them
 * (int, bigint, decimal, double, timestamp, date, string; void when every value is the default partition).
 */
export function partitionSchema(base: string, files: readonly FileStatus[], inference: PartitionInference): StructField[] {
  const cols = new Map<string, DataType>();
  for (const f of files) for (const { name, raw } of partitionDirValues(base, f.path)) {
    const t = inferPartitionValueType(raw, inference.typeInference, inference.timeZone);
    const prev = cols.get(name);
    cols.set(name, prev === undefined ? t : widerPartitionType(prev, t));
  }
  return [...cols].map(([k, t]) => structField(k, t));
}

/** Synchronous listing of local data files, used when a DataFrame is defined (schema inference, partitions). */
export function listLocalDataFilesSync(dir: string): FileStatus[] {
  let st;
  try { st = statSync(dir); } catch { return []; }
  if (!st.isDirectory()) return [{ path: dir, size: st.size, modificationTime: st.mtimeMs, isDirectory: false }];
  const committed = committedSinkFilesSync(dir);
  if (committed !== undefined) {
    return committed.flatMap((p) => {
      try { const s = statSync(p); return [{ path: p, size: s.size, modificationTime: s.mtimeMs, isDirectory: false }]; } catch { return []; }
    });
  }
  return walkLocalSync(dir);
}

function walkLocalSync(dir: string): FileStatus[] {
  const out: FileStatus[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (hidden(name)) continue;
    const p = path.join(dir, name);
    const s = statSync(p);
    if (s.isDirectory()) out.push(...walkLocalSync(p));
    else out.push({ path: p, size: s.size, modificationTime: s.mtimeMs, isDirectory: false });
  }
  return out;
}
