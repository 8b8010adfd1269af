/** `Session` (SparkSession): configuration, readers, temp views, `sql`, and the streaming query manager. */
import { inspect } from "node:util";
import * as builder from "../analysis/plan-builder.js";
import { inspectRedacted, redactedCopy } from "../security/redaction.js";
import { RecordBatch } from "../columnar/record-batch.js";
import { SluiceError } from "../errors/sluice-error.js";
import { evalContext, type EvalContext } from "../expressions/eval-context.js";
import { attributesOf } from "../plan/attribute.js";
import type { LogicalPlan } from "../plan/logical-plan.js";
import { parseSchema } from "../sql/parser.js";
import { parseSelect } from "../sql/query-parser.js";
import { MemoryStreamSource } from "../sources/memory-stream.js";
import { WorkerPool } from "../execution/parallel/worker-pool.js";
import { StreamingQueryManager } from "../streaming/streaming-query-manager.js";
import { structField, structType, type StructType } from "../types/data-type.js";
import { toInternal } from "../types/external-value.js";
import { literalType } from "./literal.js";
import { DataFrame } from "./dataframe.js";
import { DataFrameReader, tableNotFound } from "./dataframe-reader.js";
import { DataStreamReader } from "./data-stream-reader.js";
import { RuntimeConfig } from "./runtime-config.js";
import type { SessionState } from "./session-state.js";

/**
 * The entry point, as PySpark's SparkSession.
 *
 * @example
 * const spark = Session.builder().appName("wc").master("local[2]").config("spark.sql.shuffle.partitions", 2).getOrCreate();
 */
export class Session implements SessionState {
  private static active: Session | undefined;
  readonly streams = new StreamingQueryManager();
  private readonly views = new Map<string, LogicalPlan>();
  private stopped = false;
  private pool: WorkerPool | undefined;

  private constructor(readonly appName: string, readonly parallelism: number, readonly conf: RuntimeConfig) {}

  static builder(): SessionBuilder { return new SessionBuilder(); }
  /** @internal */
  static create(appName: string, parallelism: number, conf: RuntimeConfig): Session {
    if (Session.active && !Session.active.stopped) {
      for (const [k, v] of Object.entries(conf.getAll())) Session.active.conf.set(k, v);
      return Session.active;
    }
    Session.active = new Session(appName, parallelism, conf);
    return Session.active;
  }

  /** What `console.log(spark)` and `JSON.stringify(spark)` show: name, parallelism, the conf redacted, active queries. */
  toJSON(): Record<string, unknown> {
    return { appName: this.appName, master: `local[${this.parallelism}]`, conf: this.conf.toJSON(), activeQueries: this.streams.active.map((q) => ({ id: q.id, name: q.name })) };
  }
  [inspect.custom](depth: number, options: object): string { return inspectRedacted("Session", this.toJSON(), depth, options); }

  get read(): DataFrameReader { return new DataFrameReader(this); }
  get readStream(): DataStreamReader { return new DataStreamReader(this); }

  workerPool(): WorkerPool {
    this.pool ??= new WorkerPool(this.parallelism);
    return this.pool;
  }

  evalContext(): EvalContext { return evalContext(this.conf.timeZone, this.conf.getBoolean("spark.sql.ansi.enabled")); }
  lookupView(name: string): LogicalPlan | undefined { return this.views.get(name.toLowerCase()); }
  registerView(name: string, plan: LogicalPlan): void { this.views.set(name.toLowerCase(), plan); }
  dropTempView(name: string): boolean { return this.views.delete(name.toLowerCase()); }

  table(name: string): DataFrame {
    const plan = this.lookupView(name);
    if (plan === undefined) throw tableNotFound(name);
    return new DataFrame(this, builder.subqueryAlias(plan, name));
  }

  /** Runs a `SELECT ... FROM view [WHERE] [ORDER BY] [LIMIT]` over temp views and memory-sink tables. */
  sql(text: string): DataFrame {
    const q = parseSelect(text);
    const name = q.from.join(".");
    let df = this.table(name);
    if (q.alias !== undefined) df = df.alias(q.alias);
    if (q.where !== undefined) df = new DataFrame(this, builder.filter(df.plan, q.where));
    let plan = builder.project(df.plan, q.projections);
    if (q.distinct) plan = builder.deduplicate(plan, []);
    if (q.orderBy.length > 0) plan = builder.sort(plan, q.orderBy);
    if (q.limit !== undefined) plan = builder.limit(plan, q.limit);
    return new DataFrame(this, plan);
  }

