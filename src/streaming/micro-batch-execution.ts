/**
 * The micro-batch loop (Spark's MicroBatchExecution). For each batch N:
 * 1. ask every source for its latest offset (honouring read limits) — construct the next batch;
 * 2. write `offsets/N` (write-ahead), so a restart replays N with exactly these offsets;
 * 3. read each source's rows in (committed, latest], bind them to the plan's leaves, run the physical plan;
 * 4. hand the output to the sink (idempotent per batch id), then write `commits/N` and let sources clean up.
 * On restart: an `offsets/N` without `commits/N` is re-run first, with the logged offsets and batch timestamp.
 */
import { crashPoint } from "./crash-points.js";
import * as path from "node:path";
import type { RecordBatch } from "../columnar/record-batch.js";
import { CommitLog } from "../checkpoint/commit-log.js";
import { checkLogContinuity } from "../checkpoint/log-continuity.js";
import { OffsetLog, type OffsetSeq } from "../checkpoint/offset-log.js";
import { SluiceError, StreamingQueryException } from "../errors/sluice-error.js";
import type { EvalContext } from "../expressions/eval-context.js";
import type { PhysicalOperator, TaskData } from "../execution/operators/physical-operator.js";
import { StreamingScanExec } from "../execution/operators/scan-exec.js";
import { EventTimeWatermarkExec, type EventTimeStats } from "../execution/operators/event-time-watermark-exec.js";
import type { FileSystem } from "../fs/file-system.js";
import { S3CallCancelled, s3CallScope } from "../fs/s3-calls.js";
import { S3FileSystem } from "../fs/s3-file-system.js";
import type { Sink } from "../sinks/sink.js";
import type { Offset, ReadLimit, StreamingSource } from "../sources/streaming-source.js";
import type { StateOperatorProgress, StreamingQueryProgress, StreamingQueryStatus } from "./progress.js";
import type { Trigger } from "./trigger.js";

export interface ExecutionConfig {
  readonly checkpointDir: string;
  /** `spark.sql.streaming.noDataMicroBatches.enabled`. */
  readonly noDataMicroBatches: boolean;
  /** `spark.sql.streaming.multipleWatermarkPolicy`. */
  readonly multipleWatermarkPolicy: "min" | "max";
  readonly fs: FileSystem;
  readonly trigger: Trigger;
  readonly minBatchesToRetain: number;
  readonly pollingDelayMs: number;
  readonly conf: Readonly<Record<string, string>>;
}

/** Runs a whole batch (read, execute, sink) as parallel tasks; see ParallelBatchRunner. */
export interface BatchRunner {
  runBatch(batchId: number, start: Offset | null, end: Offset): Promise<{ inputRows: number; outputRows: number }>;
}

/** Reads one source's batch through parallel tasks that also run the plan fragment above it; see ParallelInputStage. */
export interface InputStage {
  readonly sourceIndex: number;
  read(start: Offset | null, end: Offset): Promise<{ partitions: RecordBatch[][]; inputRows: number; data: TaskData }>;
}

export interface ExecutionHooks {
  onProgress(p: StreamingQueryProgress): void;
  onIdle(): void;
}

/** The query's withWatermark operators in plan pre-order, those that ran in parallel tasks included. */
function watermarkOperators(op: PhysicalOperator): { readonly stats: EventTimeStats; readonly delayMs: number }[] {
  const own = op instanceof EventTimeWatermarkExec ? [op] : op instanceof StreamingScanExec ? op.taskWatermarks : [];
  return [...own, ...op.children.flatMap(watermarkOperators)];
}

/** True when some stateful operator evicts state by the watermark (so a moved watermark alone is worth a batch). */
function usesWatermark(op: PhysicalOperator): boolean {
  return (op as Partial<{ evictsByWatermark: boolean }>).evictsByWatermark === true || op.children.some(usesWatermark);
}

/** The earliest processing-time timer any operator has pending (transformWithState), if any. */
function nextTimerMs(op: PhysicalOperator): number | undefined {
  const own = (op as Partial<{ nextTimerMs: number | undefined }>).nextTimerMs;
  const kids = op.children.map(nextTimerMs).filter((t): t is number => t !== undefined);
  const all = own === undefined ? kids : [own, ...kids];
  return all.length === 0 ? undefined : Math.min(...all);
}

