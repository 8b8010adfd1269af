/**
 * Checks `cleanSource` at `load()`, as Spark does: `archive` moves each processed file under `sourceArchiveDir`, which
 * object storage cannot do without copying every object (it has no rename), so it is refused there; `delete` works.
 */
export function validateCleanSource(options: Readonly<Record<string, string>>, sourceDir: string): void {
  const clean = (options["cleanSource"] ?? "off").toLowerCase();
  const archive = options["sourceArchiveDir"];
  if (clean === "archive" && (isObjectStorePath(sourceDir) || archive !== undefined && isObjectStorePath(archive))) {
    throw new AnalysisException("NOT_IMPLEMENTED", `cleanSource 'archive' is not supported on object storage (${isObjectStorePath(sourceDir) ? sourceDir : archive}): it has no rename, and archiving would copy every processed file. Use cleanSource 'delete', or 'off' with a lifecycle rule on the bucket.`,
      { params: { option: "cleanSource", value: "archive", path: isObjectStorePath(sourceDir) ? sourceDir : archive } });
  }
}

/**
 * The streaming file source: each trigger takes new files (oldest first, or `latestFirst`), at most
 * `maxFilesPerTrigger`, ignoring files older than `maxFileAge` relative to the newest seen. The files each batch
 * takes are logged under the source's checkpoint folder (`sources/<i>/<logOffset>`), so a replayed batch reads
 * exactly the same files and every file is read once. Log entry format, one JSON line per file:
 *
 *     v1
 *     {"path":"file:///landing/trips-0001.json","timestamp":1700000000000,"batchId":0}
 */
import { crashPoint } from "../streaming/crash-points.js";
import * as path from "node:path";
import type { RecordBatch } from "../columnar/record-batch.js";
import { MetadataLog } from "../checkpoint/metadata-log.js";
import { AnalysisException, SluiceError } from "../errors/sluice-error.js";
import type { FileFormat, FormatContext } from "../formats/file-format.js";
import type { FileSystem } from "../fs/file-system.js";
import { fromUri, isObjectStorePath, toUri } from "../fs/local-file-system.js";
import { S3FileSystem } from "../fs/s3-file-system.js";
import { parseInterval, intervalToMicros } from "../types/calendar-interval.js";
import type { StructType } from "../types/data-type.js";
import type { FileInputPartition } from "../execution/parallel/task.js";
import { readFiles } from "./file-scan.js";
import { listDataFiles } from "./file-listing.js";
import type { Offset, ReadLimit, SourceContext, StreamingSource } from "./streaming-source.js";

interface SeenFile { readonly path: string; readonly timestamp: number; readonly batchId: number }

export class FileStreamSource implements StreamingSource {
  readonly description: string;
  private readonly log: MetadataLog;
  private readonly seen = new Map<string, number>();
  private readonly entries = new Map<number, SeenFile[]>();
  private nextLogOffset = 0;
  private maxSeenTimestamp = 0;
  private availableNowLimit: Set<string> | undefined;
  private readonly maxFilesPerTrigger: number | undefined;
  private readonly latestFirst: boolean;
  private readonly maxFileAgeMs: number;
  private numFilesOutstanding = 0;

