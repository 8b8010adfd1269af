/** JSON Lines files (Spark's json format): one object per line, or a whole file with `multiLine`. */
import { DoubleType, LongType, BooleanType, StringType, arrayType, structField, structType, type DataType, type StructType } from "../types/data-type.js";
import { widerType } from "../analysis/type-coercion.js";
import { JsonFloat, JsonObject, jsonConverter, needsExactParse, parseJsonRecords, parseJsonValue, parseLenientRecord, toJsonText, type Converted, type JsonOptions } from "./json-codec.js";
import { RecordBatch } from "../columnar/record-batch.js";
import { VectorBuilder } from "../columnar/vector-builder.js";
import { isBlank, parseMode, splitLines, utf8Text, type FileFormat, type FormatContext } from "./file-format.js";
import { readRecords } from "./text-record-reader.js";

function jsonOptions(ctx: FormatContext): JsonOptions {
  return { timeZone: ctx.options["timeZone"] ?? ctx.timeZone, timestampFormat: ctx.options["timestampFormat"], dateFormat: ctx.options["dateFormat"], ignoreNullFields: ctx.options["ignoreNullFields"] !== "false", rawNestedText: true };
}

function inferValue(v: unknown): DataType {
  if (v === null) return { kind: "null" };
  if (typeof v === "boolean") return BooleanType;
  if (typeof v === "number") return Number.isInteger(v) ? LongType : DoubleType;
  if (typeof v === "string") return StringType;
  if (Array.isArray(v)) {
    let t: DataType = { kind: "null" };
    for (const x of v) t = widerType(t, inferValue(x)) ?? StringType;
    return arrayType(t.kind === "null" ? StringType : t);
  }
  return inferObject(v as Record<string, unknown>);
}
function inferObject(o: Record<string, unknown>): StructType {
  return structType(Object.keys(o).sort().map((k) => structField(k, inferValue(o[k]))));
}
function mergeStruct(a: StructType, b: StructType): StructType {
  const names = [...new Set([...a.fields.map((f) => f.name), ...b.fields.map((f) => f.name)])].sort();
  return structType(names.map((n) => {
    const x = a.fields.find((f) => f.name === n)?.dataType, y = b.fields.find((f) => f.name === n)?.dataType;
    if (!x || !y) return structField(n, (x ?? y)!);
    if (x.kind === "struct" && y.kind === "struct") return structField(n, mergeStruct(x, y));
    return structField(n, widerType(x, y) ?? StringType);
  }));
}
function finalize(t: DataType): DataType {
  if (t.kind === "null") return StringType;
  if (t.kind === "struct") return structType(t.fields.map((f) => structField(f.name, finalize(f.dataType))));
  if (t.kind === "array") return arrayType(finalize(t.elementType));
  return t;
}

/**
 * PERMISSIVE reading without per-record allocation of our own: each parsed object's fields are converted into one
 * reused scratch row and appended to the column builders. Top-level arrays and unparsable lines take the general
 * path (one row per element; all nulls plus the corrupt-record text).
 */
