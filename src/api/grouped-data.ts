/** `GroupedData`: what `df.groupBy(...)` returns; `agg`, `count` and the shorthand aggregates. */
import * as builder from "../analysis/plan-builder.js";
import { Expr, type Expression } from "../expressions/expression.js";
import { Column, colExpr, type ColumnOrName } from "./column.js";
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
