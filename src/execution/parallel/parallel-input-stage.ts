/**
 * The parallel input stage of a query that is not partition-local as a whole (aggregations, joins, deduplication,
 * ...): worker tasks read the batch's files and run the partition-local fragment just above the file source (parse,
 * project, filter, explode, window assignment), one task per input partition; the driver runs the rest of the plan,
 * the stateful operators with their state among it, over the batches the tasks return.
 *
 *     Aggregate                              driver
 *       EventTimeWatermark                   driver
 *         Project [a, b]         ─┐
 *           Filter (c > 0)        ├ tasks     (the fragment)
 *             FileScan json      ─┘
 */
import { fromTransfer } from "../../columnar/batch-transfer.js";
import type { RecordBatch } from "../../columnar/record-batch.js";
import type { EvalContext } from "../../expressions/eval-context.js";
import { pruneColumns } from "../../optimizer/column-pruning.js";
import { collectPlans, planChildren, transformPlanDown, type LogicalPlan, type StreamingRelation } from "../../plan/logical-plan.js";
import type { Offset } from "../../sources/streaming-source.js";
import { combineEventTimes } from "../operators/event-time-watermark-exec.js";
import type { TaskData } from "../operators/physical-operator.js";
import { TaskFragment, canPruneFileColumns, type PartitionedSource } from "./task-fragment.js";
import type { WorkerPool } from "./worker-pool.js";

const FRAGMENT_NODES = new Set(["streamingRelation", "project", "filter", "generate", "subqueryAlias", "timeWindow", "eventTimeWatermark"]);

function isFragment(p: LogicalPlan): boolean {
  const nodes = collectPlans(p, () => true);
  return nodes.every((n) => FRAGMENT_NODES.has(n.kind)) && nodes.filter((n) => n.kind === "streamingRelation").length === 1;
}

export class ParallelInputStage {
  constructor(private readonly fragment: TaskFragment, private readonly partialAggregate: boolean, private readonly pool: WorkerPool,
    private readonly source: PartitionedSource, readonly sourceIndex: number, private readonly parallelism: number, private readonly evalCtx: EvalContext) {
    pool.warm();
  }

  /**
   * Splits `plan` (one streaming relation, over `source`) into the fragment the tasks run and the plan the driver
   * runs, in which the fragment is replaced by a streaming relation producing the fragment's output. When the node
   * above the fragment is a streaming aggregation, the tasks also aggregate partially (Spark's partial aggregate
   * before the shuffle) and the driver merges their groups into the state.
   */
  static split(plan: LogicalPlan, pool: WorkerPool, source: PartitionedSource, parallelism: number, evalCtx: EvalContext)
    : { stage: ParallelInputStage; driverPlan: LogicalPlan } {
    const relation = collectPlans(plan, (n) => n.kind === "streamingRelation")[0] as StreamingRelation;
    const { format, options } = relation.provider;
    const prune = canPruneFileColumns(plan, format, options);
    // Prune the whole plan first, so the fragment returns only the columns something above it uses.
    const pruned = pruneColumns(plan, (leaf) => !prune || leaf.kind !== "streamingRelation");
    const fragment = collectPlans(pruned, isFragment)[0]!; // pre-order: the highest such subtree
    const parent = collectPlans(pruned, (n) => planChildren(n).includes(fragment))[0];
    const partialAggregate = parent?.kind === "aggregate";
    const inTasks = {
      operators: collectPlans(fragment, () => true).map((x) => x.kind).reverse(),
      watermarkDelaysMs: collectPlans(fragment, (n) => n.kind === "eventTimeWatermark").map((n) => (n.kind === "eventTimeWatermark" ? n.delayMs : 0)),
      partialAggregate,
    };
    const driverPlan = transformPlanDown(pruned, (n) => (n === fragment ? { ...relation, output: fragment.output, inTasks } : undefined));
    const taskPlan = partialAggregate ? parent : fragment;
    return { stage: new ParallelInputStage(new TaskFragment(taskPlan, prune), partialAggregate, pool, source, relation.id, parallelism, evalCtx), driverPlan };
  }

  /** Runs the tasks over the batch's files; their rows (or partial groups) in file order, one partition per task. */
  async read(start: Offset | null, end: Offset): Promise<{ partitions: RecordBatch[][]; inputRows: number; data: TaskData }> {
    const { timeZone, ansi, currentTimestampMicros } = this.evalCtx;
    const results = await Promise.all((await this.fragment.inputs(this.source, start, end, this.parallelism)).map((input, partIndex) =>
      this.pool.run({ plan: this.fragment.plan, input, partIndex, evalCtx: { timeZone, ansi, currentTimestampMicros }, output: { kind: "batches" }, partialAggregate: this.partialAggregate })));
    const watermarks = results[0]?.watermarks.map((_, i) => combineEventTimes(results.map((r) => r.watermarks[i]!))) ?? [];
    return {
      partitions: results.map((r) => fromTransfer(r.batches)),
      inputRows: results.reduce((s, r) => s + r.inputRows, 0),
      data: { partials: results.map((r) => r.partials ?? []), watermarks },
    };
  }
}
