/**
 * Parquet files through hyparquet (read) and hyparquet-writer (write). Types map as Spark writes them, except
 * timestamps, written as INT64 TIMESTAMP(MICROS, UTC) — which Spark, pyarrow and DuckDB all read — instead of
 * Spark's legacy INT96. Spark's schema JSON goes into the footer as `org.apache.spark.sql.parquet.row.metadata`.
 */
import { parquetMetadata, parquetReadObjects, type SchemaElement } from "hyparquet";
import { parquetWriteBuffer } from "hyparquet-writer";
import { RecordBatch } from "../columnar/record-batch.js";
import { getValue, type ColumnVector } from "../columnar/column-vector.js";
import { VectorBuilder } from "../columnar/vector-builder.js";
import { SluiceError } from "../errors/sluice-error.js";
import {
  BinaryType, BooleanType, ByteType, DateType, DoubleType, FloatType, IntegerType, LongType, ShortType, StringType, TimestampType,
  TimestampNTZType, arrayType, decimalType, fromJson, simpleString, structField, structType, toJson, type DataType, type StructType,
} from "../types/data-type.js";
import type { FileFormat, FormatContext } from "./file-format.js";

const SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";

function leafElement(name: string, t: DataType, nullable: boolean): SchemaElement {
  const repetition_type = nullable ? "OPTIONAL" : "REQUIRED";
  switch (t.kind) {
    case "boolean": return { name, type: "BOOLEAN", repetition_type };
    // Only the legacy converted type: hyparquet-writer's encoding of the INTEGER logical type is not readable by
    // pyarrow, and every reader maps INT_8 / INT_16 to tinyint / smallint.
    case "byte": return { name, type: "INT32", repetition_type, converted_type: "INT_8" };
    case "short": return { name, type: "INT32", repetition_type, converted_type: "INT_16" };
    case "integer": return { name, type: "INT32", repetition_type };
    case "long": return { name, type: "INT64", repetition_type };
    case "float": return { name, type: "FLOAT", repetition_type };
    case "double": return { name, type: "DOUBLE", repetition_type };
    case "string": return { name, type: "BYTE_ARRAY", repetition_type, converted_type: "UTF8", logical_type: { type: "STRING" } };
    case "binary": return { name, type: "BYTE_ARRAY", repetition_type };
    case "date": return { name, type: "INT32", repetition_type, converted_type: "DATE", logical_type: { type: "DATE" } };
    case "timestamp": case "timestamp_ntz":
      return { name, type: "INT64", repetition_type, converted_type: t.kind === "timestamp" ? "TIMESTAMP_MICROS" : undefined,
        logical_type: { type: "TIMESTAMP", isAdjustedToUTC: t.kind === "timestamp", unit: "MICROS" } } as SchemaElement;
    case "decimal": {
      // As Spark (non-legacy format): INT32 up to 9 digits, INT64 up to 18, else the fewest fixed bytes.
      const logical = { converted_type: "DECIMAL" as const, precision: t.precision, scale: t.scale, logical_type: { type: "DECIMAL" as const, precision: t.precision, scale: t.scale } };
      if (t.precision <= 9) return { name, type: "INT32", repetition_type, ...logical };
      if (t.precision <= 18) return { name, type: "INT64", repetition_type, ...logical };
      return { name, type: "FIXED_LEN_BYTE_ARRAY", type_length: minBytesForPrecision(t.precision), repetition_type, ...logical };
    }
    default: break;
  }
  throw new SluiceError("NOT_IMPLEMENTED", `Writing ${simpleString(t)} columns to Parquet is not supported yet (column ${name}).`, { params: { column: name, dataType: simpleString(t) } });
}

/** Spark's `Decimal.minBytesForPrecision`: bytes of a two's-complement integer able to hold `precision` digits. */
export function minBytesForPrecision(precision: number): number {
  let n = 1;
  while (2n ** BigInt(8 * n - 1) < 10n ** BigInt(precision)) n++;
  return n;
}

