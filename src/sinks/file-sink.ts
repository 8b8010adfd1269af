/**
 * The file sink (json, csv, parquet, text) with exactly-once output. Each batch writes its files, then records
 * them in `<path>/_spark_metadata/<batchId>`; readers (Sluice's, and Spark's) list only files in that log, so files
 * of a batch that crashed before its log entry are invisible, and a re-run batch whose entry exists writes nothing.
 * Log entry format (one JSON line per file):
 *
 *     v1
 *     {"path":"file:///out/part-00000-5e1c….c000.snappy.parquet","size":1830,"isDir":false,"modificationTime":1700000000000,"blockReplication":1,"blockSize":33554432,"action":"add"}
 */
import { crashPoint } from "../streaming/crash-points.js";
import { randomUUID } from "node:crypto";
import * as path from "node:path";
import { RecordBatch } from "../columnar/record-batch.js";
import { getValue } from "../columnar/column-vector.js";
import { MetadataLog } from "../checkpoint/metadata-log.js";
import { AnalysisException } from "../errors/sluice-error.js";
import type { FileFormat, FormatContext } from "../formats/file-format.js";
import type { FileSystem } from "../fs/file-system.js";
import { isObjectStorePath, normalizePath } from "../fs/local-file-system.js";
import type { StructType } from "../types/data-type.js";
import { valueToString } from "../types/value-format.js";
import type { Sink } from "./sink.js";

export const SINK_LOG_DIR = "_spark_metadata";

export interface SinkFileEntry {
  readonly path: string; readonly size: number; readonly isDir: boolean; readonly modificationTime: number;
  readonly blockReplication: number; readonly blockSize: number; readonly action: "add" | "delete";
  /** Rows in the file; kept in memory for metrics, not written to the log. */
  readonly numRows?: number;
}

/**
 * Writes one partition's rows as sink files (one per `partitionBy` folder) and returns their log entries. Runs in
 * the driver or in a worker task; nothing is visible to readers until the driver commits the entries.
 */
export async function writeSinkFiles(
  fs: FileSystem, basePath: string, format: FileFormat, partitionBy: readonly string[], ctx: FormatContext, data: RecordBatch, partIndex: number,
): Promise<SinkFileEntry[]> {
  if (data.numRows === 0) return [];
  const groups = partitionBy.length === 0 ? [{ dir: "", data }] : [...partitionRows(data, partitionBy, ctx.timeZone).values()];
  const entries: SinkFileEntry[] = [];
  for (const { dir, data: rows } of groups) {
    const name = `part-${String(partIndex).padStart(5, "0")}-${randomUUID()}.c000${format.extension}`;
    const file = path.join(basePath, dir, name);
    const bytes = await format.encode(rows, ctx);
    await fs.write(file, bytes);
    entries.push({ path: isObjectStorePath(file) ? normalizePath(file) : `file://${file}`, size: bytes.byteLength, isDir: false, modificationTime: Date.now(), blockReplication: 1, blockSize: 33554432, action: "add", numRows: rows.numRows });
  }
  return entries;
}

