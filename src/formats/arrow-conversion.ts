/**
 * Sluice columns → Apache Arrow data, built directly into Arrow buffers (fixed-width columns reuse or convert their
 * typed arrays; strings are UTF-8 encoded in one pass into one buffer). Used to hand batches to the Parquet writer.
 */
import {
  Binary, Bool, DateDay, Decimal, Field, Float32, Float64, Int16, Int32, Int64, Int8, List, Map_, Null, Struct, Table,
  TimestampMicrosecond, Utf8, Vector, makeData, type Data, type DataType as ArrowType,
} from "apache-arrow";
import { getValue, type ColumnVector } from "../columnar/column-vector.js";
import type { RecordBatch } from "../columnar/record-batch.js";
import { SluiceError } from "../errors/sluice-error.js";
import { simpleString, type DataType } from "../types/data-type.js";

export function arrowType(t: DataType, nullable = true): ArrowType {
  switch (t.kind) {
    case "boolean": return new Bool();
    case "byte": return new Int8();
    case "short": return new Int16();
    case "integer": return new Int32();
    case "long": return new Int64();
    case "float": return new Float32();
    case "double": return new Float64();
    case "string": return new Utf8();
    case "binary": return new Binary();
    case "date": return new DateDay();
    case "timestamp": return new TimestampMicrosecond("UTC");
    case "timestamp_ntz": return new TimestampMicrosecond();
    case "decimal": return new Decimal(t.scale, t.precision, 128);
    case "null": return new Null();
    case "array": return new List(new Field("element", arrowType(t.elementType), t.containsNull));
    case "struct": return new Struct(t.fields.map((f) => new Field(f.name, arrowType(f.dataType), f.nullable)));
    case "map": {
      const entries = new Struct([new Field("key", arrowType(t.keyType), false), new Field("value", arrowType(t.valueType), t.valueContainsNull)] as never[]);
      return new Map_(new Field("entries", entries, false) as never);
    }
    case "interval":
      throw new SluiceError("NOT_IMPLEMENTED", `Cannot save interval data type into external storage (Spark does not either); cast the column to a string.`, { params: { dataType: simpleString(t) } });
  }
  void nullable;
}

/** Arrow validity bitmap (bit set = valid) from row values; null when nothing is null. */
function validity(n: number, isNull: (i: number) => boolean): { bitmap: Uint8Array | null; nullCount: number } {
  let nullCount = 0;
  const bitmap = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) {
    if (isNull(i)) nullCount++;
    else bitmap[i >> 3]! |= 1 << (i & 7);
  }
  return { bitmap: nullCount === 0 ? null : bitmap, nullCount };
}

/** UTF-8 data and offsets of strings (null entries become empty). */
function utf8Buffers(values: readonly unknown[], n: number): { offsets: Int32Array; data: Uint8Array } {
  const offsets = new Int32Array(n + 1);
  let cap = 16;
  for (let i = 0; i < n; i++) { const s = values[i]; if (typeof s === "string") cap += s.length; }
  let data = Buffer.allocUnsafe(cap);
  let off = 0;
  for (let i = 0; i < n; i++) {
    const s = values[i];
    if (typeof s === "string" && s.length > 0) {
      if (off + s.length * 3 > data.length) {
        const bigger = Buffer.allocUnsafe(Math.max(data.length * 2, off + s.length * 3));
        data.copy(bigger, 0, 0, off);
        data = bigger;
      }
      off += data.write(s, off, "utf8");
    }
    offsets[i + 1] = off;
  }
  return { offsets, data: data.subarray(0, off) };
}

function binaryBuffers(values: readonly unknown[], n: number): { offsets: Int32Array; data: Uint8Array } {
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) { const b = values[i]; total += b instanceof Uint8Array ? b.length : 0; offsets[i + 1] = total; }
  const data = new Uint8Array(total);
  for (let i = 0; i < n; i++) { const b = values[i]; if (b instanceof Uint8Array) data.set(b, offsets[i]!); }
  return { offsets, data };
}

