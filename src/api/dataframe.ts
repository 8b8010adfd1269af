/** `DataFrame`: the public, immutable query builder; each method analyzes eagerly, as Spark does. */
import { inspect } from "node:util";
import * as builder from "../analysis/plan-builder.js";
import { checkForBatch } from "../analysis/unsupported-operation-checker.js";
import { RecordBatch } from "../columnar/record-batch.js";
import { AnalysisException } from "../errors/sluice-error.js";
import { Expr, type Expression } from "../expressions/expression.js";
import { explainPhysical, planPhysical, schemaOf } from "../execution/physical-planner.js";
import { isStreaming, type LogicalPlan } from "../plan/logical-plan.js";
import { parseExpression, parseNamedExpression } from "../sql/parser.js";
import { simpleString, treeString, type StructType } from "../types/data-type.js";
import { structToRow, type Row } from "../types/external-value.js";
import { Column, colExpr, splitName, type ColumnOrName } from "./column.js";
import type { SessionState } from "./session-state.js";
import { showString } from "./show-string.js";
import { DataFrameWriter } from "./dataframe-writer.js";
import { DataStreamWriter } from "./data-stream-writer.js";
import { GroupedData, groupingExpressions } from "./grouped-data.js";
import { eventTimeWatermark } from "../analysis/time-window.js";

/**
 * A distributed-collection-style view over a logical plan; streaming when any of its sources is.
 *
 * @example
 * const words = lines.select(F.explode(F.split(F.col("value"), " ")).alias("word")).filter("word != ''");
 */
export class DataFrame {
  constructor(readonly session: SessionState, readonly plan: LogicalPlan) {}

  private with(plan: LogicalPlan): DataFrame { return new DataFrame(this.session, plan); }

  get schema(): StructType { return schemaOf(this.plan.output); }
  get columns(): string[] { return this.plan.output.map((a) => a.name); }
  get dtypes(): [string, string][] { return this.plan.output.map((a) => [a.name, simpleString(a.dataType)]); }
  get isStreaming(): boolean { return isStreaming(this.plan); }

  /** As PySpark's repr, `DataFrame[id: int, name: string]`: the plan (options, credentials) is never printed. */
  [inspect.custom](): string { return `DataFrame[${this.schema.fields.map((f) => `${f.name}: ${simpleString(f.dataType)}`).join(", ")}]`; }
  toJSON(): { columns: string[]; types: string[]; isStreaming: boolean } {
    return { columns: this.columns, types: this.schema.fields.map((f) => simpleString(f.dataType)), isStreaming: this.isStreaming };
  }
  printSchema(): void { process.stdout.write(treeString(this.schema)); }

  /** A column bound to this DataFrame (Scala's `df.col`), unambiguous in joins of a DataFrame with itself. */
  col(name: string): Column {
    if (name === "*") return new Column(Expr.star());
    const parts = splitName(name);
    const a = this.plan.output.find((x) => x.name.toLowerCase() === parts[0]!.toLowerCase());
    if (a === undefined) return new Column(Expr.column(...parts));
    const base: Expression = { kind: "column", nameParts: [parts[0]!], attrId: a.id };
    return new Column(parts.slice(1).reduce<Expression>((e, f) => Expr.extract(e, Expr.literal(f, { kind: "string" })), base));
  }

  select(...cols: (ColumnOrName | ColumnOrName[])[]): DataFrame {
    return this.with(builder.project(this.plan, cols.flat().map(colExpr)));
  }
  selectExpr(...exprs: string[]): DataFrame {
    return this.with(builder.project(this.plan, exprs.map(parseNamedExpression)));
  }
  filter(condition: Column | string): DataFrame {
    return this.with(builder.filter(this.plan, typeof condition === "string" ? parseExpression(condition) : condition.expr));
  }
  where(condition: Column | string): DataFrame { return this.filter(condition); }

