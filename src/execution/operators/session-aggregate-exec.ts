/**
 * Aggregation by session window: per group of the other keys, rows' sessions `[t, t + gap)` merge while the next
 * session starts at or before the current one's end (Spark's rule), and their aggregation buffers merge with them.
 * On a stream, each group's open sessions are kept in the state store; new rows may extend or join them; sessions the
 * watermark has passed are emitted (append mode) and dropped.
 */
import { getValue } from "../../columnar/column-vector.js";
import { RecordBatch } from "../../columnar/record-batch.js";
import { sqlText } from "../../analysis/expression-types.js";
import type { StateStoreProvider } from "../../state/state-store.js";
import { PartitionedState } from "../../state/partitioned-state.js";
import { simpleString, structType, type StructType } from "../../types/data-type.js";
import type { AggregationLayout } from "../aggregation-layout.js";
import { compileExpression, type Evaluator } from "../expression-compiler.js";
import { rowKey } from "../row-key.js";
import { watermarkAbove } from "./stream-stream-join-exec.js";
import type { ExecutionInput, PhysicalContext, PhysicalOperator } from "./physical-operator.js";

interface Session { start: number; end: number; buffers: unknown[]; changed: boolean }
interface GroupSessions { readonly keys: unknown[]; sessions: Session[] }

export class SessionAggregateExec implements PhysicalOperator {
  readonly name = "SessionAggregate";
  readonly children: readonly PhysicalOperator[];
  private readonly groupEvals: Evaluator[];
  private readonly argEvals: Evaluator[][];
  private readonly results: Evaluator[];
  private dropped = 0;
  constructor(readonly child: PhysicalOperator, readonly layout: AggregationLayout, readonly sessionIndex: number, readonly schema: StructType,
    readonly streaming: { provider: StateStoreProvider; numPartitions: number; outputMode: "append" | "update" | "complete"; operatorId: number } | undefined,
    ctx: PhysicalContext) {
    this.children = [child];
    this.groupEvals = layout.groupings.map((g) => compileExpression(g, ctx.evalCtx));
    this.argEvals = layout.calls.map((c) => c.call.args.map((a) => compileExpression(a, ctx.evalCtx)));
    this.results = layout.results.map((e) => compileExpression(e, ctx.evalCtx));
  }

  get evictsByWatermark(): boolean { return this.streaming !== undefined && this.streaming.outputMode !== "complete"; }

  private init(): unknown[] { return this.layout.calls.map((c) => c.fn.init()); }

  /** Sorts and merges sessions in place of `sessions` (start at or before the current end joins it). */
  private merge(sessions: Session[]): Session[] {
    sessions.sort((a, b) => a.start - b.start);
    const out: Session[] = [];
    for (const s of sessions) {
      const cur = out[out.length - 1];
      if (cur !== undefined && s.start <= cur.end) {
        cur.end = Math.max(cur.end, s.end);
        cur.buffers = cur.buffers.map((b, k) => this.layout.calls[k]!.fn.merge(b, s.buffers[k]));
        cur.changed = cur.changed || s.changed;
      } else out.push({ ...s });
    }
    return out;
  }

  async execute(input: ExecutionInput): Promise<RecordBatch[][]> {
    const st = this.streaming;
    const state = st && new PartitionedState(st.provider, st.numPartitions);
    if (st && state) {
      const fields = this.layout.intermediate.fields, g = this.layout.groupings.length;
      await st.provider.checkSchema(simpleString(structType(fields.slice(0, g))), simpleString(structType(fields.slice(g))));
      await state.load(input.batchId);
    }
    const lateMicros = watermarkAbove(this.child, input.lateEventsWatermarkMs ?? 0) * 1000, evictMicros = watermarkAbove(this.child, input.watermarkMs ?? 0) * 1000;
    const groups = new Map<string, GroupSessions>();
    this.dropped = 0;
    for (const part of await this.child.execute(input)) for (const b of part) {
      const gv = this.groupEvals.map((f) => f(b)), av = this.argEvals.map((fs) => fs.map((f) => f(b)));
      for (let i = 0; i < b.numRows; i++) {
        const keys = gv.map((v) => getValue(v, i));
        const [start, end] = keys[this.sessionIndex] as [number, number];
        if (st && lateMicros > 0 && end <= lateMicros) { this.dropped++; continue; }
        keys[this.sessionIndex] = null;
        const k = rowKey(keys);
        let grp = groups.get(k);
        if (grp === undefined) {
          const saved = state?.get(k) as GroupSessions | undefined;
          grp = saved === undefined ? { keys, sessions: [] } : structuredClone(saved);
          for (const s of grp.sessions) s.changed = false;
          groups.set(k, grp);
        }
        const buffers = this.init().map((buf, c) => this.layout.calls[c]!.fn.update(buf, av[c]!.map((v) => getValue(v, i))));
        grp.sessions.push({ start, end, buffers, changed: true });
      }
    }
    const emitted: { keys: unknown[]; s: Session }[] = [];
    for (const [k, grp] of groups) {
      grp.sessions = this.merge(grp.sessions);
      if (st === undefined || st.outputMode === "update") for (const s of grp.sessions) if (s.changed || st === undefined) emitted.push({ keys: grp.keys, s });
      state?.put(k, grp);
    }
    if (st && state && evictMicros > 0 && st.outputMode !== "complete") {
      for (const [k, v] of state.entries()) {
        const grp = v as GroupSessions;
        const open = grp.sessions.filter((s) => s.end > evictMicros);
        if (st.outputMode === "append") for (const s of grp.sessions) if (s.end <= evictMicros) emitted.push({ keys: grp.keys, s });
        if (open.length === 0) state.remove(k); else if (open.length !== grp.sessions.length) state.put(k, { ...grp, sessions: open });
      }
    }
    if (st?.outputMode === "complete" && state) for (const [, v] of state.entries()) for (const s of (v as GroupSessions).sessions) emitted.push({ keys: (v as GroupSessions).keys, s });
    await state?.commit();
    const rows = emitted.map(({ keys, s }) => {
      const full = [...keys];
      full[this.sessionIndex] = [s.start, s.end];
      return [...full, ...s.buffers.map((b, c) => this.layout.calls[c]!.fn.finish(b))];
    });
    const intermediate = RecordBatch.fromRows(this.layout.intermediate, rows);
    return [[new RecordBatch(this.schema, this.results.map((f) => f(intermediate)), intermediate.numRows)]];
  }

  async close(): Promise<void> { await this.streaming?.provider.close?.(); }

  stateMetrics(): ({ operatorName: string; numRowsDroppedByWatermark: number } & StateStoreProvider["metrics"]) | undefined {
    return this.streaming && { operatorName: "sessionWindowStateStoreSaveExec", ...this.streaming.provider.metrics, numRowsDroppedByWatermark: this.dropped };
  }

  describe(): string {
    return `SessionAggregate(keys=[${this.layout.groupings.map((g) => sqlText(g)).join(", ")}], functions=[${this.layout.calls.map((c) => sqlText(c.call)).join(", ")}])`;
  }
}
