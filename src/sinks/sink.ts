/** The contract of a streaming sink: add one micro-batch's output, idempotently by batch id. */
import type { RecordBatch } from "../columnar/record-batch.js";
import type { StructType } from "../types/data-type.js";

/**
 * A sink receives each batch once per successful run; after a failure the same batch id may come again, and the
 * sink must then not duplicate its output (Spark's `Sink.addBatch` contract).
 *
 * @example
 * await sink.addBatch(7, partitions, schema); // a second call with 7 does nothing
 */
export interface Sink {
  readonly description: string;
  addBatch(batchId: number, partitions: readonly (readonly RecordBatch[])[], schema: StructType): Promise<void>;
  /** Fields for the progress report's `sink` entry (`numOutputRows`, ...). */
  metrics?(): Record<string, string>;
  stop?(): Promise<void>;
}