function readPermissive(records: readonly string[], schema: StructType, options: Readonly<Record<string, string>>, o: JsonOptions): RecordBatch {
  const corruptName = options["columnNameOfCorruptRecord"] ?? "_corrupt_record";
  const corruptIdx = schema.fields.findIndex((f) => f.name === corruptName && f.dataType.kind === "string");
  const dataIdx = schema.fields.map((_, i) => i).filter((i) => i !== corruptIdx);
  const dataSchema = structType(dataIdx.map((i) => schema.fields[i]!));
  const names = dataSchema.fields.map((f) => f.name);
  const convs = dataSchema.fields.map((f) => jsonConverter(f.dataType, o));
  const general = jsonConverter(dataSchema, o);
  const builders = schema.fields.map((f) => new VectorBuilder(f.dataType, Math.max(records.length, 16)));
  const scratch = new Array<unknown>(names.length);
  const state: Converted = { value: null, bad: false, inexact: false };
  const k = names.length;
  let n = 0;
  const convert = (obj: Record<string, unknown>): void => {
    state.bad = false;
    state.inexact = false;
    for (let f = 0; f < k; f++) {
      const v = obj[names[f]!];
      scratch[f] = v === null || v === undefined ? null : convs[f]!(v, state);
    }
  };
  const emit = (row: readonly unknown[] | null, corrupt: string | null): void => {
    for (let f = 0; f < k; f++) builders[dataIdx[f]!]!.append(row === null ? null : row[f]);
    if (corruptIdx >= 0) builders[corruptIdx]!.append(corrupt);
    n++;
  };
  for (const rec of records) {
    let parsed: unknown;
    try { parsed = JSON.parse(rec); } catch { parsed = parseLenientRecord(rec); } // single quotes, trailing content
    // Float tokens (`2.0` is no INT) and integers beyond 2^53 (BIGINT overflow is malformed) need the exact parser.
    if (parsed !== undefined && !(parsed instanceof JsonObject) && needsExactParse(rec)) { try { parsed = parseJsonValue(rec); } catch { parsed = undefined; } }
    if (parsed instanceof JsonObject) parsed = parsed.record();
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) && !(parsed instanceof JsonFloat)) {
      convert(parsed as Record<string, unknown>);
      if (state.inexact) convert((parseJsonValue(rec, true) as JsonObject).record()); // an object into a STRING field: keep its text
      emit(scratch, state.bad ? rec : null);
      continue;
    }
    state.bad = false;
    const rows = parsed === undefined ? null : parseJsonRecords(rec, general, state);
    if (rows === null) { emit(null, rec); continue; }
    for (const r of rows) emit(r, state.bad ? rec : null); // `[]` is an empty array of records: no rows
  }
  return new RecordBatch(schema, builders.map((b) => b.build()), n);
}

export const jsonFormat: FileFormat = {
  name: "json",
  extension: ".json",
  async read(path: string, schema: StructType, ctx: FormatContext): Promise<RecordBatch> {
    const text = utf8Text(await ctx.fs.read(path));
    const records = ctx.options["multiLine"] === "true" ? [text] : splitLines(text, ctx.options["lineSep"]).filter((l) => !isBlank(l));
    const o = jsonOptions(ctx);
    if (parseMode(ctx.options) === "PERMISSIVE") return readPermissive(records, schema, ctx.options, o);
    let conv: ReturnType<typeof jsonConverter> | undefined;
    let convFor: StructType | undefined;
    return readRecords(records, schema, ctx.options, path, (rec, dataSchema, state) => {
      if (convFor !== dataSchema) { conv = jsonConverter(dataSchema, o); convFor = dataSchema; }
      return parseJsonRecords(rec, conv!, state);
    });
  },
  async encode(batch: RecordBatch, ctx: FormatContext): Promise<Uint8Array> {
    const o = jsonOptions(ctx);
    const lines: string[] = [];
    for (const row of batch.rows()) lines.push(toJsonText(row, batch.schema, o));
    return Buffer.from(lines.length === 0 ? "" : lines.join("\n") + "\n");
  },
  inferSchema(contents: readonly Uint8Array[], options: Readonly<Record<string, string>>): StructType {
    let schema: StructType = structType([]);
    for (const bytes of contents) {
      const text = Buffer.from(bytes).toString("utf8");
      const records = options["multiLine"] === "true" ? [text] : splitLines(text).filter((l) => !isBlank(l));
      for (const r of records) {
        try {
          const v = JSON.parse(r) as unknown;
          for (const o of Array.isArray(v) ? v : [v]) if (typeof o === "object" && o !== null) schema = mergeStruct(schema, inferObject(o as Record<string, unknown>));
        } catch { schema = mergeStruct(schema, structType([structField(options["columnNameOfCorruptRecord"] ?? "_corrupt_record", StringType)])); }
      }
    }
    return finalize(schema) as StructType;
  },
};
