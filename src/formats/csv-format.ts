/** CSV files with Spark's options (`header`, `sep`, `quote`, `escape`, `nullValue`, `inferSchema`, parse modes). */
import type { RecordBatch } from "../columnar/record-batch.js";
import { DoubleType, IntegerType, LongType, StringType, BooleanType, TimestampType, structField, structType, type DataType, type StructType } from "../types/data-type.js";
import { stringToTimestamp } from "../types/datetime.js";
import { csvLine, csvOptions, csvRowConverter, splitCsvLine } from "./csv-codec.js";
import { splitLines, utf8Text, type FileFormat, type FormatContext } from "./file-format.js";
import { readRecords } from "./text-record-reader.js";

function inferCell(s: string, tz: string): DataType {
  if (/^[+-]?\d+$/.test(s)) { const n = Number(s); return n >= -2147483648 && n <= 2147483647 ? IntegerType : LongType; }
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) || s === "NaN") return DoubleType;
  if (/^(true|false)$/i.test(s)) return BooleanType;
  if (stringToTimestamp(s, tz) !== null && /\d{4}-\d{2}-\d{2}[ T]\d/.test(s)) return TimestampType;
  return StringType;
}
const RANK: Record<string, number> = { null: 0, integer: 1, long: 2, double: 3, boolean: 4, timestamp: 5, string: 6 };
function merge(a: DataType, b: DataType): DataType {
  if (a.kind === b.kind) return a;
  if (a.kind === "null") return b;
  if (b.kind === "null") return a;
  const numeric = ["integer", "long", "double"];
  if (numeric.includes(a.kind) && numeric.includes(b.kind)) return RANK[a.kind]! > RANK[b.kind]! ? a : b;
  return StringType;
}

export const csvFormat: FileFormat = {
  name: "csv",
  extension: ".csv",
  async read(path: string, schema: StructType, ctx: FormatContext): Promise<RecordBatch> {
    const o = csvOptions(ctx.options, ctx.options["timeZone"] ?? ctx.timeZone);
    let lines = splitLines(utf8Text(await ctx.fs.read(path)), ctx.options["lineSep"]);
    if (ctx.options["header"] === "true") lines = lines.slice(1);
    const comment = ctx.options["comment"];
    if (comment) lines = lines.filter((l) => !l.startsWith(comment));
    lines = lines.filter((l) => l.length > 0);
    let conv: ReturnType<typeof csvRowConverter> | undefined;
    let convFor: StructType | undefined;
    return readRecords(lines, schema, ctx.options, path, (rec, dataSchema, state) => {
      if (convFor !== dataSchema) { conv = csvRowConverter(dataSchema, o); convFor = dataSchema; }
      const fields = splitCsvLine(rec, o);
      if (fields.length > dataSchema.fields.length) state.bad = true;
      return [conv!(fields, state)];
    });
  },
  async encode(batch: RecordBatch, ctx: FormatContext): Promise<Uint8Array> {
    const o = csvOptions(ctx.options, ctx.timeZone);
    const lines: string[] = [];
    if (ctx.options["header"] === "true") lines.push(batch.schema.fields.map((f) => f.name).join(o.sep));
    for (const row of batch.rows()) lines.push(csvLine(row, batch.schema, o));
    return Buffer.from(lines.length === 0 ? "" : lines.join("\n") + "\n");
  },
  inferSchema(contents: readonly Uint8Array[], options: Readonly<Record<string, string>>, timeZone: string): StructType {
    const o = csvOptions(options, timeZone);
    const header = options["header"] === "true";
    const infer = options["inferSchema"] === "true";
    let names: string[] = [];
    let types: DataType[] = [];
    for (const bytes of contents) {
      const lines = splitLines(Buffer.from(bytes).toString("utf8")).filter((l) => l.length > 0);
      if (lines.length === 0) continue;
      const first = splitCsvLine(lines[0]!, o);
      if (names.length === 0) names = first.map((f, i) => (header && f !== null ? f : `_c${i}`));
      for (const l of header ? lines.slice(1) : lines) {
        const cells = splitCsvLine(l, o);
        cells.forEach((c, i) => {
          const t = !infer || c === null ? (c === null ? { kind: "null" } as DataType : StringType) : inferCell(c, timeZone);
          types[i] = types[i] === undefined ? t : merge(types[i]!, t);
        });
      }
    }
    types = names.map((_, i) => (types[i] === undefined || types[i]!.kind === "null" ? StringType : types[i]!));
    return structType(names.map((n, i) => structField(n, types[i]!)));
  },
};
