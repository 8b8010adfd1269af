/** Builds resolved logical plan nodes: the analyzer as each DataFrame operation calls it. */
import { AnalysisException } from "../errors/sluice-error.js";
import { Expr, children as exprChildren, type Expression } from "../expressions/expression.js";
import { attribute, attributesOf, type Attribute } from "../plan/attribute.js";
import type { StatefulProcessor } from "../streaming/stateful-processor/stateful-processor.js";
import type { Generate, JoinType, LogicalPlan } from "../plan/logical-plan.js";
import { IntegerType, simpleString, type DataType, type StructType } from "../types/data-type.js";
import { GENERATORS, expandStar, isAggregateFunction, resolveExpression } from "./expression-resolver.js";
import { autoName, dataTypeOf, nullableOf, sqlText } from "./expression-types.js";
import { sessionWindow, timeWindow, windowCall } from "./time-window.js";
import { widerType } from "./type-coercion.js";

/** The output attribute an expression produces in a projection. */
export function outputAttribute(e: Expression, input: readonly Attribute[]): Attribute {
  if (e.kind === "boundRef") return input[e.ordinal]!;
  const name = e.kind === "alias" ? e.name : autoName(e);
  return attribute(name, dataTypeOf(e), nullableOf(e));
}

function generatorOf(e: Expression): { call: Extract<Expression, { kind: "function" }>; names: string[] | undefined } | undefined {
  if (e.kind === "function" && GENERATORS.has(e.name)) return { call: e, names: undefined };
  if (e.kind === "alias") {
    const g = generatorOf(e.child);
    return g && { call: g.call, names: [e.name] };
  }
  if (e.kind === "function" && e.name === "__multialias") {
    const g = generatorOf(e.args[0]!);
    return g && { call: g.call, names: e.args.slice(1).map((a) => String((a as { value: unknown }).value)) };
  }
  return undefined;
}

export function generate(child: LogicalPlan, call: Extract<Expression, { kind: "function" }>, names: string[] | undefined): Generate {
  if (call.name === "json_tuple") {
    // json_tuple(json, k1, k2, ...) is one row of columns c0, c1, ...: the inline of a one-element array of that struct.
    if (call.args.length < 2) {
      throw new AnalysisException("WRONG_NUM_ARGS", `The \`json_tuple\` requires > 1 parameters but the actual number is ${call.args.length}.`,
        { params: { functionName: "`json_tuple`", expectedNum: "> 1", actualNum: String(call.args.length) } });
    }
    return generate(child, Expr.fn("inline", [Expr.fn("array", [Expr.fn("__json_tuple", call.args)])]), names);
  }
  if (call.args.length !== 1) {
    throw new AnalysisException("WRONG_NUM_ARGS", `The \`${call.name}\` requires 1 parameters but the actual number is ${call.args.length}.`,
      { params: { functionName: `\`${call.name}\``, expectedNum: "1", actualNum: String(call.args.length) } });
  }
  const input = resolveExpression(call.args[0]!, child.output);
  const t = dataTypeOf(input);
  const outer = call.name.endsWith("_outer");
  const base = call.name.replace(/_outer$/, "") as "explode" | "posexplode" | "inline";
  let cols: { name: string; type: DataType }[];
  if (base === "inline") {
    if (t.kind !== "array" || t.elementType.kind !== "struct") throw new AnalysisException("DATATYPE_MISMATCH", `inline requires array<struct>, got ${simpleString(t)}.`, {});
    cols = t.elementType.fields.map((f) => ({ name: f.name, type: f.dataType }));
  } else if (t.kind === "array") {
    cols = [{ name: "col", type: t.elementType }];
  } else if (t.kind === "map") {
    cols = [{ name: "key", type: t.keyType }, { name: "value", type: t.valueType }];
  } else {
    throw new AnalysisException("DATATYPE_MISMATCH", `Cannot resolve "${call.name}(...)" due to data type mismatch: input to function ${call.name} should be array or map type, not ${simpleString(t)}.`,
      { params: { functionName: call.name, inputType: simpleString(t) } });
  }
  if (base === "posexplode") cols = [{ name: "pos", type: IntegerType }, ...cols];
  if (names !== undefined) {
    if (names.length !== cols.length) {
      throw new AnalysisException("DATATYPE_MISMATCH", `The number of aliases supplied in the AS clause does not match the number of columns output by the UDTF: expected ${cols.length} aliases but got ${names.join(", ")}.`, {});
    }
    cols = cols.map((c, i) => ({ ...c, name: names[i]! }));
  }
  const genOutput = cols.map((c) => attribute(c.name, c.type, true));
  return { kind: "generate", output: [...child.output, ...genOutput], child, generator: base, outer, input };
}

