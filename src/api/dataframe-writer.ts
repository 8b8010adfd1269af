/** `df.write`: batch writes of files (json, csv, text, parquet) and PostgreSQL tables, with Spark's save modes. */
import * as path from "node:path";
import { inspect } from "node:util";
import { inspectRedacted, redactedCopy } from "../security/redaction.js";
import { randomUUID } from "node:crypto";
import { AnalysisException } from "../errors/sluice-error.js";
import { fileFormat } from "../formats/formats.js";
import { fileSystemFor, normalizePath } from "../fs/local-file-system.js";
import { outputFilePath, partitionRows } from "../sinks/file-sink.js";
import type { DataFrame } from "./dataframe.js";
import { jdbcOptions } from "../sources/jdbc/jdbc-options.js";
import { writeRows } from "../sources/jdbc/postgres-relation.js";
import { normalizeOptions, optionString, type OptionValue } from "./options.js";

export type SaveMode = "append" | "overwrite" | "error" | "errorifexists" | "ignore";

/**
 * @example
 * await df.write.mode("overwrite").partitionBy("day").parquet("/warehouse/trips");
 */
export class DataFrameWriter {
  private fmt = "parquet";
  private saveMode: SaveMode = "errorifexists";
  private opts: Record<string, string> = {};
  private partitionCols: string[] = [];
  constructor(private readonly df: DataFrame) {}

  format(source: string): this { this.fmt = source.toLowerCase(); return this; }
  toJSON(): Record<string, unknown> { return redactedCopy({ format: this.fmt, mode: this.saveMode, options: this.opts, partitionBy: this.partitionCols }) as Record<string, unknown>; }
  [inspect.custom](depth: number, options: object): string { return inspectRedacted("DataFrameWriter", this.toJSON(), depth, options); }
  mode(m: SaveMode): this { this.saveMode = m.toLowerCase() as SaveMode; return this; }
  option(key: string, value: OptionValue): this { this.opts[key] = optionString(value); return this; }
  options(o: Readonly<Record<string, OptionValue>>): this { for (const [k, v] of Object.entries(o)) this.option(k, v); return this; }
  partitionBy(...cols: string[]): this { this.partitionCols = cols.flat(); return this; }

  async save(p?: string): Promise<void> {
    const options = normalizeOptions(this.opts);
    if (this.fmt === "jdbc") {
      await writeRows(jdbcOptions(options, true), await this.df.execute(), this.saveMode);
      return;
    }
    const target = p ?? options["path"];
    if (target === undefined) throw new AnalysisException("INVALID_OPTION", "'path' is not specified; pass it to save(path).", { params: { option: "path" } });
    const fs = fileSystemFor(target, (key) => options[key] ?? this.df.session.conf.get(key));
    const dir = normalizePath(target);
    const exists = (await fs.list(dir)).length > 0;
    if (exists) {
      if (this.saveMode === "error" || this.saveMode === "errorifexists") throw new AnalysisException("PATH_ALREADY_EXISTS", `Path file:${dir} already exists. Set mode to "overwrite" or "append" to write there.`, { params: { path: dir } });
      if (this.saveMode === "ignore") return;
      if (this.saveMode === "overwrite") await fs.delete(dir);
    }
    const format = fileFormat(this.fmt);
    const tz = options["timeZone"] ?? this.df.session.conf.timeZone;
    const ctx = { fs, timeZone: tz, options };
    const data = await this.df.execute();
    const jobId = randomUUID();
    const groups = this.partitionCols.length === 0 ? [{ dir: "", data }] : [...partitionRows(data, this.partitionCols, tz).values()];
    for (const g of groups) {
      if (g.data.numRows === 0 && this.partitionCols.length > 0) continue;
      const file = outputFilePath(dir, g.dir, `part-00000-${jobId}.c000${format.extension}`);
      await fs.write(file, await format.encode(g.data, ctx));
    }
    await fs.write(path.join(dir, "_SUCCESS"), "");
  }
  /**
   * Writes to a PostgreSQL table, as PySpark's `df.write.jdbc(url, table, mode, properties)`. Inside foreachBatch,
   * `properties.batchId` makes the write idempotent per micro-batch (see postgres-relation.ts).
   *
   * @example
   * await batch.write.jdbc("jdbc:postgresql://db:5432/app", "trips", "append", { user: "app", password, batchId });
   */
  jdbc(url: string, table: string, mode?: SaveMode, properties: Readonly<Record<string, OptionValue>> = {}): Promise<void> {
    if (mode !== undefined) this.mode(mode);
    return this.format("jdbc").option("url", url).option("dbtable", table).options(properties).save();
  }
  json(p: string): Promise<void> { return this.format("json").save(p); }
  csv(p: string): Promise<void> { return this.format("csv").save(p); }
  text(p: string): Promise<void> { return this.format("text").save(p); }
  parquet(p: string): Promise<void> { return this.format("parquet").save(p); }
}
