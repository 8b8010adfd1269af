/**
 * How an Aggregate node computes: the grouping expressions, the distinct aggregate calls, and the output expressions
 * rewritten over the intermediate row `[group values..., aggregate results...]`.
 */
import { dataTypeOf, sqlText } from "../analysis/expression-types.js";
import { mapChildren, type Expression, type FunctionCall } from "../expressions/expression.js";
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

/** `ansi`: Spark's spark.sql.ansi.enabled (overflowing sums fail instead of giving NULL or wrapping). */
export function aggregationLayout(node: Aggregate, ansi = true): AggregationLayout {
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
        calls.push({ call: e, fn: aggregateFunction(e.name, e.args.map(dataTypeOf), e.distinct, ansi) });
      }
      return ref(node.groupings.length + k, key, e);
    }
    return mapChildren(e, rewrite);
  };
  const results = node.aggregates.map(rewrite);
  const intermediate = structType([
    ...node.groupings.map((g, i) => structField(groupTexts[i]!, dataTypeOf(g))),
    ...calls.map((c) => structField(sqlText(c.call), c.fn.resultType)),
  ]);
  return { groupings: node.groupings, calls, intermediate, results };
}
