/** `SELECT ... FROM view [WHERE ...] [ORDER BY ...] [LIMIT n]`: the query subset `spark.sql` accepts. */
import type { Expression } from "../expressions/expression.js";
import { Expr } from "../expressions/expression.js";
import { SqlParser } from "./parser.js";

export interface SelectStatement {
  readonly distinct: boolean;
  readonly projections: readonly Expression[];
  readonly from: readonly string[];
  readonly alias: string | undefined;
  readonly where: Expression | undefined;
  readonly orderBy: readonly Expression[];
  readonly limit: number | undefined;
}

export function parseSelect(text: string): SelectStatement {
  const p = new SqlParser(text.trim().replace(/;\s*$/, ""));
  p.expectKeyword("select");
  const distinct = p.acceptKeyword("distinct");
  if (!distinct) p.acceptKeyword("all");
  const projections = [p.namedExpression()];
  while (p.acceptOp(",")) projections.push(p.namedExpression());
  p.expectKeyword("from");
  const from = p.multipartIdentifier();
  let alias: string | undefined;
  if (p.acceptKeyword("as")) alias = p.identifier("alias");
  else if (p.peek().kind === "ident" && !["where", "order", "limit"].includes(p.peek().text.toLowerCase())) alias = p.identifier();
  const where = p.acceptKeyword("where") ? p.expression() : undefined;
  const orderBy: Expression[] = [];
  if (p.acceptKeyword("order")) {
    p.expectKeyword("by");
    do {
      const e = p.expression();
      const asc = p.acceptKeyword("desc") ? false : (p.acceptKeyword("asc"), true);
      let nullsFirst: boolean | undefined;
      if (p.acceptKeyword("nulls")) nullsFirst = p.acceptKeyword("first") ? true : (p.expectKeyword("last"), false);
      orderBy.push(Expr.sortOrder(e, asc, nullsFirst));
    } while (p.acceptOp(","));
  }
  let limit: number | undefined;
  if (p.acceptKeyword("limit")) {
    const t = p.next();
    if (t.kind !== "number") p.fail("LIMIT needs a number", t);
    limit = Number(t.text);
  }
  p.expectEnd();
  return { distinct, projections, from, alias, where, orderBy, limit };
}