/** State metrics of every stateful operator in the plan, for the progress report. */
function stateOperatorsOf(op: PhysicalOperator): StateOperatorProgress[] {
  const own = (op as Partial<{ stateMetrics(): StateOperatorProgress }>).stateMetrics?.();
  return [...(own ? [{ ...own, numRowsDroppedByWatermark: own.numRowsDroppedByWatermark ?? 0 }] : []), ...op.children.flatMap(stateOperatorsOf)];
}

/** How long `stop()` lets a batch's object-storage calls run before cancelling them. */
const STOP_GRACE_MS = 2000;

const sleep = (ms: number, signal: AbortSignal): Promise<void> => new Promise((resolve) => {
  if (signal.aborted) { resolve(); return; }
  const t = setTimeout(() => { signal.removeEventListener("abort", done); resolve(); }, ms);
  const done = (): void => { clearTimeout(t); resolve(); };
  signal.addEventListener("abort", done, { once: true });
});

export class MicroBatchExecution {
  private readonly offsetLog: OffsetLog;
  private readonly commitLog: CommitLog;
  /** Offsets of the last committed batch, per source. */
  private committed: (Offset | null)[];
  private currentBatchId = 0;
  private readonly stopController = new AbortController();
  /** Cancels the loop's object-storage calls in flight (see requestStop). */
  private readonly cancelController = new AbortController();
  private statusValue: StreamingQueryStatus = { message: "Initializing sources", isDataAvailable: false, isTriggerActive: false };
  /** Incremented each time a trigger finds no new data; used by processAllAvailable. */
  idleGeneration = 0;
  /** The global event-time watermark (ms) for the next batch, and the one the last batch ran with. */
  private watermarkMs = 0;
  private lastBatchWatermarkMs = 0;
  /** Per `withWatermark` operator, the highest (max event time - delay) seen: Spark's WatermarkTracker. */
  private readonly operatorWatermarks = new Map<number, number>();

  constructor(
    readonly id: string, readonly runId: string, readonly name: string | null,
    readonly sources: readonly StreamingSource[], readonly physical: PhysicalOperator, readonly sink: Sink,
    readonly schema: import("../types/data-type.js").StructType,
    readonly evalCtx: EvalContext, readonly config: ExecutionConfig, readonly hooks: ExecutionHooks,
    readonly parallel?: BatchRunner, readonly inputStage?: InputStage,
  ) {
    this.offsetLog = new OffsetLog(config.fs, path.join(config.checkpointDir, "offsets"));
    this.commitLog = new CommitLog(config.fs, path.join(config.checkpointDir, "commits"));
    this.committed = sources.map(() => null);
  }

  /** The loop's status; a slow or retried object-storage call shows in its message (which endpoint, what, how long). */
  get status(): StreamingQueryStatus {
    const now = Date.now();
    const slow = this.objectStores.flatMap((f) => [...f.calls.inFlight].map((c) => ({ c, endpoint: f.calls.endpoint })))
      .filter(({ c }) => c.attempt > 1 || now - c.startedMs >= 1000);
    if (slow.length === 0) return this.statusValue;
    const { c, endpoint } = slow[0]!;
    const retry = c.lastFailure !== undefined ? `, attempt ${c.attempt} after ${c.lastFailure}` : "";
    return { ...this.statusValue, message: `${this.statusValue.message}: waiting for S3 at ${endpoint} (${c.operation} ${c.path}, ${now - c.startedMs} ms${retry})` };
  }
  get lastBatchId(): number { return this.currentBatchId - 1; }

  /**
   * Asks the loop to end after the batch in flight. Object-storage calls still in flight after STOP_GRACE_MS are
   * cancelled (a stalled store), and the batch is left uncommitted, to be re-run by the next start as Spark does.
   */
  requestStop(): void {
    if (this.stopController.signal.aborted) return;
    this.stopController.abort();
    setTimeout(() => this.cancelController.abort(), STOP_GRACE_MS).unref();
  }
  get stopRequested(): boolean { return this.stopController.signal.aborted; }

  /** Runs until stopped, until the trigger says the query is done, or until a batch fails. */
  async run(): Promise<void> {
    try {
      await s3CallScope.run(this.cancelController.signal, () => this.loop());
    } catch (e) {
      // Stopped with a batch in flight: it re-runs on restart.
      for (let c: unknown = e, i = 0; this.stopRequested && c instanceof Error && i < 8; c = c.cause, i++) if (c instanceof S3CallCancelled) return;
      throw e;
    }
  }

