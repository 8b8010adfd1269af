/**
 * Runs a StatefulProcessor per grouping key each micro-batch: the key's rows go to `handleInputRows`, then timers
 * that expired (by the batch's processing time, or by the watermark in event-time mode) go to `handleExpiredTimer`.
 * Each key's state is one state-store entry: values, lists, maps (with TTL expiries) and timers.
 */
import { getValue } from "../../columnar/column-vector.js";
import { RecordBatch } from "../../columnar/record-batch.js";
import { sqlText } from "../../analysis/expression-types.js";
import { SluiceError } from "../../errors/sluice-error.js";
import type { Expression } from "../../expressions/expression.js";
import type { StateStoreProvider } from "../../state/state-store.js";
import { PartitionedState } from "../../state/partitioned-state.js";
import { structToRow, toInternal, type Row } from "../../types/external-value.js";
import type { StructType } from "../../types/data-type.js";
import type {
  ListState, MapState, StatefulProcessor, StatefulProcessorHandle, TTLConfig, TimeMode, TimerValues, ValueState,
} from "../../streaming/stateful-processor/stateful-processor.js";
import { compileExpression, type Evaluator } from "../expression-compiler.js";
import { rowKey } from "../row-key.js";
import type { ExecutionInput, PhysicalContext, PhysicalOperator } from "./physical-operator.js";

/** One key's state as stored: values, lists and maps by state name (with TTL expiry, ms), and timers (ms). */
interface KeyState {
  keys: unknown[];
  v: Record<string, { x: unknown; e?: number }>;
  l: Record<string, { x: unknown[]; e?: number }>;
  m: Record<string, { x: Map<unknown, unknown>; e?: number }>;
  t: number[];
}

const isEmpty = (s: KeyState): boolean => Object.keys(s.v).length + Object.keys(s.l).length + Object.keys(s.m).length + s.t.length === 0;

/** The handle processors use; its state objects act on the key being processed (Spark's implicit grouping key). */
class Handle implements StatefulProcessorHandle {
  current: KeyState | undefined;
  now = 0;
  private key(): KeyState {
    if (!this.current) throw new SluiceError("INTERNAL_ERROR", "State was used outside handleInputRows/handleExpiredTimer: there is no current grouping key.", {});
    return this.current;
  }
  private expiry(ttl: TTLConfig | undefined): number | undefined { return ttl === undefined ? undefined : this.now + ttl.ttlDurationMs; }
  private live<T extends { e?: number }>(entry: T | undefined): T | undefined { return entry !== undefined && (entry.e === undefined || entry.e > this.now) ? entry : undefined; }

  getValueState<T>(name: string, ttl?: TTLConfig): ValueState<T> {
    return {
      exists: () => this.live(this.key().v[name]) !== undefined,
      get: () => this.live(this.key().v[name])?.x as T | undefined,
      update: (x) => { const e = this.expiry(ttl); this.key().v[name] = e === undefined ? { x } : { x, e }; },
      clear: () => { delete this.key().v[name]; },
    };
  }
  getListState<T>(name: string, ttl?: TTLConfig): ListState<T> {
    const get = (): T[] => (this.live(this.key().l[name])?.x as T[] | undefined) ?? [];
    const put = (x: readonly T[]): void => { const e = this.expiry(ttl); if (x.length === 0) delete this.key().l[name]; else this.key().l[name] = e === undefined ? { x: [...x] } : { x: [...x], e }; };
    return {
      exists: () => get().length > 0, get: () => [...get()], put,
      appendValue: (v) => put([...get(), v]), appendList: (vs) => put([...get(), ...vs]),
      clear: () => { delete this.key().l[name]; },
    };
  }
  getMapState<K, V>(name: string, ttl?: TTLConfig): MapState<K, V> {
    const get = (): Map<K, V> => (this.live(this.key().m[name])?.x as Map<K, V> | undefined) ?? new Map<K, V>();
    const put = (x: Map<K, V>): void => { const e = this.expiry(ttl); if (x.size === 0) delete this.key().m[name]; else this.key().m[name] = e === undefined ? { x } : { x, e }; };
    return {
      exists: () => get().size > 0, getValue: (k) => get().get(k), containsKey: (k) => get().has(k),
      updateValue: (k, v) => { const m = new Map(get()); m.set(k, v); put(m); },
      iterator: () => get().entries(), keys: () => get().keys(), values: () => get().values(),
      removeKey: (k) => { const m = new Map(get()); m.delete(k); put(m); },
      clear: () => { delete this.key().m[name]; },
    };
  }
  registerTimer(expiryTimeMs: number): void { const t = this.key().t; if (!t.includes(expiryTimeMs)) { t.push(expiryTimeMs); t.sort((a, b) => a - b); } }
  deleteTimer(expiryTimeMs: number): void { const k = this.key(); k.t = k.t.filter((x) => x !== expiryTimeMs); }
  listTimers(): number[] { return [...this.key().t]; }
}