  private constructor(
    readonly fs: FileSystem, readonly dir: string, readonly format: FileFormat, readonly schema: StructType,
    readonly partitionColumns: readonly string[], readonly options: Readonly<Record<string, string>>,
    readonly ctx: SourceContext, private readonly parallelism: number,
  ) {
    this.description = `FileStreamSource[${dir}]`;
    this.log = new MetadataLog(ctx.fs, ctx.metadataPath, "file source");
    const m = options["maxFilesPerTrigger"];
    this.maxFilesPerTrigger = m === undefined ? undefined : Number(m);
    if (this.maxFilesPerTrigger !== undefined && !(this.maxFilesPerTrigger > 0 && Number.isInteger(this.maxFilesPerTrigger))) {
      throw new SluiceError("INVALID_OPTION", `Invalid value '${m}' for option 'maxFilesPerTrigger', must be a positive integer`, { params: { option: "maxFilesPerTrigger", value: m ?? "" } });
    }
    this.latestFirst = options["latestFirst"] === "true";
    const age = parseInterval(options["maxFileAge"] ?? "7 days");
    if (age === undefined) throw new SluiceError("INVALID_OPTION", `Invalid value '${options["maxFileAge"]}' for option 'maxFileAge'; use an interval such as '7 days'.`, { params: { option: "maxFileAge" } });
    this.maxFileAgeMs = intervalToMicros(age) / 1000;
    const clean = (options["cleanSource"] ?? "off").toLowerCase();
    if (!["off", "archive", "delete"].includes(clean)) throw new SluiceError("INVALID_OPTION", `Invalid value '${options["cleanSource"]}' for option 'cleanSource'; use off, archive or delete.`, { params: { option: "cleanSource" } });
    if (clean === "archive" && !options["sourceArchiveDir"]) throw new SluiceError("INVALID_OPTION", "Archive directory to store the processed files is not set: set option 'sourceArchiveDir' when 'cleanSource' is 'archive'.", { params: { option: "sourceArchiveDir" } });
  }

  static async create(fs: FileSystem, dir: string, format: FileFormat, schema: StructType, partitionColumns: readonly string[],
    options: Readonly<Record<string, string>>, ctx: SourceContext, parallelism: number): Promise<FileStreamSource> {
    const s = new FileStreamSource(fs, dir, format, schema, partitionColumns, options, ctx, parallelism);
    await s.restore();
    return s;
  }

  private async restore(): Promise<void> {
    for (const id of await this.log.batchIds()) {
      const text = (await this.log.getText(id)) ?? "";
      const files = text.split("\n").filter((l) => l.trim()).map((l) => this.log.parseJson(l, id) as SeenFile);
      this.entries.set(id, files);
      for (const f of files) { this.seen.set(f.path, f.timestamp); this.maxSeenTimestamp = Math.max(this.maxSeenTimestamp, f.timestamp); }
      this.nextLogOffset = id + 1;
    }
  }

  defaultReadLimit(): ReadLimit {
    return this.maxFilesPerTrigger === undefined ? { kind: "all" } : { kind: "maxFiles", n: this.maxFilesPerTrigger };
  }

  async prepareForAvailableNow(): Promise<void> {
    this.availableNowLimit = new Set((await listDataFiles(this.fs, this.dir)).map((f) => toUri(f.path)));
  }

  async latestOffset(start: Offset | null, limit: ReadLimit): Promise<Offset | null> {
    const listed = await listDataFiles(this.fs, this.dir);
    // As Spark: files older than maxFileAge before the newest file already seen are ignored, except when
    // latestFirst and maxFilesPerTrigger are both set.
    const ageLimited = !(this.latestFirst && this.maxFilesPerTrigger !== undefined) && this.maxSeenTimestamp > 0;
    const threshold = this.maxSeenTimestamp - this.maxFileAgeMs;
    const fresh = listed
      .map((f) => ({ path: toUri(f.path), timestamp: f.modificationTime }))
      .filter((f) => !this.seen.has(f.path) && (this.availableNowLimit === undefined || this.availableNowLimit.has(f.path)))
      .filter((f) => !ageLimited || f.timestamp >= threshold);
    fresh.sort((a, b) => (this.latestFirst ? b.timestamp - a.timestamp : a.timestamp - b.timestamp) || (a.path < b.path ? -1 : 1));
    const max = limit.kind === "maxFiles" ? limit.n : Infinity;
    const taken = fresh.slice(0, max);
    this.numFilesOutstanding = fresh.length - taken.length;
    // As Spark's fetchMaxOffset: the log's current offset, even when nothing new was listed, so an entry logged
    // before a crash (without its offsets/N) is still read by the next batch.
    if (taken.length === 0) return this.nextLogOffset === 0 ? start : { logOffset: this.nextLogOffset - 1 };
    const batchId = this.nextLogOffset;
    const entries = taken.map((f) => ({ ...f, batchId }));
    await this.log.add(batchId, entries.map((e) => JSON.stringify(e)).join("\n"));
    crashPoint("after-source-log", batchId);
    this.entries.set(batchId, entries);
    for (const e of entries) { this.seen.set(e.path, e.timestamp); this.maxSeenTimestamp = Math.max(this.maxSeenTimestamp, e.timestamp); }
    this.nextLogOffset = batchId + 1;
    return { logOffset: batchId };
  }

