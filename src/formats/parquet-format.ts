/**
 * Parquet files: read with hyparquet (pure JS), written by Rust's parquet writer (parquet-wasm) from Arrow data built
 * straight from Sluice's columns. Types map as Spark writes them (decimals as INT32/INT64/FIXED_LEN_BYTE_ARRAY by
 * precision), except timestamps, written as INT64 TIMESTAMP(MICROS, UTC) — which Spark, pyarrow and DuckDB all read —
 * instead of Spark's legacy INT96. Spark's schema JSON goes into the footer as `org.apache.spark.sql.parquet.row.metadata`.
 */
import { parquetMetadata, parquetReadObjects, type FileMetaData, type SchemaElement } from "hyparquet";
import { SluiceError } from "../errors/sluice-error.js";
import { rescale } from "../types/decimal.js";
import { tableToIPC } from "apache-arrow";
import { Compression, Table, WriterPropertiesBuilder, writeParquet } from "parquet-wasm/node";
import { toArrowTable } from "./arrow-conversion.js";
import { RecordBatch } from "../columnar/record-batch.js";
import { VectorBuilder } from "../columnar/vector-builder.js";

import {
  BinaryType, BooleanType, ByteType, DateType, DoubleType, FloatType, IntegerType, LongType, ShortType, StringType, TimestampType,
  TimestampNTZType, arrayType, decimalType, fromJson, mapType, sameType, simpleString, structField, structType, toJson, type DataType, type StructType,
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

function isDecimalElement(el: SchemaElement): boolean {
  return el.converted_type === "DECIMAL" || el.logical_type?.type === "DECIMAL";
}

/** Whether a Parquet column of Spark type `file` can be read as `want` (equal, or one of Spark's safe widenings). */
function readableAs(file: DataType, want: DataType): boolean {
  if (sameType(file, want, true)) return true;
  switch (file.kind) {
    case "byte": case "short": return want.kind === "short" || want.kind === "integer" || want.kind === "long" || want.kind === "double";
    case "integer": return want.kind === "long" || want.kind === "double";
    case "float": return want.kind === "double";
    case "date": return want.kind === "timestamp_ntz";
    case "decimal": return want.kind === "decimal" && want.scale >= file.scale && want.precision - want.scale >= file.precision - file.scale;
    case "struct": return want.kind === "struct";
    case "array": return want.kind === "array" && readableAs(file.elementType, want.elementType);
    case "map": return want.kind === "map" && readableAs(file.keyType, want.keyType) && readableAs(file.valueType, want.valueType);
    default: return false;
  }
}

function corruptFile(path: string, cause: unknown): SluiceError {
  return new SluiceError("FAILED_READ_FILE.NO_HINT", `Encountered error while reading file ${path}: ${(cause as Error)?.message ?? String(cause)}`, { params: { path }, cause });
}

/** A raw decimal from the reader (INT32 number, INT64 bigint, or big-endian two's-complement bytes) as its unscaled bigint. */
function rawUnscaled(v: unknown): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return BigInt(v);
  const b = v as Uint8Array;
  let n = 0n;
  for (const x of b) n = (n << 8n) | BigInt(x);
  if (b.length > 0 && (b[0]! & 0x80) !== 0) n -= 1n << BigInt(b.length * 8);
  return n;
}

/** Reader value (bigint, Date, object) of a column of file type `ft` → internal value of `t`. */
function readerValue(v: unknown, t: DataType, ft: DataType = t): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case "decimal": return rescale(rawUnscaled(v), ft.kind === "decimal" ? ft.scale : 0, t.scale);
    case "long": return typeof v === "bigint" ? (v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v) : v;
    case "timestamp": case "timestamp_ntz": return v instanceof Date ? v.getTime() * 1000 : Number(v);
    case "date": return v instanceof Date ? Math.floor(v.getTime() / 86_400_000) : Number(v);
    case "integer": case "short": case "byte": case "float": case "double": return Number(v);
    case "string": return typeof v === "string" ? v : Buffer.from(v as Uint8Array).toString("utf8");
    case "struct": {
      const o = v as Record<string, unknown>;
      const fs = ft.kind === "struct" ? new Map(ft.fields.map((f) => [f.name, f.dataType])) : undefined;
      return t.fields.map((f) => readerValue(o[f.name], f.dataType, fs?.get(f.name) ?? f.dataType));
    }
    case "array": return (v as unknown[]).map((x) => readerValue(x, t.elementType, ft.kind === "array" ? ft.elementType : t.elementType));
    case "map": {
      const m = new Map<unknown, unknown>();
      const entries = v instanceof Map ? [...v.entries()] : Array.isArray(v) ? (v as { key: unknown; value: unknown }[]).map((e) => [e.key, e.value] as const) : Object.entries(v as object);
      for (const [k, x] of entries) m.set(readerValue(k, t.keyType, ft.kind === "map" ? ft.keyType : t.keyType), readerValue(x, t.valueType, ft.kind === "map" ? ft.valueType : t.valueType));
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
    let meta: FileMetaData;
    try { meta = parquetMetadata(buf); } catch (e) { throw corruptFile(path, e); }
    const fileSchema = schemaFromFooter(buf);
    const fileTypes = new Map(fileSchema.fields.map((f) => [f.name, f.dataType]));
    for (const f of schema.fields) {
      const ft = fileTypes.get(f.name);
      if (ft !== undefined && !readableAs(ft, f.dataType)) {
        throw new SluiceError("FAILED_READ_FILE.PARQUET_COLUMN_DATA_TYPE_MISMATCH",
          `Encountered error while reading file ${path}. Data type mismatches when reading Parquet column ${f.name}. Expected Spark type ${simpleString(f.dataType)}, actual Parquet type ${simpleString(ft)}.`,
          { params: { path, column: f.name, expectedType: simpleString(f.dataType), actualType: simpleString(ft) } });
      }
    }
    // Decimals are read as their raw unscaled integers (hyparquet would turn them into doubles) and kept exact.
    const rawMeta: FileMetaData = { ...meta, schema: meta.schema.map((el) => (isDecimalElement(el) ? { ...el, converted_type: undefined, logical_type: undefined } : el)) };
    const read = parquetReadObjects({
      file: buf, metadata: rawMeta, columns: schema.fields.filter((f) => fileTypes.has(f.name)).map((f) => f.name),
      parsers: { timestampFromMicroseconds: (x: bigint) => Number(x), timestampFromMilliseconds: (x: bigint) => Number(x) * 1000, timestampFromNanoseconds: (x: bigint) => Number(x / 1000n), dateFromDays: (d: number) => d },
    });
    let rows: Record<string, unknown>[];
    try { rows = await read; } catch (e) { throw corruptFile(path, e); }
    const builders = schema.fields.map((f) => new VectorBuilder(f.dataType, Math.max(rows.length, 1)));
    for (const r of rows) {
      for (let c = 0; c < builders.length; c++) {
        const f = schema.fields[c]!;
        builders[c]!.append(readerValue((r as Record<string, unknown>)[f.name], f.dataType, fileTypes.get(f.name) ?? f.dataType));
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
