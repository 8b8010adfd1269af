/**
 * Spark's UnsupportedOperationChecker: which plans may run as batch queries and which as streaming queries, in
 * which output mode. Output-mode errors carry Spark's class STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION with its
 * parameters (`outputMode`, `operation`); the checks Spark reports with a message-only class
 * (`_LEGACY_ERROR_TEMP_3102`) are STREAMING_UNSUPPORTED_OPERATION, with an `operation` parameter naming the check.
 * Order as Spark's: the output mode against the query's aggregations first, then every operator bottom-up, then
 * the chaining of stateful operators.
 */
import { AnalysisException } from "../errors/sluice-error.js";
import { anyNode } from "../expressions/expression.js";
import { joinTimeBounds } from "./join-time-bounds.js";
import { collectPlans, isStreaming, planChildren, type Aggregate, type Join, type LogicalPlan } from "../plan/logical-plan.js";

export type OutputMode = "append" | "update" | "complete";

const MODE_NAME: Readonly<Record<OutputMode, string>> = { append: "Append", update: "Update", complete: "Complete" };

function unsupported(message: string, operation: string): AnalysisException {
  return new AnalysisException("STREAMING_UNSUPPORTED_OPERATION", message, { params: { operation } });
}

/** Spark's STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION, with its parameters. */
function outputModeUnsupported(outputMode: OutputMode, operation: string): AnalysisException {
  return new AnalysisException("STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION",
    `Invalid streaming output mode: ${outputMode}. This output mode is not supported for ${operation} on streaming DataFrames/DataSets.`,
    { params: { outputMode, operation } });
}

/** A batch action (`collect`, `count`, `show`, `write`) on a plan with streaming sources. */
export function checkForBatch(plan: LogicalPlan): void {
  if (isStreaming(plan)) {
    throw unsupported("Queries with streaming sources must be executed with writeStream.start(); use writeStream with a sink (for example format(\"memory\") or foreachBatch) to run it.", "batchAction");
  }
}

const JOIN_NAME = { inner: "Inner", cross: "Cross", left_outer: "LeftOuter", right_outer: "RightOuter", full_outer: "FullOuter", left_semi: "LeftSemi", left_anti: "LeftAnti" } as const;

/** Every node, children before parents (Spark's foreachUp). */
function postOrder(p: LogicalPlan, out: LogicalPlan[] = []): LogicalPlan[] {
  for (const c of planChildren(p)) postOrder(c, out);
  out.push(p);
  return out;
}

const streamingAggregates = (p: LogicalPlan): Aggregate[] => collectPlans(p, (n) => n.kind === "aggregate" && isStreaming(n.child)) as Aggregate[];

/** Stateful operators whose output may be late for a stateful operator above them (Spark's global watermark limit). */
function isStateful(p: LogicalPlan): boolean {
  if (!isStreaming(p)) return false;
  switch (p.kind) {
    case "aggregate": case "transformWithState": return true;
    case "join": return isStreaming(p.left) && isStreaming(p.right);
    case "deduplicate": return p.withinWatermark || p.keys.some((k) => anyNode(k, (x) => x.kind === "boundRef" && p.child.output[x.ordinal]?.watermarkDelayMs !== undefined));
    default: return false;
  }
}

function checkStreamStreamJoinWatermark(node: Join): void {
  const t = node.joinType, name = JOIN_NAME[t];
  const b = joinTimeBounds(node.condition, [...node.left.output, ...node.right.output], node.left.output.length);
  const leftBounded = b.left !== undefined && b.hi !== undefined, rightBounded = b.right !== undefined && b.lo !== undefined;
  const ok = t === "left_outer" || t === "left_semi" ? leftBounded : t === "right_outer" ? rightBounded : leftBounded || rightBounded;
  if (!ok) {
    throw unsupported(`Stream-stream ${name} join between two streaming DataFrame/Datasets is not supported without a watermark in the join keys, or a watermark on the nullable side and an appropriate range condition.`, "join");
  }
}

