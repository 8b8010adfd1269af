/** The physical operator contract: run over partitions of record batches, no work before `execute`. */
import type { RecordBatch } from "../../columnar/record-batch.js";
import type { EvalContext } from "../../expressions/eval-context.js";
import type { FileSystem } from "../../fs/file-system.js";
import type { StateStoreConfig } from "../../state/state-store-providers.js";
import type { PartialGroup } from "../parallel/task.js";
import type { EventTimeStats } from "./event-time-watermark-exec.js";

/** Data for the leaves of one execution: per streaming relation id, the batch's partitions. */
export interface ExecutionInput {
  readonly streamData: ReadonlyMap<number, RecordBatch[][]>;
  /** The micro-batch being run (0 for batch queries); stateful operators load state version `batchId`. */
  readonly batchId: number;
  /** The event-time watermark of this batch, in milliseconds (0 until one is known): state behind it is evicted. */
  readonly watermarkMs?: number;
  /**
   * The watermark rows are judged late against: the previous batch's (Spark 3.5+'s eventTimeWatermarkForLateEvents),
   * so a row is dropped only if its group was already closed before this batch.
   */
  readonly lateEventsWatermarkMs?: number;
  /** Per streaming relation produced by parallel tasks: their partial aggregates and event-time statistics. */
  readonly taskData?: ReadonlyMap<number, TaskData>;
}

/** What the parallel tasks of an input stage return besides rows. */
export interface TaskData {
  /** Per task, in input order: the groups of its partial aggregation (when the stage aggregates partially). */
  readonly partials: readonly (readonly PartialGroup[])[];
  /** Per withWatermark operator the tasks ran, in plan pre-order: event times seen, over all tasks. */
  readonly watermarks: readonly EventTimeStats[];
}

export interface PhysicalOperator {
  readonly name: string;
  readonly children: readonly PhysicalOperator[];
  /** Produces the operator's output as partitions of batches. */
  execute(input: ExecutionInput): Promise<RecordBatch[][]>;
  /** One line for `explain()`. */
  describe(): string;
  /** Releases resources (state store files) when the query ends. */
  close?(): Promise<void>;
}

/** Closes every operator of a plan that holds resources. */
export async function closeOperators(op: PhysicalOperator): Promise<void> {
  await op.close?.();
  for (const c of op.children) await closeOperators(c);
}

export interface PhysicalContext {
  readonly evalCtx: EvalContext;
  /** Number of partitions work is split into (`local[N]`). */
  readonly parallelism: number;
  /** Present when planning a streaming query: where state lives and how it is emitted. */
  readonly streaming?: StreamingPlanContext;
}

export interface StreamingPlanContext {
  readonly fs: FileSystem;
  readonly checkpointDir: string;
  readonly outputMode: "append" | "update" | "complete";
  /** `spark.sql.shuffle.partitions` as fixed by the checkpoint. */
  readonly numShufflePartitions: number;
  /** `spark.sql.streaming.stateStore.*`: the provider and its settings. */
  readonly stateStore: StateStoreConfig;
}
