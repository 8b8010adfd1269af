/** Expands each row into the windows containing its timestamp, as Spark's TimeWindowing rule plans it. */
import { getValue } from "../../columnar/column-vector.js";
import { RecordBatch } from "../../columnar/record-batch.js";
import { VectorBuilder } from "../../columnar/vector-builder.js";
import { sqlText } from "../../analysis/expression-types.js";
import type { Expression } from "../../expressions/expression.js";
import type { StructType } from "../../types/data-type.js";
import { compileExpression, type Evaluator } from "../expression-compiler.js";
import type { ExecutionInput, PhysicalContext, PhysicalOperator } from "./physical-operator.js";

export class TimeWindowExec implements PhysicalOperator {
  readonly name = "TimeWindow";
  readonly children: readonly PhysicalOperator[];
  private readonly time: Evaluator;
  private readonly overlapping: number;
  constructor(readonly child: PhysicalOperator, readonly timeColumn: Expression, readonly windowMicros: number, readonly slideMicros: number,
    readonly startMicros: number, readonly schema: StructType, ctx: PhysicalContext) {
    this.children = [child];
    this.time = compileExpression(timeColumn, ctx.evalCtx);
    this.overlapping = Math.ceil(windowMicros / slideMicros);
  }
  async execute(input: ExecutionInput): Promise<RecordBatch[][]> {
    const parts = await this.child.execute(input);
    return parts.map((batches) => batches.map((b) => this.expand(b)));
  }
  private expand(b: RecordBatch): RecordBatch {
    const ts = this.time(b);
    const rows: number[] = [];
    const windows = new VectorBuilder(this.schema.fields[this.schema.fields.length - 1]!.dataType, Math.max(16, b.numRows));
    const { windowMicros: size, slideMicros: slide, startMicros: start } = this;
    for (let i = 0; i < b.numRows; i++) {
      const t = getValue(ts, i) as number | null;
      if (t === null) continue; // rows without an event time belong to no window
      // The last window start at or before t, then earlier ones while they still contain t.
      const lastStart = t - ((((t - start) % slide) + slide) % slide);
      for (let k = 0; k < this.overlapping; k++) {
        const ws = lastStart - k * slide, we = ws + size;
        if (ws <= t && t < we) { rows.push(i); windows.append([ws, we]); }
      }
    }
    const base = b.take(rows);
    return new RecordBatch(this.schema, [...base.columns, windows.build()], rows.length);
  }
  describe(): string {
    return `TimeWindow(${sqlText(this.timeColumn)}, ${this.windowMicros / 1e6} s, ${this.slideMicros / 1e6} s, ${this.startMicros / 1e6} s)`;
  }
}
