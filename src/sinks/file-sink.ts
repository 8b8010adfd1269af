/**
 * The file sink (json, csv, parquet, text) with exactly-once output. Each batch writes its files, then records
 * them in the sink log `<path>/_spark_metadata/` (see file-sink-log.ts); readers (Sluice's, and Spark's) list only
 * files in that log, so files of a batch that crashed before its log entry are invisible, and a re-run batch whose
 * entry exists writes nothing. `partitionBy` folders are named as Spark names them (`escape(col)=escape(value)`,
 * see partitioning.ts), so no value or column name can place a file outside the output path.
 */
import { crashPoint } from "../streaming/crash-points.js";
import { randomUUID } from "node:crypto";
import * as path from "node:path";
import { RecordBatch } from "../columnar/record-batch.js";
import { getValue } from "../columnar/column-vector.js";
import { AnalysisException, SluiceError } from "../errors/sluice-error.js";
import type { FileFormat, FormatContext } from "../formats/file-format.js";
import type { FileSystem } from "../fs/file-system.js";
import { partitionPathString } from "../sources/partitioning.js";
import type { StructType } from "../types/data-type.js";
import { valueToString } from "../types/value-format.js";
import { DEFAULT_SINK_LOG_CONFIG, FileSinkLog, SINK_LOG_DIR, sinkPathUri, type SinkFileEntry, type SinkLogConfig } from "./file-sink-log.js";
import type { Sink } from "./sink.js";

export { SINK_LOG_DIR, committedSinkFiles, type SinkFileEntry } from "./file-sink-log.js";

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
    const file = outputFilePath(basePath, dir, name);
    const bytes = await format.encode(rows, ctx);
    await fs.write(file, bytes);
    entries.push({ path: sinkPathUri(file), size: bytes.byteLength, isDir: false, modificationTime: Date.now(), blockReplication: 1, blockSize: 33554432, action: "add", numRows: rows.numRows });
  }
  return entries;
}

/**
 * `basePath/dir/name`, checked to stay inside `basePath`: escaped partition folders never leave it, and anything
 * that would is refused rather than written.
 */
export function outputFilePath(basePath: string, dir: string, name: string): string {
  const folders = dir === "" ? [] : dir.split("/");
  const file = path.join(basePath, ...folders, name);
  const rel = path.relative(basePath, file);
  const inside = rel !== "" && !path.isAbsolute(rel) && !rel.split(path.sep).includes("..");
  if (!inside || folders.some((f) => f === "." || f === ".." || !f.includes("="))) {
    throw new SluiceError("INTERNAL_ERROR", `Refusing to write ${file}: it is not a partition folder inside the output path ${basePath}.`, { params: { path: file, basePath } });
  }
  return file;
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
      const f = batch.schema.fields[k]!;
      return partitionPathString(f.name, v === null ? null : valueToString(v, f.dataType, timeZone));
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
  private readonly log: FileSinkLog;
  private numOutputRows = 0;
  constructor(
    readonly fs: FileSystem, readonly basePath: string, readonly format: FileFormat, readonly partitionBy: readonly string[], readonly ctx: FormatContext,
    logConfig: SinkLogConfig = DEFAULT_SINK_LOG_CONFIG,
  ) {
    this.description = `FileSink[${basePath}]`;
    this.log = new FileSinkLog(fs, path.join(basePath, SINK_LOG_DIR), logConfig);
  }

  /** The newest batch id in the sink log: listed once, then kept up to date (no listing per batch). */
  private latestCommitted: number | undefined | null = null;

  /** True when batch `batchId` is already in the sink log (a re-run batch then writes nothing). */
  async isCommitted(batchId: number): Promise<boolean> {
    if (this.latestCommitted === null) this.latestCommitted = await this.log.latestBatchId();
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
    await this.log.add(batchId, entries);
    if (this.latestCommitted !== null && (this.latestCommitted === undefined || batchId > this.latestCommitted)) this.latestCommitted = batchId;
  }

  metrics(): Record<string, string> { return { numOutputRows: String(this.numOutputRows) }; }
}
