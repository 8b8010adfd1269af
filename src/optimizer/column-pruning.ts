/**
 * Column pruning: leaves keep only the attributes something above them uses, and every expression is rebound to
 * the narrower inputs. Lets a file scan convert only the columns a query needs (Spark's ColumnPruning + schema
 * pruning for name-based formats).
 */
import { transformUp, type Expression } from "../expressions/expression.js";
import type { Attribute } from "../plan/attribute.js";
import type { LogicalPlan } from "../plan/logical-plan.js";

function refs(e: Expression, out: Set<number>): void {
  transformUp(e, (x) => { if (x.kind === "boundRef") out.add(x.attrId); return x; });
}

function rebind(e: Expression, input: readonly Attribute[]): Expression {
  return transformUp(e, (x) => {
    if (x.kind !== "boundRef") return x;
    const ordinal = input.findIndex((a) => a.id === x.attrId);
    return ordinal === x.ordinal || ordinal < 0 ? x : { ...x, ordinal };
  });
}

/** Prunes leaves of `plan` to the attributes needed for its output; `keepLeaf` says which leaves may be pruned. */
export function pruneColumns(plan: LogicalPlan, keepLeaf: (leaf: LogicalPlan) => boolean = () => false): LogicalPlan {
  return prune(plan, new Set(plan.output.map((a) => a.id)), keepLeaf);
}

function prune(p: LogicalPlan, required: Set<number>, keepLeaf: (leaf: LogicalPlan) => boolean): LogicalPlan {
  switch (p.kind) {
    case "streamingRelation": case "batchRelation": case "localRelation": {
      if (keepLeaf(p) || p.kind === "batchRelation" || (p.kind === "localRelation" && p.batches.length > 0)) return p;
      const output = p.output.filter((a) => required.has(a.id));
      return { ...p, output: output.length > 0 ? output : p.output.slice(0, 1) };
    }
    case "project": {
      const need = new Set<number>();
      p.exprs.forEach((e) => refs(e, need));
      const child = prune(p.child, need, keepLeaf);
      return { ...p, child, exprs: p.exprs.map((e) => rebind(e, child.output)) };
    }
    case "filter": {
      const need = new Set(required);
      refs(p.condition, need);
      const child = prune(p.child, need, keepLeaf);
      return { ...p, child, output: child.output, condition: rebind(p.condition, child.output) };
    }
    case "generate": {
      const generated = p.output.slice(p.child.output.length);
      const need = new Set([...required].filter((id) => !generated.some((g) => g.id === id)));
      refs(p.input, need);
      const child = prune(p.child, need, keepLeaf);
      return { ...p, child, output: [...child.output, ...generated], input: rebind(p.input, child.output) };
    }
    case "subqueryAlias": {
      const child = prune(p.child, required, keepLeaf);
      return { ...p, child, output: child.output.map((a) => ({ ...a, qualifier: p.alias })) };
    }
    case "sort": {
      const need = new Set(required);
      p.orders.forEach((o) => refs(o, need));
      const child = prune(p.child, need, keepLeaf);
      return { ...p, child, output: child.output, orders: p.orders.map((o) => rebind(o, child.output)) };
    }
    case "repartition":
    case "limit": {
      const child = prune(p.child, required, keepLeaf);
      return { ...p, child, output: child.output };
    }
    case "aggregate": {
      const need = new Set<number>();
      p.groupings.forEach((g) => refs(g, need));
      p.aggregates.forEach((a) => refs(a, need));
      const child = prune(p.child, need, keepLeaf);
      return { ...p, child, groupings: p.groupings.map((g) => rebind(g, child.output)), aggregates: p.aggregates.map((a) => rebind(a, child.output)) };
    }
    case "timeWindow": {
      const need = new Set([...required].filter((id) => id !== p.output[p.output.length - 1]!.id));
      refs(p.timeColumn, need);
      const child = prune(p.child, need, keepLeaf);
      return { ...p, child, output: [...child.output, p.output[p.output.length - 1]!], timeColumn: rebind(p.timeColumn, child.output) };
    }
    case "sessionWindow": {
      const need = new Set([...required].filter((id) => id !== p.output[p.output.length - 1]!.id));
      refs(p.timeColumn, need);
      refs(p.gap, need);
      const child = prune(p.child, need, keepLeaf);
      return { ...p, child, output: [...child.output, p.output[p.output.length - 1]!], timeColumn: rebind(p.timeColumn, child.output), gap: rebind(p.gap, child.output) };
    }
    case "eventTimeWatermark": {
      const need = new Set(required);
      refs(p.eventTime, need);
      const child = prune(p.child, need, keepLeaf);
      const marked = child.output.map((a) => p.output.find((o) => o.id === a.id) ?? a);
      return { ...p, child, output: marked, eventTime: rebind(p.eventTime, child.output) };
    }
    case "deduplicate": {
      const need = new Set(required);
      p.keys.forEach((k) => refs(k, need));
      const child = prune(p.child, need, keepLeaf);
      return { ...p, child, output: child.output, keys: p.keys.map((k) => rebind(k, child.output)) };
    }
    case "transformWithState": // the processor sees whole input rows
    case "join": case "union":
      return p; // joins keep their inputs whole (their conditions address both sides); union positions must line up
  }
}
