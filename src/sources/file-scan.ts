/** Reads a set of files of one format into batches, appending partition columns from `k=v` folders. */
import { RecordBatch } from "../columnar/record-batch.js";
import { constantVector } from "../columnar/column-vector.js";
import type { FileFormat, FormatContext } from "../formats/file-format.js";
import { structType, type StructType } from "../types/data-type.js";
import { partitionDirValues, partitionValueCaster } from "./partitioning.js";

/**
 * Reads `files` with `format`. `schema` is the full output schema: data columns followed by `partitionColumns`.
 * Files are split into `parallelism` partitions in order.
 */
export async function readFiles(
  files: readonly string[], base: string, format: FileFormat, schema: StructType, partitionColumns: readonly string[],
  ctx: FormatContext, parallelism: number,
): Promise<RecordBatch[][]> {
  const isPart = (n: string): boolean => partitionColumns.some((p) => p.toLowerCase() === n.toLowerCase());
  const dataSchema = structType(schema.fields.filter((f) => !isPart(f.name)));
  const partFields = schema.fields.filter((f) => isPart(f.name));
  const casters = new Map(partFields.map((f) => [f.name, partitionValueCaster(f.dataType, ctx.timeZone)]));
  const batches = await Promise.all(files.map(async (file) => {
    const data = await format.read(file, dataSchema, ctx);
    if (partFields.length === 0) return data;
    const values = new Map(partitionDirValues(base, file).map((p) => [p.name.toLowerCase(), p.value]));
    const cols = schema.fields.map((f) => {
      if (!isPart(f.name)) return data.columns[dataSchema.fields.findIndex((d) => d.name === f.name)]!;
      const raw = values.get(f.name.toLowerCase()) ?? null;
      const v = casters.get(f.name)!(raw);
      return constantVector(f.dataType, v, data.numRows);
    });
    return new RecordBatch(schema, cols, data.numRows);
  }));
  // Contiguous runs of files, so the partitions in order hold the rows in file order.
  const n = Math.max(1, Math.min(parallelism, batches.length));
  return Array.from({ length: n }, (_, g) => batches.slice(Math.floor(g * batches.length / n), Math.floor((g + 1) * batches.length / n)));
}
