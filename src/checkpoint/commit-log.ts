/**
 * `commits/N`: written after batch N's sink has committed. Format:
 *
 *     v1
 *     {"nextBatchWatermarkMs":0}
 */
import { SluiceError } from "../errors/sluice-error.js";
import type { FileSystem } from "../fs/file-system.js";
import { MetadataLog } from "./metadata-log.js";

export interface CommitMetadata { readonly nextBatchWatermarkMs: number }

export class CommitLog {
  private readonly log: MetadataLog;
  constructor(fs: FileSystem, dir: string) { this.log = new MetadataLog(fs, dir, "commit"); }
  add(batchId: number, meta: CommitMetadata): Promise<void> { return this.log.add(batchId, JSON.stringify(meta)); }
  async get(batchId: number): Promise<CommitMetadata | undefined> {
    const t = await this.log.getText(batchId);
    if (t === undefined) return undefined;
    const meta = this.log.parseJson(t, batchId) as Partial<CommitMetadata> | null;
    if (typeof meta !== "object" || meta === null || Array.isArray(meta) || (meta.nextBatchWatermarkMs !== undefined && typeof meta.nextBatchWatermarkMs !== "number")) {
      throw new SluiceError("CHECKPOINT_CORRUPT", `The commit log entry for batch ${batchId} at ${this.log.pathOf(batchId)} is not a commit record (expected {"nextBatchWatermarkMs": <ms>}, found ${t.slice(0, 80)}). Restore the checkpoint or use a new checkpointLocation.`,
        { params: { path: this.log.pathOf(batchId), batchId } });
    }
    return { nextBatchWatermarkMs: meta.nextBatchWatermarkMs ?? 0 };
  }
  batchIds(): Promise<number[]> { return this.log.batchIds(); }
  latestId(): Promise<number | undefined> { return this.log.latestId(); }
  purge(minToKeep: number): Promise<void> { return this.log.purge(minToKeep); }
  /** The entries below `minToKeep` that may exist (see MetadataLog.purgeable), for one combined delete. */
  purgeable(minToKeep: number): Promise<string[]> { return this.log.purgeable(minToKeep); }
}
