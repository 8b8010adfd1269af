/**
 * Parquet files: read with hyparquet (pure JS), written by Rust's parquet writer (parquet-wasm) from Arrow data built
 * straight from Sluice's columns. Types map as Spark writes them (decimals as INT32/INT64/FIXED_LEN_BYTE_ARRAY by
 * precision), except timestamps, written as INT64 TIMESTAMP(MICROS, UTC) — which Spark, pyarrow and DuckDB all read —
 * instead of Spark's legacy INT96. Spark's schema JSON goes into the footer as `org.apache.spark.sql.parquet.row.metadata`.
 */
import { parquetMetadata, parquetReadObjects, type SchemaElement } from "hyparquet";
import { tableToIPC } from "apache-arrow";
import { Compression, Table, WriterPropertiesBuilder, writeParquet } from "parquet-wasm/node";
import { toArrowTable } from "./arrow-conversion.js";
import { RecordBatch } from "../columnar/record-batch.js";
import { VectorBuilder } from "../columnar/vector-builder.js";

import {
  BinaryType, BooleanType, ByteType, DateType, DoubleType, FloatType, IntegerType, LongType, ShortType, StringType, TimestampType,
  TimestampNTZType, arrayType, decimalType, fromJson, structField, structType, toJson, type DataType, type StructType,
} from "../types/data-type.js";
import type { FileFormat, FormatContext } from "./file-format.js";

const SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";
const PARQUET_WRITER = "parquet-rs via parquet-wasm";

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
    const table = Table.fromIPCStream(tableToIPC(toArrowTable(batch), "stream"));
    const props = new WriterPropertiesBuilder()
      .setCompression(Compression.SNAPPY)
      .setCreatedBy(`sluice (${PARQUET_WRITER})`)
      .setKeyValueMetadata(new Map([[SPARK_SCHEMA_KEY, JSON.stringify(toJson(batch.schema))]]))
      .build();
    return writeParquet(table, props);
  },
  inferSchema(contents: readonly Uint8Array[]): StructType {
    const bytes = contents[0];
    if (bytes === undefined) return structType([]);
    return schemaFromFooter(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  },
};
