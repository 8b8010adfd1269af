/**
 * Deduplication: over a static input, the first row of each key; over a stream, the first row of each key across
 * batches, remembered in the state store (and forgotten once the watermark passes the key's event time, when an
 * event-time column is a key, or its event time + delay for dropDuplicatesWithinWatermark).
 */
import { getValue } from "../../columnar/column-vector.js";
import { RecordBatch } from "../../columnar/record-batch.js";
import { dataTypeOf, sqlText } from "../../analysis/expression-types.js";
import type { Expression } from "../../expressions/expression.js";
import type { Attribute } from "../../plan/attribute.js";
import type { StateStoreProvider } from "../../state/state-store.js";
import { PartitionedState } from "../../state/partitioned-state.js";
import { simpleString, structField, structType, type StructType } from "../../types/data-type.js";
import { compileExpression, type Evaluator } from "../expression-compiler.js";
import { rowKey } from "../row-key.js";
import { watermarkAbove } from "./stream-stream-join-exec.js";
import type { ExecutionInput, PhysicalContext, PhysicalOperator } from "./physical-operator.js";

export class DeduplicateExec implements PhysicalOperator {
  readonly name = "Deduplicate";
  readonly children: readonly PhysicalOperator[];
  private readonly keys: Evaluator[];
  constructor(readonly child: PhysicalOperator, readonly keyExprs: readonly Expression[], readonly schema: StructType, ctx: PhysicalContext) {
    this.children = [child];
    this.keys = keyExprs.map((k) => compileExpression(k, ctx.evalCtx));
  }
  async execute(input: ExecutionInput): Promise<RecordBatch[][]> {
    const all = RecordBatch.concat(this.schema, (await this.child.execute(input)).flat());
    const kv = this.keys.map((k) => k(all));
    const seen = new Set<string>();
    const keep: number[] = [];
    const key = new Array<unknown>(kv.length);
    for (let i = 0; i < all.numRows; i++) {
      for (let k = 0; k < kv.length; k++) key[k] = getValue(kv[k]!, i);
      const s = rowKey(key);
      if (!seen.has(s)) { seen.add(s); keep.push(i); }
    }
    return [[all.take(keep)]];
  }
  describe(): string { return `Deduplicate [${this.keyExprs.map((k) => sqlText(k)).join(", ")}]`; }
}

export class StreamingDeduplicateExec implements PhysicalOperator {
  readonly name = "StreamingDeduplicate";
  readonly children: readonly PhysicalOperator[];
  private readonly keys: Evaluator[];
  /** Event-time column: a watermarked key (dropDuplicates) or the watermarked input column (within watermark). */
  private readonly eventTime: { evaluator: Evaluator; delayMs: number } | undefined;
  private droppedByWatermark = 0;
  constructor(readonly child: PhysicalOperator, readonly keyExprs: readonly Expression[], readonly withinWatermark: boolean,
    childOutput: readonly Attribute[], readonly schema: StructType, readonly provider: StateStoreProvider,
    readonly numPartitions: number, readonly operatorId: number, ctx: PhysicalContext) {
    this.children = [child];
    this.keys = keyExprs.map((k) => compileExpression(k, ctx.evalCtx));
    const candidates = withinWatermark ? childOutput.map((a, i) => ({ a, i })) : keyExprs.flatMap((k) => (k.kind === "boundRef" ? [{ a: childOutput[k.ordinal]!, i: k.ordinal }] : []));
    const marked = candidates.find(({ a }) => a.watermarkDelayMs !== undefined);
    this.eventTime = marked === undefined ? undefined : {
      evaluator: compileExpression({ kind: "boundRef", ordinal: marked.i, name: marked.a.name, dataType: marked.a.dataType, nullable: true, attrId: marked.a.id }, ctx.evalCtx),
      delayMs: withinWatermark ? marked.a.watermarkDelayMs! : 0,
    };
  }

  get evictsByWatermark(): boolean { return this.eventTime !== undefined; }

  async execute(input: ExecutionInput): Promise<RecordBatch[][]> {
    const keySchema = structType(this.keyExprs.map((k) => structField(sqlText(k), dataTypeOf(k))));
    await this.provider.checkSchema(simpleString(keySchema), this.withinWatermark ? "struct<expiresAtMicros:bigint>" : "struct<eventTimeMicros:bigint>");
    const state = new PartitionedState(this.provider, this.numPartitions);
    await state.load(input.batchId);
    const lateMicros = watermarkAbove(this.child, input.lateEventsWatermarkMs ?? 0) * 1000, evictMicros = watermarkAbove(this.child, input.watermarkMs ?? 0) * 1000;
    let dropped = 0;
    const out: RecordBatch[][] = [];
    const key = new Array<unknown>(this.keys.length);
    for (const part of await this.child.execute(input)) {
      const kept: RecordBatch[] = [];
      for (const b of part) {
        const kv = this.keys.map((k) => k(b));
        const tv = this.eventTime?.evaluator(b);
        const keep: number[] = [];
        for (let i = 0; i < b.numRows; i++) {
          const t = tv === undefined ? null : (getValue(tv, i) as number | null);
          if (t !== null && lateMicros > 0 && t <= lateMicros) { dropped++; continue; } // late: its key may already be forgotten
          for (let k = 0; k < kv.length; k++) key[k] = getValue(kv[k]!, i);
          const s = rowKey(key);
          if (state.get(s) !== undefined) continue;
          // Remembered until the watermark passes this event time (+ delay when within the watermark).
          state.put(s, t === null ? true : t + (this.eventTime?.delayMs ?? 0) * 1000);
          keep.push(i);
        }
        kept.push(keep.length === b.numRows ? b : b.take(keep));
      }
      out.push(kept);
    }
    if (this.eventTime !== undefined && evictMicros > 0) {
      for (const [k, v] of state.entries()) if (typeof v === "number" && v <= evictMicros) state.remove(k);
    }
    await state.commit();
    this.droppedByWatermark = dropped;
    return out;
  }

  async close(): Promise<void> { await this.provider.close?.(); }

  stateMetrics(): { operatorName: string; numRowsDroppedByWatermark: number } & StateStoreProvider["metrics"] {
    return { operatorName: this.withinWatermark ? "dedupeWithinWatermark" : "dedupe", ...this.provider.metrics, numRowsDroppedByWatermark: this.droppedByWatermark };
  }

  describe(): string {
    return `StreamingDeduplicate${this.withinWatermark ? "WithinWatermark" : ""}(op=${this.operatorId}) [${this.keyExprs.map((k) => sqlText(k)).join(", ")}]`;
  }
}