/**
 * Inserts a TimeWindow node for the `window(...)` calls in `exprs` (Spark allows one window per operator) and
 * replaces each by a reference to the `window` column.
 */
function withTimeWindow(child: LogicalPlan, exprs: readonly Expression[]): { child: LogicalPlan; exprs: Expression[] } {
  const calls = exprs.map(windowCall).filter((c): c is NonNullable<typeof c> => c !== undefined);
  if (calls.length === 0) return { child, exprs: [...exprs] };
  const texts = new Set(calls.map((c) => sqlText(c)));
  if (texts.size > 1) {
    throw new AnalysisException("DATATYPE_MISMATCH", "Multiple time/session window expressions would result in a cartesian product of rows, therefore they are currently not supported.", { params: { functionName: "window" } });
  }
  const { node, window } = calls[0]!.name === "session_window" ? sessionWindow(child, calls[0]!) : timeWindow(child, calls[0]!);
  const ref: Expression = { kind: "column", nameParts: [window.name], attrId: window.id };
  const replace = (e: Expression): Expression => {
    const c = windowCall(e);
    if (c === undefined) return e;
    return e.kind === "alias" ? Expr.alias(ref, e.name) : ref;
  };
  return { child: node, exprs: exprs.map(replace) };
}

/** `select(...)`: expands stars, splits out a generator into a Generate node, resolves the rest. */
export function project(child0: LogicalPlan, exprs0: readonly Expression[]): LogicalPlan {
  const { child, exprs } = withTimeWindow(child0, exprs0);
  let input = child;
  let genAttrs: Attribute[] | undefined;
  const gens = exprs.map(generatorOf);
  const genCount = gens.filter((g) => g !== undefined).length;
  if (genCount > 1) throw new AnalysisException("UNSUPPORTED_GENERATOR", "Only one generator allowed per select clause but found " + genCount + ".", {});
  if (genCount === 1) {
    const g = gens.find((x) => x !== undefined)!;
    const node = generate(child, g.call, g.names);
    genAttrs = node.output.slice(child.output.length);
    input = node;
  }
  const resolved: Expression[] = [];
  exprs.forEach((e, i) => {
    if (gens[i] !== undefined) {
      for (const a of genAttrs!) resolved.push(boundOf(a, input.output));
    } else if (e.kind === "star") {
      resolved.push(...expandStar(e.qualifier, child.output));
    } else {
      resolved.push(resolveExpression(e, input.output));
    }
  });
  return { kind: "project", output: resolved.map((e) => outputAttribute(e, input.output)), child: input, exprs: resolved };
}

function boundOf(a: Attribute, input: readonly Attribute[]): Expression {
  const ordinal = input.findIndex((x) => x.id === a.id);
  return { kind: "boundRef", ordinal, name: a.name, dataType: a.dataType, nullable: a.nullable, attrId: a.id };
}

export function filter(child: LogicalPlan, condition: Expression): LogicalPlan {
  const c = resolveExpression(condition, child.output);
  const t = dataTypeOf(c);
  if (t.kind !== "boolean" && t.kind !== "null") {
    throw new AnalysisException("DATATYPE_MISMATCH", `Filter expression must be boolean, but got ${simpleString(t)}.`, { params: { dataType: simpleString(t) } });
  }
  return { kind: "filter", output: child.output, child, condition: c };
}