  private async loop(): Promise<void> {
    await this.recover();
    const trigger = this.config.trigger;
    if (trigger.kind === "availableNow") for (const s of this.sources) await s.prepareForAvailableNow?.();
    for (;;) {
      if (this.stopRequested) return;
      const ran = await this.runOneTrigger(trigger);
      if (this.stopRequested) return;
      if (trigger.kind === "once") return;
      if (!ran) {
        this.idleGeneration++;
        this.hooks.onIdle();
        if (trigger.kind === "availableNow") return;
      }
      const wait = trigger.kind === "processingTime" && trigger.intervalMs > 0
        ? trigger.intervalMs - (Date.now() % trigger.intervalMs) // next boundary of the interval, as Spark's ProcessingTimeExecutor
        : ran ? 0 : this.config.pollingDelayMs;
      if (wait > 0) await sleep(wait, this.stopController.signal);
    }
  }

  /** Restores committed offsets and re-runs an uncommitted batch with its logged offsets. */
  private async recover(): Promise<void> {
    const offsetIds = await this.offsetLog.batchIds();
    checkLogContinuity(this.config.checkpointDir, offsetIds, await this.commitLog.batchIds());
    const latestOffsets = offsetIds[offsetIds.length - 1];
    if (latestOffsets === undefined) return;
    const latestCommit = await this.commitLog.latestId();
    const seq = await this.loggedOffsets(latestOffsets);
    if (latestCommit === latestOffsets) {
      this.committed = [...seq.offsets];
      this.currentBatchId = latestOffsets + 1;
      this.lastBatchWatermarkMs = seq.metadata.batchWatermarkMs;
      this.watermarkMs = (await this.commitLog.get(latestCommit))?.nextBatchWatermarkMs ?? seq.metadata.batchWatermarkMs;
      return;
    }
    this.watermarkMs = seq.metadata.batchWatermarkMs;
    // Batch `latestOffsets` was planned but not committed: replay it exactly.
    const prev = latestOffsets > 0 ? await this.loggedOffsets(latestOffsets - 1) : undefined;
    this.lastBatchWatermarkMs = prev?.metadata.batchWatermarkMs ?? 0;
    this.committed = prev ? [...prev.offsets] : this.sources.map(() => null);
    this.currentBatchId = latestOffsets;
    this.requestsAtBatchStart = this.objectStoreRequests();
    await this.runBatch(latestOffsets, seq, Date.now(), { latestOffset: 0, walCommit: 0 });
  }

  /** Batch `batchId`'s logged offsets, checked against the query's sources (their number, each offset's form). */
  private async loggedOffsets(batchId: number): Promise<OffsetSeq> {
    const seq = await this.offsetLog.get(batchId);
    const file = this.offsetLog.pathOf(batchId);
    if (seq === undefined) throw new SluiceError("CHECKPOINT_CORRUPT", `The checkpoint at ${this.config.checkpointDir} is damaged: ${file} is missing. Restore it or use a new checkpointLocation.`, { params: { path: file, batchId } });
    if (seq.offsets.length !== this.sources.length) {
      throw new SluiceError("CHECKPOINT_CORRUPT", `The checkpoint at ${this.config.checkpointDir} was written by a query with ${seq.offsets.length} sources, but this query has ${this.sources.length}. Use a new checkpointLocation for a changed query.`,
        { params: { path: this.config.checkpointDir, logged: seq.offsets.length, current: this.sources.length } });
    }
    seq.offsets.forEach((o, i) => {
      const problem = o === null ? undefined : this.sources[i]!.offsetProblem?.(o);
      if (problem !== undefined) {
        throw new SluiceError("CHECKPOINT_CORRUPT", `The offset of source ${i} (${this.sources[i]!.description}) in ${file} is not usable: ${problem}. Restore the checkpoint or use a new checkpointLocation.`,
          { params: { path: file, batchId, source: i, problem } });
      }
    });
    return seq;
  }

  private limitFor(s: StreamingSource, trigger: Trigger): ReadLimit {
    return trigger.kind === "once" ? { kind: "all" } : s.defaultReadLimit();
  }

