/** Repartition / Coalesce: the child's rows in `n` partitions (round-robin by batch slices, or neighbours merged). */
import { RecordBatch } from "../../columnar/record-batch.js";
import type { ExecutionInput, PhysicalOperator } from "./physical-operator.js";

export class RepartitionExec implements PhysicalOperator {
  readonly name: string;
  readonly children: readonly PhysicalOperator[];
  constructor(readonly child: PhysicalOperator, readonly n: number, readonly shuffle: boolean) {
    this.children = [child];
    this.name = shuffle ? "Exchange" : "Coalesce";
  }
  async execute(input: ExecutionInput): Promise<RecordBatch[][]> {
    const parts = (await this.child.execute(input)).filter((p) => p.length > 0);
    if (!this.shuffle) {
      // Neighbouring partitions merged: at most n, row order kept.
      const k = Math.min(this.n, Math.max(parts.length, 1));
      return Array.from({ length: k }, (_, g) => parts.slice(Math.floor(g * parts.length / k), Math.floor((g + 1) * parts.length / k)).flat());
    }
    // Round-robin: every batch cut into n equal slices, slice i to partition i.
    const out: RecordBatch[][] = Array.from({ length: this.n }, () => []);
    for (const b of parts.flat()) {
      for (let i = 0; i < this.n; i++) {
        const from = Math.floor(i * b.numRows / this.n), to = Math.floor((i + 1) * b.numRows / this.n);
        if (to > from) out[i]!.push(b.slice(from, to));
      }
    }
    return out;
  }
  describe(): string { return this.shuffle ? `Exchange RoundRobinPartitioning(${this.n})` : `Coalesce ${this.n}`; }
}
