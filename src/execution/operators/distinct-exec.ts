/** Distinct over a static input: keeps the first row of each group of equal rows. */
import { RecordBatch } from "../../columnar/record-batch.js";
import type { StructType } from "../../types/data-type.js";
import { rowKey } from "../row-key.js";
import type { ExecutionInput, PhysicalOperator } from "./physical-operator.js";

export class DistinctExec implements PhysicalOperator {
  readonly name = "Distinct";
  readonly children: readonly PhysicalOperator[];
  constructor(readonly child: PhysicalOperator, readonly schema: StructType) { this.children = [child]; }
  async execute(input: ExecutionInput): Promise<RecordBatch[][]> {
    const all = RecordBatch.concat(this.schema, (await this.child.execute(input)).flat());
    const seen = new Set<string>();
    const keep: number[] = [];
    for (let i = 0; i < all.numRows; i++) {
      const k = rowKey(all.row(i));
      if (!seen.has(k)) { seen.add(k); keep.push(i); }
    }
    return [[all.take(keep)]];
  }
  describe(): string { return "Distinct"; }
}
