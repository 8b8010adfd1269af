/** `format("memory")`: keeps the output in a table named after the query, readable with `spark.table(name)`. */
import { RecordBatch } from "../columnar/record-batch.js";
import type { StructType } from "../types/data-type.js";
import type { Sink } from "./sink.js";

export class MemorySink implements Sink {
  readonly description = "MemorySink";
  private batches: RecordBatch[] = [];
  private lastBatchId = -1;
  constructor(readonly schema: StructType, readonly outputMode: "append" | "complete" | "update") {}

  async addBatch(batchId: number, partitions: readonly (readonly RecordBatch[])[], schema: StructType): Promise<void> {
    if (batchId <= this.lastBatchId) return;
    const data = RecordBatch.concat(schema, partitions.flat());
    if (this.outputMode === "complete") this.batches = [data];
    else this.batches.push(data);
    this.lastBatchId = batchId;
  }

  /** All rows written so far, as one batch. */
  snapshot(): RecordBatch {
    return RecordBatch.concat(this.schema, this.batches);
  }
}
