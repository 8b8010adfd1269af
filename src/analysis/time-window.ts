/** Analysis of `window(...)` and `withWatermark(...)`: durations, the window struct, and watermark metadata. */
import { AnalysisException } from "../errors/sluice-error.js";
import type { Expression, FunctionCall } from "../expressions/expression.js";
import { attribute, type Attribute } from "../plan/attribute.js";
import type { EventTimeWatermark, LogicalPlan, SessionWindow, TimeWindow } from "../plan/logical-plan.js";
import { intervalToMicros, parseInterval, type CalendarInterval } from "../types/calendar-interval.js";
import { TimestampType, simpleString, structField, structType } from "../types/data-type.js";
import { resolveExpression } from "./expression-resolver.js";
import { dataTypeOf } from "./expression-types.js";

export const WINDOW_STRUCT = structType([structField("start", TimestampType, true), structField("end", TimestampType, true)]);

function durationMicros(fn: string, arg: Expression | undefined, what: string, allowZero = false): number | undefined {
  if (arg === undefined) return undefined;
  const v = arg.kind === "literal" ? arg.value : undefined;
  const interval: CalendarInterval | undefined = typeof v === "string" ? parseInterval(v) : v !== null && typeof v === "object" && "micros" in (v as object) ? (v as CalendarInterval) : undefined;
  if (interval === undefined) {
    throw new AnalysisException("DATATYPE_MISMATCH", `The ${what} of ${fn}() must be an interval literal such as '10 minutes'.`, { params: { functionName: fn, argument: what } });
  }
  if (interval.months !== 0) {
    throw new AnalysisException("DATATYPE_MISMATCH", `Intervals greater than a month are not supported (${what} of ${fn}()); use days instead.`, { params: { functionName: fn, argument: what } });
  }
  const micros = intervalToMicros(interval);
  if (micros < 0 || (micros === 0 && !allowZero)) {
    throw new AnalysisException("DATATYPE_MISMATCH", `The ${what} of ${fn}() must be greater than 0, got ${micros / 1e6} seconds.`, { params: { functionName: fn, argument: what } });
  }
  return micros;
}

/** True for a `window(...)` or `session_window(...)` call, possibly aliased. */
export function windowCall(e: Expression): FunctionCall | undefined {
  const inner = e.kind === "alias" ? e.child : e;
  return inner.kind === "function" && (inner.name === "window" || inner.name === "session_window") ? inner : undefined;
}

/** Inserts the SessionWindow node for `call` below `child`. */
export function sessionWindow(child: LogicalPlan, call: FunctionCall): { node: SessionWindow; window: Attribute } {
  if (call.args.length !== 2) {
    throw new AnalysisException("WRONG_NUM_ARGS", `The \`session_window\` requires 2 parameters but the actual number is ${call.args.length}.`, { params: { functionName: "session_window", actualNum: String(call.args.length) } });
  }
  const timeColumn = resolveExpression(call.args[0]!, child.output);
  const t = dataTypeOf(timeColumn);
  if (t.kind !== "timestamp" && t.kind !== "timestamp_ntz") {
    throw new AnalysisException("DATATYPE_MISMATCH", `Cannot resolve "session_window" due to data type mismatch: the time column must be a timestamp, not ${simpleString(t)}.`, { params: { functionName: "session_window", inputType: simpleString(t) } });
  }
  const gap = resolveExpression(call.args[1]!, child.output);
  const gt = dataTypeOf(gap);
  if (gt.kind !== "string" && gt.kind !== "interval") {
    throw new AnalysisException("DATATYPE_MISMATCH", `The gap duration of session_window() must be an interval or interval text, not ${simpleString(gt)}.`, { params: { functionName: "session_window" } });
  }
  if (gap.kind === "literal") durationMicros("session_window", gap, "gap duration");
  const source = timeColumn.kind === "boundRef" ? child.output[timeColumn.ordinal] : undefined;
  const base: Attribute = { ...attribute("session_window", WINDOW_STRUCT, false), sessionWindow: true };
  const window: Attribute = source?.watermarkDelayMs !== undefined ? { ...base, watermarkDelayMs: source.watermarkDelayMs } : base;
  return { node: { kind: "sessionWindow", output: [...child.output, window], child, timeColumn, gap }, window };
}

/** Inserts the TimeWindow node for `call` below `child`; returns it and the appended `window` attribute. */
export function timeWindow(child: LogicalPlan, call: FunctionCall): { node: TimeWindow; window: Attribute } {
  if (call.args.length < 2 || call.args.length > 4) {
    throw new AnalysisException("WRONG_NUM_ARGS", `The \`window\` requires [2, 4] parameters but the actual number is ${call.args.length}.`, { params: { functionName: "window", actualNum: String(call.args.length) } });
  }
  const timeColumn = resolveExpression(call.args[0]!, child.output);
  const t = dataTypeOf(timeColumn);
  if (t.kind !== "timestamp" && t.kind !== "timestamp_ntz") {
    throw new AnalysisException("DATATYPE_MISMATCH", `Cannot resolve "window" due to data type mismatch: the time column must be a timestamp, not ${simpleString(t)}.`, { params: { functionName: "window", inputType: simpleString(t) } });
  }
  const windowMicros = durationMicros("window", call.args[1], "window duration")!;
  const slideMicros = durationMicros("window", call.args[2], "slide duration") ?? windowMicros;
  const startMicros = durationMicros("window", call.args[3], "start time", true) ?? 0;
  if (slideMicros > windowMicros) {
    throw new AnalysisException("DATATYPE_MISMATCH", `The slide duration (${slideMicros / 1e6} s) must be less than or equal to the window duration (${windowMicros / 1e6} s).`, { params: { functionName: "window" } });
  }
  const source = timeColumn.kind === "boundRef" ? child.output[timeColumn.ordinal] : undefined;
  const base = attribute("window", WINDOW_STRUCT, false); // non-nullable, as in Spark
  const window: Attribute = source?.watermarkDelayMs !== undefined ? { ...base, watermarkDelayMs: source.watermarkDelayMs } : base;
  return { node: { kind: "timeWindow", output: [...child.output, window], child, timeColumn, windowMicros, slideMicros, startMicros }, window };
}

/** `withWatermark(eventTime, delay)`. */
export function eventTimeWatermark(child: LogicalPlan, column: Expression, delay: string): EventTimeWatermark {
  const eventTime = resolveExpression(column, child.output);
  if (eventTime.kind !== "boundRef") {
    throw new AnalysisException("DATATYPE_MISMATCH", "withWatermark needs a column name as its event-time column.", { params: { functionName: "withWatermark" } });
  }
  const t = dataTypeOf(eventTime);
  if (t.kind !== "timestamp" && t.kind !== "timestamp_ntz") {
    throw new AnalysisException("DATATYPE_MISMATCH", `Event time must be defined on a window or a timestamp, but ${eventTime.name} is of type ${simpleString(t)}.`, { params: { column: eventTime.name, dataType: simpleString(t) } });
  }
  const interval = parseInterval(delay);
  if (interval === undefined || interval.months !== 0 || intervalToMicros(interval) < 0) {
    throw new AnalysisException("DATATYPE_MISMATCH", `Invalid watermark delay '${delay}'; use a non-negative interval such as '10 minutes'.`, { params: { delay } });
  }
  const delayMs = intervalToMicros(interval) / 1000;
  const output = child.output.map((a, i) => (i === eventTime.ordinal ? { ...a, watermarkDelayMs: delayMs } : a));
  return { kind: "eventTimeWatermark", output, child, eventTime, delayMs };
}
