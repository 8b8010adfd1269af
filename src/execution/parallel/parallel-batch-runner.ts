/**
 * Runs a micro-batch of a stateless query over a file source as parallel tasks on the worker pool: one task per
 * input partition (group of files); tasks write their own sink files, the driver commits them, as Spark's driver
 * commits the files its executors write. Used only for plans whose operators are all partition-local.
 */
import { fromTransfer } from "../../columnar/batch-transfer.js";
import type { EvalContext } from "../../expressions/eval-context.js";
import { collectPlans, type LogicalPlan } from "../../plan/logical-plan.js";
import { FileSink } from "../../sinks/file-sink.js";
import { S3FileSystem } from "../../fs/s3-file-system.js";
import type { Sink } from "../../sinks/sink.js";
import type { Offset } from "../../sources/streaming-source.js";
import type { StructType } from "../../types/data-type.js";
import { TaskFragment, canPruneFileColumns, type PartitionedSource } from "./task-fragment.js";
import type { TaskOutput } from "./task.js";
import type { WorkerPool } from "./worker-pool.js";

const PARTITION_LOCAL = new Set(["streamingRelation", "project", "filter", "generate", "subqueryAlias"]);

/** True when every operator works row by row within a partition, with a single streaming input. */
export function isPartitionLocal(plan: LogicalPlan): boolean {
  return collectPlans(plan, () => true).every((n) => PARTITION_LOCAL.has(n.kind))
    && collectPlans(plan, (n) => n.kind === "streamingRelation").length === 1;
}

export class ParallelBatchRunner {
  private readonly fragment: TaskFragment;
  constructor(plan: LogicalPlan, private readonly pool: WorkerPool, private readonly source: PartitionedSource,
    private readonly sink: Sink, private readonly schema: StructType, private readonly parallelism: number,
    private readonly evalCtx: EvalContext, format: string, options: Readonly<Record<string, string>>) {
    this.fragment = new TaskFragment(plan, canPruneFileColumns(plan, format, options));
    pool.warm();
  }

  async runBatch(batchId: number, start: Offset | null, end: Offset): Promise<{ inputRows: number; outputRows: number }> {
    const sink = this.sink;
    if (sink instanceof FileSink && await sink.isCommitted(batchId)) return { inputRows: 0, outputRows: 0 };
    const parts = (await this.fragment.inputs(this.source, start, end, this.parallelism));
    const output: TaskOutput = sink instanceof FileSink
      ? { kind: "sinkFiles", basePath: sink.basePath, format: sink.format.name, partitionBy: sink.partitionBy, options: sink.ctx.options, timeZone: sink.ctx.timeZone, ...(sink.fs instanceof S3FileSystem ? { s3: sink.fs.config } : {}) }
      : { kind: "batches" };
    const { timeZone, ansi, currentTimestampMicros } = this.evalCtx;
    const results = await Promise.all(parts.map((input, partIndex) =>
      this.pool.run({ plan: this.fragment.plan, input, partIndex, evalCtx: { timeZone, ansi, currentTimestampMicros }, output })));
    if (sink instanceof FileSink && sink.fs instanceof S3FileSystem) sink.fs.countRequests("PUT", results.reduce((s, r) => s + (r.objectStoreRequests ?? 0), 0));
    if (sink instanceof FileSink) await sink.commitFiles(batchId, results.flatMap((r) => r.entries));
    else await sink.addBatch(batchId, results.map((r) => fromTransfer(r.batches)), this.schema);
    return { inputRows: results.reduce((s, r) => s + r.inputRows, 0), outputRows: results.reduce((s, r) => s + r.outputRows, 0) };
  }
}
