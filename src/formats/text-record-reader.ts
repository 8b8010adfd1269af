/** Line-oriented reading shared by JSON and CSV: parse each record, then apply the parse mode. */
import { RecordBatch } from "../columnar/record-batch.js";
import { VectorBuilder } from "../columnar/vector-builder.js";
import type { StructType } from "../types/data-type.js";
import type { Converted } from "./json-codec.js";

import { malformedRecordError, parseMode } from "./file-format.js";


/**
 * Builds a batch of `schema` from records. `parse` returns the rows of a record (null when the record is not
 * parseable at all) and sets `state.bad` when some field had to be nulled. In PERMISSIVE mode a bad record keeps
 * its parsed fields and puts the raw text into `columnNameOfCorruptRecord` when the schema has that column.
 */
export function readRecords(
  records: readonly string[], schema: StructType, options: Readonly<Record<string, string>>, file: string,
  parse: (record: string, dataSchema: StructType, state: Converted) => unknown[][] | null,
): RecordBatch {
  const mode = parseMode(options);
  const corruptName = options["columnNameOfCorruptRecord"] ?? "_corrupt_record";
  const corruptIdx = schema.fields.findIndex((f) => f.name === corruptName && f.dataType.kind === "string");
  const dataSchema: StructType = corruptIdx < 0 ? schema : { kind: "struct", fields: schema.fields.filter((_, i) => i !== corruptIdx) };
  const builders = schema.fields.map((f) => new VectorBuilder(f.dataType, Math.max(records.length, 16)));
  const state: Converted = { value: null, bad: false };
  let n = 0;
  const emit = (row: readonly unknown[] | null, corrupt: string | null): void => {
    let k = 0;
    for (let c = 0; c < builders.length; c++) {
      if (c === corruptIdx) builders[c]!.append(corrupt);
      else builders[c]!.append(row === null ? null : row[k++]);
    }
    n++;
  };
  for (const rec of records) {
    state.bad = false;
    const rows = parse(rec, dataSchema, state);
    if (rows === null || state.bad) {
      if (mode === "FAILFAST") throw malformedRecordError(rec, file);
      if (mode === "DROPMALFORMED") continue;
      if (rows === null || rows.length === 0) { emit(null, rec); continue; }
      for (const r of rows) emit(r, rec);
      continue;
    }
    for (const r of rows) emit(r, null);
  }
  return new RecordBatch(schema, builders.map((b) => b.build()), n);
}
