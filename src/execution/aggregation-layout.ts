/**
 * How an Aggregate node computes: the grouping expressions, the distinct aggregate calls, and the output expressions
 * rewritten over the intermediate row `[group values..., aggregate results...]`.
 */
import { dataTypeOf, sqlText } from "../analysis/expression-types.js";
import type { Expression, FunctionCall } from "../expressions/expression.js";
import { aggregateFunction, type AggregateFunction } from "../functions/aggregate-functions.js";
import { AGGREGATE_NAMES } from "../functions/aggregate-names.js";
import type { Aggregate } from "../plan/logical-plan.js";
import { structField, structType, type StructType } from "../types/data-type.js";

export interface AggregateCall {
  readonly call: FunctionCall;
  readonly fn: AggregateFunction;
}

export interface AggregationLayout {
  readonly groupings: readonly Expression[];
  readonly calls: readonly AggregateCall[];
  /** Schema of `[group values..., aggregate results...]`. */
  readonly intermediate: StructType;
  /** Output expressions over the intermediate row. */
  readonly results: readonly Expression[];
}

export function aggregationLayout(node: Aggregate): AggregationLayout {
  const calls: AggregateCall[] = [];
  const callIndex = new Map<string, number>();
  const groupTexts = node.groupings.map((g) => sqlText(g));
  const ref = (ordinal: number, name: string, e: Expression): Expression =>
    ({ kind: "boundRef", ordinal, name, dataType: dataTypeOf(e), nullable: true, attrId: -1 - ordinal });
  const rewrite = (e: Expression): Expression => {
    const g = groupTexts.indexOf(sqlText(e));
    if (g >= 0 && e.kind !== "alias") return ref(g, groupTexts[g]!, e);
    if (e.kind === "function" && AGGREGATE_NAMES.has(e.name)) {
      const key = sqlText(e);
      let k = callIndex.get(key);
      if (k === undefined) {
        k = calls.length;
        callIndex.set(key, k);
        calls.push({ call: e, fn: aggregateFunction(e.name, e.args.map(dataTypeOf), e.distinct) });
      }
      return ref(node.groupings.length + k, key, e);
    }
    return rebuild(e, rewrite);
  };
  const results = node.aggregates.map(rewrite);
  const intermediate = structType([
    ...node.groupings.map((g, i) => structField(groupTexts[i]!, dataTypeOf(g))),
    ...calls.map((c) => structField(sqlText(c.call), c.fn.resultType)),
  ]);
  return { groupings: node.groupings, calls, intermediate, results };
}

/** `e` with each direct child replaced by `f(child)`; `f` does its own recursion. */
function rebuild(e: Expression, f: (e: Expression) => Expression): Expression {
  switch (e.kind) {
    case "column": case "boundRef": case "literal": case "star": return e;
    case "alias": case "unary": case "cast": case "sortOrder": return { ...e, child: f(e.child) } as Expression;
    case "binary": return { ...e, left: f(e.left), right: f(e.right) };
    case "case": return { ...e, branches: e.branches.map(([c, v]) => [f(c), f(v)] as const), otherwise: e.otherwise ? f(e.otherwise) : null };
    case "in": return { ...e, child: f(e.child), list: e.list.map(f) };
    case "like": return { ...e, child: f(e.child), pattern: f(e.pattern) };
    case "function": return { ...e, args: e.args.map(f) };
    case "extract": return { ...e, child: f(e.child), key: f(e.key) };
  }
}
