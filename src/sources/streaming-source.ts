/** The contract between the micro-batch engine and a streaming source (Spark's Source / MicroBatchStream). */
import type { RecordBatch } from "../columnar/record-batch.js";
import type { FileSystem } from "../fs/file-system.js";
import type { StructType } from "../types/data-type.js";

/** A source position, serialized as JSON into the offset log. Must be deterministic to replay a batch. */
export type Offset = string | number | boolean | null | readonly Offset[] | { readonly [k: string]: Offset };

/** How much a trigger may read: everything, or at most N rows/files (per source's own unit). */
export type ReadLimit = { readonly kind: "all" } | { readonly kind: "maxRows"; readonly n: number } | { readonly kind: "maxFiles"; readonly n: number };

export interface SourceContext {
  /** `<checkpoint>/sources/<i>`: where the source keeps its own metadata (e.g. the files it has seen). */
  readonly metadataPath: string;
  readonly fs: FileSystem;
  readonly timeZone: string;
}

/**
 * A streaming source. The engine asks for the latest offset, writes it to the offset log, then reads the batch
 * `(start, end]` — which must return the same rows every time it is asked for the same range.
 *
 * @example
 * const end = await source.latestOffset(start, { kind: "all" });
 * if (end !== null) { const batches = await source.getBatch(start, end); ... await source.commit(end); }
 */
export interface StreamingSource {
  readonly description: string;
  readonly schema: StructType;
  /** The offset to use after `start` for the next batch, or `start` itself when no data is available. */
  latestOffset(start: Offset | null, limit: ReadLimit): Promise<Offset | null>;
  /** Rows in `(start, end]`; `start` null means from the beginning. */
  getBatch(start: Offset | null, end: Offset): Promise<RecordBatch[]>;
  /** All data up to `end` is processed and committed by the sink; the source may clean up. */
  commit(end: Offset): Promise<void>;
  /** For `Trigger.AvailableNow`: fix the end of the data to read before the first batch. */
  prepareForAvailableNow?(): Promise<void>;
  /** The read limit configured on the source (e.g. maxFilesPerTrigger), used unless the trigger says otherwise. */
  defaultReadLimit(): ReadLimit;
  stop(): Promise<void>;
  /**
   * What is wrong with an offset read back from the checkpoint, as Spark's `deserializeOffset` refuses a foreign one:
   * undefined when it has this source's form and the source's own metadata (`sources/<i>`) backs it.
   */
  offsetProblem?(offset: Offset): string | undefined;
  /** Extra fields for this source in progress reports (`numFilesOutstanding`, ...). */
  metrics?(): Record<string, string>;
}

/** What `spark.readStream...load()` captures; the source is created at `start()` with its checkpoint folder. */
export interface StreamingSourceProvider {
  readonly format: string;
  readonly schema: StructType;
  readonly options: Readonly<Record<string, string>>;
  create(ctx: SourceContext): Promise<StreamingSource>;
}

/** A static (batch) relation: files, a JDBC table, an in-memory table. */
export interface BatchScan {
  readonly description: string;
  readonly schema: StructType;
  /** Reads the data as partitions of record batches. */
  read(): Promise<RecordBatch[][]>;
}

/** The problem with an offset that should be a non-negative integer (a batch or log number), if any. */
export function counterOffsetProblem(offset: Offset, what: string): string | undefined {
  return typeof offset === "number" && Number.isInteger(offset) && offset >= 0 ? undefined : `expected ${what} (a non-negative integer), found ${JSON.stringify(offset).slice(0, 80)}`;
}
