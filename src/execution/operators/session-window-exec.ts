/** Gives each row its own session `[t, t + gap)`; rows without an event time or with a non-positive gap are dropped. */
import { getValue } from "../../columnar/column-vector.js";
import { RecordBatch } from "../../columnar/record-batch.js";
import { VectorBuilder } from "../../columnar/vector-builder.js";
import { sqlText } from "../../analysis/expression-types.js";
import type { Expression } from "../../expressions/expression.js";
import { intervalToMicros, parseInterval, type CalendarInterval } from "../../types/calendar-interval.js";
import type { StructType } from "../../types/data-type.js";
import { compileExpression, type Evaluator } from "../expression-compiler.js";
import type { ExecutionInput, PhysicalContext, PhysicalOperator } from "./physical-operator.js";

function gapMicros(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const i: CalendarInterval | undefined = typeof v === "string" ? parseInterval(v) : (v as CalendarInterval);
  return i === undefined ? null : intervalToMicros(i);
}

export class SessionWindowExec implements PhysicalOperator {
  readonly name = "SessionWindow";
  readonly children: readonly PhysicalOperator[];
  private readonly time: Evaluator;
  private readonly gap: Evaluator;
  constructor(readonly child: PhysicalOperator, readonly timeColumn: Expression, readonly gapExpr: Expression, readonly schema: StructType, ctx: PhysicalContext) {
    this.children = [child];
    this.time = compileExpression(timeColumn, ctx.evalCtx);
    this.gap = compileExpression(gapExpr, ctx.evalCtx);
  }
  async execute(input: ExecutionInput): Promise<RecordBatch[][]> {
    return (await this.child.execute(input)).map((part) => part.map((b) => {
      const ts = this.time(b), gaps = this.gap(b);
      const rows: number[] = [];
      const sessions = new VectorBuilder(this.schema.fields[this.schema.fields.length - 1]!.dataType, Math.max(16, b.numRows));
      for (let i = 0; i < b.numRows; i++) {
        const t = getValue(ts, i) as number | null, g = gapMicros(getValue(gaps, i));
        if (t === null || g === null || g <= 0) continue;
        rows.push(i);
        sessions.append([t, t + g]);
      }
      const base = b.take(rows);
      return new RecordBatch(this.schema, [...base.columns, sessions.build()], rows.length);
    }));
  }
  describe(): string { return `SessionWindow(${sqlText(this.timeColumn)}, ${sqlText(this.gapExpr)})`; }
}