function schemaElements(schema: StructType): SchemaElement[] {
  const out: SchemaElement[] = [{ name: "spark_schema", num_children: schema.fields.length }];
  const add = (name: string, t: DataType, nullable: boolean): void => {
    if (t.kind === "struct") {
      out.push({ name, repetition_type: nullable ? "OPTIONAL" : "REQUIRED", num_children: t.fields.length });
      for (const f of t.fields) add(f.name, f.dataType, f.nullable);
    } else if (t.kind === "array") {
      out.push({ name, repetition_type: nullable ? "OPTIONAL" : "REQUIRED", num_children: 1, converted_type: "LIST", logical_type: { type: "LIST" } });
      out.push({ name: "list", repetition_type: "REPEATED", num_children: 1 });
      add("element", t.elementType, t.containsNull);
    } else {
      out.push(leafElement(name, t, nullable));
    }
  };
  for (const f of schema.fields) add(f.name, f.dataType, f.nullable);
  return out;
}

/** Internal value → the value hyparquet-writer expects for that type. */
function writerValue(v: unknown, t: DataType): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case "long": return BigInt(v as number);
    case "timestamp": case "timestamp_ntz": return BigInt(Math.round(v as number));
    case "struct": { const o: Record<string, unknown> = {}; t.fields.forEach((f, i) => { o[f.name] = writerValue((v as unknown[])[i], f.dataType); }); return o; }
    case "array": return (v as unknown[]).map((x) => writerValue(x, t.elementType));
    default: return v;
  }
}

/** A column in the form hyparquet-writer takes, without copying where the layouts already agree. */
function writerColumn(col: ColumnVector, t: DataType): unknown[] | Float64Array | Int32Array | BigInt64Array {
  const n = col.length, vals = col.values;
  switch (t.kind) {
    case "string": case "binary":
      if (Array.isArray(vals)) return vals; // strings (or bytes) with null for null: already the writer's form
      break;
    case "double": case "integer": case "date":
      if (!Array.isArray(vals) && col.nulls === null) return vals as Float64Array | Int32Array;
      break;
    case "long": case "timestamp": case "timestamp_ntz":
      if (!Array.isArray(vals) && col.nulls === null) {
        const out = new BigInt64Array(n);
        for (let i = 0; i < n; i++) out[i] = BigInt(Math.round(vals[i]!));
        return out;
      }
      break;
    default: break;
  }
  const data = new Array<unknown>(n);
  for (let i = 0; i < n; i++) data[i] = writerValue(getValue(col, i), t);
  return data;
}

function sparkTypeOf(el: SchemaElement, children: SchemaElement[]): DataType {
  const lt = el.logical_type;
  if (children.length > 0 || el.num_children) {
    if (el.converted_type === "LIST" || lt?.type === "LIST") {
      const repeated = children[0]!;
      return arrayType(repeated.type !== undefined ? sparkTypeOf(repeated, []) : StringType);
    }
    return StringType;
  }
  switch (el.type) {
    case "BOOLEAN": return BooleanType;
    case "INT32":
      if (el.converted_type === "DATE" || lt?.type === "DATE") return DateType;
      if (el.converted_type === "DECIMAL") return decimalType(el.precision ?? 9, el.scale ?? 0);
      if (el.converted_type === "INT_8" || (lt?.type === "INTEGER" && lt.bitWidth === 8)) return ByteType;
      if (el.converted_type === "INT_16" || (lt?.type === "INTEGER" && lt.bitWidth === 16)) return ShortType;
      return IntegerType;
    case "INT64":
      if (lt?.type === "TIMESTAMP") return lt.isAdjustedToUTC ? TimestampType : TimestampNTZType;
      if (el.converted_type === "TIMESTAMP_MICROS" || el.converted_type === "TIMESTAMP_MILLIS") return TimestampType;
      if (el.converted_type === "DECIMAL") return decimalType(el.precision ?? 18, el.scale ?? 0);
      return LongType;
    case "INT96": return TimestampType;
    case "FLOAT": return FloatType;
    case "DOUBLE": return DoubleType;
    case "BYTE_ARRAY": case "FIXED_LEN_BYTE_ARRAY":
      if (el.converted_type === "DECIMAL") return decimalType(el.precision ?? 38, el.scale ?? 0);
      return el.converted_type === "UTF8" || lt?.type === "STRING" || lt?.type === "JSON" || el.converted_type === "JSON" ? StringType : BinaryType;
  }
  return StringType;
}

