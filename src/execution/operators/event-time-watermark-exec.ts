/** Passes rows through and records the batch's event-time statistics, from which the engine advances the watermark. */
import { getValue } from "../../columnar/column-vector.js";
import type { RecordBatch } from "../../columnar/record-batch.js";
import { sqlText } from "../../analysis/expression-types.js";
import type { Expression } from "../../expressions/expression.js";
import { compileExpression, type Evaluator } from "../expression-compiler.js";
import type { ExecutionInput, PhysicalContext, PhysicalOperator } from "./physical-operator.js";

/** Event times (milliseconds) seen in one batch. */
export interface EventTimeStats { max: number; min: number; sum: number; count: number }

export function noEventTimes(): EventTimeStats { return { max: -Infinity, min: Infinity, sum: 0, count: 0 }; }

/** Statistics of several parts of one batch, combined. */
export function combineEventTimes(parts: readonly EventTimeStats[]): EventTimeStats {
  const s = noEventTimes();
  for (const p of parts) { s.max = Math.max(s.max, p.max); s.min = Math.min(s.min, p.min); s.sum += p.sum; s.count += p.count; }
  return s;
}

export class EventTimeWatermarkExec implements PhysicalOperator {
  readonly name = "EventTimeWatermark";
  readonly children: readonly PhysicalOperator[];
  private readonly time: Evaluator;
  /** Statistics of the last executed batch. */
  stats: EventTimeStats = noEventTimes();
  constructor(readonly child: PhysicalOperator, readonly eventTime: Expression, readonly delayMs: number, ctx: PhysicalContext) {
    this.children = [child];
    this.time = compileExpression(eventTime, ctx.evalCtx);
  }
  async execute(input: ExecutionInput): Promise<RecordBatch[][]> {
    const parts = await this.child.execute(input);
    const s = noEventTimes();
    for (const part of parts) for (const b of part) {
      const v = this.time(b);
      for (let i = 0; i < b.numRows; i++) {
        const t = getValue(v, i) as number | null;
        if (t === null) continue;
        const ms = Math.floor(t / 1000);
        if (ms > s.max) s.max = ms;
        if (ms < s.min) s.min = ms;
        s.sum += ms;
        s.count++;
      }
    }
    this.stats = s;
    return parts;
  }
  describe(): string { return `EventTimeWatermark ${sqlText(this.eventTime)}: ${this.delayMs / 1000} seconds`; }
}
