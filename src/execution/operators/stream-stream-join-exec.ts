/**
 * Stream-stream join (Spark's symmetric hash join). Each side's rows are kept in a state store under their join key.
 * Per batch: new left rows match the right side's state; then new right rows match the left side's state, which now
 * holds this batch's left rows too, so every pair is produced exactly once. Rows are evicted when the watermark and
 * the condition's time bounds guarantee no future match; an evicted row that never matched is emitted padded with
 * nulls for the outer side of a left/right outer join.
 */
import { getValue } from "../../columnar/column-vector.js";
import { RecordBatch } from "../../columnar/record-batch.js";
import { sqlText } from "../../analysis/expression-types.js";
import type { JoinTimeBounds } from "../../analysis/join-time-bounds.js";
import type { Expression } from "../../expressions/expression.js";
import type { JoinType } from "../../plan/logical-plan.js";
import type { StateStoreProvider } from "../../state/state-store.js";
import { PartitionedState } from "../../state/partitioned-state.js";
import { structType, type StructType } from "../../types/data-type.js";
import { compileExpression, type Evaluator } from "../expression-compiler.js";
import { rowKey } from "../row-key.js";
import { equiKeys } from "./hash-join-exec.js";
import type { ExecutionInput, PhysicalContext, PhysicalOperator } from "./physical-operator.js";

/** A buffered row and whether it has matched (its event time is read from the row when evicting). */
interface Kept { readonly row: unknown[]; matched: boolean }

/** One side's rows by join key, in its partitioned state: one row kept as itself, several as a list. */
class SideState extends PartitionedState {
  static list(v: unknown): Kept[] { return v === undefined ? [] : Array.isArray(v) ? v as Kept[] : [v as Kept]; }
  rows(key: string): Kept[] { return SideState.list(this.get(key)); }
  setRows(key: string, rows: Kept[]): void { if (rows.length === 0) this.remove(key); else this.put(key, rows.length === 1 ? rows[0] : rows); }
}

export class StreamStreamJoinExec implements PhysicalOperator {
  readonly name = "StreamingSymmetricHashJoin";
  readonly children: readonly PhysicalOperator[];
  private readonly leftKeys: Evaluator[];
  private readonly rightKeys: Evaluator[];
  private readonly residual: Evaluator | null;
  private readonly leftState: SideState;
  private readonly rightState: SideState;
  private dropped = 0;
  /** Left and right columns side by side: what the condition is evaluated on (the output is left-only for semi joins). */
  private readonly pairSchema: StructType;
  constructor(readonly left: PhysicalOperator, readonly right: PhysicalOperator, readonly joinType: JoinType, readonly condition: Expression | null,
    readonly leftSchema: StructType, readonly rightSchema: StructType, readonly schema: StructType, readonly bounds: JoinTimeBounds,
    leftProvider: StateStoreProvider, rightProvider: StateStoreProvider, numPartitions: number, readonly operatorId: number, ctx: PhysicalContext) {
    this.children = [left, right];
    const lw = leftSchema.fields.length;
    const keys = equiKeys(condition, lw, lw + rightSchema.fields.length);
    this.leftKeys = keys.left.map((k) => compileExpression(k, ctx.evalCtx));
    this.rightKeys = keys.right.map((k) => compileExpression(k, ctx.evalCtx));
    this.residual = keys.residual === null ? null : compileExpression(keys.residual, ctx.evalCtx);
    this.pairSchema = structType([...leftSchema.fields, ...rightSchema.fields]);
    this.leftState = new SideState(leftProvider, numPartitions);
    this.rightState = new SideState(rightProvider, numPartitions);
  }

  get evictsByWatermark(): boolean { return this.bounds.hi !== undefined || this.bounds.lo !== undefined; }

  private timeOf(row: readonly unknown[], side: "left" | "right"): number | null {
    const s = this.bounds[side];
    if (s === undefined) return null;
    const v = row[s.ordinal];
    if (v === null || v === undefined) return null;
    return s.isWindow ? ((v as unknown[])[1] as number) : (v as number);
  }

  /** Keys of a batch's rows (null when a key part is null: such a row can never match under `=`). */
  private keyed(b: RecordBatch, evals: Evaluator[]): { row: unknown[]; key: string | null }[] {
    const vecs = evals.map((f) => f(b));
    const out: { row: unknown[]; key: string | null }[] = [];
    for (let i = 0; i < b.numRows; i++) {
      const k = vecs.map((v) => getValue(v, i));
      out.push({ row: b.row(i), key: k.some((x) => x === null) ? null : rowKey(k) });
    }
    return out;
  }

  /** Which candidate pairs satisfy the non-equality part of the condition. */
  private accept(pairs: readonly [unknown[], unknown[]][]): boolean[] {
    if (this.residual === null || pairs.length === 0) return pairs.map(() => true);
    const both = RecordBatch.fromRows(this.pairSchema, pairs.map(([l, r]) => [...l, ...r]));
    const v = this.residual(both);
    return pairs.map((_, k) => getValue(v, k) === true);
  }