  withColumn(name: string, col: Column): DataFrame { return this.withColumns({ [name]: col }); }
  withColumns(cols: Readonly<Record<string, Column>>): DataFrame {
    const names = Object.keys(cols);
    const exprs: Expression[] = this.plan.output.map((a, i) => {
      const replaced = names.find((n) => n.toLowerCase() === a.name.toLowerCase());
      return replaced !== undefined ? Expr.alias(cols[replaced]!.expr, replaced) : boundRef(this.plan, i);
    });
    for (const n of names) if (!this.plan.output.some((a) => a.name.toLowerCase() === n.toLowerCase())) exprs.push(Expr.alias(cols[n]!.expr, n));
    return this.with(builder.project(this.plan, exprs));
  }
  withColumnRenamed(existing: string, newName: string): DataFrame {
    if (!this.plan.output.some((a) => a.name.toLowerCase() === existing.toLowerCase())) return this;
    return this.with(builder.project(this.plan, this.plan.output.map((a, i) => (a.name.toLowerCase() === existing.toLowerCase() ? Expr.alias(boundRef(this.plan, i), newName) : boundRef(this.plan, i)))));
  }
  withColumnsRenamed(map: Readonly<Record<string, string>>): DataFrame {
    return Object.entries(map).reduce<DataFrame>((df, [a, b]) => df.withColumnRenamed(a, b), this);
  }
  drop(...cols: ColumnOrName[]): DataFrame {
    const dropIds = new Set<number>();
    for (const c of cols) {
      if (typeof c === "string") { for (const a of this.plan.output) if (a.name.toLowerCase() === c.toLowerCase()) dropIds.add(a.id); }
      else if (c.expr.kind === "column") {
        const ce = c.expr;
        for (const a of this.plan.output) if ((ce.attrId !== undefined && a.id === ce.attrId) || (ce.attrId === undefined && ce.nameParts.length === 1 && a.name.toLowerCase() === ce.nameParts[0]!.toLowerCase())) dropIds.add(a.id);
      }
    }
    return this.with(builder.project(this.plan, this.plan.output.flatMap((a, i) => (dropIds.has(a.id) ? [] : [boundRef(this.plan, i)]))));
  }
  alias(name: string): DataFrame { return this.with(builder.subqueryAlias(this.plan, name)); }
  union(other: DataFrame): DataFrame { return this.with(builder.union(this.plan, other.plan, false)); }
  unionAll(other: DataFrame): DataFrame { return this.union(other); }
  unionByName(other: DataFrame, allowMissingColumns = false): DataFrame { return this.with(builder.union(this.plan, other.plan, true, allowMissingColumns)); }
  limit(n: number): DataFrame { return this.with(builder.limit(this.plan, n)); }
  /** `n` partitions by a round-robin shuffle (on a stream, per micro-batch: e.g. how many files a file sink writes). */
  repartition(n: number): DataFrame { return this.with(builder.repartition(this.plan, n, true)); }
  /** At most `n` partitions by merging neighbouring ones, without a shuffle; `coalesce(1)` gives one file per batch. */
  coalesce(n: number): DataFrame { return this.with(builder.repartition(this.plan, n, false)); }
  orderBy(...cols: (ColumnOrName | ColumnOrName[])[]): DataFrame { return this.with(builder.sort(this.plan, cols.flat().map(colExpr))); }
  sort(...cols: (ColumnOrName | ColumnOrName[])[]): DataFrame { return this.orderBy(...cols); }
  distinct(): DataFrame { return this.with(builder.deduplicate(this.plan, [])); }
  /** Keeps the first row of each combination of `subset` (all columns when omitted); on a stream, across batches. */
  dropDuplicates(subset: readonly string[] = []): DataFrame { return this.with(builder.deduplicate(this.plan, subset)); }
  drop_duplicates(subset: readonly string[] = []): DataFrame { return this.dropDuplicates(subset); }
  /** As dropDuplicates, remembering each key only until the watermark passes its event time plus the delay. */
  dropDuplicatesWithinWatermark(subset: readonly string[] = []): DataFrame { return this.with(builder.deduplicate(this.plan, subset, true)); }

  /**
   * Declares `eventTime` as this stream's event time with a lateness bound: the watermark trails the latest event
   * time seen by `delayThreshold`; state older than the watermark is dropped and late rows are ignored.
   *
   * @example
   * df.withWatermark("CreatedTime", "30 minutes").groupBy(F.window("CreatedTime", "15 minutes")).agg(F.sum("Amount"))
   */
  withWatermark(eventTime: string, delayThreshold: string): DataFrame {
    return this.with(eventTimeWatermark(this.plan, colExpr(eventTime), delayThreshold));
  }

