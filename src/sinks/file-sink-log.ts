/**
 * A file sink's log, `<path>/_spark_metadata/`, as Spark's FileStreamSinkLog (a CompactibleFileStreamLog): one
 * file per batch, and every `compactInterval` batches (spark.sql.streaming.fileSink.log.compactInterval, 10) a
 * `<id>.compact` file holding every live entry so far. Batch files before the newest compaction that keeps
 * spark.sql.streaming.minBatchesToRetain batches are deleted once older than
 * spark.sql.streaming.fileSink.log.cleanupDelay (when spark.sql.streaming.fileSink.log.deletion). Readers take the
 * latest compact file and the batch files after it. Paths are URIs, percent-encoded as Hadoop's `Path.toUri`:
 *
 *     _spark_metadata/0 … 8, 9.compact, 10 … 18, 19.compact, 20
 *     v1
 *     {"path":"file:///out/p=a%20b/q=x%252Fy/part-00000-5e1c….c000.json","size":9,"isDir":false,"modificationTime":1700000000000,"blockReplication":1,"blockSize":33554432,"action":"add"}
 */
import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { SluiceError } from "../errors/sluice-error.js";
import type { FileSystem } from "../fs/file-system.js";
import { isObjectStorePath, normalizePath } from "../fs/local-file-system.js";

export const SINK_LOG_DIR = "_spark_metadata";
const VERSION = 1;
const COMPACT_SUFFIX = ".compact";

export interface SinkFileEntry {
  readonly path: string; readonly size: number; readonly isDir: boolean; readonly modificationTime: number;
  readonly blockReplication: number; readonly blockSize: number; readonly action: "add" | "delete";
  /** Rows in the file; kept in memory for metrics, not written to the log. */
  readonly numRows?: number;
}

export interface SinkLogConfig {
  readonly compactInterval: number;
  readonly deletion: boolean;
  readonly cleanupDelayMs: number;
  readonly minBatchesToRetain: number;
}

export const DEFAULT_SINK_LOG_CONFIG: SinkLogConfig = { compactInterval: 10, deletion: true, cleanupDelayMs: 600_000, minBatchesToRetain: 100 };

/** Spark's time configuration syntax: a number is milliseconds, or a number with us, ms, s, m/min, h or d. */
function timeConfMs(key: string, v: string): number {
  const m = /^\s*(\d+)\s*(us|ms|s|m|min|h|d)?\s*$/i.exec(v);
  if (!m) throw new SluiceError("INVALID_OPTION", `Invalid value '${v}' for ${key}; use a duration such as '10m' or '600000' (milliseconds).`, { params: { option: key, value: v } });
  const f: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };
  return Number(m[1]) * f[(m[2] ?? "ms").toLowerCase()]!;
}

/** The sink log settings from the session's configuration. */
export function sinkLogConfig(conf: (key: string) => string | undefined): SinkLogConfig {
  const interval = Number(conf("spark.sql.streaming.fileSink.log.compactInterval") ?? DEFAULT_SINK_LOG_CONFIG.compactInterval);
  if (!Number.isInteger(interval) || interval <= 0) {
    throw new SluiceError("INVALID_OPTION", `Please set spark.sql.streaming.fileSink.log.compactInterval (was ${conf("spark.sql.streaming.fileSink.log.compactInterval")}) to a positive value.`, { params: { option: "spark.sql.streaming.fileSink.log.compactInterval" } });
  }
  const delay = conf("spark.sql.streaming.fileSink.log.cleanupDelay");
  return {
    compactInterval: interval,
    deletion: (conf("spark.sql.streaming.fileSink.log.deletion") ?? "true").toLowerCase() === "true",
    cleanupDelayMs: delay === undefined ? DEFAULT_SINK_LOG_CONFIG.cleanupDelayMs : timeConfMs("spark.sql.streaming.fileSink.log.cleanupDelay", delay),
    minBatchesToRetain: Number(conf("spark.sql.streaming.minBatchesToRetain") ?? DEFAULT_SINK_LOG_CONFIG.minBatchesToRetain),
  };
}