export class TransformWithStateExec implements PhysicalOperator {
  readonly name = "TransformWithState";
  readonly children: readonly PhysicalOperator[];
  private readonly groupEvals: Evaluator[];
  private readonly handle = new Handle();
  private initialized = false;
  constructor(readonly child: PhysicalOperator, readonly groupings: readonly Expression[], readonly groupingSchema: StructType,
    readonly childSchema: StructType, readonly schema: StructType, readonly processor: StatefulProcessor, readonly timeMode: TimeMode,
    readonly state: { provider: StateStoreProvider; numPartitions: number } | undefined, readonly operatorId: number, ctx: PhysicalContext) {
    this.children = [child];
    this.groupEvals = groupings.map((g) => compileExpression(g, ctx.evalCtx));
    this.nowMs = () => Math.floor(ctx.evalCtx.currentTimestampMicros / 1000);
  }
  private readonly nowMs: () => number;

  get evictsByWatermark(): boolean { return this.timeMode === "eventtime"; }

  /** The earliest processing-time timer in state after the last batch: the engine runs a batch when it is due. */
  nextTimerMs: number | undefined;

  async execute(input: ExecutionInput): Promise<RecordBatch[][]> {
    if (!this.initialized) { this.processor.init(this.handle, this.timeMode); this.initialized = true; }
    const st = this.state;
    const state = st && new PartitionedState(st.provider, st.numPartitions);
    if (st && state) {
      await st.provider.checkSchema(`transformWithState:${this.groupingSchema.fields.map((f) => f.name).join(",")}`, `processor:${this.processor.constructor.name}`);
      await state.load(input.batchId);
    }
    const now = this.nowMs(), watermark = input.watermarkMs ?? 0;
    this.handle.now = now;
    const timerValues: TimerValues = { getCurrentProcessingTimeInMs: () => now, getCurrentWatermarkInMs: () => watermark };
    // Group this batch's rows by key, in arrival order.
    const groups = new Map<string, { keys: unknown[]; rows: Row[] }>();
    for (const part of await this.child.execute(input)) for (const b of part) {
      const gv = this.groupEvals.map((f) => f(b));
      for (let i = 0; i < b.numRows; i++) {
        const keys = gv.map((v) => getValue(v, i));
        const k = rowKey(keys);
        let g = groups.get(k);
        if (!g) groups.set(k, (g = { keys, rows: [] }));
        g.rows.push(structToRow(b.row(i), this.childSchema));
      }
    }
    const out: Row[] = [];
    const load = (k: string, keys: unknown[]): KeyState => {
      const saved = state?.get(k) as KeyState | undefined;
      return saved === undefined ? { keys, v: {}, l: {}, m: {}, t: [] } : structuredClone(saved);
    };
    const save = (k: string, s: KeyState): void => {
      if (!state) return;
      if (isEmpty(s)) state.remove(k); else state.put(k, s);
    };
    for (const [k, g] of groups) {
      const s = load(k, g.keys);
      this.handle.current = s;
      for (const r of await this.processor.handleInputRows(structToRow(g.keys, this.groupingSchema), g.rows, timerValues)) out.push(r);
      save(k, s);
    }
    // One pass over the state: fire due timers (processing time by the batch's clock, event time by the watermark),
    // drop values whose TTL passed, and note the earliest processing-time timer left.
    const clock = this.timeMode === "processingtime" ? now : this.timeMode === "eventtime" ? watermark : undefined;
    const expired = (e: { e?: number }): boolean => e.e !== undefined && e.e <= now;
    let next = Infinity;
    if (state) for (const [k, v] of state.entries()) {
      let s = v as KeyState;
      const due = clock !== undefined && this.processor.handleExpiredTimer ? s.t.filter((t) => t <= clock) : [];
      const stale = [...Object.values(s.v), ...Object.values(s.l), ...Object.values(s.m)].some(expired);
      if (due.length > 0 || stale) {
        s = structuredClone(s);
        this.handle.current = s;
        for (const t of due) {
          s.t = s.t.filter((x) => x !== t);
          for (const r of await this.processor.handleExpiredTimer!(structToRow(s.keys, this.groupingSchema), timerValues, { getExpiryTimeInMs: () => t })) out.push(r);
        }
        for (const part of [s.v, s.l, s.m] as Record<string, { e?: number }>[]) for (const [n, e] of Object.entries(part)) if (expired(e)) delete part[n];
        save(k, s);
      }
      for (const t of s.t) if (t < next) next = t;
    }
    this.handle.current = undefined;
    await state?.commit();
    if (this.timeMode === "processingtime" && state) this.nextTimerMs = next === Infinity ? undefined : next;
    return [[RecordBatch.fromRows(this.schema, out.map((r) => this.schema.fields.map((f) => toInternal(r[f.name], f.dataType))))]];
  }

  async close(): Promise<void> { this.processor.close?.(); await this.state?.provider.close?.(); }

  stateMetrics(): ({ operatorName: string; numRowsDroppedByWatermark: number } & StateStoreProvider["metrics"]) | undefined {
    return this.state && { operatorName: "transformWithStateExec", ...this.state.provider.metrics, numRowsDroppedByWatermark: 0 };
  }

  describe(): string { return `TransformWithState(op=${this.operatorId}, keys=[${this.groupings.map((g) => sqlText(g)).join(", ")}], timeMode=${this.timeMode})`; }
}