  private async runOneTrigger(trigger: Trigger): Promise<boolean> {
    const start = Date.now();
    this.statusValue = { message: "Getting offsets from sources", isDataAvailable: false, isTriggerActive: true };
    const latest: (Offset | null)[] = [];
    for (let i = 0; i < this.sources.length; i++) latest.push(await this.sources[i]!.latestOffset(this.committed[i] ?? null, this.limitFor(this.sources[i]!, trigger)));
    const latestOffsetMs = Date.now() - start;
    const hasData = latest.some((o, i) => JSON.stringify(o) !== JSON.stringify(this.committed[i] ?? null));
    // A batch without new data still runs when the watermark moved and state could be closed by it.
    const timerDue = (nextTimerMs(this.physical) ?? Infinity) <= start;
    const noDataBatch = !hasData && this.config.noDataMicroBatches && (this.watermarkMs > this.lastBatchWatermarkMs && usesWatermark(this.physical) || timerDue);
    if (!hasData && !noDataBatch) {
      this.statusValue = { message: "Waiting for data to arrive", isDataAvailable: false, isTriggerActive: false };
      return false;
    }
    const batchId = this.currentBatchId;
    const seq: OffsetSeq = { metadata: { batchWatermarkMs: this.watermarkMs, batchTimestampMs: start, conf: this.config.conf }, offsets: latest };
    this.requestsAtBatchStart = this.objectStoreRequests();
    const walStart = Date.now();
    await this.offsetLog.add(batchId, seq);
    crashPoint("after-offsets", batchId);
    const walCommit = Date.now() - walStart;
    await this.runBatch(batchId, seq, start, { latestOffset: latestOffsetMs, walCommit });
    return true;
  }

  private async runBatch(batchId: number, seq: OffsetSeq, triggerStart: number, timings: { latestOffset: number; walCommit: number }): Promise<void> {
    this.statusValue = { message: "Processing new data", isDataAvailable: true, isTriggerActive: true };
    this.evalCtx.currentTimestampMicros = seq.metadata.batchTimestampMs * 1000;
    const getBatchStart = Date.now();
    const perSourceRows: number[] = [];
    let getBatch = 0, addBatch = 0, numOutputRows = 0;
    if (this.parallel !== undefined) {
      // Reading, executing and writing happen together in the tasks.
      const r = await this.parallel.runBatch(batchId, this.committed[0] ?? null, seq.offsets[0]!);
      perSourceRows.push(r.inputRows);
      numOutputRows = r.outputRows;
      addBatch = Date.now() - getBatchStart;
    } else {
      const streamData = new Map<number, RecordBatch[][]>();
      const taskData = new Map<number, TaskData>();
      for (let i = 0; i < this.sources.length; i++) {
        const end = seq.offsets[i] ?? null;
        const start = this.committed[i] ?? null;
        const empty = end === null || JSON.stringify(end) === JSON.stringify(start);
        if (!empty && this.inputStage?.sourceIndex === i) {
          const r = await this.inputStage.read(start, end);
          perSourceRows.push(r.inputRows);
          streamData.set(i, r.partitions.length === 0 ? [[]] : r.partitions);
          taskData.set(i, r.data);
          continue;
        }
        const batches = empty ? [] : await this.sources[i]!.getBatch(start, end!);
        perSourceRows.push(batches.reduce((s, b) => s + b.numRows, 0));
        streamData.set(i, batches.length === 0 ? [[]] : batches.map((b) => [b]));
      }
      getBatch = Date.now() - getBatchStart;
      const addStart = Date.now();
      const output = await this.physical.execute({ streamData, taskData, batchId, watermarkMs: seq.metadata.batchWatermarkMs, lateEventsWatermarkMs: this.lastBatchWatermarkMs });
      await this.sink.addBatch(batchId, output, this.schema);
      addBatch = Date.now() - addStart;
      numOutputRows = output.reduce((s, p) => s + p.reduce((t, b) => t + b.numRows, 0), 0);
    }
    crashPoint("after-sink-commit", batchId);
    const eventTime = this.advanceWatermark(seq.metadata.batchWatermarkMs);
    const commitStart = Date.now();
    await this.commitLog.add(batchId, { nextBatchWatermarkMs: this.watermarkMs });
    for (let i = 0; i < this.sources.length; i++) { const end = seq.offsets[i]; if (end !== null && end !== undefined) await this.sources[i]!.commit(end); }
    const retain = this.config.minBatchesToRetain;
    if (batchId >= retain && batchId % 10 === 0) {
      // The entries to drop are known without listing: one multi-object delete on object storage.
      const keep = batchId - retain + 1;
      const purgeable = [...await this.offsetLog.purgeable(keep), ...await this.commitLog.purgeable(keep)];
      crashPoint("mid-purge", batchId);
      await this.config.fs.deleteFiles(purgeable);
    }
    const commitOffsets = Date.now() - commitStart;
    const previous = [...this.committed];
    this.committed = [...seq.offsets];
    this.currentBatchId = batchId + 1;
    const total = Date.now() - triggerStart;
    const numInputRows = perSourceRows.reduce((a, b) => a + b, 0);
    const sinceLast = Math.max(1, triggerStart - (this.previousTriggerStart ?? triggerStart));
    const processedRate = numInputRows / Math.max(total, 1) * 1000;
    const inputRate = this.previousTriggerStart === undefined ? 0 : numInputRows / sinceLast * 1000;
    this.previousTriggerStart = triggerStart;
    this.hooks.onProgress({
      id: this.id, runId: this.runId, name: this.name, timestamp: new Date(triggerStart).toISOString(), batchId,
      batchDuration: total, numInputRows, inputRowsPerSecond: inputRate, processedRowsPerSecond: processedRate,
      durationMs: { addBatch, commitOffsets, getBatch, latestOffset: timings.latestOffset, queryPlanning: 0, triggerExecution: total, walCommit: timings.walCommit },
      eventTime, stateOperators: stateOperatorsOf(this.physical),
      sources: this.sources.map((s, i) => ({
        description: s.description, startOffset: previous[i] ?? null, endOffset: seq.offsets[i] ?? null, latestOffset: seq.offsets[i] ?? null,
        numInputRows: perSourceRows[i]!, inputRowsPerSecond: this.previousTriggerStart === undefined ? 0 : perSourceRows[i]! / sinceLast * 1000,
        processedRowsPerSecond: perSourceRows[i]! / Math.max(total, 1) * 1000, metrics: s.metrics?.() ?? {},
      })),
      sink: {
        description: this.sink.description, numOutputRows,
        metrics: { ...this.sink.metrics?.() ?? {}, ...(this.objectStores.length > 0 ? { objectStoreRequests: String(this.objectStoreRequests() - this.requestsAtBatchStart), objectStoreRetries: String(this.objectStores.reduce((n, f) => n + f.calls.retries, 0)) } : {}) },
      },
      observedMetrics: {},
    });
    this.statusValue = { message: "Waiting for next trigger", isDataAvailable: true, isTriggerActive: false };
  }

