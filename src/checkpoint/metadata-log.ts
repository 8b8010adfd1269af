/**
 * A log of one file per batch id under a folder, as Spark's HDFSMetadataLog: `<dir>/0`, `<dir>/1`, ...
 * Each file starts with a version line (`v1`). Files are written create-if-absent, so a second writer on the
 * same checkpoint is detected instead of silently overwriting.
 */
import * as path from "node:path";
import { SluiceError } from "../errors/sluice-error.js";
import type { FileSystem } from "../fs/file-system.js";

export const LOG_VERSION = 1;

export class MetadataLog {
  /** The lowest batch id whose entry may still exist, once known (from a listing, or from this run's first add). */
  private floor: number | undefined;

  constructor(readonly fs: FileSystem, readonly dir: string, readonly kind: string) {}

  pathOf(batchId: number): string { return path.join(this.dir, String(batchId)); }

  /** Writes batch `batchId`'s entry; throws CHECKPOINT_CONCURRENT_WRITER if another writer wrote it first. */
  async add(batchId: number, body: string): Promise<void> {
    const ok = await this.fs.writeIfAbsent(this.pathOf(batchId), `v${LOG_VERSION}\n${body}`);
    if (ok && this.floor === undefined && batchId === 0) this.floor = 0;
    if (!ok) {
      const existing = await this.getText(batchId);
      if (existing === body) return; // the same entry, re-written by a restarted run
      throw new SluiceError("CHECKPOINT_CONCURRENT_WRITER",
        `The ${this.kind} log entry for batch ${batchId} at ${this.pathOf(batchId)} already exists with different content: another query is using this checkpoint location. Stop it, or give this query its own checkpointLocation.`,
        { params: { batchId, path: this.pathOf(batchId) } });
    }
  }

  /** Body of batch `batchId`'s entry, without the version line; undefined if absent. */
  async getText(batchId: number): Promise<string | undefined> {
    const p = this.pathOf(batchId);
    const bytes = await this.fs.readIfExists(p);
    if (bytes === undefined) return undefined;
    const text = Buffer.from(bytes).toString("utf8");
    const nl = text.indexOf("\n");
    const version = nl < 0 ? text : text.slice(0, nl);
    const m = /^v(\d+)$/.exec(version);
    if (!m) {
      throw new SluiceError("CHECKPOINT_CORRUPT", `The ${this.kind} log file ${p} is corrupt: expected a version line like 'v1', found '${version.slice(0, 40)}'. Restore the checkpoint from a backup or start the query with a new checkpointLocation.`,
        { params: { path: p } });
    }
    if (Number(m[1]) > LOG_VERSION) {
      throw new SluiceError("CHECKPOINT_UNSUPPORTED_VERSION", `The ${this.kind} log file ${p} has version v${m[1]}, newer than this Sluice supports (v${LOG_VERSION}). Upgrade Sluice to read this checkpoint.`,
        { params: { path: p, version: Number(m[1]), supported: LOG_VERSION } });
    }
    return nl < 0 ? "" : text.slice(nl + 1);
  }

  async batchIds(): Promise<number[]> {
    const ids = (await this.fs.list(this.dir)).map((s) => path.basename(s.path)).filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
    this.floor = ids[0] ?? this.floor ?? 0;
    return ids;
  }

  async latestId(): Promise<number | undefined> {
    const ids = await this.batchIds();
    return ids[ids.length - 1];
  }

  /** Deletes entries with id < `minBatchIdToKeep`. */
  async purge(minBatchIdToKeep: number): Promise<void> {
    await this.fs.deleteFiles(await this.purgeable(minBatchIdToKeep));
  }

  /**
   * The paths of the entries with id < `minBatchIdToKeep` that may exist, and forgets them (the caller deletes them):
   * the range since the last purge, known without listing once the log was listed or written from batch 0.
   */
  async purgeable(minBatchIdToKeep: number): Promise<string[]> {
    if (this.floor === undefined) await this.batchIds();
    const out: string[] = [];
    for (let id = this.floor!; id < minBatchIdToKeep; id++) out.push(this.pathOf(id));
    this.floor = Math.max(this.floor!, minBatchIdToKeep);
    return out;
  }

  /** Parses a JSON line, failing with CHECKPOINT_CORRUPT on garbage. */
  parseJson(text: string, batchId: number): unknown {
    try { return JSON.parse(text); } catch (e) {
      throw new SluiceError("CHECKPOINT_CORRUPT", `The ${this.kind} log entry for batch ${batchId} at ${this.pathOf(batchId)} is not valid JSON. Restore the checkpoint from a backup or start the query with a new checkpointLocation.`,
        { params: { path: this.pathOf(batchId), batchId }, cause: e });
    }
  }
}
