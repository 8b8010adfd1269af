/** Triggers as PySpark's `trigger(...)` keywords: processingTime, once, availableNow, continuous. */
import { SluiceError } from "../errors/sluice-error.js";
import { intervalToMicros, parseInterval } from "../types/calendar-interval.js";

export type TriggerSpec =
  | { readonly processingTime: string | number }
  | { readonly once: true }
  | { readonly availableNow: true }
  | { readonly continuous: string | number };

export type Trigger =
  | { readonly kind: "processingTime"; readonly intervalMs: number }
  | { readonly kind: "once" }
  | { readonly kind: "availableNow" };

export function parseDurationMs(v: string | number, what: string): number {
  if (typeof v === "number") return v;
  const i = parseInterval(v.replace(/^(\d+)\s*(ms)$/i, "$1 milliseconds").replace(/^(\d+)\s*s$/i, "$1 seconds"));
  if (i === undefined || i.months !== 0) throw new SluiceError("INVALID_OPTION", `Invalid ${what} '${v}'; use an interval such as '10 seconds' or '1 minute'.`, { params: { value: String(v) } });
  return intervalToMicros(i) / 1000;
}

export function parseTrigger(t: TriggerSpec | undefined): Trigger {
  if (t === undefined) return { kind: "processingTime", intervalMs: 0 };
  if ("processingTime" in t) {
    const ms = parseDurationMs(t.processingTime, "processingTime trigger interval");
    if (ms < 0) throw new SluiceError("INVALID_OPTION", "The processingTime trigger interval must be non-negative.", { params: { value: String(t.processingTime) } });
    return { kind: "processingTime", intervalMs: ms };
  }
  if ("once" in t) return { kind: "once" };
  if ("availableNow" in t) return { kind: "availableNow" };
  throw new SluiceError("NOT_IMPLEMENTED", "Continuous processing (trigger continuous) is not supported; use a processingTime trigger.", { params: { trigger: "continuous" } });
}