/** Spark's escaping of partition values in directory names. */
export function escapePartitionValue(s: string): string {
  return s.replace(/[\x00-\x1f"#%'*/:=?\\\x7f{}[\]^]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/** Splits a batch by the values of the partition columns: `"a=1/b=x"` → rows. */
export function partitionRows(batch: RecordBatch, partitionBy: readonly string[], timeZone: string): Map<string, { dir: string; data: RecordBatch }> {
  const idx = partitionBy.map((p) => {
    const k = batch.schema.fields.findIndex((f) => f.name.toLowerCase() === p.toLowerCase());
    if (k < 0) throw new AnalysisException("UNRESOLVED_COLUMN", `Partition column \`${p}\` not found in schema ${batch.schema.fields.map((f) => f.name).join(", ")}.`, { params: { objectName: p } });
    return k;
  });
  const dataCols = batch.schema.fields.map((_, i) => i).filter((i) => !idx.includes(i));
  const groups = new Map<string, number[]>();
  for (let r = 0; r < batch.numRows; r++) {
    const dir = idx.map((k) => {
      const v = getValue(batch.columns[k]!, r);
      return `${batch.schema.fields[k]!.name}=${v === null ? "__HIVE_DEFAULT_PARTITION__" : escapePartitionValue(valueToString(v, batch.schema.fields[k]!.dataType, timeZone))}`;
    }).join("/");
    let g = groups.get(dir);
    if (!g) groups.set(dir, (g = []));
    g.push(r);
  }
  const out = new Map<string, { dir: string; data: RecordBatch }>();
  for (const [dir, rows] of groups) out.set(dir, { dir, data: batch.take(rows).select(dataCols) });
  return out;
}

export class FileSink implements Sink {
  readonly description: string;
  private readonly log: MetadataLog;
  private numOutputRows = 0;
  constructor(readonly fs: FileSystem, readonly basePath: string, readonly format: FileFormat, readonly partitionBy: readonly string[], readonly ctx: FormatContext) {
    this.description = `FileSink[${basePath}]`;
    this.log = new MetadataLog(fs, path.join(basePath, SINK_LOG_DIR), "file sink");
  }

  /** The newest batch id in the sink log: listed once, then kept up to date (no listing per batch). */
  private latestCommitted: number | undefined | null = null;

  /** True when batch `batchId` is already in the sink log (a re-run batch then writes nothing). */
  async isCommitted(batchId: number): Promise<boolean> {
    if (this.latestCommitted === null) this.latestCommitted = await this.log.latestId();
    return this.latestCommitted !== undefined && batchId <= this.latestCommitted;
  }

  async addBatch(batchId: number, partitions: readonly (readonly RecordBatch[])[], schema: StructType): Promise<void> {
    if (await this.isCommitted(batchId)) return; // already committed by an earlier run
    const entries: SinkFileEntry[] = [];
    for (let p = 0; p < partitions.length; p++) {
      entries.push(...(await writeSinkFiles(this.fs, this.basePath, this.format, this.partitionBy, this.ctx, RecordBatch.concat(schema, [...partitions[p]!]), p)));
    }
    await this.commitFiles(batchId, entries);
  }

  /** Records files written (by this process or by worker tasks) as batch `batchId`'s output. */
  async commitFiles(batchId: number, entries: readonly SinkFileEntry[]): Promise<void> {
    crashPoint("mid-sink", batchId); // the data files are written, the sink log does not name them yet
    for (const e of entries) this.numOutputRows += e.numRows ?? 0;
    await this.log.add(batchId, entries.map(({ numRows: _n, ...e }) => JSON.stringify(e)).join("\n"));
    if (this.latestCommitted !== null && (this.latestCommitted === undefined || batchId > this.latestCommitted)) this.latestCommitted = batchId;
  }

  metrics(): Record<string, string> { return { numOutputRows: String(this.numOutputRows) }; }
}

/** The files committed to a file sink's log, or undefined when `dir` has no sink log. */
export async function committedSinkFiles(fs: FileSystem, dir: string): Promise<string[] | undefined> {
  const log = new MetadataLog(fs, path.join(dir, SINK_LOG_DIR), "file sink");
  const ids = await log.batchIds();
  if (ids.length === 0) return undefined;
  const files = new Set<string>();
  for (const id of ids) {
    const text = await log.getText(id);
    for (const line of (text ?? "").split("\n")) {
      if (line.trim().length === 0) continue;
      const e = log.parseJson(line, id) as SinkFileEntry;
      const p = e.path.startsWith("file://") ? e.path.slice("file://".length) : e.path;
      if (e.action === "delete") files.delete(p); else files.add(p);
    }
  }
  return [...files].sort();
}

