/** Moves record batches between threads: typed arrays are transferred (not copied); boxed columns are cloned. */
import type { StructType } from "../types/data-type.js";
import type { ColumnVector } from "./column-vector.js";
import { RecordBatch } from "./record-batch.js";

export interface TransferredBatch {
  readonly schema: StructType;
  readonly numRows: number;
  readonly columns: readonly ColumnVector[];
}

export function toTransfer(batches: readonly RecordBatch[]): { data: TransferredBatch[]; transfer: ArrayBuffer[] } {
  const transfer = new Set<ArrayBuffer>();
  const data = batches.map((b) => {
    for (const c of b.columns) {
      if (!Array.isArray(c.values)) transfer.add(c.values.buffer as ArrayBuffer);
      if (c.nulls !== null) transfer.add(c.nulls.buffer as ArrayBuffer);
    }
    return { schema: b.schema, numRows: b.numRows, columns: b.columns };
  });
  return { data, transfer: [...transfer] };
}

export function fromTransfer(data: readonly TransferredBatch[]): RecordBatch[] {
  return data.map((d) => new RecordBatch(d.schema, d.columns, d.numRows));
}
