/** `foreachBatch(fn)` and `foreach({open, process, close})`: user code per micro-batch or per row. */
import { RecordBatch } from "../columnar/record-batch.js";
import { structToRow, type Row } from "../types/external-value.js";
import type { StructType } from "../types/data-type.js";
import type { Sink } from "./sink.js";

export class ForeachBatchSink<D> implements Sink {
  readonly description = "ForeachBatchSink";
  constructor(private readonly toDataFrame: (batch: RecordBatch) => D, private readonly fn: (df: D, batchId: number) => unknown) {}
  async addBatch(batchId: number, partitions: readonly (readonly RecordBatch[])[], schema: StructType): Promise<void> {
    await this.fn(this.toDataFrame(RecordBatch.concat(schema, partitions.flat())), batchId);
  }
}

/** Spark's ForeachWriter: `open` returns false to skip a partition; `close` gets the error, if any. */
export interface ForeachWriter {
  open?(partitionId: number, epochId: number): boolean | Promise<boolean>;
  process(row: Row): void | Promise<void>;
  close?(error: Error | null): void | Promise<void>;
}

export class ForeachSink implements Sink {
  readonly description = "ForeachSink";
  constructor(private readonly writer: ForeachWriter | ((row: Row) => void | Promise<void>)) {}
  async addBatch(batchId: number, partitions: readonly (readonly RecordBatch[])[], schema: StructType): Promise<void> {
    const w: ForeachWriter = typeof this.writer === "function" ? { process: this.writer } : this.writer;
    for (let p = 0; p < partitions.length; p++) {
      if (w.open && !(await w.open(p, batchId))) { await w.close?.(null); continue; }
      try {
        for (const b of partitions[p]!) for (const r of b.rows()) await w.process(structToRow(r, schema));
      } catch (e) {
        await w.close?.(e as Error);
        throw e;
      }
      await w.close?.(null);
    }
  }
}
