/**
 * For a stream-stream join, how long each side's rows must be kept: from the condition's range constraints between
 * the two sides' watermarked event-time columns (`R.t BETWEEN L.t AND L.t + interval 15 minutes`, `L.t = R.t`,
 * `L.window = R.window`), the bounds `Lo <= R.t - L.t <= Hi`. A left row at time x can still match while
 * x + Hi > watermark; a right row at y while y - Lo > watermark (Spark's StreamingJoinHelper, in spirit).
 */
import { conjuncts, type Expression } from "../expressions/expression.js";
import type { Attribute } from "../plan/attribute.js";
import type { CalendarInterval } from "../types/calendar-interval.js";
import { intervalToMicros } from "../types/calendar-interval.js";

export interface SideEventTime {
  /** Ordinal of the event-time column in the side's own output. */
  readonly ordinal: number;
  /** A window struct (use its end) rather than a timestamp. */
  readonly isWindow: boolean;
}

export interface JoinTimeBounds {
  readonly left?: SideEventTime;
  readonly right?: SideEventTime;
  /** Bounds of R.t - L.t in microseconds (undefined: unbounded on that end). */
  readonly lo?: number;
  readonly hi?: number;
  /**
   * Whether the tightest bound on each end is strict (`<`, `>`, or a time equality, which Spark evicts by as a key).
   * A non-strict one keeps rows 1 ms longer: Spark's state watermark for `<=`/`>=` is one millisecond lower.
   */
  readonly loStrict?: boolean;
  readonly hiStrict?: boolean;
}

interface Term { readonly side: "left" | "right"; readonly ordinal: number; readonly offset: number; readonly isWindow: boolean }

function timeTerm(e: Expression, output: readonly Attribute[], leftWidth: number): Term | undefined {
  if (e.kind === "cast" && e.implicit === true) return timeTerm(e.child, output, leftWidth);
  if (e.kind === "boundRef") {
    const a = output[e.ordinal];
    if (a?.watermarkDelayMs === undefined) return undefined;
    const side = e.ordinal < leftWidth ? "left" : "right";
    return { side, ordinal: side === "left" ? e.ordinal : e.ordinal - leftWidth, offset: 0, isWindow: a.dataType.kind === "struct" };
  }
  if (e.kind === "binary" && (e.op === "+" || e.op === "-") && e.right.kind === "literal" && e.right.dataType.kind === "interval") {
    const inner = timeTerm(e.left, output, leftWidth);
    const micros = intervalToMicros(e.right.value as CalendarInterval);
    return inner && { ...inner, offset: inner.offset + (e.op === "+" ? micros : -micros) };
  }
  return undefined;
}

export function joinTimeBounds(condition: Expression | null, output: readonly Attribute[], leftWidth: number): JoinTimeBounds {
  let left: SideEventTime | undefined, right: SideEventTime | undefined, lo: number | undefined, hi: number | undefined;
  let loStrict = false, hiStrict = false;
  for (const c of condition === null ? [] : conjuncts(condition)) {
    if (c.kind !== "binary" || !["=", "<", "<=", ">", ">="].includes(c.op)) continue;
    const a = timeTerm(c.left, output, leftWidth), b = timeTerm(c.right, output, leftWidth);
    if (!a || !b || a.side === b.side || a.isWindow !== b.isWindow) continue;
    // Normalize to (R + r) op (L + l), i.e. R - L op (l - r).
    const [r, l, op] = a.side === "right" ? [a, b, c.op] : [b, a, ({ "<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=" } as const)[c.op as "<"]];
    const bound = l.offset - r.offset;
    left = { ordinal: l.ordinal, isWindow: l.isWindow };
    right = { ordinal: r.ordinal, isWindow: r.isWindow };
    const strict = op === "<" || op === ">" || op === "=";
    if (op === "<" || op === "<=" || op === "=") {
      if (hi === undefined || bound < hi) { hi = bound; hiStrict = strict; } else if (bound === hi) hiStrict &&= strict;
    }
    if (op === ">" || op === ">=" || op === "=") {
      if (lo === undefined || bound > lo) { lo = bound; loStrict = strict; } else if (bound === lo) loStrict &&= strict;
    }
  }
  return { ...(left ? { left } : {}), ...(right ? { right } : {}), ...(lo !== undefined ? { lo, loStrict } : {}), ...(hi !== undefined ? { hi, hiStrict } : {}) };
}
