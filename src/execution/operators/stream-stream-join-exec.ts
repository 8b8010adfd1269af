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
import { anyNode, conjuncts, transformUp, type Expression } from "../../expressions/expression.js";
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

/**
 * One side's rows by join key, in its partitioned state: one row kept as itself, several as a list. Within a batch,
 * a key's rows are copied once on first touch (the committed version stays intact if the batch fails), so every
 * change to a row's matched flag lands on the one copy that is written back.
 */
class SideState extends PartitionedState {
  private working = new Map<string, Kept[]>();
  static list(v: unknown): Kept[] { return v === undefined ? [] : Array.isArray(v) ? v as Kept[] : [v as Kept]; }
  /** The batch's working list of a key's rows (copied from the loaded version on first touch). */
  rows(key: string): Kept[] {
    let w = this.working.get(key);
    if (w === undefined) { w = SideState.list(this.get(key)).map((k) => ({ row: k.row, matched: k.matched })); this.working.set(key, w); }
    return w;
  }
  /** Writes the working lists back into the stores (before eviction and commit). */
  flush(): void {
    for (const [key, rows] of this.working) this.setRows(key, rows);
    this.working = new Map();
  }
  setRows(key: string, rows: Kept[]): void { if (rows.length === 0) this.remove(key); else this.put(key, rows.length === 1 ? rows[0] : rows); }
}

/** Conjuncts of the non-equality condition: those over one side only (Spark's pre-join filters) and the rest. */
function splitResidual(residual: Expression | null, leftWidth: number, width: number): { left: Expression | null; right: Expression | null; both: Expression | null } {
  const within = (e: Expression, lo: number, hi: number): boolean => !anyNode(e, (x) => x.kind === "boundRef" && (x.ordinal < lo || x.ordinal >= hi));
  const nondeterministic = (e: Expression): boolean => anyNode(e, (x) => x.kind === "function" && ["rand", "randn", "uuid", "shuffle"].includes(x.name));
  const and = (es: Expression[]): Expression | null => es.length === 0 ? null : es.reduce((a, b) => ({ kind: "binary", op: "and", left: a, right: b }));
  const left: Expression[] = [], right: Expression[] = [], both: Expression[] = [];
  for (const c of residual === null ? [] : conjuncts(residual)) {
    if (nondeterministic(c)) both.push(c);
    else if (within(c, 0, leftWidth)) left.push(c);
    else if (within(c, leftWidth, width)) right.push(transformUp(c, (x) => (x.kind === "boundRef" ? { ...x, ordinal: x.ordinal - leftWidth } : x)));
    else both.push(c);
  }
  return { left: and(left), right: and(right), both: and(both) };
}

