/** Limit: the first N rows, in partition order. */
import type { RecordBatch } from "../../columnar/record-batch.js";
import type { ExecutionInput, PhysicalOperator } from "./physical-operator.js";

export class LimitExec implements PhysicalOperator {
  readonly name = "Limit";
  readonly children: readonly PhysicalOperator[];
  constructor(readonly child: PhysicalOperator, readonly n: number) { this.children = [child]; }
  async execute(input: ExecutionInput): Promise<RecordBatch[][]> {
    const parts = await this.child.execute(input);
    const out: RecordBatch[] = [];
    let left = this.n;
    for (const part of parts) for (const b of part) {
      if (left <= 0) break;
      const piece = b.numRows <= left ? b : b.slice(0, left);
      out.push(piece);
      left -= piece.numRows;
    }
    return [out];
  }
  describe(): string { return `Limit ${this.n}`; }
}
