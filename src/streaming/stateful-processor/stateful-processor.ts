/**
 * `transformWithState`: arbitrary stateful processing per grouping key, the TypeScript counterpart of Spark 4's
 * StatefulProcessor. State (value, list and map state, with optional TTL) and timers are kept in the state store and
 * checkpointed like every other operator's.
 *
 * @example
 * class Counter implements StatefulProcessor {
 *   private count!: ValueState<number>;
 *   init(h: StatefulProcessorHandle) { this.count = h.getValueState<number>("count"); }
 *   *handleInputRows(key: Row, rows: Iterable<Row>) {
 *     let n = this.count.get() ?? 0; for (const _ of rows) n++;
 *     this.count.update(n); yield { key: key["k"], count: n };
 *   }
 * }
 * df.groupBy("k").transformWithState(new Counter(), "key STRING, count BIGINT", "update", "none")
 */
import type { Row } from "../../types/external-value.js";

/** A single value per key. */
export interface ValueState<T> {
  exists(): boolean;
  get(): T | undefined;
  update(value: T): void;
  clear(): void;
}

/** A list per key. */
export interface ListState<T> {
  exists(): boolean;
  get(): T[];
  put(values: readonly T[]): void;
  appendValue(value: T): void;
  appendList(values: readonly T[]): void;
  clear(): void;
}

/** A map per key. */
export interface MapState<K, V> {
  exists(): boolean;
  getValue(key: K): V | undefined;
  containsKey(key: K): boolean;
  updateValue(key: K, value: V): void;
  iterator(): IterableIterator<[K, V]>;
  keys(): IterableIterator<K>;
  values(): IterableIterator<V>;
  removeKey(key: K): void;
  clear(): void;
}

/** Time-to-live: a value expires this many milliseconds of processing time after its last update. */
export interface TTLConfig { readonly ttlDurationMs: number }

/** What a processor reaches its state and timers through, for the key being processed. */
export interface StatefulProcessorHandle {
  getValueState<T>(name: string, ttl?: TTLConfig): ValueState<T>;
  getListState<T>(name: string, ttl?: TTLConfig): ListState<T>;
  getMapState<K, V>(name: string, ttl?: TTLConfig): MapState<K, V>;
  /** Registers a timer for the current key at `expiryTimeMs` (processing or event time, by the query's time mode). */
  registerTimer(expiryTimeMs: number): void;
  deleteTimer(expiryTimeMs: number): void;
  listTimers(): number[];
}

/** The batch's processing time and (in event-time mode) the watermark, in milliseconds. */
export interface TimerValues {
  getCurrentProcessingTimeInMs(): number;
  getCurrentWatermarkInMs(): number;
}

export interface ExpiredTimerInfo { getExpiryTimeInMs(): number }

export type TimeMode = "none" | "processingtime" | "eventtime";

/** User code run per key: output rows are objects of the output schema. */
export interface StatefulProcessor {
  init(handle: StatefulProcessorHandle, timeMode: TimeMode): void;
  handleInputRows(key: Row, rows: Iterable<Row>, timerValues: TimerValues): Iterable<Row> | Promise<Iterable<Row>>;
  handleExpiredTimer?(key: Row, timerValues: TimerValues, expiredTimerInfo: ExpiredTimerInfo): Iterable<Row> | Promise<Iterable<Row>>;
  close?(): void;
}
