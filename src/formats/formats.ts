/** File formats by name. */
import { SluiceError } from "../errors/sluice-error.js";
import { csvFormat } from "./csv-format.js";
import type { FileFormat } from "./file-format.js";
import { jsonFormat } from "./json-format.js";
import { parquetFormat } from "./parquet-format.js";
import { textFormat } from "./text-format.js";

const FORMATS: Record<string, FileFormat> = { json: jsonFormat, csv: csvFormat, text: textFormat, parquet: parquetFormat };

export function isFileFormat(name: string): boolean {
  return name.toLowerCase() in FORMATS;
}

export function fileFormat(name: string): FileFormat {
  const f = FORMATS[name.toLowerCase()];
  if (f === undefined) throw new SluiceError("INVALID_OPTION", `Unknown file format '${name}'; use one of ${Object.keys(FORMATS).join(", ")}.`, { params: { format: name } });
  return f;
}