  private previousTriggerStart: number | undefined;

  /** The object-storage file systems of this query (checkpoint, file sink), whose requests progress reports. */
  private get objectStores(): S3FileSystem[] {
    const sinkFs = (this.sink as Partial<{ fs: unknown }>).fs;
    return [...new Set([this.config.fs, sinkFs].filter((f): f is S3FileSystem => f instanceof S3FileSystem))];
  }
  private objectStoreRequests(): number { return this.objectStores.reduce((s, f) => s + f.requestCount, 0); }
  private requestsAtBatchStart = 0;

  /**
   * Updates the watermark from the event times this batch saw (min across watermark operators, as
   * spark.sql.streaming.multipleWatermarkPolicy=min; max when so configured) and returns the progress `eventTime`.
   */
  private advanceWatermark(batchWatermarkMs: number): Record<string, string> {
    this.lastBatchWatermarkMs = batchWatermarkMs;
    const ops = watermarkOperators(this.physical);
    if (ops.length === 0) return {};
    const eventTime: Record<string, string> = {};
    let min = Infinity, max = -Infinity, sum = 0, count = 0;
    ops.forEach((op, i) => {
      const s = op.stats;
      if (s.count === 0) return;
      const candidate = s.max - op.delayMs;
      if (candidate > (this.operatorWatermarks.get(i) ?? -Infinity)) this.operatorWatermarks.set(i, candidate);
      min = Math.min(min, s.min); max = Math.max(max, s.max); sum += s.sum; count += s.count;
    });
    const known = [...this.operatorWatermarks.values()];
    if (known.length > 0) {
      const chosen = this.config.multipleWatermarkPolicy === "max" ? Math.max(...known) : Math.min(...known);
      if (chosen > this.watermarkMs) this.watermarkMs = chosen;
    }
    if (count > 0) {
      eventTime["avg"] = new Date(Math.round(sum / count)).toISOString();
      eventTime["max"] = new Date(max).toISOString();
      eventTime["min"] = new Date(min).toISOString();
    }
    eventTime["watermark"] = new Date(batchWatermarkMs).toISOString();
    return eventTime;
  }

  /** Wraps a failure of the loop as Spark's StreamingQueryException, naming the query. */
  failure(e: unknown): StreamingQueryException {
    const msg = e instanceof Error ? e.message : String(e);
    return new StreamingQueryException(`Query ${this.name ?? ""} [id = ${this.id}, runId = ${this.runId}] terminated with exception: ${msg}`, { cause: e, domain: e instanceof SluiceError ? e.domain : "internal" });
  }

}