  /**
   * A DataFrame from rows: objects keyed by column name or arrays by position, with a StructType, a DDL string,
   * or a list of column names (types inferred from the first row).
   */
  createDataFrame(rows: readonly unknown[], schema?: StructType | string | readonly string[]): DataFrame {
    let s: StructType;
    if (schema === undefined || Array.isArray(schema)) {
      const first = rows[0];
      const names = schema !== undefined ? [...(schema as readonly string[])] : first !== null && typeof first === "object" && !Array.isArray(first) ? Object.keys(first as object) : [];
      if (first === undefined) throw new SluiceError("UNABLE_TO_INFER_SCHEMA", "Can not infer schema from an empty list of rows; pass a schema.", {});
      s = structType(names.map((n, i) => structField(n, literalType(Array.isArray(first) ? first[i] : (first as Record<string, unknown>)[n]))));
    } else {
      s = typeof schema === "string" ? parseSchema(schema) : (schema as StructType);
    }
    const internal = rows.map((r) => s.fields.map((f, i) => toInternal(Array.isArray(r) ? r[i] : (r as Record<string, unknown>)[f.name], f.dataType)));
    return new DataFrame(this, { kind: "localRelation", output: attributesOf(s.fields), batches: [RecordBatch.fromRows(s, internal)], isStreaming: false });
  }

  /** Stops every active query of this session. */
  async stop(): Promise<void> {
    await Promise.allSettled(this.streams.active.map((q) => q.stop()));
    await this.pool?.close();
    this.pool = undefined;
    this.stopped = true;
    if (Session.active === this) Session.active = undefined;
  }
}

export class SessionBuilder {
  private name = "sluice";
  private n = 1;
  private readonly settings: [string, string][] = [];
  appName(name: string): this { this.name = name; return this; }
  /** `local`, `local[N]` or `local[*]` (all cores). */
  master(master: string): this {
    const m = /^local(?:\[(\d+|\*)\])?$/.exec(master.trim());
    if (!m) throw new SluiceError("INVALID_OPTION", `Unsupported master '${master}'; use local, local[N] or local[*].`, { params: { master } });
    this.n = m[1] === undefined ? 1 : m[1] === "*" ? (globalThis.navigator?.hardwareConcurrency ?? 1) : Number(m[1]);
    return this;
  }
  config(key: string, value: string | number | boolean): this { this.settings.push([key, String(value)]); return this; }
  toJSON(): Record<string, unknown> { return redactedCopy({ appName: this.name, master: `local[${this.n}]`, config: Object.fromEntries(this.settings) }) as Record<string, unknown>; }
  [inspect.custom](depth: number, options: object): string { return inspectRedacted("SessionBuilder", this.toJSON(), depth, options); }
  getOrCreate(): Session { return Session.create(this.name, Math.max(1, this.n), new RuntimeConfig(this.settings)); }
}

/**
 * A test source fed from the program, as Spark's `MemoryStream`.
 *
 * @example
 * const input = MemoryStream.create(spark, "value INT"); input.addData([1, 2, 3]);
 * const q = await input.toDF().writeStream.format("memory").queryName("out").start();
 */
export class MemoryStream {
  private constructor(private readonly session: Session, readonly source: MemoryStreamSource) {}
  static create(session: Session, schema: StructType | string): MemoryStream {
    return new MemoryStream(session, new MemoryStreamSource(typeof schema === "string" ? parseSchema(schema) : schema));
  }
  addData(rows: readonly unknown[]): number { return this.source.addData(rows); }
  toJSON(): Record<string, unknown> { return { schema: this.source.schema.fields.map((f) => f.name) }; }
  [inspect.custom](depth: number, options: object): string { return inspectRedacted("MemoryStream", this.toJSON(), depth, options); }
  toDF(): DataFrame {
    return new DataFrame(this.session, { kind: "streamingRelation", output: attributesOf(this.source.schema.fields), provider: this.source, id: -1 });
  }
}
