/** The physical operator contract: run over partitions of record batches, no work before `execute`. */
import type { RecordBatch } from "../../columnar/record-batch.js";
import type { EvalContext } from "../../expressions/eval-context.js";

/** Data for the leaves of one execution: per streaming relation id, the batch's partitions. */
export interface ExecutionInput {
  readonly streamData: ReadonlyMap<number, RecordBatch[][]>;
}

export interface PhysicalOperator {
  readonly name: string;
  readonly children: readonly PhysicalOperator[];
  /** Produces the operator's output as partitions of batches. */
  execute(input: ExecutionInput): Promise<RecordBatch[][]>;
  /** One line for `explain()`. */
  describe(): string;
}

export interface PhysicalContext {
  readonly evalCtx: EvalContext;
  /** Number of partitions work is split into (`local[N]`). */
  readonly parallelism: number;
}
