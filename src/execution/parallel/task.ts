/**
 * What a worker thread runs for one input partition of a micro-batch: read the partition's files, run the
 * (stateless) plan fragment, and either write sink files or return the output batches. Everything here is plain
 * data, so it crosses threads by structured clone.
 */
import type { TransferredBatch } from "../../columnar/batch-transfer.js";
import type { EventTimeStats } from "../operators/event-time-watermark-exec.js";
import type { S3Config } from "../../fs/s3-file-system.js";
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
  /** Set when the files are on object storage: the task reads them there with these settings. */
  readonly s3?: S3Config;
}

/** An offset range of one Kafka partition, read by one task (Spark's KafkaBatchInputPartition). */
export interface KafkaInputPartition {
  readonly kind: "kafka";
  readonly bootstrapServers: readonly string[];
  readonly client: Readonly<Record<string, string>>;
  readonly topic: string;
  readonly partition: number;
  readonly fromOffset: number;
  readonly untilOffset: number;
  readonly includeHeaders: boolean;
  readonly failOnDataLoss: boolean;
}

export type InputPartition = FileInputPartition | KafkaInputPartition;

export type TaskOutput =
  | {
    readonly kind: "sinkFiles"; readonly basePath: string; readonly format: string; readonly partitionBy: readonly string[]; readonly options: Readonly<Record<string, string>>; readonly timeZone: string;
    /** Set when the sink is on object storage: the task writes there with these settings. */
    readonly s3?: S3Config;
  }
  | { readonly kind: "batches" };

/** One group of a task's partial aggregation: its key, grouping values, aggregation buffers and input rows. */
export interface PartialGroup {
  readonly key: string;
  readonly keys: unknown[];
  readonly buffers: unknown[];
  readonly rows: number;
}

export interface TaskSpec {
  /** The plan with its one streaming relation replaced by an empty local relation, filled in by the worker. */
  readonly plan: LogicalPlan;
  readonly input: InputPartition;
  readonly partIndex: number;
  readonly evalCtx: { readonly timeZone: string; readonly ansi: boolean; readonly currentTimestampMicros: number };
  readonly output: TaskOutput;
  /** The plan is an Aggregate over the fragment: return its groups' partial buffers instead of rows. */
  readonly partialAggregate?: boolean;
}

export interface TaskResult {
  readonly inputRows: number;
  readonly outputRows: number;
  readonly entries: readonly SinkFileEntry[];
  readonly batches: readonly TransferredBatch[];
  readonly partials?: readonly PartialGroup[];
  /** Event times seen by each withWatermark operator of the fragment, in plan pre-order. */
  readonly watermarks: readonly EventTimeStats[];
  /** Object-storage requests the task made (counted into the query's per-batch figure). */
  readonly objectStoreRequests?: number;
}
