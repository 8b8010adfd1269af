/** `GroupedData`: what `df.groupBy(...)` returns; `agg`, `count` and the shorthand aggregates. */
import * as builder from "../analysis/plan-builder.js";
import { Expr, type Expression } from "../expressions/expression.js";
import { Column, colExpr, type ColumnOrName } from "./column.js";
import { parseSchema } from "../sql/parser.js";
import type { StructType } from "../types/data-type.js";
import type { StatefulProcessor } from "../streaming/stateful-processor/stateful-processor.js";
import { DataFrame } from "./dataframe.js";

/**
 * @example
 * df.groupBy("CustomerId").agg(F.sum("Amount").alias("total"), F.count("*").alias("n"))
 */
export class GroupedData {
  constructor(private readonly df: DataFrame, private readonly groupings: readonly Expression[]) {}

  /** Aggregates given as Columns, or as PySpark's `{column: "function"}` dictionary. */
  agg(...exprs: (Column | Readonly<Record<string, string>>)[]): DataFrame {
    const out: Expression[] = [...this.groupings];
    for (const e of exprs) {
      if (e instanceof Column) out.push(e.expr);
      else for (const [c, fn] of Object.entries(e)) out.push(Expr.fn(fn === "mean" ? "avg" : fn, [colExpr(c)]));
    }
    return new DataFrame(this.df.session, builder.aggregate(this.df.plan, this.groupings, out));
  }
  /**
   * Runs `processor` per key with state and timers (Spark 4's transformWithState). `outputSchema` is a StructType or
   * DDL; `outputMode` append or update; `timeMode` none, processingTime or eventTime.
   */
  transformWithState(processor: StatefulProcessor, outputSchema: StructType | string, outputMode: "append" | "update" = "append", timeMode = "none"): DataFrame {
    void outputMode; // the query's output mode (writeStream.outputMode) governs emission, as in Spark
    const schema = typeof outputSchema === "string" ? parseSchema(outputSchema) : outputSchema;
    return new DataFrame(this.df.session, builder.transformWithState(this.df.plan, this.groupings, processor, schema, timeMode));
  }
  count(): DataFrame { return this.agg(new Column(Expr.alias(Expr.fn("count", [Expr.literal(1, { kind: "integer" })]), "count"))); }
  sum(...cols: string[]): DataFrame { return this.agg(...cols.map((c) => new Column(Expr.fn("sum", [colExpr(c)])))); }
  avg(...cols: string[]): DataFrame { return this.agg(...cols.map((c) => new Column(Expr.fn("avg", [colExpr(c)])))); }
  mean(...cols: string[]): DataFrame { return this.avg(...cols); }
  min(...cols: string[]): DataFrame { return this.agg(...cols.map((c) => new Column(Expr.fn("min", [colExpr(c)])))); }
  max(...cols: string[]): DataFrame { return this.agg(...cols.map((c) => new Column(Expr.fn("max", [colExpr(c)])))); }
}

export function groupingExpressions(cols: readonly (ColumnOrName | ColumnOrName[])[]): Expression[] {
  return cols.flat().map(colExpr);
}
