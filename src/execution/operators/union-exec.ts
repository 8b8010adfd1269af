/** Union: the partitions of all children, one after the other. */
import type { RecordBatch } from "../../columnar/record-batch.js";
import type { StructType } from "../../types/data-type.js";
import type { ExecutionInput, PhysicalOperator } from "./physical-operator.js";

export class UnionExec implements PhysicalOperator {
  readonly name = "Union";
  constructor(readonly children: readonly PhysicalOperator[], readonly schema: StructType) {}
  async execute(input: ExecutionInput): Promise<RecordBatch[][]> {
    const all = await Promise.all(this.children.map((c) => c.execute(input)));
    return all.flat().map((part) => part.map((b) => b.withSchema(this.schema)));
  }
  describe(): string { return "Union"; }
}
