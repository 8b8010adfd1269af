/** Spark's UnsupportedOperationChecker: which plans may run as batch queries and which as streaming queries. */
import { AnalysisException } from "../errors/sluice-error.js";
import { anyNode } from "../expressions/expression.js";
import { joinTimeBounds } from "./join-time-bounds.js";
import { collectPlans, isStreaming, type Aggregate, type LogicalPlan } from "../plan/logical-plan.js";

export type OutputMode = "append" | "update" | "complete";

function unsupported(message: string, operation: string): AnalysisException {
  return new AnalysisException("STREAMING_UNSUPPORTED_OPERATION", message, { params: { operation } });
}

/** A batch action (`collect`, `count`, `show`, `write`) on a plan with streaming sources. */
export function checkForBatch(plan: LogicalPlan): void {
  if (isStreaming(plan)) {
    throw unsupported("Queries with streaming sources must be executed with writeStream.start(); use writeStream with a sink (for example format(\"memory\") or foreachBatch) to run it.", "batchAction");
  }
}

/** Checks a streaming plan and its output mode when `start()` is called. */
export function checkForStreaming(plan: LogicalPlan, outputMode: OutputMode): void {
  if (!isStreaming(plan)) {
    throw new AnalysisException("WRITE_STREAM_NOT_ALLOWED", "'writeStream' can be called only on streaming Dataset/DataFrame; use 'write' for a batch DataFrame.", {});
  }
  const streamingUnder = (p: LogicalPlan): boolean => isStreaming(p);
  const aggregates = collectPlans(plan, (n) => n.kind === "aggregate" && streamingUnder(n.child)) as Aggregate[];
  const statefulProcessing = collectPlans(plan, (n) => n.kind === "transformWithState").length > 0;
  if (aggregates.length === 0 && !statefulProcessing && outputMode === "complete") {
    throw unsupported("Complete output mode not supported when there are no streaming aggregations on streaming DataFrames/Datasets.", "completeMode");
  }
  if (aggregates.length > 1) {
    throw unsupported("Multiple streaming aggregations are not supported with streaming DataFrames/Datasets.", "multipleAggregations");
  }
  const hasEventTimeKey = (a: Aggregate): boolean =>
    a.groupings.some((g) => g.kind === "boundRef" && a.child.output[g.ordinal]?.watermarkDelayMs !== undefined);
  if (aggregates.length === 1 && outputMode === "append" && !hasEventTimeKey(aggregates[0]!)) {
    throw unsupported("Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark.", "appendWithoutWatermark");
  }
  for (const a of aggregates) {
    for (const e of a.aggregates) {
      if (anyNode(e, (x) => x.kind === "function" && x.distinct && x.name !== "approx_count_distinct")) {
        throw unsupported("Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider using approx_count_distinct() instead.", "distinctAggregate");
      }
    }
  }
  for (const node of collectPlans(plan, () => true)) {
    if (node.kind === "sort" && streamingUnder(node.child)) {
      const afterAggregation = collectPlans(node.child, (n) => n.kind === "aggregate").length > 0;
      if (!afterAggregation || outputMode !== "complete") {
        throw unsupported("Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated DataFrame/Dataset in Complete output mode.", "sort");
      }
    }
    if (node.kind === "join") {
      const ls = streamingUnder(node.left), rs = streamingUnder(node.right), t = node.joinType;
      const name = ({ inner: "Inner", cross: "Cross", left_outer: "LeftOuter", right_outer: "RightOuter", full_outer: "FullOuter", left_semi: "LeftSemi", left_anti: "LeftAnti" } as const)[t];
      if (ls && !rs && (t === "right_outer" || t === "full_outer")) {
        throw unsupported(`${name} join with a streaming DataFrame/Dataset on the left and a static DataFrame/Dataset on the right is not supported.`, "join");
      }
      if (rs && !ls && (t === "left_outer" || t === "full_outer" || t === "left_semi" || t === "left_anti")) {
        throw unsupported(`${name} join with a streaming DataFrame/Dataset on the right and a static DataFrame/Dataset on the left is not supported.`, "join");
      }
      if (ls && rs) {
        if (outputMode !== "append") {
          throw unsupported("Join between two streaming DataFrames/Datasets is not supported in Update/Complete output mode, only in Append output mode.", "streamStreamJoinMode");
        }
        if (t === "left_anti" || t === "cross") {
          throw unsupported(`${name} join between two streaming DataFrames/Datasets is not supported.`, "join");
        }
        const b = joinTimeBounds(node.condition, [...node.left.output, ...node.right.output], node.left.output.length);
        const leftBounded = b.left !== undefined && b.hi !== undefined, rightBounded = b.right !== undefined && b.lo !== undefined;
        if ((t === "left_outer" || t === "full_outer") && !leftBounded || (t === "right_outer" || t === "full_outer") && !rightBounded) {
          throw unsupported(`Stream-stream ${name} join between two streaming DataFrame/Datasets is not supported without a watermark in the join keys, or a watermark on the nullable side and an appropriate range condition.`, "join");
        }
      }
    }
    if (node.kind === "transformWithState" && streamingUnder(node.child) && outputMode === "complete") {
      throw unsupported("transformWithState is not supported in Complete output mode; use Append or Update.", "transformWithState");
    }
    if (node.kind === "limit" && streamingUnder(node.child) && outputMode === "update") {
      throw unsupported("Limits are not supported on streaming DataFrames/Datasets in Update output mode.", "limit");
    }
    if (node.kind === "deduplicate" && node.withinWatermark && streamingUnder(node.child) && !node.child.output.some((a) => a.watermarkDelayMs !== undefined)) {
      throw unsupported("dropDuplicatesWithinWatermark is not supported in streaming DataFrames/DataSets without watermark: call withWatermark first.", "dropDuplicatesWithinWatermark");
    }
  }
}
