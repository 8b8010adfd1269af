/**
 * `MemoryStream`: a test source fed from the program. Each `addData` call is one offset; offsets survive a restart
 * of the query as long as the MemoryStream object lives (as Spark's MemoryStream in StreamTest).
 */
import { RecordBatch } from "../columnar/record-batch.js";
import { toInternal } from "../types/external-value.js";
import type { StructType } from "../types/data-type.js";
import { counterOffsetProblem, type Offset, type ReadLimit, type StreamingSource, type StreamingSourceProvider } from "./streaming-source.js";

export class MemoryStreamSource implements StreamingSource, StreamingSourceProvider {
  readonly description = "MemoryStream";
  readonly format = "memory";
  readonly options = {};
  private readonly batches: RecordBatch[] = [];

  constructor(readonly schema: StructType) {}

  /** Adds rows (objects keyed by column name, arrays by position, or bare values for a one-column schema); returns the new offset. */
  addData(rows: readonly unknown[]): number {
    const fields = this.schema.fields;
    const internal = rows.map((r) => {
      if (Array.isArray(r)) return fields.map((f, i) => toInternal(r[i], f.dataType));
      if (r !== null && typeof r === "object" && !(r instanceof Date)) return fields.map((f) => toInternal((r as Record<string, unknown>)[f.name], f.dataType));
      return [toInternal(r, fields[0]!.dataType)];
    });
    this.batches.push(RecordBatch.fromRows(this.schema, internal));
    return this.batches.length - 1;
  }

  async create(): Promise<StreamingSource> { return this; }
  defaultReadLimit(): ReadLimit { return { kind: "all" }; }
  async latestOffset(start: Offset | null): Promise<Offset | null> {
    return this.batches.length === 0 ? start : this.batches.length - 1;
  }
  async getBatch(start: Offset | null, end: Offset): Promise<RecordBatch[]> {
    const from = start === null ? 0 : (start as number) + 1;
    return this.batches.slice(from, (end as number) + 1);
  }
  offsetProblem(offset: Offset): string | undefined { return counterOffsetProblem(offset, "a MemoryStream offset"); }
  async commit(): Promise<void> {}
  async stop(): Promise<void> {}
}