/** `union` (by position) and `unionByName`; columns widen to a common type as Spark's union does. */
export function union(left: LogicalPlan, right: LogicalPlan, byName: boolean, allowMissingColumns = false): LogicalPlan {
  let r = right;
  let l = left;
  if (byName) {
    const find = (out: readonly Attribute[], name: string): number => out.findIndex((b) => b.name.toLowerCase() === name.toLowerCase());
    const exprs: Expression[] = left.output.map((a) => {
      const k = find(right.output, a.name);
      if (k < 0) {
        if (allowMissingColumns) return Expr.alias(Expr.literal(null, a.dataType), a.name);
        throw new AnalysisException("UNRESOLVED_COLUMN_AMONG_FIELD_NAMES", `Cannot resolve column name "${a.name}" among (${right.output.map((b) => b.name).join(", ")}).`,
          { params: { colName: a.name, fieldNames: right.output.map((b) => b.name).join(", ") } });
      }
      return boundOf(right.output[k]!, right.output);
    });
    if (allowMissingColumns) {
      // The right side's extra columns follow the left's, NULL on the left (Spark's unionByName(allowMissingColumns)).
      const extra = right.output.filter((b) => find(left.output, b.name) < 0);
      if (extra.length > 0) {
        l = project(left, [...left.output.map((a) => boundOf(a, left.output)), ...extra.map((b) => Expr.alias(Expr.literal(null, b.dataType), b.name))]);
        for (const b of extra) exprs.push(boundOf(b, right.output));
      }
    }
    r = project(right, exprs);
  }
  if (l.output.length !== r.output.length) {
    throw new AnalysisException("DATATYPE_MISMATCH", `Union can only be performed on inputs with the same number of columns, but the first input has ${l.output.length} columns and the second input has ${r.output.length} columns.`,
      { params: { firstColumns: l.output.length, secondColumns: r.output.length } });
  }
  const types = l.output.map((a, i) => {
    const t = widerType(a.dataType, r.output[i]!.dataType);
    if (t === undefined) {
      throw new AnalysisException("DATATYPE_MISMATCH", `Union can only be performed on inputs with compatible column types: column ${i + 1} is ${simpleString(a.dataType)} and ${simpleString(r.output[i]!.dataType)}.`, {});
    }
    return t;
  });
  const castAll = (p: LogicalPlan): LogicalPlan => {
    if (p.output.every((a, i) => a.dataType.kind === types[i]!.kind && simpleString(a.dataType) === simpleString(types[i]!))) return p;
    return project(p, p.output.map((a, i) => Expr.alias(Expr.cast(boundOf(a, p.output), types[i]!), a.name)));
  };
  const l2 = castAll(l), r2 = castAll(r);
  const output = l2.output.map((a, i) => ({ ...a, nullable: a.nullable || r2.output[i]!.nullable }));
  return { kind: "union", output, children: [l2, r2] };
}

export function repartition(child: LogicalPlan, numPartitions: number, shuffle: boolean): LogicalPlan {
  if (!Number.isInteger(numPartitions) || numPartitions < 1) {
    throw new AnalysisException("INVALID_OPTION", `Number of partitions (${numPartitions}) must be positive.`, { params: { numPartitions } });
  }
  return { kind: "repartition", output: child.output, child, numPartitions, shuffle };
}

export function limit(child: LogicalPlan, n: number): LogicalPlan {
  return { kind: "limit", output: child.output, child, n };
}

export function sort(child: LogicalPlan, orders: readonly Expression[]): LogicalPlan {
  return { kind: "sort", output: child.output, child, orders: orders.map((o) => resolveExpression(o.kind === "sortOrder" ? o : Expr.sortOrder(o, true), child.output)) };
}

export function subqueryAlias(child: LogicalPlan, alias: string): LogicalPlan {
  return { kind: "subqueryAlias", output: child.output.map((a) => ({ ...a, qualifier: alias })), child, alias };
}

/** `dropDuplicates(subset)`; all columns when `subset` is empty (`distinct()`). */
export function deduplicate(child: LogicalPlan, subset: readonly string[], withinWatermark = false): LogicalPlan {
  const keys = subset.length === 0
    ? child.output.map((_, i) => boundOf(child.output[i]!, child.output))
    : subset.map((name) => {
      const e = resolveExpression(Expr.column(name), child.output);
      if (e.kind !== "boundRef") throw new AnalysisException("UNRESOLVED_COLUMN", `Cannot resolve column name "${name}" among (${child.output.map((a) => a.name).join(", ")}).`, { params: { objectName: name } });
      return e;
    });
  return { kind: "deduplicate", output: child.output, child, keys, withinWatermark };
}

