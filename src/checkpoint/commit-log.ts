/**
 * `commits/N`: written after batch N's sink has committed. Format:
 *
 *     v1
 *     {"nextBatchWatermarkMs":0}
 */
import type { FileSystem } from "../fs/file-system.js";
import { MetadataLog } from "./metadata-log.js";

export interface CommitMetadata { readonly nextBatchWatermarkMs: number }

export class CommitLog {
  private readonly log: MetadataLog;
  constructor(fs: FileSystem, dir: string) { this.log = new MetadataLog(fs, dir, "commit"); }
  add(batchId: number, meta: CommitMetadata): Promise<void> { return this.log.add(batchId, JSON.stringify(meta)); }
  async get(batchId: number): Promise<CommitMetadata | undefined> {
    const t = await this.log.getText(batchId);
    return t === undefined ? undefined : (this.log.parseJson(t, batchId) as CommitMetadata);
  }
  latestId(): Promise<number | undefined> { return this.log.latestId(); }
  purge(minToKeep: number): Promise<void> { return this.log.purge(minToKeep); }
  /** The entries below `minToKeep` that may exist (see MetadataLog.purgeable), for one combined delete. */
  purgeable(minToKeep: number): Promise<string[]> { return this.log.purgeable(minToKeep); }
}
