/**
 * What a worker thread runs for one input partition of a micro-batch: read the partition's files, run the
 * (stateless) plan fragment, and either write sink files or return the output batches. Everything here is plain
 * data, so it crosses threads by structured clone.
 */
import type { TransferredBatch } from "../../columnar/batch-transfer.js";
import type { LogicalPlan } from "../../plan/logical-plan.js";
import type { SinkFileEntry } from "../../sinks/file-sink.js";
import type { StructType } from "../../types/data-type.js";

/** A group of files of one batch, read by one task (Spark's InputPartition for file sources). */
export interface FileInputPartition {
  readonly kind: "files";
  readonly format: string;
  readonly files: readonly string[];
  readonly base: string;
  readonly schema: StructType;
  readonly partitionColumns: readonly string[];
  readonly options: Readonly<Record<string, string>>;
  readonly timeZone: string;
}

export type TaskOutput =
  | { readonly kind: "sinkFiles"; readonly basePath: string; readonly format: string; readonly partitionBy: readonly string[]; readonly options: Readonly<Record<string, string>>; readonly timeZone: string }
  | { readonly kind: "batches" };

export interface TaskSpec {
  /** The plan with its one streaming relation replaced by an empty local relation, filled in by the worker. */
  readonly plan: LogicalPlan;
  readonly input: FileInputPartition;
  readonly partIndex: number;
  readonly evalCtx: { readonly timeZone: string; readonly ansi: boolean; readonly currentTimestampMicros: number };
  readonly output: TaskOutput;
}

export interface TaskResult {
  readonly inputRows: number;
  readonly outputRows: number;
  readonly entries: readonly SinkFileEntry[];
  readonly batches: readonly TransferredBatch[];
}