export { boundOf };

/**
 * `groupBy(groupings).agg(aggregates)`. Every column an output expression uses outside an aggregate function must be
 * a grouping expression (Spark's MISSING_AGGREGATION).
 */
export function aggregate(child0: LogicalPlan, groupings0: readonly Expression[], aggregates0: readonly Expression[]): LogicalPlan {
  const windowed = withTimeWindow(child0, [...groupings0, ...aggregates0]);
  const child = windowed.child;
  const groupings = windowed.exprs.slice(0, groupings0.length), aggregates = windowed.exprs.slice(groupings0.length);
  const groups = groupings.map((g) => resolveExpression(g, child.output, { context: "GROUP BY" }));
  const groupTexts = new Set(groups.map((g) => sqlText(stripAlias(g))));
  const outs = aggregates.map((a) => resolveExpression(a, child.output, { allowAggregates: true }));
  const check = (e: Expression): void => {
    if (groupTexts.has(sqlText(stripAlias(e)))) return;
    if (e.kind === "function" && isAggregateFunction(e.name)) return;
    if (e.kind === "boundRef") {
      throw new AnalysisException("MISSING_AGGREGATION",
        `The non-aggregating expression "${e.name}" is based on columns which are not participating in the GROUP BY clause. Add the columns or the expression to the GROUP BY, aggregate the expression, or use "any_value(${e.name})" if you do not care which of the values within a group is returned.`,
        { params: { expression: e.name } });
    }
    for (const c of exprChildren(e)) check(c);
  };
  outs.forEach((o) => check(stripAlias(o)));
  return { kind: "aggregate", output: outs.map((e) => outputAttribute(e, child.output)), child, groupings: groups.map(stripAlias), aggregates: outs };
}

function stripAlias(e: Expression): Expression {
  return e.kind === "alias" ? e.child : e;
}

const JOIN_TYPES: Readonly<Record<string, JoinType>> = {
  inner: "inner", cross: "cross", outer: "full_outer", full: "full_outer", fullouter: "full_outer", full_outer: "full_outer",
  left: "left_outer", leftouter: "left_outer", left_outer: "left_outer", right: "right_outer", rightouter: "right_outer",
  right_outer: "right_outer", semi: "left_semi", leftsemi: "left_semi", left_semi: "left_semi", anti: "left_anti",
  leftanti: "left_anti", left_anti: "left_anti",
};

export function joinType(how: string): JoinType {
  const t = JOIN_TYPES[how.toLowerCase()];
  if (t === undefined) {
    throw new AnalysisException("INVALID_OPTION", `Unsupported join type '${how}'. Supported join types include: 'inner', 'outer', 'full', 'fullouter', 'full_outer', 'leftouter', 'left', 'left_outer', 'rightouter', 'right', 'right_outer', 'leftsemi', 'left_semi', 'semi', 'leftanti', 'left_anti', 'anti', 'cross'.`, { params: { joinType: how } });
  }
  return t;
}

/** Gives the right side fresh attribute ids where they collide with the left's (a DataFrame joined with itself). */
function distinctIds(left: LogicalPlan, right: LogicalPlan): LogicalPlan {
  const ids = new Set(left.output.map((a) => a.id));
  if (!right.output.some((a) => ids.has(a.id))) return right;
  const renamed = project(right, right.output.map((a) => Expr.alias(boundOf(a, right.output), a.name)));
  // Fresh ids, same names and qualifiers (`r.id` still resolves after df.alias("r")).
  return { ...renamed, output: renamed.output.map((a, i) => (right.output[i]!.qualifier === undefined ? a : { ...a, qualifier: right.output[i]!.qualifier })) } as LogicalPlan;
}

function nullableFor(attrs: readonly Attribute[], nullable: boolean): Attribute[] {
  return nullable ? attrs.map((a) => ({ ...a, nullable: true })) : [...attrs];
}

