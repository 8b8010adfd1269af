/** Hash aggregation over a static input: one buffer set per group, then one output row per group. */
import { getValue } from "../../columnar/column-vector.js";
import { RecordBatch } from "../../columnar/record-batch.js";
import { sqlText } from "../../analysis/expression-types.js";
import type { StructType } from "../../types/data-type.js";
import type { AggregationLayout } from "../aggregation-layout.js";
import { compileExpression, type Evaluator } from "../expression-compiler.js";
import { rowKey } from "../row-key.js";
import type { ExecutionInput, PhysicalContext, PhysicalOperator } from "./physical-operator.js";

/** Group key and aggregation buffers of one group. */
export interface GroupState { readonly keys: unknown[]; buffers: unknown[] }

/** Folds one batch into `groups` (shared by the batch and the streaming aggregate). Returns the keys it touched. */
export class AggregationUpdater {
  private readonly groupEvals: Evaluator[];
  private readonly argEvals: Evaluator[][];
  constructor(readonly layout: AggregationLayout, ctx: PhysicalContext) {
    this.groupEvals = layout.groupings.map((g) => compileExpression(g, ctx.evalCtx));
    this.argEvals = layout.calls.map((c) => c.call.args.map((a) => compileExpression(a, ctx.evalCtx)));
  }

  /** Rows whose `lookup` returns undefined (late rows) are skipped and counted in `skipped.rows`. */
  update(batch: RecordBatch, lookup: (key: string, keys: unknown[]) => GroupState | undefined, touched?: Set<string>, skipped?: { rows: number }): void {
    const gv = this.groupEvals.map((f) => f(batch));
    const av = this.argEvals.map((fs) => fs.map((f) => f(batch)));
    const calls = this.layout.calls;
    const keys = new Array<unknown>(gv.length);
    const args = calls.map((c) => new Array<unknown>(c.call.args.length));
    for (let i = 0; i < batch.numRows; i++) {
      for (let g = 0; g < gv.length; g++) keys[g] = getValue(gv[g]!, i);
      const key = gv.length === 0 ? "" : rowKey(keys);
      const state = lookup(key, keys);
      if (state === undefined) { if (skipped) skipped.rows++; continue; }
      touched?.add(key);
      for (let c = 0; c < calls.length; c++) {
        const a = args[c]!, vecs = av[c]!;
        for (let j = 0; j < a.length; j++) a[j] = getValue(vecs[j]!, i);
        state.buffers[c] = calls[c]!.fn.update(state.buffers[c], a);
      }
    }
  }

  initial(keys: readonly unknown[]): GroupState {
    return { keys: [...keys], buffers: this.layout.calls.map((c) => c.fn.init()) };
  }

  /** The intermediate rows `[keys..., results...]` of `groups`. */
  finish(groups: Iterable<GroupState>): RecordBatch {
    const rows: unknown[][] = [];
    for (const g of groups) rows.push([...g.keys, ...g.buffers.map((b, c) => this.layout.calls[c]!.fn.finish(b))]);
    return RecordBatch.fromRows(this.layout.intermediate, rows);
  }
}

export class HashAggregateExec implements PhysicalOperator {
  readonly name = "HashAggregate";
  readonly children: readonly PhysicalOperator[];
  private readonly updater: AggregationUpdater;
  private readonly results: Evaluator[];
  constructor(readonly child: PhysicalOperator, readonly layout: AggregationLayout, readonly schema: StructType, ctx: PhysicalContext) {
    this.children = [child];
    this.updater = new AggregationUpdater(layout, ctx);
    this.results = layout.results.map((e) => compileExpression(e, ctx.evalCtx));
  }
  async execute(input: ExecutionInput): Promise<RecordBatch[][]> {
    const groups = new Map<string, GroupState>();
    const lookup = (key: string, keys: unknown[]): GroupState => {
      let s = groups.get(key);
      if (s === undefined) groups.set(key, (s = this.updater.initial(keys)));
      return s;
    };
    for (const part of await this.child.execute(input)) for (const b of part) this.updater.update(b, lookup);
    // A global aggregate over no rows still gives one row (count = 0, sum = null), as in Spark.
    if (this.layout.groupings.length === 0 && groups.size === 0) groups.set("", this.updater.initial([]));
    return [[this.project(this.updater.finish(groups.values()))]];
  }
  /** Output rows from intermediate rows. */
  project(intermediate: RecordBatch): RecordBatch {
    return new RecordBatch(this.schema, this.results.map((f) => f(intermediate)), intermediate.numRows);
  }
  describe(): string {
    return `HashAggregate(keys=[${this.layout.groupings.map((g) => sqlText(g)).join(", ")}], functions=[${this.layout.calls.map((c) => sqlText(c.call)).join(", ")}])`;
  }
}
