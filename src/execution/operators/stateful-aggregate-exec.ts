/**
 * Streaming aggregation (Spark's StateStoreRestore/Save around an aggregate): each micro-batch folds its rows into
 * the groups kept in the state store, partitioned by key hash over the checkpoint's shuffle partitions, then emits
 * every group (complete mode) or the groups this batch changed (update mode), and commits the next state version.
 * A group's state value is its aggregation buffers alone; its grouping values are decoded from its key when needed.
 */
import { RecordBatch } from "../../columnar/record-batch.js";
import { sqlText } from "../../analysis/expression-types.js";
import type { StateStoreProvider } from "../../state/state-store.js";
import { PartitionedState } from "../../state/partitioned-state.js";
import { simpleString, structType, type StructType } from "../../types/data-type.js";
import type { Attribute } from "../../plan/attribute.js";
import { dataTypeOf } from "../../analysis/expression-types.js";
import type { AggregationLayout } from "../aggregation-layout.js";
import { compileExpression, type Evaluator } from "../expression-compiler.js";
import { decodeRowKey } from "../row-key.js";
import { watermarkAbove } from "./stream-stream-join-exec.js";
import { AggregationUpdater, type GroupState } from "./hash-aggregate-exec.js";
import type { ExecutionInput, PhysicalContext, PhysicalOperator } from "./physical-operator.js";

export class StatefulAggregateExec implements PhysicalOperator {
  readonly name = "StatefulAggregate";
  readonly children: readonly PhysicalOperator[];
  private readonly updater: AggregationUpdater;
  private readonly results: Evaluator[];
  /** Position of the event-time grouping key (a window or a watermarked timestamp), if any. */
  private readonly eventKey: { index: number; isWindow: boolean } | undefined;
  private droppedByWatermark = 0;
  constructor(readonly child: PhysicalOperator, readonly layout: AggregationLayout, readonly schema: StructType,
    readonly provider: StateStoreProvider, readonly numPartitions: number, readonly outputMode: "append" | "update" | "complete",
    readonly operatorId: number, childOutput: readonly Attribute[], ctx: PhysicalContext,
    /** The streaming relation whose parallel tasks aggregate partially: merge their groups instead of folding rows. */
    readonly partialsFrom?: number) {
    this.children = [child];
    this.updater = new AggregationUpdater(layout, ctx);
    this.results = layout.results.map((e) => compileExpression(e, ctx.evalCtx));
    const index = layout.groupings.findIndex((g) => g.kind === "boundRef" && childOutput[g.ordinal]?.watermarkDelayMs !== undefined);
    this.eventKey = index < 0 ? undefined : { index, isWindow: dataTypeOf(layout.groupings[index]!).kind === "struct" };
  }

  /** Whether a moved watermark can close this operator's state (the engine then runs no-data batches). */
  get evictsByWatermark(): boolean { return this.eventKey !== undefined && this.outputMode !== "complete"; }

  /** Event time (µs) of a group key: the window's end, or the watermarked timestamp itself. */
  private eventTimeOf(keys: readonly unknown[]): number | null {
    const v = keys[this.eventKey!.index];
    if (v === null || v === undefined) return null;
    return this.eventKey!.isWindow ? ((v as unknown[])[1] as number) : (v as number);
  }

  async execute(input: ExecutionInput): Promise<RecordBatch[][]> {
    const version = input.batchId; // the state after batch batchId - 1
    const fields = this.layout.intermediate.fields;
    const g = this.layout.groupings.length;
    await this.provider.checkSchema(simpleString(structType(fields.slice(0, g))), simpleString(structType(fields.slice(g))));
    const state = new PartitionedState(this.provider, this.numPartitions);
    await state.load(version);
    const touched = new Map<string, GroupState>();
    const watermarkMicros = watermarkAbove(this.child, input.watermarkMs ?? 0) * 1000;
    const lateMicros = watermarkAbove(this.child, input.lateEventsWatermarkMs ?? 0) * 1000;
    const usesWatermark = this.eventKey !== undefined && watermarkMicros > 0;
    this.droppedByWatermark = 0;
    const lookup = (key: string, keys: unknown[]): GroupState | undefined => {
      let s = touched.get(key);
      if (s !== undefined) return s;
      if (this.eventKey !== undefined && lateMicros > 0) {
        const t = this.eventTimeOf(keys);
        // Late: at or behind the previous batch's watermark, so its group has already been closed.
        if (t !== null && t <= lateMicros) return undefined;
      }
      const committed = state.get(key) as unknown[] | undefined;
      // Copy on first touch: buffers of the committed version must not change if this batch fails.
      s = committed === undefined ? this.updater.initial(keys) : { keys: [...keys], buffers: structuredClone(committed) };
      touched.set(key, s);
      return s;
    };
    const countLate = { rows: 0 };
    const parts = await this.child.execute(input);
    if (this.partialsFrom === undefined) for (const part of parts) for (const b of part) this.updater.update(b, lookup, undefined, countLate);
    else {
      const calls = this.layout.calls;
      for (const task of input.taskData?.get(this.partialsFrom)?.partials ?? []) for (const g of task) {
        const s = lookup(g.key, g.keys);
        if (s === undefined) { countLate.rows += g.rows; continue; }
        for (let c = 0; c < calls.length; c++) s.buffers[c] = calls[c]!.fn.merge(s.buffers[c], g.buffers[c]);
      }
    }
    this.droppedByWatermark = countLate.rows;
    // Without grouping keys there is one group, input or not: Spark's aggregate yields its initial buffers over no
    // rows, so every batch updates (and, in complete mode, outputs) the one global row.
    if (g === 0) lookup("", []); // the key AggregationUpdater gives the one group without keys
    for (const [key, s] of touched) state.put(key, s.buffers);
    const group = (key: string, buffers: unknown): GroupState => touched.get(key) ?? { keys: decodeRowKey(key), buffers: buffers as unknown[] };
    let emitted: GroupState[];
    if (this.outputMode === "complete") {
      emitted = [];
      for (const [key, v] of state.entries()) emitted.push(group(key, v));
    } else if (this.outputMode === "update") {
      emitted = [...touched.values()];
    } else {
      emitted = []; // append: only groups the watermark has closed
    }
    if (usesWatermark && this.outputMode !== "complete") {
      // Evict (and, in append mode, emit) every group whose event time the watermark has passed.
      for (const [key, v] of state.entries()) {
        const g = group(key, v);
        const t = this.eventTimeOf(g.keys);
        if (t !== null && t <= watermarkMicros) {
          if (this.outputMode === "append") emitted.push(g);
          state.remove(key);
        }
      }
    }
    const out = this.project(this.updater.finish(emitted));
    await state.commit();
    return [[out]];
  }

  private project(intermediate: RecordBatch): RecordBatch {
    return new RecordBatch(this.schema, this.results.map((f) => f(intermediate)), intermediate.numRows);
  }

  async close(): Promise<void> { await this.provider.close?.(); }

  stateMetrics(): { operatorName: string; numRowsDroppedByWatermark: number } & StateStoreProvider["metrics"] {
    return { operatorName: "stateStoreSave", ...this.provider.metrics, numRowsDroppedByWatermark: this.droppedByWatermark };
  }

  describe(): string {
    return `StatefulAggregate(op=${this.operatorId}, mode=${this.outputMode},${this.partialsFrom === undefined ? "" : " merging partial aggregates,"} keys=[${this.layout.groupings.map((g) => sqlText(g)).join(", ")}], functions=[${this.layout.calls.map((c) => sqlText(c.call)).join(", ")}])`;
  }
}