/** `left.join(right, on, how)`: `on` is a condition, a column name or a list of names (a `using` join), or absent. */
export function join(left: LogicalPlan, right0: LogicalPlan, on: Expression | readonly string[] | null, how: string): LogicalPlan {
  const type = joinType(how);
  const right = distinctIds(left, right0);
  const outputFor = (l: readonly Attribute[], r: readonly Attribute[]): Attribute[] =>
    type === "left_semi" || type === "left_anti" ? [...l]
      : [...nullableFor(l, type === "right_outer" || type === "full_outer"), ...nullableFor(r, type === "left_outer" || type === "full_outer")];
  const both = [...left.output, ...right.output];
  if (on === null) {
    return { kind: "join", output: outputFor(left.output, right.output), left, right, joinType: type === "inner" ? "cross" : type, condition: null };
  }
  if (!Array.isArray(on)) {
    const condition = resolveExpression(on as Expression, both, { context: "a join condition" });
    const t = dataTypeOf(condition);
    if (t.kind !== "boolean") throw new AnalysisException("DATATYPE_MISMATCH", `Join condition must be boolean, not ${simpleString(t)}.`, { params: { dataType: simpleString(t) } });
    return { kind: "join", output: outputFor(left.output, right.output), left, right, joinType: type, condition };
  }
  // using columns: equality on each; output = the using columns, then the other left and right columns (Spark's order).
  const names = on as readonly string[];
  const pick = (side: readonly Attribute[], n: string, which: string): number => {
    const k = side.findIndex((a) => a.name.toLowerCase() === n.toLowerCase());
    if (k < 0) throw new AnalysisException("UNRESOLVED_USING_COLUMN_FOR_JOIN", `USING column \`${n}\` cannot be resolved on the ${which} side of the join. The ${which}-side columns: [${side.map((a) => a.name).join(", ")}].`, { params: { colName: n, side: which } });
    return k;
  };
  const li = names.map((n) => pick(left.output, n, "left")), ri = names.map((n) => pick(right.output, n, "right"));
  const conds = li.map((l, k) => Expr.binary("=", boundOf(left.output[l]!, both), { ...boundOf(right.output[ri[k]!]!, both), ordinal: left.output.length + ri[k]! } as Expression));
  const condition = resolveExpression(conds.reduce((a, b) => Expr.binary("and", a, b)), both);
  const node: LogicalPlan = { kind: "join", output: outputFor(left.output, right.output), left, right, joinType: type, condition };
  if (type === "left_semi" || type === "left_anti") return node;
  const out = node.output;
  const keyExprs: Expression[] = li.map((l, k) => {
    const la = out[l]!, ra = out[left.output.length + ri[k]!]!;
    const lref = boundOf(la, out), rref = boundOf(ra, out);
    if (type === "right_outer") return Expr.alias(rref, la.name);
    if (type === "full_outer") return Expr.alias(Expr.fn("coalesce", [lref, rref]), la.name);
    return lref;
  });
  const rest = [
    ...left.output.flatMap((a, i) => (li.includes(i) ? [] : [boundOf(out[i]!, out)])),
    ...right.output.flatMap((a, i) => (ri.includes(i) ? [] : [boundOf(out[left.output.length + i]!, out)])),
  ];
  return project(node, [...keyExprs, ...rest]);
}

/** `groupBy(groupings).transformWithState(processor, outputSchema, outputMode, timeMode)`. */
export function transformWithState(child: LogicalPlan, groupings: readonly Expression[], processor: StatefulProcessor, outputSchema: StructType, timeMode: string): LogicalPlan {
  const mode = timeMode.toLowerCase().replace(/[_\s]/g, "");
  if (mode !== "none" && mode !== "processingtime" && mode !== "eventtime") {
    throw new AnalysisException("INVALID_OPTION", `Unknown time mode '${timeMode}'; use 'None', 'ProcessingTime' or 'EventTime'.`, { params: { timeMode } });
  }
  const groups = groupings.map((g) => resolveExpression(g, child.output, { context: "transformWithState" }));
  return { kind: "transformWithState", output: attributesOf(outputSchema.fields), child, groupings: groups, processor, timeMode: mode };
}
