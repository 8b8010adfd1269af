/**
 * Logical plan nodes as a discriminated union. Nodes are built resolved (the analyzer runs as each DataFrame
 * operation is called, as Spark's eager analysis does): every node knows its output attributes.
 */
import type { RecordBatch } from "../columnar/record-batch.js";
import type { Expression } from "../expressions/expression.js";
import type { BatchScan, StreamingSourceProvider } from "../sources/streaming-source.js";
import type { Attribute } from "./attribute.js";
import type { StatefulProcessor, TimeMode } from "../streaming/stateful-processor/stateful-processor.js";

/** A streaming input; replaced by the rows of one offset range in each micro-batch. */
export interface StreamingRelation {
  readonly kind: "streamingRelation"; readonly output: readonly Attribute[]; readonly provider: StreamingSourceProvider;
  /** Position among the query's sources; `sources/<index>` in the checkpoint. Assigned at start. */
  readonly id: number;
  /** Set where parallel tasks produce this relation's data (see ParallelInputStage). */
  readonly inTasks?: TaskProduced;
}
/** What the parallel tasks behind a streaming relation run and return. */
export interface TaskProduced {
  /** The operators the tasks run over the source, bottom up. */
  readonly operators: readonly string[];
  /** Delays of the withWatermark operators among them, in plan pre-order: the tasks return their event-time stats. */
  readonly watermarkDelaysMs: readonly number[];
  /** The tasks also aggregate partially for the Aggregate right above: they return groups' buffers, not rows. */
  readonly partialAggregate: boolean;
}
export interface BatchRelation { readonly kind: "batchRelation"; readonly output: readonly Attribute[]; readonly scan: BatchScan }
export interface LocalRelation {
  readonly kind: "localRelation"; readonly output: readonly Attribute[]; readonly batches: readonly RecordBatch[]; readonly isStreaming: boolean;
}
export interface Project { readonly kind: "project"; readonly output: readonly Attribute[]; readonly child: LogicalPlan; readonly exprs: readonly Expression[] }
export interface Filter { readonly kind: "filter"; readonly output: readonly Attribute[]; readonly child: LogicalPlan; readonly condition: Expression }
/** `explode(...)` and friends: each input row yields zero or more rows with the generator's columns appended. */
export interface Generate {
  readonly kind: "generate"; readonly output: readonly Attribute[]; readonly child: LogicalPlan;
  readonly generator: "explode" | "posexplode" | "inline"; readonly outer: boolean; readonly input: Expression;
}
/**
 * `window(timeColumn, windowDuration, slideDuration, startTime)`: each row gets one output row per window that
 * contains its timestamp (one for tumbling windows), with a `window` struct `<start, end>` appended.
 */
export interface TimeWindow {
  readonly kind: "timeWindow"; readonly output: readonly Attribute[]; readonly child: LogicalPlan;
  readonly timeColumn: Expression; readonly windowMicros: number; readonly slideMicros: number; readonly startMicros: number;
}
/** `session_window(timeColumn, gap)`: each row's own session `[t, t + gap)`; an aggregate over it merges sessions. */
export interface SessionWindow {
  readonly kind: "sessionWindow"; readonly output: readonly Attribute[]; readonly child: LogicalPlan;
  readonly timeColumn: Expression; readonly gap: Expression;
}
/** `withWatermark(eventTime, delay)`: marks the event-time column; the engine tracks the watermark from it. */
export interface EventTimeWatermark {
  readonly kind: "eventTimeWatermark"; readonly output: readonly Attribute[]; readonly child: LogicalPlan;
  readonly eventTime: Expression; readonly delayMs: number;
}
export type JoinType = "inner" | "cross" | "left_outer" | "right_outer" | "full_outer" | "left_semi" | "left_anti";

/**
 * A join of two inputs on `condition` (null for a cross join). Output: left then right columns (left only for semi
 * and anti joins). `using` joins (`on=["id"]`) are built as a condition plus a projection by the plan builder.
 */
