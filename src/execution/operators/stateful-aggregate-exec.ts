/**
 * Streaming aggregation (Spark's StateStoreRestore/Save around an aggregate): each micro-batch folds its rows into
 * the groups kept in the state store, partitioned by key hash over the checkpoint's shuffle partitions, then emits
 * every group (complete mode) or the groups this batch changed (update mode), and commits the next state version.
 */
import { RecordBatch } from "../../columnar/record-batch.js";
import { sqlText } from "../../analysis/expression-types.js";
import { StateStoreProvider, type StateStore } from "../../state/state-store.js";
import type { StructType } from "../../types/data-type.js";
import type { AggregationLayout } from "../aggregation-layout.js";
import { compileExpression, type Evaluator } from "../expression-compiler.js";
import { AggregationUpdater, type GroupState } from "./hash-aggregate-exec.js";
import type { ExecutionInput, PhysicalContext, PhysicalOperator } from "./physical-operator.js";

/** FNV-1a hash of a key string, for partitioning state. */
export function keyPartition(key: string, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) { h ^= key.charCodeAt(i); h = Math.imul(h, 0x01000193); }
  return (h >>> 0) % n;
}

export class StatefulAggregateExec implements PhysicalOperator {
  readonly name = "StatefulAggregate";
  readonly children: readonly PhysicalOperator[];
  private readonly updater: AggregationUpdater;
  private readonly results: Evaluator[];
  constructor(readonly child: PhysicalOperator, readonly layout: AggregationLayout, readonly schema: StructType,
    readonly provider: StateStoreProvider, readonly numPartitions: number, readonly outputMode: "append" | "update" | "complete",
    readonly operatorId: number, ctx: PhysicalContext) {
    this.children = [child];
    this.updater = new AggregationUpdater(layout, ctx);
    this.results = layout.results.map((e) => compileExpression(e, ctx.evalCtx));
  }

  async execute(input: ExecutionInput): Promise<RecordBatch[][]> {
    const version = input.batchId; // the state after batch batchId - 1
    this.provider.resetBatchMetrics();
    const stores: StateStore[] = [];
    for (let p = 0; p < this.numPartitions; p++) stores.push(await this.provider.load(p, version));
    const touched = new Map<string, GroupState>();
    const lookup = (key: string, keys: unknown[]): GroupState => {
      let s = touched.get(key);
      if (s !== undefined) return s;
      const store = stores[keyPartition(key, this.numPartitions)]!;
      const committed = store.get(key) as GroupState | undefined;
      // Copy on first touch: buffers of the committed version must not change if this batch fails.
      s = committed === undefined ? this.updater.initial(keys) : structuredClone(committed);
      touched.set(key, s);
      return s;
    };
    for (const part of await this.child.execute(input)) for (const b of part) this.updater.update(b, lookup);
    for (const [key, s] of touched) stores[keyPartition(key, this.numPartitions)]!.put(key, s);
    let emitted: Iterable<GroupState>;
    if (this.outputMode === "complete") {
      const all: GroupState[] = [];
      for (const store of stores) for (const [, v] of store.entries()) all.push(v as GroupState);
      emitted = all;
    } else {
      emitted = touched.values();
    }
    const out = this.project(this.updater.finish(emitted));
    for (let p = 0; p < this.numPartitions; p++) await this.provider.commit(p, stores[p]!);
    this.provider.refreshTotals();
    return [[out]];
  }

  private project(intermediate: RecordBatch): RecordBatch {
    return new RecordBatch(this.schema, this.results.map((f) => f(intermediate)), intermediate.numRows);
  }

  stateMetrics(): { operatorName: string } & StateStoreProvider["metrics"] {
    return { operatorName: "stateStoreSave", ...this.provider.metrics };
  }

  describe(): string {
    return `StatefulAggregate(op=${this.operatorId}, mode=${this.outputMode}, keys=[${this.layout.groupings.map((g) => sqlText(g)).join(", ")}], functions=[${this.layout.calls.map((c) => sqlText(c.call)).join(", ")}])`;
  }
}
