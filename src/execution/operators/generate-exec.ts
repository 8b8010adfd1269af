/** Generate: `explode`, `posexplode`, `inline` (and `_outer` forms): each row yields one row per element. */
import { getValue } from "../../columnar/column-vector.js";
import { RecordBatch } from "../../columnar/record-batch.js";
import { VectorBuilder } from "../../columnar/vector-builder.js";
import { sqlText } from "../../analysis/expression-types.js";
import type { Expression } from "../../expressions/expression.js";
import type { StructType } from "../../types/data-type.js";
import { compileExpression, type Evaluator } from "../expression-compiler.js";
import type { ExecutionInput, PhysicalContext, PhysicalOperator } from "./physical-operator.js";

export class GenerateExec implements PhysicalOperator {
  readonly name = "Generate";
  readonly children: readonly PhysicalOperator[];
  private readonly input: Evaluator;
  constructor(readonly child: PhysicalOperator, readonly generator: "explode" | "posexplode" | "inline", readonly outer: boolean,
    readonly inputExpr: Expression, readonly schema: StructType, readonly childWidth: number, ctx: PhysicalContext) {
    this.children = [child];
    this.input = compileExpression(inputExpr, ctx.evalCtx);
  }
  async execute(input: ExecutionInput): Promise<RecordBatch[][]> {
    const parts = await this.child.execute(input);
    return parts.map((batches) => batches.map((b) => this.expand(b)));
  }
  private expand(b: RecordBatch): RecordBatch {
    const values = this.input(b);
    const rowIdx: number[] = [];
    const genCols = this.schema.fields.slice(this.childWidth).map((f) => new VectorBuilder(f.dataType, Math.max(b.numRows, 16)));
    const pos = this.generator === "posexplode";
    for (let i = 0; i < b.numRows; i++) {
      const v = getValue(values, i);
      const items: unknown[] = v === null ? [] : v instanceof Map ? [...v.entries()] : (v as unknown[]);
      if (items.length === 0) {
        if (this.outer) { rowIdx.push(i); for (const g of genCols) g.appendNull(); }
        continue;
      }
      for (let k = 0; k < items.length; k++) {
        rowIdx.push(i);
        let c = 0;
        if (pos) genCols[c++]!.append(k);
        const item = items[k];
        if (v instanceof Map) { const [key, val] = item as [unknown, unknown]; genCols[c++]!.append(key); genCols[c++]!.append(val); }
        else if (this.generator === "inline") { const s = item as unknown[] | null; for (let j = c; j < genCols.length; j++) genCols[j]!.append(s === null ? null : s[j - c]); }
        else genCols[c++]!.append(item);
      }
    }
    const base = b.take(rowIdx);
    return new RecordBatch(this.schema, [...base.columns, ...genCols.map((g) => g.build())], rowIdx.length);
  }
  describe(): string { return `Generate ${this.generator}${this.outer ? "_outer" : ""}(${sqlText(this.inputExpr)})`; }
}