  async execute(input: ExecutionInput): Promise<RecordBatch[][]> {
    const version = input.batchId;
    await this.leftState.provider.checkSchema(`left:${this.leftSchema.fields.map((f) => f.name).join(",")}`, "rows");
    await this.rightState.provider.checkSchema(`right:${this.rightSchema.fields.map((f) => f.name).join(",")}`, "rows");
    await this.leftState.load(version); await this.rightState.load(version);
    const lateMicros = (input.lateEventsWatermarkMs ?? 0) * 1000, evictMicros = (input.watermarkMs ?? 0) * 1000;
    const [lp, rp] = await Promise.all([this.left.execute(input), this.right.execute(input)]);
    const L = RecordBatch.concat(this.leftSchema, lp.flat()), R = RecordBatch.concat(this.rightSchema, rp.flat());
    const out: unknown[][] = [];
    this.dropped = 0;
    const nullsL = this.leftSchema.fields.map(() => null), nullsR = this.rightSchema.fields.map(() => null);
    const late = (row: unknown[], side: "left" | "right"): boolean => {
      const t = this.timeOf(row, side);
      if (t !== null && lateMicros > 0 && t <= lateMicros) { this.dropped++; return true; }
      return false;
    };
    // Phase 1: new left rows against the right side's state; then phase 2: new right rows against the left's.
    const phase = (rows: { row: unknown[]; key: string | null }[], side: "left" | "right"): void => {
      const mine = side === "left" ? this.leftState : this.rightState, other = side === "left" ? this.rightState : this.leftState;
      const pairs: [unknown[], unknown[]][] = [], refs: { kept: Kept; mine: Kept }[] = [];
      const added = new Map<string, Kept[]>();
      for (const { row, key } of rows) {
        if (late(row, side)) continue;
        const kept: Kept = { row, matched: false };
        if (key !== null) {
          const others = other.rows(key).map((o) => ({ ...o })); // copy on write: state of the committed version stays intact
          other.setRows(key, others);
          for (const o of others) {
            pairs.push(side === "left" ? [row, o.row] : [o.row, row]);
            refs.push({ kept: o, mine: kept });
          }
          const list = added.get(key) ?? [...mine.rows(key)];
          list.push(kept);
          added.set(key, list);
        } else {
          // Never matches; kept (under a key unique to this batch and row) for outer-join padding at eviction.
          added.set(`\u0000null:${version}:${added.size}`, [kept]);
        }
      }
      const ok = this.accept(pairs);
      pairs.forEach((p, k) => {
        if (!ok[k]) return;
        const ref = refs[k]!;
        if (this.joinType === "left_semi") {
          // A left row is emitted once, at its first match.
          const leftKept = side === "left" ? ref.mine : ref.kept;
          if (!leftKept.matched) out.push([...p[0]]);
        } else {
          out.push([...p[0], ...p[1]]);
        }
        ref.kept.matched = true; ref.mine.matched = true;
      });
      for (const [key, list] of added) mine.setRows(key, list);
    };
    phase(this.keyed(L, this.leftKeys), "left");
    phase(this.keyed(R, this.rightKeys), "right");
    if (evictMicros > 0) {
      const { lo, hi } = this.bounds;
      const padLeft = this.joinType === "left_outer" || this.joinType === "full_outer", padRight = this.joinType === "right_outer" || this.joinType === "full_outer";
      this.evict(this.leftState, "left", hi === undefined ? undefined : evictMicros - hi, (row) => (padLeft ? [...row, ...nullsR] : undefined), out);
      this.evict(this.rightState, "right", lo === undefined ? undefined : evictMicros + lo, (row) => (padRight ? [...nullsL, ...row] : undefined), out);
    }
    await this.leftState.commit(); await this.rightState.commit();
    return [[RecordBatch.fromRows(this.schema, out)]];
  }

  /** Removes rows at or before `threshold` (µs); unmatched ones become outer-join output via `pad`. */
  private evict(state: SideState, side: "left" | "right", threshold: number | undefined, pad: (row: unknown[]) => unknown[] | undefined, out: unknown[][]): void {
    if (threshold === undefined || this.bounds[side] === undefined) return;
    for (const [key, v] of state.entries()) {
      const rows = SideState.list(v);
      const keep: Kept[] = [];
      for (const r of rows) {
        const t = this.timeOf(r.row, side);
        if (t !== null && t <= threshold) {
          if (!r.matched) { const padded = pad(r.row); if (padded) out.push(padded); }
        } else keep.push(r);
      }
      if (keep.length !== rows.length) state.setRows(key, keep);
    }
  }

  async close(): Promise<void> { await this.leftState.provider.close?.(); await this.rightState.provider.close?.(); }

  stateMetrics(): { operatorName: string; numRowsDroppedByWatermark: number } & StateStoreProvider["metrics"] {
    const a = this.leftState.provider.metrics, b = this.rightState.provider.metrics;
    return {
      operatorName: "symmetricHashJoin", numRowsDroppedByWatermark: this.dropped,
      numRowsTotal: a.numRowsTotal + b.numRowsTotal, numRowsUpdated: a.numRowsUpdated + b.numRowsUpdated,
      numRowsRemoved: a.numRowsRemoved + b.numRowsRemoved, memoryUsedBytes: a.memoryUsedBytes + b.memoryUsedBytes, commitTimeMs: a.commitTimeMs + b.commitTimeMs,
    };
  }

  describe(): string { return `StreamingSymmetricHashJoin(op=${this.operatorId}) ${this.joinType}${this.condition ? ` ${sqlText(this.condition)}` : ""}`; }
}
