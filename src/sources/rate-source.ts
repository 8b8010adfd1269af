/**
 * `rate` (rowsPerSecond, rampUpTime, numPartitions) and `rate-micro-batch` (rowsPerBatch, numPartitions,
 * startTimestamp, advanceMillisPerBatch) sources, schema `timestamp TIMESTAMP, value BIGINT`. Rows are a pure
 * function of the offset, so replays are exact. The rate source's start time is kept in `sources/<i>/0`:
 *
 *     v1
 *     {"startTimeMs":1700000000000}
 */
import { RecordBatch } from "../columnar/record-batch.js";
import { MetadataLog } from "../checkpoint/metadata-log.js";
import { SluiceError } from "../errors/sluice-error.js";
import { LongType, TimestampType, structField, structType, type StructType } from "../types/data-type.js";
import { intervalToMicros, parseInterval } from "../types/calendar-interval.js";
import { counterOffsetProblem, type Offset, type ReadLimit, type SourceContext, type StreamingSource } from "./streaming-source.js";

export const RATE_SCHEMA: StructType = structType([structField("timestamp", TimestampType, true), structField("value", LongType, true)]);

function positiveInt(options: Readonly<Record<string, string>>, name: string, dflt: number, allowZero = false): number {
  const raw = options[name];
  const v = raw === undefined ? dflt : Number(raw);
  if (!Number.isInteger(v) || v < (allowZero ? 0 : 1)) {
    throw new SluiceError("INVALID_OPTION", `Invalid value '${raw}'. The option '${name}' must be ${allowZero ? "non-negative" : "positive"}.`, { params: { option: name, value: raw ?? "" } });
  }
  return v;
}

function rows(fromValue: number, count: number, ts: (i: number) => number, parts: number): RecordBatch[] {
  const out: RecordBatch[] = [];
  for (let p = 0; p < parts; p++) {
    const idx: number[] = [];
    for (let i = p; i < count; i += parts) idx.push(i);
    const t = new Float64Array(idx.length), v = new Float64Array(idx.length);
    idx.forEach((i, k) => { t[k] = ts(i) * 1000; v[k] = fromValue + i; });
    out.push(new RecordBatch(RATE_SCHEMA, [{ type: TimestampType, length: idx.length, values: t, nulls: null }, { type: LongType, length: idx.length, values: v, nulls: null }], idx.length));
  }
  return out;
}

export class RateSource implements StreamingSource {
  readonly description: string;
  readonly schema = RATE_SCHEMA;
  private readonly rowsPerSecond: number;
  private readonly rampUpSeconds: number;
  private readonly numPartitions: number;
  private constructor(options: Readonly<Record<string, string>>, private startTimeMs: number, private readonly clock: () => number, parallelism: number,
    private readonly startTimeLog: string | undefined) {
    this.rowsPerSecond = positiveInt(options, "rowsPerSecond", 1);
    const ramp = options["rampUpTime"] === undefined ? { months: 0, days: 0, micros: 0 } : parseInterval(options["rampUpTime"].replace(/^(\d+)s$/, "$1 seconds"));
    if (ramp === undefined) throw new SluiceError("INVALID_OPTION", `Invalid value '${options["rampUpTime"]}' for option 'rampUpTime'.`, { params: { option: "rampUpTime" } });
    this.rampUpSeconds = Math.floor(intervalToMicros(ramp) / 1_000_000);
    this.numPartitions = positiveInt(options, "numPartitions", parallelism);
    this.description = `RateStreamV2[rowsPerSecond=${this.rowsPerSecond}, rampUpTimeSeconds=${this.rampUpSeconds}, numPartitions=${this.numPartitions}`;
  }

  static async create(options: Readonly<Record<string, string>>, ctx: SourceContext, parallelism: number, clock: () => number = Date.now): Promise<RateSource> {
    const log = new MetadataLog(ctx.fs, ctx.metadataPath, "rate source");
    let text = await log.getText(0);
    const fresh = text === undefined;
    if (fresh) { await log.add(0, JSON.stringify({ startTimeMs: clock() })); text = await log.getText(0); }
    const start = (log.parseJson(text!, 0) as { startTimeMs?: unknown }).startTimeMs;
    if (typeof start !== "number") {
      throw new SluiceError("CHECKPOINT_CORRUPT", `The rate source's start time in ${log.pathOf(0)} is not {"startTimeMs": <ms>}. Restore the checkpoint or use a new checkpointLocation.`, { params: { path: log.pathOf(0) } });
    }
    return new RateSource(options, start, clock, parallelism, fresh ? log.pathOf(0) : undefined);
  }