  /**
   * Joins with `other` on a condition, a column name or a list of names (a `using` join, with Spark's column order),
   * or without `on` for a cross join. `how`: inner (default), cross, outer/full, left, right, semi, anti and their
   * spelled-out forms.
   *
   * @example
   * trades.join(customers, "CustomerId", "left").join(rates, trades.col("Currency").eq(rates.col("Code")))
   */
  join(other: DataFrame, on?: Column | string | readonly string[], how = "inner"): DataFrame {
    const cond = on === undefined ? null : typeof on === "string" ? [on] : on instanceof Column ? on.expr : on;
    return this.with(builder.join(this.plan, other.plan, cond, how));
  }
  crossJoin(other: DataFrame): DataFrame { return this.join(other, undefined, "cross"); }

  /** Groups by columns for aggregation: `df.groupBy("k").agg(F.sum("v"))`. */
  groupBy(...cols: (ColumnOrName | ColumnOrName[])[]): GroupedData { return new GroupedData(this, groupingExpressions(cols)); }
  groupby(...cols: (ColumnOrName | ColumnOrName[])[]): GroupedData { return this.groupBy(...cols); }
  /** Aggregates over all rows: `df.agg(F.count("*"))`. */
  agg(...exprs: (Column | Readonly<Record<string, string>>)[]): DataFrame { return new GroupedData(this, []).agg(...exprs); }

  /** Registers this DataFrame as a temporary view for `spark.sql` and `spark.table`. */
  createOrReplaceTempView(name: string): void { this.session.registerView(name, this.plan); }
  createTempView(name: string): void {
    if (this.session.lookupView(name)) throw new AnalysisException("TABLE_OR_VIEW_NOT_FOUND", `Temporary view '${name}' already exists.`, { params: { relationName: name } });
    this.session.registerView(name, this.plan);
  }

  /** The plan as text: logical plan and physical operators. */
  explain(extended = false): string {
    const physical = planPhysical(this.plan, { evalCtx: this.session.evalContext(), parallelism: this.session.parallelism });
    const text = `== Physical Plan ==\n${explainPhysical(physical)}\n`;
    const out = extended ? `== Analyzed Logical Plan ==\n${this.columns.join(", ")}\n${describeLogical(this.plan)}\n\n${text}` : text;
    process.stdout.write(out + "\n");
    return out;
  }

  // ---- batch actions ---------------------------------------------------------------------------
  /** @internal Runs the batch plan and returns its rows as one batch. */
  async execute(): Promise<RecordBatch> {
    checkForBatch(this.plan);
    const physical = planPhysical(this.plan, { evalCtx: this.session.evalContext(), parallelism: this.session.parallelism });
    const parts = await physical.execute({ streamData: new Map(), batchId: 0 });
    return RecordBatch.concat(this.schema, parts.flat());
  }
  async collect(): Promise<Row[]> {
    const b = await this.execute();
    const schema = this.schema;
    const rows: Row[] = [];
    for (const r of b.rows()) rows.push(structToRow(r, schema));
    return rows;
  }
  async count(): Promise<number> { return (await this.execute()).numRows; }
  async take(n: number): Promise<Row[]> { return this.limit(n).collect(); }
  async head(n = 1): Promise<Row[]> { return this.take(n); }
  async first(): Promise<Row | null> { return (await this.take(1))[0] ?? null; }
  async isEmpty(): Promise<boolean> { return (await this.take(1)).length === 0; }
  /** Prints the first `n` rows as Spark's `show()` does; returns the text too. */
  async show(n = 20, truncate: boolean | number = true): Promise<string> {
    const b = await this.limit(n + 1).execute();
    const s = showString(b, n, truncate, this.session.conf.timeZone, b.numRows > n);
    process.stdout.write(s);
    return s;
  }

  get write(): DataFrameWriter { return new DataFrameWriter(this); }
  get writeStream(): DataStreamWriter { return new DataStreamWriter(this); }
}

function boundRef(plan: LogicalPlan, i: number): Expression {
  const a = plan.output[i]!;
  return { kind: "boundRef", ordinal: i, name: a.name, dataType: a.dataType, nullable: a.nullable, attrId: a.id };
}

function describeLogical(p: LogicalPlan, indent = 0): string {
  const pad = indent === 0 ? "" : `${" ".repeat(indent * 3 - 3)}+- `;
  const head = `${pad}${p.kind[0]!.toUpperCase()}${p.kind.slice(1)} [${p.output.map((a) => `${a.name}#${a.id}`).join(", ")}]`;
  const kids = p.kind === "union" ? p.children : p.kind === "join" ? [p.left, p.right] : "child" in p ? [p.child] : [];
  return [head, ...kids.map((c) => describeLogical(c, indent + 1))].join("\n");
}
