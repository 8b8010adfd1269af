/** The contract of a file format (json, csv, text, parquet) and the parse modes the text formats share. */
import type { RecordBatch } from "../columnar/record-batch.js";
import { SluiceError } from "../errors/sluice-error.js";
import type { FileSystem } from "../fs/file-system.js";
import type { StructType } from "../types/data-type.js";

export type ParseMode = "PERMISSIVE" | "DROPMALFORMED" | "FAILFAST";

export interface FormatContext {
  readonly fs: FileSystem;
  readonly timeZone: string;
  readonly options: Readonly<Record<string, string>>;
}

export interface FileFormat {
  readonly name: string;
  /** Reads one file into a batch of `schema` (the data schema; partition columns are added by the caller). */
  read(path: string, schema: StructType, ctx: FormatContext): Promise<RecordBatch>;
  /** Encodes a batch as the bytes of one output file. */
  encode(batch: RecordBatch, ctx: FormatContext): Promise<Uint8Array>;
  /** Infers a schema from the contents of sample files, when the format can. */
  inferSchema?(contents: readonly Uint8Array[], options: Readonly<Record<string, string>>, timeZone: string): StructType;
  /** File extension written by the sink (`.json`, `.snappy.parquet`). */
  readonly extension: string;
}

export function parseMode(options: Readonly<Record<string, string>>): ParseMode {
  const m = (options["mode"] ?? "PERMISSIVE").toUpperCase();
  if (m !== "PERMISSIVE" && m !== "DROPMALFORMED" && m !== "FAILFAST") {
    throw new SluiceError("INVALID_OPTION", `Unknown parse mode '${options["mode"]}'; use PERMISSIVE, DROPMALFORMED or FAILFAST.`, { params: { option: "mode", value: options["mode"] ?? "" } });
  }
  return m;
}

export function malformedRecordError(record: string, file: string, cause?: unknown): SluiceError {
  const shown = record.length > 200 ? `${record.slice(0, 200)}...` : record;
  return new SluiceError("MALFORMED_RECORD_IN_PARSING",
    `Malformed records are detected in record parsing: ${shown} (file ${file}). Parse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'.`,
    { params: { badRecord: shown, file, failFastMode: "FAILFAST" }, cause });
}

/** Lines of a text file, without their terminators; a trailing newline does not make an empty last line. */
export function splitLines(text: string, lineSep?: string): string[] {
  const lines = lineSep ? text.split(lineSep) : text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Decodes file bytes as UTF-8 without copying them first. */
export function utf8Text(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

/** True for an empty or all-whitespace line (checked without allocating). */
export function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) return false;
  }
  return true;
}