/** Arrow data for `n` internal values of type `t` (values given as a JS array, null for null). */
function dataFromValues(t: DataType, values: readonly unknown[], n: number): Data {
  const { bitmap, nullCount } = validity(n, (i) => values[i] === null || values[i] === undefined);
  const type = arrowType(t);
  const base = { type, length: n, nullCount, nullBitmap: bitmap } as const;
  switch (t.kind) {
    case "boolean": {
      const bits = new Uint8Array((n + 7) >> 3);
      for (let i = 0; i < n; i++) if (values[i] === true) bits[i >> 3]! |= 1 << (i & 7);
      return makeData({ ...base, type: type as Bool, data: bits });
    }
    case "byte": return makeData({ ...base, type: type as Int8, data: Int8Array.from(values, (v) => (v as number | null) ?? 0) });
    case "short": return makeData({ ...base, type: type as Int16, data: Int16Array.from(values, (v) => (v as number | null) ?? 0) });
    case "integer": return makeData({ ...base, type: type as Int32, data: Int32Array.from(values, (v) => (v as number | null) ?? 0) });
    case "date": return makeData({ ...base, type: type as DateDay, data: Int32Array.from(values, (v) => (v as number | null) ?? 0) });
    case "long": case "timestamp": case "timestamp_ntz":
      return makeData({ ...base, type: type as Int64, data: BigInt64Array.from(values, (v) => (v === null || v === undefined ? 0n : typeof v === "bigint" ? v : BigInt(Math.round(v as number)))) });
    case "float": return makeData({ ...base, type: type as Float32, data: Float32Array.from(values, (v) => (v as number | null) ?? 0) });
    case "double": return makeData({ ...base, type: type as Float64, data: Float64Array.from(values, (v) => (v as number | null) ?? 0) });
    case "string": { const { offsets, data } = utf8Buffers(values, n); return makeData({ ...base, type: type as Utf8, valueOffsets: offsets, data }); }
    case "binary": { const { offsets, data } = binaryBuffers(values, n); return makeData({ ...base, type: type as Binary, valueOffsets: offsets, data }); }
    case "decimal": {
      const words = new Uint32Array(n * 4);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null || v === undefined) continue;
        let u = BigInt.asUintN(128, v as bigint); // the unscaled value, exact
        for (let w = 0; w < 4; w++) { words[i * 4 + w] = Number(u & 0xffffffffn); u >>= 32n; }
      }
      return makeData({ ...base, type: type as Decimal, data: words });
    }
    case "null": return makeData({ type: new Null(), length: n, nullCount: n });
    case "array": {
      const offsets = new Int32Array(n + 1);
      const flat: unknown[] = [];
      for (let i = 0; i < n; i++) { const a = values[i] as unknown[] | null; if (a) for (const x of a) flat.push(x); offsets[i + 1] = flat.length; }
      return makeData({ ...base, type: type as List, valueOffsets: offsets, child: dataFromValues(t.elementType, flat, flat.length) });
    }
    case "struct": {
      const children = t.fields.map((f, k) => dataFromValues(f.dataType, values.map((v) => (v === null || v === undefined ? null : (v as unknown[])[k])), n));
      return makeData({ ...base, type: type as Struct, children });
    }
    case "map": {
      const offsets = new Int32Array(n + 1);
      const keys: unknown[] = [], vals: unknown[] = [];
      for (let i = 0; i < n; i++) { const m = values[i] as Map<unknown, unknown> | null; if (m) for (const [k, v] of m) { keys.push(k); vals.push(v); } offsets[i + 1] = keys.length; }
      const entryType = (type as Map_).children[0]!.type as Struct;
      const entries = makeData({ type: entryType, length: keys.length, nullCount: 0, children: [dataFromValues(t.keyType, keys, keys.length), dataFromValues(t.valueType, vals, vals.length)] });
      return makeData({ ...base, type: type as Map_, valueOffsets: offsets, child: entries });
    }
    case "interval": throw new SluiceError("NOT_IMPLEMENTED", "Cannot save interval data type into external storage; cast the column to a string.", {});
  }
}

/** Arrow data for a column, reusing its typed array where the layouts agree. */
function dataFromColumn(col: ColumnVector, t: DataType): Data {
  const vals = col.values, n = col.length;
  if (!Array.isArray(vals)) {
    const nl = col.nulls;
    const { bitmap, nullCount } = nl === null ? { bitmap: null, nullCount: 0 } : validity(n, (i) => nl[i] === 1);
    const base = { length: n, nullCount, nullBitmap: bitmap };
    switch (t.kind) {
      case "integer": return makeData({ ...base, type: new Int32(), data: vals as Int32Array });
      case "date": return makeData({ ...base, type: new DateDay(), data: vals as Int32Array });
      case "double": return makeData({ ...base, type: new Float64(), data: vals as Float64Array });
      case "float": return makeData({ ...base, type: new Float32(), data: Float32Array.from(vals) });
      case "byte": return makeData({ ...base, type: new Int8(), data: Int8Array.from(vals) });
      case "short": return makeData({ ...base, type: new Int16(), data: Int16Array.from(vals) });
      case "long": case "timestamp": case "timestamp_ntz": {
        const out = new BigInt64Array(n);
        for (let i = 0; i < n; i++) out[i] = BigInt(vals[i]!);
        return makeData({ ...base, type: arrowType(t) as Int64, data: out });
      }
      case "boolean": {
        const bits = new Uint8Array((n + 7) >> 3);
        for (let i = 0; i < n; i++) if (vals[i] === 1) bits[i >> 3]! |= 1 << (i & 7);
        return makeData({ ...base, type: new Bool(), data: bits });
      }
      default: break;
    }
  }
  const values = Array.isArray(vals) ? vals : Array.from({ length: n }, (_, i) => getValue(col, i));
  return dataFromValues(t, values, n);
}

/** An Arrow table with the batch's columns. */
export function toArrowTable(batch: RecordBatch): Table {
  const names = batch.schema.fields.map((f) => f.name.toLowerCase());
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) {
    throw new SluiceError("INVALID_SCHEMA", `Found duplicate column(s) in the data schema: \`${dup}\`. Rename or drop one before writing.`, { params: { columnName: dup } });
  }
  const columns: Record<string, Vector> = {};
  batch.schema.fields.forEach((f, c) => { columns[f.name] = new Vector([dataFromColumn(batch.columns[c]!, f.dataType)]); });
  return new Table(columns);
}
