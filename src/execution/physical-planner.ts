/** Turns a resolved logical plan into physical operators, compiling every expression once. */
import type { SortOrder } from "../expressions/expression.js";
import * as path from "node:path";
import { collectPlans, isStreaming, visitPlan, type LogicalPlan } from "../plan/logical-plan.js";
import { createStateStoreProvider } from "../state/state-store-providers.js";
import { StatefulAggregateExec } from "./operators/stateful-aggregate-exec.js";
import { TimeWindowExec } from "./operators/time-window-exec.js";
import { SessionWindowExec } from "./operators/session-window-exec.js";
import { SessionAggregateExec } from "./operators/session-aggregate-exec.js";
import { TransformWithStateExec } from "./operators/transform-with-state-exec.js";
import { StreamingLimitExec } from "./operators/streaming-limit-exec.js";
import { dataTypeOf } from "../analysis/expression-types.js";
import { HashJoinExec } from "./operators/hash-join-exec.js";
import { StreamStreamJoinExec } from "./operators/stream-stream-join-exec.js";
import { joinTimeBounds } from "../analysis/join-time-bounds.js";
import { EventTimeWatermarkExec } from "./operators/event-time-watermark-exec.js";
import { structField, structType, type StructType } from "../types/data-type.js";
import type { Attribute } from "../plan/attribute.js";
import { DeduplicateExec, StreamingDeduplicateExec } from "./operators/deduplicate-exec.js";
import { HashAggregateExec } from "./operators/hash-aggregate-exec.js";
import { aggregationLayout } from "./aggregation-layout.js";
import { FilterExec } from "./operators/filter-exec.js";
import { GenerateExec } from "./operators/generate-exec.js";
import { RepartitionExec } from "./operators/repartition-exec.js";
import { LimitExec } from "./operators/limit-exec.js";
import type { PhysicalContext, PhysicalOperator } from "./operators/physical-operator.js";
import { ProjectExec } from "./operators/project-exec.js";
import { BatchScanExec, LocalTableExec, StreamingScanExec } from "./operators/scan-exec.js";
import { SortExec } from "./operators/sort-exec.js";
import { UnionExec } from "./operators/union-exec.js";

export function schemaOf(output: readonly Attribute[]): StructType {
  return structType(output.map((a) => structField(a.name, a.dataType, a.nullable)));
}

export function planPhysical(plan: LogicalPlan, ctx: PhysicalContext): PhysicalOperator {
  let nextOperatorId = 0;
  return planNode(plan, ctx, () => nextOperatorId++);
}

