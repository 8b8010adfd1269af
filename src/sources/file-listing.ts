/** Lists the data files under a path as Spark does: hidden files (`_x`, `.x`) skipped, `k=v` folders as partitions. */
import { readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import type { FileStatus, FileSystem } from "../fs/file-system.js";
import { committedSinkFiles } from "../sinks/file-sink.js";
import { DoubleType, IntegerType, LongType, StringType, structField, type DataType, type StructField } from "../types/data-type.js";

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

/** `a=1/b=x` folders between `base` and the file, as name/raw-value pairs. */
export function partitionValues(base: string, file: string): [string, string | null][] {
  const rel = path.relative(base, path.dirname(file));
  if (rel === "" || rel.startsWith("..")) return [];
  return rel.split(path.sep).filter((s) => s.includes("=")).map((s) => {
    const k = s.indexOf("=");
    const raw = decodeURIComponent(s.slice(k + 1));
    return [s.slice(0, k), raw === "__HIVE_DEFAULT_PARTITION__" ? null : raw];
  });
}

function inferPartitionType(values: readonly (string | null)[]): DataType {
  const vs = values.filter((v): v is string => v !== null);
  if (vs.length > 0 && vs.every((v) => /^-?\d+$/.test(v))) return vs.every((v) => Math.abs(Number(v)) <= 2147483647) ? IntegerType : LongType;
  if (vs.length > 0 && vs.every((v) => /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v))) return DoubleType;
  return StringType;
}

/** Partition columns discovered under `base`, typed as Spark infers them (int, bigint, double, string). */
export function partitionSchema(base: string, files: readonly FileStatus[]): StructField[] {
  const cols = new Map<string, (string | null)[]>();
  for (const f of files) for (const [k, v] of partitionValues(base, f.path)) {
    let arr = cols.get(k);
    if (!arr) cols.set(k, (arr = []));
    arr.push(v);
  }
  return [...cols].map(([k, vs]) => structField(k, inferPartitionType(vs)));
}

/** Synchronous listing of local data files, used when a DataFrame is defined (schema inference, partitions). */
export function listLocalDataFilesSync(dir: string): FileStatus[] {
  let st;
  try { st = statSync(dir); } catch { return []; }
  if (!st.isDirectory()) return [{ path: dir, size: st.size, modificationTime: st.mtimeMs, isDirectory: false }];
  const out: FileStatus[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (hidden(name)) continue;
    const p = path.join(dir, name);
    const s = statSync(p);
    if (s.isDirectory()) out.push(...listLocalDataFilesSync(p));
    else out.push({ path: p, size: s.size, modificationTime: s.mtimeMs, isDirectory: false });
  }
  return out;
}