// ---- Paths as URIs (Hadoop Path.toUri.toString, and back as new Path(new URI(s))) ----

const URI_PATH_SAFE = /[A-Za-z0-9\-_.!~*'();:@&=+$,/]/;
const SPACE_SEPARATOR = /[\p{Zs}\p{Zl}\p{Zp}]/u;

/** Percent-encodes a path as java.net.URI quotes a path: visible non-ASCII characters stay as they are. */
export function encodeUriPath(p: string): string {
  let out = "";
  for (const ch of p) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80 ? URI_PATH_SAFE.test(ch) : cp > 0x9f && !SPACE_SEPARATOR.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, "utf8")) out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

function decodeUriPath(p: string, entry: string): string {
  try { return decodeURIComponent(p); } catch (e) {
    throw new SluiceError("CHECKPOINT_CORRUPT", `The file sink log entry path '${entry}' is not a valid URI.`, { params: { path: entry }, cause: e });
  }
}

/** The URI a sink log records for a local path or an object-store path (`s3a://bucket/key`). */
export function sinkPathUri(p: string): string {
  if (isObjectStorePath(p)) {
    const m = /^([a-z0-9]+:\/\/[^/]*)(.*)$/.exec(normalizePath(p))!;
    return m[1]! + encodeUriPath(m[2]!);
  }
  return `file://${encodeUriPath(p)}`;
}

/** The path of a URI in a sink log (Spark's `file:///x`, `file:/x`, a bare path, or `s3a://bucket/key`). */
export function sinkUriPath(u: string): string {
  const obj = /^(s3a?:\/\/[^/]*)(.*)$/.exec(u);
  if (obj) return obj[1]! + decodeUriPath(obj[2]!, u);
  const local = /^file:(?:\/\/[^/]*)?(\/.*)$/.exec(u);
  return decodeUriPath(local ? local[1]! : u, u);
}

// ---- Spark's CompactibleFileStreamLog rules ----