function schemaFromFooter(buf: ArrayBuffer): StructType {
  const meta = parquetMetadata(buf);
  const spark = meta.key_value_metadata?.find((kv) => kv.key === SPARK_SCHEMA_KEY)?.value;
  if (spark) return fromJson(JSON.parse(spark)) as StructType;
  const els = meta.schema;
  const fields = [];
  let i = 1;
  while (i < els.length) {
    const el = els[i]!;
    const kids: SchemaElement[] = [];
    let j = i + 1;
    let pending = el.num_children ?? 0;
    while (pending > 0 && j < els.length) { const k = els[j]!; kids.push(k); pending += (k.num_children ?? 0) - 1; j++; }
    const leafKids = kids.filter((k) => !k.num_children);
    fields.push(structField(el.name, sparkTypeOf(el, leafKids.length > 0 ? leafKids : kids), el.repetition_type !== "REQUIRED"));
    i = j;
  }
  return structType(fields);
}

/** Reader value (bigint, Date, object) → internal value of `t`. */
function readerValue(v: unknown, t: DataType): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case "long": return typeof v === "bigint" ? (v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v) : v;
    case "timestamp": case "timestamp_ntz": return v instanceof Date ? v.getTime() * 1000 : Number(v);
    case "date": return v instanceof Date ? Math.floor(v.getTime() / 86_400_000) : Number(v);
    case "integer": case "short": case "byte": case "float": case "double": case "decimal": return Number(v);
    case "string": return typeof v === "string" ? v : Buffer.from(v as Uint8Array).toString("utf8");
    case "struct": { const o = v as Record<string, unknown>; return t.fields.map((f) => readerValue(o[f.name], f.dataType)); }
    case "array": return (v as unknown[]).map((x) => readerValue(x, t.elementType));
    default: return v;
  }
}

export const parquetFormat: FileFormat = {
  name: "parquet",
  extension: ".snappy.parquet",
  async read(path: string, schema: StructType, ctx: FormatContext): Promise<RecordBatch> {
    const bytes = await ctx.fs.read(path);
    const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const fileSchema = schemaFromFooter(buf);
    const present = new Set(fileSchema.fields.map((f) => f.name));
    const rows = await parquetReadObjects({
      file: buf, columns: schema.fields.filter((f) => present.has(f.name)).map((f) => f.name),
      parsers: { timestampFromMicroseconds: (x: bigint) => Number(x), timestampFromMilliseconds: (x: bigint) => Number(x) * 1000, timestampFromNanoseconds: (x: bigint) => Number(x / 1000n), dateFromDays: (d: number) => d },
    });
    const builders = schema.fields.map((f) => new VectorBuilder(f.dataType, Math.max(rows.length, 1)));
    for (const r of rows) {
      for (let c = 0; c < builders.length; c++) {
        const f = schema.fields[c]!;
        builders[c]!.append(readerValue((r as Record<string, unknown>)[f.name], f.dataType));
      }
    }
    return new RecordBatch(schema, builders.map((b) => b.build()), rows.length);
  },
  async encode(batch: RecordBatch): Promise<Uint8Array> {
    const schema = batch.schema;
    const columnData = schema.fields.map((f, c) => ({ name: f.name, data: writerColumn(batch.columns[c]!, f.dataType) }));
    const buf = parquetWriteBuffer({
      columnData: columnData as never, schema: schemaElements(schema),
      kvMetadata: [{ key: SPARK_SCHEMA_KEY, value: JSON.stringify(toJson(schema)) }], createdBy: "sluice",
    });
    return new Uint8Array(buf);
  },
  inferSchema(contents: readonly Uint8Array[]): StructType {
    const bytes = contents[0];
    if (bytes === undefined) return structType([]);
    return schemaFromFooter(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  },
};
