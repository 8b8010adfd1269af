/** `spark.read`: batch reads of files (json, csv, text, parquet), Kafka topics, PostgreSQL tables and views. */
import { inspect } from "node:util";
import { AnalysisException } from "../errors/sluice-error.js";
import { inspectRedacted, redactedCopy } from "../security/redaction.js";
import { attributesOf } from "../plan/attribute.js";
import { parseSchema } from "../sql/parser.js";
import { simpleString, type StructType } from "../types/data-type.js";
import { DataFrame } from "./dataframe.js";
import { fileScan, resolveFileRelation } from "./file-relation.js";
import { normalizeOptions, optionString, type OptionValue } from "./options.js";
import type { SessionState } from "./session-state.js";
import { kafkaSourceOptions } from "../sources/kafka/kafka-options.js";
import { jdbcOptions } from "../sources/jdbc/jdbc-options.js";
import { jdbcScan, jdbcSchema } from "../sources/jdbc/jdbc-relation.js";
import { kafkaBatchScan } from "../sources/kafka/kafka-source.js";

/**
 * @example
 * const trips = spark.read.schema("VendorID INT, total_amount DOUBLE").json("/data/trips");
 * console.log(await trips.count());
 */
export class DataFrameReader {
  protected fmt = "parquet";
  protected userSchema: StructType | undefined;
  protected opts: Record<string, string> = {};
  constructor(protected readonly session: SessionState) {}

  format(source: string): this { this.fmt = source.toLowerCase(); return this; }
  toJSON(): Record<string, unknown> {
    return redactedCopy({ format: this.fmt, schema: this.userSchema === undefined ? null : simpleString(this.userSchema), options: this.opts }) as Record<string, unknown>;
  }
  [inspect.custom](depth: number, options: object): string { return inspectRedacted(this.constructor.name, this.toJSON(), depth, options); }
  /** A StructType, or a DDL string such as `"a INT, b STRING"`. */
  schema(schema: StructType | string): this { this.userSchema = typeof schema === "string" ? parseSchema(schema) : schema; return this; }
  option(key: string, value: OptionValue): this { this.opts[key] = optionString(value); return this; }
  options(opts: Readonly<Record<string, OptionValue>>): this { for (const [k, v] of Object.entries(opts)) this.option(k, v); return this; }

  load(path?: string): DataFrame {
    const options = normalizeOptions(this.opts);
    if (this.fmt === "jdbc") {
      if (this.userSchema !== undefined) throw new AnalysisException("INVALID_OPTION", "The jdbc source does not support a user-specified schema; use the customSchema option.", { params: { format: "jdbc" } });
      const opts = jdbcOptions(options, false);
      const schema = jdbcSchema(opts);
      const scan = jdbcScan(opts, schema, options["timeZone"] ?? this.session.conf.timeZone);
      return new DataFrame(this.session, { kind: "batchRelation", output: attributesOf(schema.fields), scan });
    }
    if (this.fmt === "kafka") {
      if (this.userSchema !== undefined) throw new AnalysisException("INVALID_OPTION", "The kafka source does not support a user-specified schema.", { params: { format: "kafka" } });
      const scan = kafkaBatchScan(kafkaSourceOptions(options, false));
      return new DataFrame(this.session, { kind: "batchRelation", output: attributesOf(scan.schema.fields), scan });
    }
    const p = path ?? options["path"];
    if (p === undefined) throw new AnalysisException("INVALID_OPTION", `'path' is not specified for the ${this.fmt} source; pass it to load(path) or set option("path", ...).`, { params: { option: "path" } });
    const tz = options["timeZone"] ?? this.session.conf.timeZone;
    const info = resolveFileRelation(this.fmt, p, this.userSchema, options, tz, true, (k) => options[k] ?? this.session.conf.get(k));
    const scan = fileScan(this.fmt, info, options, tz, this.session.parallelism);
    return new DataFrame(this.session, { kind: "batchRelation", output: attributesOf(info.schema.fields), scan });
  }
  /** A PostgreSQL table (or `(query) AS alias`), as PySpark's `spark.read.jdbc(url, table, properties=...)`. */
  jdbc(url: string, table: string, properties: Readonly<Record<string, OptionValue>> = {}): DataFrame {
    return this.format("jdbc").option("url", url).option("dbtable", table).options(properties).load();
  }
  json(path: string): DataFrame { return this.format("json").load(path); }
  csv(path: string): DataFrame { return this.format("csv").load(path); }
  text(path: string): DataFrame { return this.format("text").load(path); }
  parquet(path: string): DataFrame { return this.format("parquet").load(path); }
  table(name: string): DataFrame {
    const plan = this.session.lookupView(name);
    if (plan === undefined) throw tableNotFound(name);
    return new DataFrame(this.session, plan);
  }
}

export function tableNotFound(name: string): AnalysisException {
  return new AnalysisException("TABLE_OR_VIEW_NOT_FOUND", `The table or view \`${name}\` cannot be found. Verify the spelling, or register it with createOrReplaceTempView / a memory sink's queryName.`, { params: { relationName: `\`${name}\`` } });
}
