/** `limit(n)` on a stream in append mode (Spark's StreamingGlobalLimitExec): rows emitted so far are kept in state. */
import { RecordBatch } from "../../columnar/record-batch.js";
import type { StateStoreProvider } from "../../state/state-store.js";
import { PartitionedState } from "../../state/partitioned-state.js";
import type { StructType } from "../../types/data-type.js";
import type { ExecutionInput, PhysicalOperator } from "./physical-operator.js";

export class StreamingLimitExec implements PhysicalOperator {
  readonly name = "StreamingGlobalLimit";
  readonly children: readonly PhysicalOperator[];
  constructor(readonly child: PhysicalOperator, readonly n: number, readonly schema: StructType, readonly provider: StateStoreProvider, readonly operatorId: number) {
    this.children = [child];
  }
  async execute(input: ExecutionInput): Promise<RecordBatch[][]> {
    await this.provider.checkSchema("struct<>", "struct<emitted:bigint>");
    const state = new PartitionedState(this.provider, 1);
    await state.load(input.batchId);
    let emitted = (state.get("") as number | undefined) ?? 0;
    const out: RecordBatch[] = [];
    for (const part of await this.child.execute(input)) for (const b of part) {
      if (emitted >= this.n) break;
      const take = Math.min(b.numRows, this.n - emitted);
      out.push(take === b.numRows ? b : b.slice(0, take));
      emitted += take;
    }
    state.put("", emitted);
    await state.commit();
    return [[RecordBatch.concat(this.schema, out)]];
  }
  async close(): Promise<void> { await this.provider.close?.(); }
  stateMetrics(): { operatorName: string; numRowsDroppedByWatermark: number } & StateStoreProvider["metrics"] {
    return { operatorName: "globalLimit", ...this.provider.metrics, numRowsDroppedByWatermark: 0 };
  }
  describe(): string { return `StreamingGlobalLimit(op=${this.operatorId}) ${this.n}`; }
}
