/** `format("console")`: prints each batch with Spark's banner and `show()` table (`numRows`, `truncate`). */
import { RecordBatch } from "../columnar/record-batch.js";
import { showString } from "../api/show-string.js";
import type { StructType } from "../types/data-type.js";
import type { Sink } from "./sink.js";

export class ConsoleSink implements Sink {
  readonly description = "ConsoleSink";
  private readonly numRows: number;
  private readonly truncate: boolean;
  constructor(options: Readonly<Record<string, string>>, private readonly timeZone: string, private readonly write: (s: string) => void = (s) => process.stdout.write(s)) {
    this.numRows = Number(options["numRows"] ?? 20);
    this.truncate = (options["truncate"] ?? "true") !== "false";
  }
  async addBatch(batchId: number, partitions: readonly (readonly RecordBatch[])[], schema: StructType): Promise<void> {
    const data = RecordBatch.concat(schema, partitions.flat());
    const banner = "-------------------------------------------";
    this.write(`${banner}\nBatch: ${batchId}\n${banner}\n${showString(data, this.numRows, this.truncate, this.timeZone, data.numRows > this.numRows)}\n`);
  }
}
