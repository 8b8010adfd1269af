/** Leaf operators: a streaming relation's batch data, a static scan, an in-memory table. */
import type { RecordBatch } from "../../columnar/record-batch.js";
import { internalError } from "../../errors/sluice-error.js";
import type { BatchScan } from "../../sources/streaming-source.js";
import { noEventTimes, type EventTimeStats } from "./event-time-watermark-exec.js";
import type { ExecutionInput, PhysicalOperator } from "./physical-operator.js";

/** A withWatermark operator that ran in parallel tasks: its event-time statistics, as the tasks reported them. */
export interface TaskWatermark { stats: EventTimeStats; readonly delayMs: number }

export class StreamingScanExec implements PhysicalOperator {
  readonly name = "StreamingScan";
  readonly children = [];
  readonly taskWatermarks: TaskWatermark[];
  constructor(readonly relationId: number, readonly sourceDescription: string, watermarkDelaysMs: readonly number[] = []) {
    this.taskWatermarks = watermarkDelaysMs.map((delayMs) => ({ delayMs, stats: noEventTimes() }));
  }
  async execute(input: ExecutionInput): Promise<RecordBatch[][]> {
    const data = input.streamData.get(this.relationId);
    if (data === undefined) throw internalError(`no data bound for streaming relation ${this.relationId}`);
    const reported = input.taskData?.get(this.relationId)?.watermarks;
    this.taskWatermarks.forEach((w, i) => { w.stats = reported?.[i] ?? noEventTimes(); });
    return data;
  }
  describe(): string { return `StreamingScan ${this.sourceDescription}`; }
}

export class BatchScanExec implements PhysicalOperator {
  readonly name = "BatchScan";
  readonly children = [];
  constructor(readonly scan: BatchScan) {}
  execute(): Promise<RecordBatch[][]> { return this.scan.read(); }
  describe(): string { return `BatchScan ${this.scan.description}`; }
}

export class LocalTableExec implements PhysicalOperator {
  readonly name = "LocalTableScan";
  readonly children = [];
  constructor(readonly batches: readonly RecordBatch[]) {}
  async execute(): Promise<RecordBatch[][]> { return [[...this.batches]]; }
  describe(): string { return `LocalTableScan [${this.batches.reduce((s, b) => s + b.numRows, 0)} rows]`; }
}
