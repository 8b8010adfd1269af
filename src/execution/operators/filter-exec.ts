/** Filter: keeps the rows where the predicate is true (not false, not null). */
import type { RecordBatch } from "../../columnar/record-batch.js";
import { sqlText } from "../../analysis/expression-types.js";
import type { Expression } from "../../expressions/expression.js";
import { compileExpression, selectTrue, type Evaluator } from "../expression-compiler.js";
import type { ExecutionInput, PhysicalContext, PhysicalOperator } from "./physical-operator.js";

export class FilterExec implements PhysicalOperator {
  readonly name = "Filter";
  readonly children: readonly PhysicalOperator[];
  private readonly predicate: Evaluator;
  constructor(readonly child: PhysicalOperator, readonly condition: Expression, ctx: PhysicalContext) {
    this.children = [child];
    this.predicate = compileExpression(condition, ctx.evalCtx);
  }
  async execute(input: ExecutionInput): Promise<RecordBatch[][]> {
    const parts = await this.child.execute(input);
    return parts.map((batches) => batches.map((b) => {
      const keep = selectTrue(this.predicate(b));
      return keep.length === b.numRows ? b : b.take(keep);
    }));
  }
  describe(): string { return `Filter ${sqlText(this.condition)}`; }
}
