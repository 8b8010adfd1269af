/** Projection: evaluates expressions column-wise over each batch. */
import { RecordBatch } from "../../columnar/record-batch.js";
import { sqlText } from "../../analysis/expression-types.js";
import type { Expression } from "../../expressions/expression.js";
import type { StructType } from "../../types/data-type.js";
import { compileExpression, type Evaluator } from "../expression-compiler.js";
import type { ExecutionInput, PhysicalContext, PhysicalOperator } from "./physical-operator.js";

export class ProjectExec implements PhysicalOperator {
  readonly name = "Project";
  readonly children: readonly PhysicalOperator[];
  private readonly evals: Evaluator[];
  constructor(readonly child: PhysicalOperator, readonly exprs: readonly Expression[], readonly schema: StructType, ctx: PhysicalContext) {
    this.children = [child];
    this.evals = exprs.map((e) => compileExpression(e, ctx.evalCtx));
  }
  async execute(input: ExecutionInput): Promise<RecordBatch[][]> {
    const parts = await this.child.execute(input);
    return parts.map((batches) => batches.map((b) => new RecordBatch(this.schema, this.evals.map((f) => f(b)), b.numRows)));
  }
  describe(): string {
    return `Project [${this.exprs.map((e) => (e.kind === "alias" ? `${sqlText(e.child)} AS ${e.name}` : sqlText(e))).join(", ")}]`;
  }
}
