/**
 * `offsets/N`: written before batch N runs, so a restart replays N with exactly the same offsets. Format:
 *
 *     v1
 *     {"batchWatermarkMs":0,"batchTimestampMs":1700000000000,"conf":{"spark.sql.shuffle.partitions":"3"}}
 *     {"logOffset":4}
 *     "1700000000000"
 *
 * (the metadata line, then one line per source in source order; `-` for a source with no offset yet).
 */
import type { Offset } from "../sources/streaming-source.js";
import { SluiceError } from "../errors/sluice-error.js";
import type { FileSystem } from "../fs/file-system.js";
import { MetadataLog } from "./metadata-log.js";

export interface OffsetSeqMetadata {
  readonly batchWatermarkMs: number;
  readonly batchTimestampMs: number;
  readonly conf: Readonly<Record<string, string>>;
}

export interface OffsetSeq {
  readonly metadata: OffsetSeqMetadata;
  readonly offsets: readonly (Offset | null)[];
}

export class OffsetLog {
  private readonly log: MetadataLog;
  constructor(fs: FileSystem, dir: string) { this.log = new MetadataLog(fs, dir, "offset"); }

  async add(batchId: number, seq: OffsetSeq): Promise<void> {
    const lines = [JSON.stringify(seq.metadata), ...seq.offsets.map((o) => (o === null ? "-" : JSON.stringify(o)))];
    await this.log.add(batchId, lines.join("\n"));
  }

  async get(batchId: number): Promise<OffsetSeq | undefined> {
    const text = await this.log.getText(batchId);
    if (text === undefined) return undefined;
    const [meta, ...rest] = text.split("\n");
    const metadata = this.log.parseJson(meta ?? "", batchId) as OffsetSeqMetadata;
    const m = metadata as Partial<Record<keyof OffsetSeqMetadata, unknown>> | null;
    if (typeof m !== "object" || m === null || Array.isArray(m) || typeof m.batchTimestampMs !== "number" || typeof m.batchWatermarkMs !== "number"
      || (m.conf !== undefined && (typeof m.conf !== "object" || m.conf === null || Array.isArray(m.conf)))) {
      throw new SluiceError("CHECKPOINT_CORRUPT", `The offset log entry for batch ${batchId} at ${this.log.pathOf(batchId)} has no valid metadata line (expected {"batchWatermarkMs": ..., "batchTimestampMs": ..., "conf": {...}}, found ${(meta ?? "").slice(0, 80)}). Restore the checkpoint or use a new checkpointLocation.`, { params: { path: this.log.pathOf(batchId), batchId } });
    }
    return { metadata: { ...metadata, conf: metadata.conf ?? {} }, offsets: rest.map((l) => (l === "-" ? null : (this.log.parseJson(l, batchId) as Offset))) };
  }

  latestId(): Promise<number | undefined> { return this.log.latestId(); }
  batchIds(): Promise<number[]> { return this.log.batchIds(); }
  pathOf(batchId: number): string { return this.log.pathOf(batchId); }

  /** The session config recorded with the latest batch (values fixed for the query's lifetime), if any. */
  async latestConf(): Promise<Readonly<Record<string, string>> | undefined> {
    const id = await this.latestId();
    return id === undefined ? undefined : (await this.get(id))?.metadata.conf;
  }
  purge(minToKeep: number): Promise<void> { return this.log.purge(minToKeep); }
  /** The entries below `minToKeep` that may exist (see MetadataLog.purgeable), for one combined delete. */
  purgeable(minToKeep: number): Promise<string[]> { return this.log.purgeable(minToKeep); }
}
