/** Text files: one row per line in a single `value` string column (or one row per file with `wholetext`). */
import { RecordBatch } from "../columnar/record-batch.js";
import { StringType, structField, structType, type StructType } from "../types/data-type.js";
import { splitLines, utf8Text, type FileFormat, type FormatContext } from "./file-format.js";

export const TEXT_SCHEMA: StructType = structType([structField("value", StringType, true)]);

export const textFormat: FileFormat = {
  name: "text",
  extension: ".txt",
  async read(path: string, schema: StructType, ctx: FormatContext): Promise<RecordBatch> {
    const text = utf8Text(await ctx.fs.read(path));
    const lines = ctx.options["wholetext"] === "true" ? [text] : splitLines(text, ctx.options["lineSep"]);
    return new RecordBatch(schema, [{ type: StringType, length: lines.length, values: lines, nulls: null }], lines.length);
  },
  async encode(batch: RecordBatch): Promise<Uint8Array> {
    const lines: string[] = [];
    for (const row of batch.rows()) lines.push(row[0] === null ? "" : String(row[0]));
    return Buffer.from(lines.length === 0 ? "" : lines.join("\n") + "\n");
  },
  inferSchema(): StructType { return TEXT_SCHEMA; },
};
