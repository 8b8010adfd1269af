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
  TimestampNTZType, arrayType, decimalType, fromJson, mapType, structField, structType, toJson, type DataType, type StructType,
} from "../types/data-type.js";
import type { FileFormat, FormatContext } from "./file-format.js";

const SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";
const PARQUET_WRITER = "parquet-rs via parquet-wasm";

/** The Spark type of a leaf (primitive) column. */
function leafType(el: SchemaElement): DataType {
  const lt = el.logical_type;
  switch (el.type) {
    case "BOOLEAN": return BooleanType;
    case "INT32":
      if (el.converted_type === "DATE" || lt?.type === "DATE") return DateType;
      if (el.converted_type === "DECIMAL" || lt?.type === "DECIMAL") return decimalType(el.precision ?? 9, el.scale ?? 0);
      if (el.converted_type === "INT_8" || (lt?.type === "INTEGER" && lt.bitWidth === 8)) return ByteType;
      if (el.converted_type === "INT_16" || (lt?.type === "INTEGER" && lt.bitWidth === 16)) return ShortType;
      return IntegerType;
    case "INT64":
      if (lt?.type === "TIMESTAMP") return lt.isAdjustedToUTC ? TimestampType : TimestampNTZType;
      if (el.converted_type === "TIMESTAMP_MICROS" || el.converted_type === "TIMESTAMP_MILLIS") return TimestampType;
      if (el.converted_type === "DECIMAL" || lt?.type === "DECIMAL") return decimalType(el.precision ?? 18, el.scale ?? 0);
      return LongType;
    case "INT96": return TimestampType;
    case "FLOAT": return FloatType;
    case "DOUBLE": return DoubleType;
    case "BYTE_ARRAY": case "FIXED_LEN_BYTE_ARRAY":
      if (el.converted_type === "DECIMAL" || lt?.type === "DECIMAL") return decimalType(el.precision ?? 38, el.scale ?? 0);
      return el.converted_type === "UTF8" || lt?.type === "STRING" || lt?.type === "JSON" || el.converted_type === "JSON" || lt?.type === "ENUM" ? StringType : BinaryType;
    default: return StringType;
  }
}

interface SchemaNode { readonly el: SchemaElement; readonly children: SchemaNode[] }

/** The flat, depth-first footer schema as a tree. */
function schemaTree(els: readonly SchemaElement[]): SchemaNode {
  let i = 0;
  const node = (): SchemaNode => {
    const el = els[i++]!;
    const children: SchemaNode[] = [];
    for (let k = 0; k < (el.num_children ?? 0); k++) children.push(node());
    return { el, children };
  };
  return node();
}

/** Spark's reading of a Parquet field: groups are structs, LIST/MAP annotations (and legacy repeated fields) collections. */
function fieldType(n: SchemaNode): DataType {
  const { el, children } = n;
  const annotation = el.converted_type ?? el.logical_type?.type;
  if (children.length === 0) {
    const t = leafType(el);
    return el.repetition_type === "REPEATED" ? arrayType(t, false) : t;
  }
  if (annotation === "LIST" && children.length === 1) {
    const repeated = children[0]!;
    // Standard 3-level list (repeated group with one child), or a legacy 2-level list.
    const element = repeated.children.length === 1 && repeated.el.name !== "array" && !repeated.el.name.endsWith("_tuple") ? repeated.children[0]! : repeated;
    return arrayType(element === repeated && repeated.children.length === 0 ? leafType(repeated.el) : fieldType({ el: { ...element.el, repetition_type: "OPTIONAL" }, children: element.children }), true);
  }
  if ((annotation === "MAP" || annotation === "MAP_KEY_VALUE") && children.length === 1 && children[0]!.children.length === 2) {
    const [k, v] = children[0]!.children as [SchemaNode, SchemaNode];
    return mapType(fieldType(k), fieldType(v), v.el.repetition_type !== "REQUIRED");
  }
  const struct = structType(children.map((c) => structField(c.el.name, fieldType(c), c.el.repetition_type !== "REQUIRED")));
  return el.repetition_type === "REPEATED" ? arrayType(struct, false) : struct;
}

function schemaFromFooter(buf: ArrayBuffer): StructType {
  const meta = parquetMetadata(buf);
  const spark = meta.key_value_metadata?.find((kv) => kv.key === SPARK_SCHEMA_KEY)?.value;
  if (spark) return fromJson(JSON.parse(spark)) as StructType;
  return structType(schemaTree(meta.schema).children.map((c) => structField(c.el.name, fieldType(c), c.el.repetition_type !== "REQUIRED")));
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
    case "map": {
      const m = new Map<unknown, unknown>();
      const entries = v instanceof Map ? [...v.entries()] : Array.isArray(v) ? (v as { key: unknown; value: unknown }[]).map((e) => [e.key, e.value] as const) : Object.entries(v as object);
      for (const [k, x] of entries) m.set(readerValue(k, t.keyType), readerValue(x, t.valueType));
      return m;
    }
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