function checkJoin(node: Join, outputMode: OutputMode): void {
  const ls = isStreaming(node.left), rs = isStreaming(node.right), t = node.joinType, name = JOIN_NAME[t];
  if (ls && rs && outputMode !== "append") {
    if (t === "inner" || t === "cross") {
      if (outputMode === "complete") throw unsupported(`${name} join between two streaming DataFrames/Datasets is not supported in Complete output mode, only in Append and Update output modes.`, "streamStreamJoinMode");
    } else {
      throw unsupported(`${name} join between two streaming DataFrames/Datasets is not supported in ${MODE_NAME[outputMode]} output mode, only in Append output mode.`, "streamStreamJoinMode");
    }
  }
  switch (t) {
    case "inner": case "cross":
      // Spark rejects a stream-stream join without an equality predicate when it plans the query.
      if (ls && rs && t === "cross") throw unsupported("Stream-stream join without equality predicate is not supported.", "join");
      return;
    case "full_outer":
      if (ls && !rs) throw unsupported("FullOuter joins with streaming DataFrames/Datasets on the left and a static DataFrame/Dataset on the right is not supported.", "join");
      if (!ls && rs) throw unsupported("FullOuter joins with streaming DataFrames/Datasets on the right and a static DataFrame/Dataset on the left is not supported.", "join");
      if (ls && rs) checkStreamStreamJoinWatermark(node);
      return;
    case "left_anti":
      if (rs) throw unsupported("LeftAnti joins with a streaming DataFrame/Dataset on the right are not supported.", "join");
      return;
    case "left_outer": case "left_semi":
      if (!ls && rs) throw unsupported(`${name} join with a streaming DataFrame/Dataset on the right and a static DataFrame/Dataset on the left is not supported.`, "join");
      if (ls && rs) checkStreamStreamJoinWatermark(node);
      return;
    case "right_outer":
      if (ls && !rs) throw unsupported("RightOuter join with a streaming DataFrame/Dataset on the left and a static DataFrame/DataSet on the right not supported.", "join");
      if (ls && rs) checkStreamStreamJoinWatermark(node);
      return;
  }
}

/** Checks a streaming plan and its output mode when `start()` is called. */
export function checkForStreaming(plan: LogicalPlan, outputMode: OutputMode): void {
  if (!isStreaming(plan)) {
    throw new AnalysisException("WRITE_STREAM_NOT_ALLOWED", "'writeStream' can be called only on streaming Dataset/DataFrame; use 'write' for a batch DataFrame.", {});
  }
  const aggregates = streamingAggregates(plan);
  const head = aggregates[0];
  if (head !== undefined && outputMode === "append") {
    // A group can be appended once the watermark closes it: one grouping key must carry the watermark.
    const watermarked = head.groupings.some((g) => g.kind === "boundRef" && head.child.output[g.ordinal]?.watermarkDelayMs !== undefined);
    if (!watermarked) throw outputModeUnsupported(outputMode, "streaming aggregations without watermark");
  }
  if (head !== undefined && outputMode === "update") {
    if (head.groupings.some((g) => g.kind === "boundRef" && head.child.output[g.ordinal]?.sessionWindow === true)) {
      throw outputModeUnsupported(outputMode, "session window streaming aggregations");
    }
  }
  if (head === undefined && outputMode === "complete") throw outputModeUnsupported(outputMode, "no streaming aggregations");

  // A subplan holds complete data when it reads no stream, or aggregates in complete mode.
  const containsCompleteData = (p: LogicalPlan): boolean => !isStreaming(p) || (streamingAggregates(p).length > 0 && outputMode === "complete");
  for (const node of postOrder(plan)) {
    switch (node.kind) {
      case "aggregate":
        if (isStreaming(node.child) && node.aggregates.some((e) => anyNode(e, (x) => x.kind === "function" && x.distinct && x.name !== "approx_count_distinct"))) {
          throw unsupported("Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider using approx_count_distinct() instead.", "distinctAggregate");
        }
        break;
      case "join": checkJoin(node, outputMode); break;
      case "deduplicate":
        if (node.withinWatermark && isStreaming(node.child) && !node.child.output.some((a) => a.watermarkDelayMs !== undefined)) {
          throw unsupported("dropDuplicatesWithinWatermark is not supported on streaming DataFrames/DataSets without watermark.", "dropDuplicatesWithinWatermark");
        }
        break;
      case "union": {
        const kinds = new Set(node.children.map(isStreaming));
        if (kinds.size === 2) throw unsupported("Union between streaming and batch DataFrames/Datasets is not supported.", "union");
        break;
      }
      case "limit":
        if (isStreaming(node.child) && outputMode === "update") throw unsupported("Limits are not supported on streaming DataFrames/Datasets in Update output mode.", "limit");
        break;
      case "sort":
        if (!containsCompleteData(node)) {
          throw unsupported("Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated DataFrame/Dataset in Complete output mode.", "sort");
        }
        break;
      default: break;
    }
  }

  // Stateful operators chained on one stream (Spark's global watermark limit and the operators Sluice runs once).
  for (const node of collectPlans(plan, isStateful)) {
    const below = planChildren(node).flatMap((c) => collectPlans(c, (p) => p.kind === "aggregate" && isStreaming(p)));
    if (below.length > 0) {
      if (outputMode !== "append") {
        throw unsupported("Detected pattern of possible 'correctness' issue due to global watermark. The query contains stateful operation which can emit rows older than the current watermark plus allowed late record delay, which are \"late rows\" in downstream stateful operations and these rows can be discarded.", "multipleStatefulOperators");
      }
      if (node.kind === "aggregate") throw unsupported("Multiple streaming aggregations are not supported with streaming DataFrames/Datasets.", "multipleAggregations");
    }
  }
}