function batchIdOfName(name: string): number | undefined {
  const m = /^(\d+)(\.compact)?$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

export function isCompactionBatch(batchId: number, interval: number): boolean { return (batchId + 1) % interval === 0; }

function fileName(batchId: number, interval: number): string {
  return isCompactionBatch(batchId, interval) ? `${batchId}${COMPACT_SUFFIX}` : String(batchId);
}

/** Spark's deriveCompactInterval: a divisor of the latest compaction batch id + 1, at least the default if possible. */
export function deriveCompactInterval(defaultInterval: number, latestCompactBatchId: number): number {
  const n = latestCompactBatchId + 1;
  if (n <= defaultInterval) return n;
  if (defaultInterval < Math.floor(n / 2)) {
    for (let i = defaultInterval; i <= Math.floor(n / 2); i++) if (n % i === 0) return i;
  }
  return n;
}

/** The interval in use, given the log's file names: two compact files fix it, one must be compatible with it. */
function compactIntervalOf(names: readonly string[], defaultInterval: number): number {
  const compacts = names.filter((n) => n.endsWith(COMPACT_SUFFIX)).map(batchIdOfName).filter((id): id is number => id !== undefined).sort((a, b) => b - a);
  if (compacts.length >= 2) return compacts[0]! - compacts[1]!;
  if (compacts.length === 1) return deriveCompactInterval(defaultInterval, compacts[0]!);
  return defaultInterval;
}

function latestBatchIdOf(names: readonly string[], interval: number): number | undefined {
  const present = new Set(names);
  const ids = names.map(batchIdOfName).filter((id): id is number => id !== undefined).sort((a, b) => b - a);
  return ids.find((id) => present.has(fileName(id, interval)));
}

/** Batches whose files hold every entry up to `batchId`: the latest compaction at or before it, and the rest. */
function validBatches(batchId: number, interval: number): number[] {
  const start = Math.max(0, Math.floor((batchId + 1) / interval) * interval - 1);
  return Array.from({ length: batchId - start + 1 }, (_, i) => start + i);
}

function parseLog(text: string, file: string): SinkFileEntry[] {
  const lines = text.split("\n");
  const version = lines[0] ?? "";
  const m = /^v(\d+)$/.exec(version);
  if (!m) throw new SluiceError("CHECKPOINT_CORRUPT", `The file sink log file ${file} is corrupt: expected a version line like 'v1', found '${version.slice(0, 40)}'.`, { params: { path: file } });
  if (Number(m[1]) > VERSION) {
    throw new SluiceError("CHECKPOINT_UNSUPPORTED_VERSION", `The file sink log file ${file} has version v${m[1]}, newer than this Sluice supports (v${VERSION}).`, { params: { path: file, version: Number(m[1]), supported: VERSION } });
  }
  return lines.slice(1).filter((l) => l.trim().length > 0).map((l) => {
    try { return JSON.parse(l) as SinkFileEntry; } catch (e) {
      throw new SluiceError("CHECKPOINT_CORRUPT", `The file sink log file ${file} holds a line that is not valid JSON.`, { params: { path: file }, cause: e });
    }
  });
}

function serialize(entries: readonly SinkFileEntry[]): string {
  return [`v${VERSION}`, ...entries.map(({ path: p, size, isDir, modificationTime, blockReplication, blockSize, action }) =>
    JSON.stringify({ path: p, size, isDir, modificationTime, blockReplication, blockSize, action }))].join("\n");
}

/** The live files of a log: entries in order, minus those a `delete` entry removed; local paths or object-store URIs. */
function liveFiles(entries: readonly SinkFileEntry[]): string[] {
  const files = new Set<string>();
  for (const e of entries) {
    const p = sinkUriPath(e.path);
    if (e.action === "delete") files.delete(p); else files.add(p);
  }
  return [...files].sort();
}

function missing(file: string): SluiceError {
  return new SluiceError("CHECKPOINT_CORRUPT", `The file sink log file ${file} does not exist, though a later log file needs it. Restore ${SINK_LOG_DIR} from a backup or write to a new path.`, { params: { path: file } });
}

export class FileSinkLog {
  private interval: number | undefined;
  /**
   * What this log holds, as far as this process knows, so that steady-state batches make no extra requests: the
   * entries of the recent batch files (a compaction needs the ones since the last compact file), and the name and
   * modification time of every log file (expired ones are deleted without listing). Filled by writes, and by one
   * listing or read after a restart.
   */
  private readonly recent = new Map<number, readonly SinkFileEntry[]>();
  private known: Map<string, number> | undefined;
  constructor(readonly fs: FileSystem, readonly dir: string, readonly config: SinkLogConfig = DEFAULT_SINK_LOG_CONFIG) {}
  private async names(): Promise<string[]> { return (await this.fs.list(this.dir)).map((s) => path.basename(s.path)); }

  /** Fixed when first asked, as Spark's lazy compactInterval. */
  async compactInterval(): Promise<number> {
    this.interval ??= compactIntervalOf(await this.names(), this.config.compactInterval);
    return this.interval;
  }

  async latestBatchId(): Promise<number | undefined> {
    const names = await this.names();
    return latestBatchIdOf(names, await this.compactInterval());
  }

  private async entriesOf(batchId: number, interval: number): Promise<readonly SinkFileEntry[] | undefined> {
    const cached = this.recent.get(batchId);
    if (cached !== undefined) return cached;
    const file = path.join(this.dir, fileName(batchId, interval));
    const bytes = await this.fs.readIfExists(file);
    return bytes === undefined ? undefined : parseLog(Buffer.from(bytes).toString("utf8"), file);
  }

  /** Writes batch `batchId` (a compaction batch gets every live entry), then deletes expired log files. */
  async add(batchId: number, entries: readonly SinkFileEntry[]): Promise<void> {
    const interval = await this.compactInterval();
    let all = entries;
    if (isCompactionBatch(batchId, interval)) {
      const before: SinkFileEntry[] = [];
      for (let id = Math.max(0, batchId - interval); id < batchId; id++) {
        const e = await this.entriesOf(id, interval);
        if (e === undefined) throw missing(path.join(this.dir, fileName(id, interval)));
        before.push(...e);
      }
      all = [...before, ...entries];
    }
    const file = path.join(this.dir, fileName(batchId, interval));
    const body = serialize(all);
    if (!(await this.fs.writeIfAbsent(file, body))) {
      const existing = await this.fs.readIfExists(file);
      if (existing === undefined || Buffer.from(existing).toString("utf8") !== body) {
        throw new SluiceError("CHECKPOINT_CONCURRENT_WRITER",
          `The file sink log entry for batch ${batchId} at ${file} already exists with different content: another query writes to this path. Stop it, or give this query its own path.`,
          { params: { batchId, path: file } });
      }
    }
    this.recent.set(batchId, all);
    for (const id of this.recent.keys()) if (id < batchId - interval) this.recent.delete(id);
    this.known?.set(fileName(batchId, interval), Date.now());
    // As Spark's CompactibleFileStreamLog, after every batch; known files only, so no listing in the steady state.
    if (this.config.deletion) await this.deleteExpired(batchId, interval);
  }

  private async deleteExpired(currentBatchId: number, interval: number): Promise<void> {
    const minBatchId = currentBatchId + 1 - this.config.minBatchesToRetain;
    if (interval > minBatchId) return;
    const minCompactionBatchId = minBatchId - (minBatchId % interval) - 1;
    const expiredTime = Date.now() - this.config.cleanupDelayMs;
    if (this.known === undefined) {
      // Once per run: the files an earlier run wrote.
      this.known = new Map();
      for (const f of await this.fs.list(this.dir)) this.known.set(path.basename(f.path), f.modificationTime);
    }
    // Files below the newest compaction that may go: deleted together once every one of them is past cleanupDelay
    // (a reader needs none of them), so a long-running query makes one delete request per compaction, not one a batch.
    const expired: string[] = [];
    for (const [name, mtime] of this.known) {
      const id = batchIdOfName(name);
      if (id === undefined || id >= minCompactionBatchId) continue;
      if (mtime > expiredTime) return;
      expired.push(name);
    }
    if (expired.length === 0) return;
    await this.fs.deleteFiles(expired.map((n) => path.join(this.dir, n))); // one multi-object delete on object storage
    for (const n of expired) this.known.delete(n);
  }

  /** The live files, or undefined when the log has no batch yet. */
  async allFiles(): Promise<string[] | undefined> {
    const interval = await this.compactInterval();
    // A writer may delete old batch files while this reads: then the listing is taken again.
    for (let attempt = 0; ; attempt++) {
      const latest = latestBatchIdOf(await this.names(), interval);
      if (latest === undefined) return undefined;
      const entries: SinkFileEntry[] = [];
      let gone: string | undefined;
      for (const id of validBatches(latest, interval)) {
        const e = await this.entriesOf(id, interval);
        if (e === undefined) { gone = path.join(this.dir, fileName(id, interval)); break; }
        entries.push(...e);
      }
      if (gone === undefined) return liveFiles(entries);
      if (attempt >= 2) throw missing(gone);
    }
  }
}

/** The live files of the sink log under local folder `dir`, read synchronously; undefined when there is none. */
export function committedSinkFilesSync(dir: string): string[] | undefined {
  const logDir = path.join(dir, SINK_LOG_DIR);
  let names: string[];
  try { names = readdirSync(logDir); } catch { return undefined; }
  const interval = compactIntervalOf(names, DEFAULT_SINK_LOG_CONFIG.compactInterval);
  const latest = latestBatchIdOf(names, interval);
  if (latest === undefined) return undefined;
  const entries: SinkFileEntry[] = [];
  for (const id of validBatches(latest, interval)) {
    const file = path.join(logDir, fileName(id, interval));
    let text: string;
    try { text = readFileSync(file, "utf8"); } catch { throw missing(file); }
    entries.push(...parseLog(text, file));
  }
  return liveFiles(entries);
}

/** The live files of the sink log under `dir`, or undefined when `dir` has no sink log. */
export function committedSinkFiles(fs: FileSystem, dir: string): Promise<string[] | undefined> {
  return new FileSinkLog(fs, path.join(dir, SINK_LOG_DIR)).allFiles();
}