function planNode(plan: LogicalPlan, ctx: PhysicalContext, operatorId: () => number): PhysicalOperator {
  const p = (x: LogicalPlan): PhysicalOperator => planNode(x, ctx, operatorId);
  return visitPlan<PhysicalOperator>(plan, {
    streamingRelation: (n) => (n.inTasks === undefined ? new StreamingScanExec(n.id, n.provider.format)
      : new StreamingScanExec(n.id, `${n.provider.format} via parallel tasks [${[...n.inTasks.operators, ...(n.inTasks.partialAggregate ? ["partial aggregate"] : [])].join(" -> ")}]`, n.inTasks.watermarkDelaysMs)),
    batchRelation: (n) => new BatchScanExec(n.scan),
    localRelation: (n) => new LocalTableExec(n.batches),
    project: (n) => new ProjectExec(p(n.child), n.exprs, schemaOf(n.output), ctx),
    filter: (n) => new FilterExec(p(n.child), n.condition, ctx),
    generate: (n) => new GenerateExec(p(n.child), n.generator, n.outer, n.input, schemaOf(n.output), n.child.output.length, ctx),
    union: (n) => new UnionExec(n.children.map(p), schemaOf(n.output)),
    repartition: (n) => new RepartitionExec(p(n.child), n.numPartitions, n.shuffle),
    limit: (n) => {
      const st = ctx.streaming;
      // After an aggregation (complete mode) the limit applies to each batch's output; on raw streams it is global.
      if (st === undefined || !isStreaming(n.child) || collectPlans(n.child, (x) => x.kind === "aggregate").length > 0) return new LimitExec(p(n.child), n.n);
      const id = operatorId();
      return new StreamingLimitExec(p(n.child), n.n, schemaOf(n.output), createStateStoreProvider(st.stateStore, st.fs, path.join(st.checkpointDir, "state", String(id))), id);
    },
    sort: (n) => new SortExec(p(n.child), n.orders as SortOrder[], schemaOf(n.output), ctx),
    subqueryAlias: (n) => p(n.child),
    deduplicate: (n) => {
      const st = ctx.streaming;
      if (st === undefined || !isStreaming(n.child)) return new DeduplicateExec(p(n.child), n.keys, schemaOf(n.output), ctx);
      const id = operatorId();
      const provider = createStateStoreProvider(st.stateStore, st.fs, path.join(st.checkpointDir, "state", String(id)));
      return new StreamingDeduplicateExec(p(n.child), n.keys, n.withinWatermark, n.child.output, schemaOf(n.output), provider, st.numShufflePartitions, id, ctx);
    },
    join: (n) => {
      const st = ctx.streaming;
      if (st !== undefined && isStreaming(n.left) && isStreaming(n.right)) {
        const id = operatorId();
        const dir = path.join(st.checkpointDir, "state", String(id));
        const bounds = joinTimeBounds(n.condition, [...n.left.output, ...n.right.output], n.left.output.length);
        return new StreamStreamJoinExec(p(n.left), p(n.right), n.joinType, n.condition, schemaOf(n.left.output), schemaOf(n.right.output), schemaOf(n.output),
          bounds, createStateStoreProvider(st.stateStore, st.fs, path.join(dir, "left")), createStateStoreProvider(st.stateStore, st.fs, path.join(dir, "right")), st.numShufflePartitions, id, ctx);
      }
      return new HashJoinExec(p(n.left), p(n.right), n.joinType, n.condition, schemaOf(n.left.output), schemaOf(n.right.output), schemaOf(n.output), ctx);
    },
    timeWindow: (n) => new TimeWindowExec(p(n.child), n.timeColumn, n.windowMicros, n.slideMicros, n.startMicros, schemaOf(n.output), ctx),
    eventTimeWatermark: (n) => new EventTimeWatermarkExec(p(n.child), n.eventTime, n.delayMs, ctx),
    transformWithState: (n) => {
      const st = ctx.streaming;
      const streaming = st !== undefined && isStreaming(n.child);
      const id = streaming ? operatorId() : -1;
      const groupingSchema = structType(n.groupings.map((g, i) => structField(g.kind === "boundRef" ? g.name : `key${i}`, dataTypeOf(g))));
      return new TransformWithStateExec(p(n.child), n.groupings, groupingSchema, schemaOf(n.child.output), schemaOf(n.output), n.processor, n.timeMode,
        streaming ? { provider: createStateStoreProvider(st.stateStore, st.fs, path.join(st.checkpointDir, "state", String(id))), numPartitions: st.numShufflePartitions } : undefined,
        id, ctx);
    },
    sessionWindow: (n) => new SessionWindowExec(p(n.child), n.timeColumn, n.gap, schemaOf(n.output), ctx),
    aggregate: (n) => {
      const st = ctx.streaming;
      const sessionIndex = n.groupings.findIndex((g) => g.kind === "boundRef" && n.child.output[g.ordinal]?.sessionWindow === true);
      if (sessionIndex >= 0) {
        const streaming = st !== undefined && isStreaming(n.child);
        const id = streaming ? operatorId() : -1;
        return new SessionAggregateExec(p(n.child), aggregationLayout(n, ctx.evalCtx.ansi), sessionIndex, schemaOf(n.output), streaming ? {
          provider: createStateStoreProvider(st.stateStore, st.fs, path.join(st.checkpointDir, "state", String(id))),
          numPartitions: st.numShufflePartitions, outputMode: st.outputMode, operatorId: id,
        } : undefined, ctx);
      }
      if (st === undefined || !isStreaming(n.child)) return new HashAggregateExec(p(n.child), aggregationLayout(n, ctx.evalCtx.ansi), schemaOf(n.output), ctx);
      const id = operatorId();
      const provider = createStateStoreProvider(st.stateStore, st.fs, path.join(st.checkpointDir, "state", String(id)));
      const partialsFrom = n.child.kind === "streamingRelation" && n.child.inTasks?.partialAggregate === true ? n.child.id : undefined;
      return new StatefulAggregateExec(p(n.child), aggregationLayout(n, ctx.evalCtx.ansi), schemaOf(n.output), provider, st.numShufflePartitions, st.outputMode, id, n.child.output, ctx, partialsFrom);
    },
  });
}

/** `explain()` text of a physical plan, one operator per line, children indented. */
export function explainPhysical(op: PhysicalOperator, indent = 0): string {
  const line = `${indent === 0 ? "" : `${" ".repeat(indent * 3 - 3)}+- `}${op.describe()}`;
  return [line, ...op.children.map((c) => explainPhysical(c, indent + 1))].join("\n");
}