  private files(start: Offset | null, end: Offset): SeenFile[] {
    const from = start === null ? -1 : (start as { logOffset: number }).logOffset;
    const to = (end as { logOffset: number }).logOffset;
    const out: SeenFile[] = [];
    for (let id = from + 1; id <= to; id++) {
      const e = this.entries.get(id);
      if (e === undefined) {
        throw new SluiceError("CHECKPOINT_CORRUPT", `The file source log entry ${id} is missing from ${this.ctx.metadataPath}; the checkpoint is incomplete. Restore it or use a new checkpointLocation.`, { params: { path: this.ctx.metadataPath, batchId: id } });
      }
      out.push(...e);
    }
    return out;
  }

  /** The batch's files in `n` groups of similar total size, for parallel tasks. */
  planInputPartitions(start: Offset | null, end: Offset, n: number): FileInputPartition[] {
    const files = this.files(start, end).map((f) => fromUri(f.path));
    // Contiguous runs of files, so the partitions in order hold the rows in file order.
    const k = Math.min(n, files.length);
    const groups: string[][] = Array.from({ length: k }, (_, g) => files.slice(Math.floor(g * files.length / k), Math.floor((g + 1) * files.length / k)));
    return groups.map((g) => ({
      kind: "files", format: this.format.name, files: g, base: this.dir, schema: this.schema,
      partitionColumns: this.partitionColumns, options: this.options, timeZone: this.ctx.timeZone,
      ...(this.fs instanceof S3FileSystem ? { s3: this.fs.config } : {}),
    }));
  }

  async getBatch(start: Offset | null, end: Offset): Promise<RecordBatch[]> {
    const files = this.files(start, end).map((f) => fromUri(f.path));
    const fctx: FormatContext = { fs: this.fs, timeZone: this.ctx.timeZone, options: this.options };
    return (await readFiles(files, this.dir, this.format, this.schema, this.partitionColumns, fctx, this.parallelism)).flat();
  }

  async commit(end: Offset): Promise<void> {
    const clean = (this.options["cleanSource"] ?? "off").toLowerCase();
    if (clean === "off") return;
    const entries = this.entries.get((end as { logOffset: number }).logOffset) ?? [];
    for (const e of entries) {
      const p = fromUri(e.path);
      if (!(await this.fs.exists(p))) continue;
      if (clean === "delete") await this.fs.delete(p);
      else await this.fs.rename(p, path.join(this.options["sourceArchiveDir"]!, p));
    }
  }

  offsetProblem(offset: Offset): string | undefined {
    const o = offset as { logOffset?: unknown } | null;
    if (typeof o !== "object" || o === null || Array.isArray(o) || Object.keys(o).length !== 1 || typeof o.logOffset !== "number" || !Number.isInteger(o.logOffset) || o.logOffset < 0) {
      return `expected a file source offset {"logOffset": <n>}, found ${JSON.stringify(offset).slice(0, 80)}`;
    }
    // Every entry up to the offset lists files already taken: without one, they would be read again as new files.
    for (let id = 0; id <= o.logOffset; id++) {
      if (!this.entries.has(id)) return `its file log entry ${path.join(this.ctx.metadataPath, String(id))} is missing`;
    }
    return undefined;
  }

  async stop(): Promise<void> {}

  metrics(): Record<string, string> { return { numFilesOutstanding: String(this.numFilesOutstanding) }; }
}