  /** Total rows emitted by the end of second `s` (with a linear ramp-up, as Spark's). */
  private valueAt(s: number): number {
    const r = this.rampUpSeconds, rps = this.rowsPerSecond;
    if (s <= r) return Math.floor((rps * s * (s + 1)) / (2 * (r + 1)));
    return Math.floor((rps * r * (r + 1)) / (2 * (r + 1))) + (s - r) * rps;
  }

  defaultReadLimit(): ReadLimit { return { kind: "all" }; }
  async latestOffset(start: Offset | null): Promise<Offset | null> {
    const seconds = Math.floor((this.clock() - this.startTimeMs) / 1000);
    const prev = start === null ? 0 : (start as number);
    return seconds > prev ? seconds : start;
  }
  async getBatch(start: Offset | null, end: Offset): Promise<RecordBatch[]> {
    const s0 = start === null ? 0 : (start as number), s1 = end as number;
    const from = this.valueAt(s0), to = this.valueAt(s1);
    const count = to - from;
    const perSecondStart = (i: number): number => {
      // Spread rows evenly inside each second.
      let s = s0;
      while (this.valueAt(s + 1) <= from + i) s++;
      const inSec = this.valueAt(s + 1) - this.valueAt(s);
      const k = from + i - this.valueAt(s);
      return this.startTimeMs + s * 1000 + Math.floor((k * 1000) / Math.max(inSec, 1));
    };
    return rows(from, count, perSecondStart, this.numPartitions);
  }
  offsetProblem(offset: Offset): string | undefined {
    // A logged offset counts seconds from the start time: a start time written only now cannot be the one it used.
    return counterOffsetProblem(offset, "a rate source offset") ?? (this.startTimeLog === undefined ? undefined : `the rate source's start time ${this.startTimeLog} was missing`);
  }
  async commit(): Promise<void> {}
  async stop(): Promise<void> {}
}

export class RateMicroBatchSource implements StreamingSource {
  readonly description: string;
  readonly schema = RATE_SCHEMA;
  private readonly rowsPerBatch: number;
  private readonly numPartitions: number;
  private readonly startTimestamp: number;
  private readonly advanceMillis: number;
  constructor(options: Readonly<Record<string, string>>, parallelism: number) {
    this.rowsPerBatch = positiveInt(options, "rowsPerBatch", 0, true);
    if (options["rowsPerBatch"] === undefined) throw new SluiceError("INVALID_OPTION", "The option 'rowsPerBatch' must be set for the rate-micro-batch source.", { params: { option: "rowsPerBatch" } });
    this.numPartitions = positiveInt(options, "numPartitions", parallelism);
    this.startTimestamp = positiveInt(options, "startTimestamp", 0, true);
    this.advanceMillis = positiveInt(options, "advanceMillisPerBatch", 1000, true);
    this.description = `RatePerMicroBatchStream[rowsPerBatch=${this.rowsPerBatch}, numPartitions=${this.numPartitions}, startTimestamp=${this.startTimestamp}, advanceMillisPerBatch=${this.advanceMillis}]`;
  }
  defaultReadLimit(): ReadLimit { return { kind: "all" }; }
  /** Trigger.AvailableNow: the one micro-batch after the committed offset is all there is (Spark's RatePerMicroBatchStream). */
  private availableNow = false;
  private availableNowEnd: number | undefined;
  async prepareForAvailableNow(): Promise<void> { this.availableNow = true; this.availableNowEnd = undefined; }
  async latestOffset(start: Offset | null): Promise<Offset | null> {
    const next = start === null ? 0 : (start as number) + 1;
    if (!this.availableNow) return next;
    this.availableNowEnd ??= next;
    return start !== null && (start as number) >= this.availableNowEnd ? start : this.availableNowEnd;
  }
  async getBatch(start: Offset | null, end: Offset): Promise<RecordBatch[]> {
    const from = start === null ? 0 : (start as number) + 1;
    const out: RecordBatch[] = [];
    for (let b = from; b <= (end as number); b++) {
      out.push(...rows(b * this.rowsPerBatch, this.rowsPerBatch, () => this.startTimestamp + b * this.advanceMillis, this.numPartitions));
    }
    return out;
  }
  offsetProblem(offset: Offset): string | undefined { return counterOffsetProblem(offset, "a rate-micro-batch offset"); }
  async commit(): Promise<void> {}
  async stop(): Promise<void> {}
}