export class StreamStreamJoinExec implements PhysicalOperator {
  readonly name = "StreamingSymmetricHashJoin";
  readonly children: readonly PhysicalOperator[];
  private readonly leftKeys: Evaluator[];
  private readonly rightKeys: Evaluator[];
  /** Conditions over one side's row alone: a row failing its side's can never match (outer: padded at once). */
  private readonly leftFilter: Evaluator | null;
  private readonly rightFilter: Evaluator | null;
  /** The rest of the non-equality condition, evaluated on candidate pairs. */
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
    const lw = leftSchema.fields.length, width = lw + rightSchema.fields.length;
    const keys = equiKeys(condition, lw, width);
    this.leftKeys = keys.left.map((k) => compileExpression(k, ctx.evalCtx));
    this.rightKeys = keys.right.map((k) => compileExpression(k, ctx.evalCtx));
    const split = splitResidual(keys.residual, lw, width);
    const compile = (e: Expression | null): Evaluator | null => e === null ? null : compileExpression(e, ctx.evalCtx);
    this.leftFilter = compile(split.left); this.rightFilter = compile(split.right); this.residual = compile(split.both);
    this.pairSchema = structType([...leftSchema.fields, ...rightSchema.fields]);
    this.leftState = new SideState(leftProvider, numPartitions);
    this.rightState = new SideState(rightProvider, numPartitions);
  }

  /**
   * The watermark this join passes to stateful operators above it (Spark's produceOutputWatermark): no output row is
   * older than either side's state watermark, so the lowest of those and the input's.
   */
  outputWatermarkMs(inputMs: number): number {
    if (inputMs <= 0) return inputMs;
    const s = this.stateWatermarksMs(inputMs);
    return Math.min(inputMs, s.left ?? Infinity, s.right ?? Infinity);
  }

  /** Spark's state watermarks (ms): a kept row whose time is at or below its side's is removed. */
  private stateWatermarksMs(wmMs: number): { left?: number; right?: number } {
    const { lo, hi, loStrict, hiStrict, left, right, leftConstMs, rightConstMs } = this.bounds;
    const solve = (micros: number, strict: boolean | undefined): number => Math.trunc(micros / 1000) - (strict === true ? 0 : 1);
    const l = left !== undefined && hi !== undefined ? Math.min(solve(wmMs * 1000 - hi, hiStrict), leftConstMs ?? Infinity) : undefined;
    const r = right !== undefined && lo !== undefined ? Math.min(solve(wmMs * 1000 + lo, loStrict), rightConstMs ?? Infinity) : undefined;
    return { ...(l !== undefined ? { left: l } : {}), ...(r !== undefined ? { right: r } : {}) };
  }

  get evictsByWatermark(): boolean { return this.bounds.hi !== undefined || this.bounds.lo !== undefined; }

  private timeOf(row: readonly unknown[], side: "left" | "right"): number | null {
    const s = this.bounds[side];
    if (s === undefined) return null;
    const v = row[s.ordinal];
    if (v === null || v === undefined) return null;
    return s.isWindow ? ((v as unknown[])[1] as number) : (v as number);
  }

  /** Keys of a batch's rows (null when a key part is null: such a row can never match under `=`), and its side filter. */
  private keyed(b: RecordBatch, evals: Evaluator[], filter: Evaluator | null): { row: unknown[]; key: string | null; pass: boolean }[] {
    const vecs = evals.map((f) => f(b));
    const fv = filter === null || b.numRows === 0 ? null : filter(b);
    const out: { row: unknown[]; key: string | null; pass: boolean }[] = [];
    for (let i = 0; i < b.numRows; i++) {
      const k = vecs.map((v) => getValue(v, i));
      out.push({ row: b.row(i), key: k.some((x) => x === null) ? null : rowKey(k), pass: fv === null || getValue(fv, i) === true });
    }
    return out;
  }

  /** Which candidate pairs satisfy the part of the condition over both sides. */
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
    const padLeft = this.joinType === "left_outer" || this.joinType === "full_outer", padRight = this.joinType === "right_outer" || this.joinType === "full_outer";
    const semi = this.joinType === "left_semi";
    const late = (row: unknown[], side: "left" | "right"): boolean => {
      const t = this.timeOf(row, side);
      if (t !== null && lateMicros > 0 && t <= lateMicros) { this.dropped++; return true; }
      return false;
    };
    let nullKeys = 0;
    // Phase 1: new left rows against the right side's state; then phase 2: new right rows against the left's, which
    // by then holds this batch's left rows, so every pair is produced once (Spark's OneSideHashJoiner).
    const phase = (rows: { row: unknown[]; key: string | null; pass: boolean }[], side: "left" | "right"): void => {
      const mine = side === "left" ? this.leftState : this.rightState, other = side === "left" ? this.rightState : this.leftState;
      const pad = side === "left" ? padLeft : padRight;
      const live = rows.filter(({ row, pass }) => {
        if (late(row, side)) return false;
        // Fails the condition over its own side: never matches; an outer side's row is emitted padded now, not kept.
        if (!pass && pad) out.push(side === "left" ? [...row, ...nullsR] : [...nullsL, ...row]);
        return pass;
      });
      const pairs: [unknown[], unknown[]][] = [];
      for (const { row, key } of live) if (key !== null) for (const o of other.rows(key)) pairs.push(side === "left" ? [row, o.row] : [o.row, row]);
      const ok = this.accept(pairs);
      let p = 0;
      for (const { row, key } of live) {
        const kept: Kept = { row, matched: false };
        if (key !== null) {
          for (const o of other.rows(key)) {
            if (!ok[p++]) continue;
            if (semi) {
              if (side === "left") kept.matched = true; // emitted once below
              else if (!o.matched) { out.push([...o.row]); o.matched = true; } // a left row only at its first match
              continue;
            }
            out.push(side === "left" ? [...row, ...o.row] : [...o.row, ...row]);
            o.matched = true; kept.matched = true;
          }
        }
        if (semi && side === "left" && kept.matched) { out.push([...row]); continue; } // matched: emitted, not kept
        // A null key never matches; kept (under a key unique to this batch and row) for outer padding at eviction.
        mine.rows(key ?? `\u0000null:${version}:${side}:${nullKeys++}`).push(kept);
      }
    };
    phase(this.keyed(L, this.leftKeys, this.leftFilter), "left");
    phase(this.keyed(R, this.rightKeys, this.rightFilter), "right");
    this.leftState.flush(); this.rightState.flush();
    if (evictMicros > 0) {
      const sw = this.stateWatermarksMs(evictMicros / 1000);
      this.evict(this.leftState, "left", sw.left === undefined ? undefined : sw.left * 1000, (row) => (padLeft ? [...row, ...nullsR] : undefined), out);
      this.evict(this.rightState, "right", sw.right === undefined ? undefined : sw.right * 1000, (row) => (padRight ? [...nullsL, ...row] : undefined), out);
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

/** The watermark (ms) an operator above `op` judges by: the batch's, lowered by the stream-stream joins below it. */
export function watermarkAbove(op: PhysicalOperator, ms: number): number {
  if (op.children.length === 0) return ms;
  const input = Math.min(...op.children.map((c) => watermarkAbove(c, ms)));
  return op instanceof StreamStreamJoinExec ? op.outputWatermarkMs(input) : input;
}
