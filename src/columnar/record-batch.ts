/** A batch of rows stored by column, with its schema; the unit that flows between operators. */
import { structType, type StructType } from "../types/data-type.js";
import { concatVectors, getValue, sliceVector, takeVector, type ColumnVector } from "./column-vector.js";
import { VectorBuilder } from "./vector-builder.js";

export class RecordBatch {
  constructor(readonly schema: StructType, readonly columns: readonly ColumnVector[], readonly numRows: number) {}

  static empty(schema: StructType): RecordBatch {
    return new RecordBatch(schema, schema.fields.map((f) => new VectorBuilder(f.dataType, 1).build()), 0);
  }

  /** Builds a batch from rows given as positional arrays of internal values. */
  static fromRows(schema: StructType, rows: readonly (readonly unknown[])[]): RecordBatch {
    const builders = schema.fields.map((f) => new VectorBuilder(f.dataType, Math.max(rows.length, 1)));
    for (const r of rows) for (let c = 0; c < builders.length; c++) builders[c]!.append(r[c]);
    return new RecordBatch(schema, builders.map((b) => b.build()), rows.length);
  }

  static concat(schema: StructType, batches: readonly RecordBatch[]): RecordBatch {
    const nonEmpty = batches.filter((b) => b.numRows > 0);
    if (nonEmpty.length === 0) return RecordBatch.empty(schema);
    if (nonEmpty.length === 1) return new RecordBatch(schema, nonEmpty[0]!.columns, nonEmpty[0]!.numRows);
    const cols = schema.fields.map((f, c) => concatVectors(f.dataType, nonEmpty.map((b) => b.columns[c]!)));
    return new RecordBatch(schema, cols, nonEmpty.reduce((s, b) => s + b.numRows, 0));
  }

  row(i: number): unknown[] {
    const out = new Array<unknown>(this.columns.length);
    for (let c = 0; c < this.columns.length; c++) out[c] = getValue(this.columns[c]!, i);
    return out;
  }

  *rows(): Iterable<unknown[]> {
    for (let i = 0; i < this.numRows; i++) yield this.row(i);
  }

  take(idx: Int32Array | number[], count = idx.length): RecordBatch {
    return new RecordBatch(this.schema, this.columns.map((c) => takeVector(c, idx, count)), count);
  }

  slice(start: number, end: number): RecordBatch {
    const e = Math.min(end, this.numRows);
    return new RecordBatch(this.schema, this.columns.map((c) => sliceVector(c, start, e)), Math.max(0, e - start));
  }

  withSchema(schema: StructType): RecordBatch {
    return new RecordBatch(schema, this.columns, this.numRows);
  }

  select(ordinals: readonly number[]): RecordBatch {
    return new RecordBatch(structType(ordinals.map((o) => this.schema.fields[o]!)), ordinals.map((o) => this.columns[o]!), this.numRows);
  }
}
