/**
 * Runs a micro-batch of a stateless query over a file source as parallel tasks on the worker pool: one task per
 * input partition (group of files); tasks write their own sink files, the driver commits them, as Spark's driver
 * commits the files its executors write. Used only for plans whose operators are all partition-local.
 */
import { fromTransfer } from "../../columnar/batch-transfer.js";
import type { EvalContext } from "../../expressions/eval-context.js";
import { collectPlans, replaceLeaves, type LogicalPlan } from "../../plan/logical-plan.js";
import { FileSink } from "../../sinks/file-sink.js";
import type { Sink } from "../../sinks/sink.js";
import type { Offset, StreamingSource } from "../../sources/streaming-source.js";
import { structType, type StructType } from "../../types/data-type.js";
import { pruneColumns } from "../../optimizer/column-pruning.js";
import type { FileInputPartition, TaskOutput } from "./task.js";
import type { WorkerPool } from "./worker-pool.js";

/** A source that can describe a batch as independent file groups. */
export interface PartitionedSource extends StreamingSource {
  planInputPartitions(start: Offset | null, end: Offset, n: number): FileInputPartition[];
}

export function isPartitionedSource(s: StreamingSource): s is PartitionedSource {
  return typeof (s as Partial<PartitionedSource>).planInputPartitions === "function";
}

const PARTITION_LOCAL = new Set(["streamingRelation", "project", "filter", "generate", "subqueryAlias"]);

/** True when every operator works row by row within a partition, with a single streaming input. */
export function isPartitionLocal(plan: LogicalPlan): boolean {
  return collectPlans(plan, () => true).every((n) => PARTITION_LOCAL.has(n.kind))
    && collectPlans(plan, (n) => n.kind === "streamingRelation").length === 1;
}

export class ParallelBatchRunner {
  private readonly taskPlan: LogicalPlan;
  /** Names of the relation's columns the query uses, when the format can read columns by name. */
  private readonly readColumns: Set<string> | undefined;
  constructor(plan: LogicalPlan, private readonly pool: WorkerPool, private readonly source: PartitionedSource,
    private readonly sink: Sink, private readonly schema: StructType, private readonly parallelism: number,
    private readonly evalCtx: EvalContext, format: string, options: Readonly<Record<string, string>>) {
    const leafless = replaceLeaves(plan, (leaf) => ({ kind: "localRelation", output: leaf.output, batches: [], isStreaming: false }));
    // Only where reading fewer fields cannot change a result: name-based formats (CSV is positional), and PERMISSIVE
    // parsing without a corrupt-record column (otherwise a bad value in an unread field would mark its record).
    const corrupt = options["columnNameOfCorruptRecord"] ?? "_corrupt_record";
    const byName = (format === "json" || format === "parquet")
      && (options["mode"] ?? "PERMISSIVE").toUpperCase() === "PERMISSIVE"
      && !collectPlans(plan, (n) => n.kind === "streamingRelation").some((n) => n.output.some((a) => a.name === corrupt));
    this.taskPlan = byName ? pruneColumns(leafless) : leafless;
    const leaf = collectPlans(this.taskPlan, (n) => n.kind === "localRelation")[0]!;
    this.readColumns = byName ? new Set(leaf.output.map((a) => a.name)) : undefined;
    pool.warm();
  }

  async runBatch(batchId: number, start: Offset | null, end: Offset): Promise<{ inputRows: number; outputRows: number }> {
    const sink = this.sink;
    if (sink instanceof FileSink && await sink.isCommitted(batchId)) return { inputRows: 0, outputRows: 0 };
    const cols = this.readColumns;
    const parts = this.source.planInputPartitions(start, end, this.parallelism).map((p) => (cols === undefined ? p : {
      ...p, schema: structType(p.schema.fields.filter((f) => cols.has(f.name))), partitionColumns: p.partitionColumns.filter((c) => cols.has(c)),
    }));
    const output: TaskOutput = sink instanceof FileSink
      ? { kind: "sinkFiles", basePath: sink.basePath, format: sink.format.name, partitionBy: sink.partitionBy, options: sink.ctx.options, timeZone: sink.ctx.timeZone }
      : { kind: "batches" };
    const { timeZone, ansi, currentTimestampMicros } = this.evalCtx;
    const results = await Promise.all(parts.map((input, partIndex) =>
      this.pool.run({ plan: this.taskPlan, input, partIndex, evalCtx: { timeZone, ansi, currentTimestampMicros }, output })));
    if (sink instanceof FileSink) await sink.commitFiles(batchId, results.flatMap((r) => r.entries));
    else await sink.addBatch(batchId, results.map((r) => fromTransfer(r.batches)), this.schema);
    return { inputRows: results.reduce((s, r) => s + r.inputRows, 0), outputRows: results.reduce((s, r) => s + r.outputRows, 0) };
  }
}
