/** Leaf operators: a streaming relation's batch data, a static scan, an in-memory table. */
import type { RecordBatch } from "../../columnar/record-batch.js";
import { internalError } from "../../errors/sluice-error.js";
import type { BatchScan } from "../../sources/streaming-source.js";
import type { ExecutionInput, PhysicalOperator } from "./physical-operator.js";

export class StreamingScanExec implements PhysicalOperator {
  readonly name = "StreamingScan";
  readonly children = [];
  constructor(readonly relationId: number, readonly sourceDescription: string) {}
  async execute(input: ExecutionInput): Promise<RecordBatch[][]> {
    const data = input.streamData.get(this.relationId);
    if (data === undefined) throw internalError(`no data bound for streaming relation ${this.relationId}`);
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
