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
  /**
   * State watermarks (ms) Spark's StreamingJoinHelper also solves from a side's column bounded below by a constant
   * (`lv > 1` gives 1000 ms, 1 ms less for `>=`): the lowest state watermark wins, so such a conjunct keeps that
   * side's rows (nearly) forever, as in Spark.
   */
  readonly leftConstMs?: number;
  readonly rightConstMs?: number;
}

const stripImplicit = (e: Expression): Expression => (e.kind === "cast" && e.implicit === true ? stripImplicit(e.child) : e);

/** `column > constant` (or `>=`, or the mirror) on one side: that side, and the constant's state watermark in ms. */
function constantLowerBound(c: Expression, output: readonly Attribute[], leftWidth: number): { side: "left" | "right"; ms: number } | undefined {
  if (c.kind !== "binary" || !["<", "<=", ">", ">="].includes(c.op)) return undefined;
  const l = stripImplicit(c.left), r = stripImplicit(c.right);
  const [col, lit, strict] = l.kind === "boundRef" && r.kind === "literal" && (c.op === ">" || c.op === ">=") ? [l, r, c.op === ">"]
    : r.kind === "boundRef" && l.kind === "literal" && (c.op === "<" || c.op === "<=") ? [r, l, c.op === "<"] : [undefined, undefined, false];
  if (col?.kind !== "boundRef" || lit?.kind !== "literal" || lit.value === null) return undefined;
  const side = col.ordinal < leftWidth ? "left" : "right";
  // Spark solves it only when the other side has a watermarked column.
  const other = side === "left" ? output.slice(leftWidth) : output.slice(0, leftWidth);
  if (!other.some((a) => a.watermarkDelayMs !== undefined)) return undefined;
  const v = typeof lit.value === "number" || typeof lit.value === "bigint" ? Number(lit.value) : undefined;
  if (v === undefined) return undefined;
  const kind = lit.dataType.kind;
  const ms = kind === "timestamp" || kind === "timestamp_ntz" ? Math.trunc(v / 1000) : ["byte", "short", "integer", "long", "float", "double"].includes(kind) ? Math.trunc(v * 1000) : undefined;
  return ms === undefined ? undefined : { side, ms: ms - (strict ? 0 : 1) };
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
  const consts: { left?: number; right?: number } = {};
  for (const c of condition === null ? [] : conjuncts(condition)) {
    const k = constantLowerBound(c, output, leftWidth);
    if (k !== undefined) consts[k.side] = Math.min(consts[k.side] ?? Infinity, k.ms);
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
  return { ...(left ? { left } : {}), ...(right ? { right } : {}), ...(lo !== undefined ? { lo, loStrict } : {}), ...(hi !== undefined ? { hi, hiStrict } : {}),
    ...(consts.left !== undefined ? { leftConstMs: consts.left } : {}), ...(consts.right !== undefined ? { rightConstMs: consts.right } : {}) };
}