export interface Join {
  readonly kind: "join"; readonly output: readonly Attribute[]; readonly left: LogicalPlan; readonly right: LogicalPlan;
  readonly joinType: JoinType; readonly condition: Expression | null;
}
/** `groupBy(keys).transformWithState(processor, outputSchema, outputMode, timeMode)`. */
export interface TransformWithState {
  readonly kind: "transformWithState"; readonly output: readonly Attribute[]; readonly child: LogicalPlan;
  readonly groupings: readonly Expression[]; readonly processor: StatefulProcessor; readonly timeMode: TimeMode;
}
export interface Union { readonly kind: "union"; readonly output: readonly Attribute[]; readonly children: readonly LogicalPlan[] }
/** `repartition(n)` (a round-robin shuffle) or `coalesce(n)` (merging neighbouring partitions): n output partitions. */
export interface Repartition { readonly kind: "repartition"; readonly output: readonly Attribute[]; readonly child: LogicalPlan; readonly numPartitions: number; readonly shuffle: boolean }
export interface Limit { readonly kind: "limit"; readonly output: readonly Attribute[]; readonly child: LogicalPlan; readonly n: number }
export interface Sort { readonly kind: "sort"; readonly output: readonly Attribute[]; readonly child: LogicalPlan; readonly orders: readonly Expression[] }
export interface SubqueryAlias { readonly kind: "subqueryAlias"; readonly output: readonly Attribute[]; readonly child: LogicalPlan; readonly alias: string }
/**
 * `dropDuplicates(keys)` (and `distinct()`, over all columns): the first row of each key. `withinWatermark` is
 * `dropDuplicatesWithinWatermark`: a key is remembered only until the watermark passes its event time + delay.
 */
export interface Deduplicate {
  readonly kind: "deduplicate"; readonly output: readonly Attribute[]; readonly child: LogicalPlan;
  readonly keys: readonly Expression[]; readonly withinWatermark: boolean;
}
/**
 * `groupBy(groupings).agg(aggregates)`: `aggregates` are the output expressions, which may hold aggregate function
 * calls and grouping expressions.
 */
export interface Aggregate {
  readonly kind: "aggregate"; readonly output: readonly Attribute[]; readonly child: LogicalPlan;
  readonly groupings: readonly Expression[]; readonly aggregates: readonly Expression[];
}

export type LogicalPlan =
  | StreamingRelation | BatchRelation | LocalRelation | Project | Filter | Generate | Union | Limit | Repartition | Sort | SubqueryAlias | Deduplicate
  | Aggregate | TimeWindow | SessionWindow | EventTimeWatermark | Join | TransformWithState;
export type LogicalPlanKind = LogicalPlan["kind"];

export type PlanVisitor<R> = { readonly [K in LogicalPlanKind]: (p: Extract<LogicalPlan, { kind: K }>) => R };

export function visitPlan<R>(p: LogicalPlan, v: PlanVisitor<R>): R {
  return (v[p.kind] as (p: LogicalPlan) => R)(p);
}

export function planChildren(p: LogicalPlan): readonly LogicalPlan[] {
  switch (p.kind) {
    case "streamingRelation": case "batchRelation": case "localRelation": return [];
    case "union": return p.children;
    case "join": return [p.left, p.right];
    default: return [p.child];
  }
}

export function isStreaming(p: LogicalPlan): boolean {
  if (p.kind === "streamingRelation") return true;
  if (p.kind === "localRelation") return p.isStreaming;
  return planChildren(p).some(isStreaming);
}

export function collectPlans(p: LogicalPlan, pred: (p: LogicalPlan) => boolean, out: LogicalPlan[] = []): LogicalPlan[] {
  if (pred(p)) out.push(p);
  for (const c of planChildren(p)) collectPlans(c, pred, out);
  return out;
}

/** Rebuilds `p` with its leaves replaced by `f` (used to swap streaming relations for one batch's data). */
export function replaceLeaves(p: LogicalPlan, f: (leaf: LogicalPlan) => LogicalPlan): LogicalPlan {
  switch (p.kind) {
    case "streamingRelation": case "batchRelation": case "localRelation": return f(p);
    case "union": return { ...p, children: p.children.map((c) => replaceLeaves(c, f)) };
    case "join": return { ...p, left: replaceLeaves(p.left, f), right: replaceLeaves(p.right, f) };
    default: return { ...p, child: replaceLeaves(p.child, f) } as LogicalPlan;
  }
}

/** Rebuilds `p` top-down: where `f` returns a plan, it replaces that node (and its subtree); elsewhere children are visited. */
export function transformPlanDown(p: LogicalPlan, f: (node: LogicalPlan) => LogicalPlan | undefined): LogicalPlan {
  const replaced = f(p);
  if (replaced !== undefined) return replaced;
  switch (p.kind) {
    case "streamingRelation": case "batchRelation": case "localRelation": return p;
    case "union": return { ...p, children: p.children.map((c) => transformPlanDown(c, f)) };
    case "join": return { ...p, left: transformPlanDown(p.left, f), right: transformPlanDown(p.right, f) };
    default: return { ...p, child: transformPlanDown(p.child, f) } as LogicalPlan;
  }
}
