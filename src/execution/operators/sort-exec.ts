/** Sort: a total order over all partitions (into one), nulls placed as each order says, NaN largest. */
import { getValue } from "../../columnar/column-vector.js";
import { RecordBatch } from "../../columnar/record-batch.js";
import { sqlText } from "../../analysis/expression-types.js";
import type { SortOrder } from "../../expressions/expression.js";
import { compareValues } from "../../functions/math-functions.js";
import type { StructType } from "../../types/data-type.js";
import { compileExpression, type Evaluator } from "../expression-compiler.js";
import type { ExecutionInput, PhysicalContext, PhysicalOperator } from "./physical-operator.js";

export class SortExec implements PhysicalOperator {
  readonly name = "Sort";
  readonly children: readonly PhysicalOperator[];
  private readonly keys: Evaluator[];
  constructor(readonly child: PhysicalOperator, readonly orders: readonly SortOrder[], readonly schema: StructType, ctx: PhysicalContext) {
    this.children = [child];
    this.keys = orders.map((o) => compileExpression(o.child, ctx.evalCtx));
  }
  async execute(input: ExecutionInput): Promise<RecordBatch[][]> {
    const all = RecordBatch.concat(this.schema, (await this.child.execute(input)).flat());
    const keyVecs = this.keys.map((k) => k(all));
    const idx = Array.from({ length: all.numRows }, (_, i) => i);
    idx.sort((a, b) => {
      for (let k = 0; k < keyVecs.length; k++) {
        const o = this.orders[k]!;
        const x = getValue(keyVecs[k]!, a), y = getValue(keyVecs[k]!, b);
        if (x === null || y === null) {
          if (x === y) continue;
          return (x === null) === o.nullsFirst ? -1 : 1;
        }
        const c = compareValues(x, y);
        if (c !== 0) return o.ascending ? c : -c;
      }
      return a - b;
    });
    return [[all.take(idx)]];
  }
  describe(): string { return `Sort [${this.orders.map((o) => sqlText(o)).join(", ")}]`; }
}
