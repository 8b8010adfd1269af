/** Spark's date and time functions. */
import {
  DateType, DoubleType, IntegerType, LongType, StringType, TimestampType, type DataType,
} from "../types/data-type.js";
import {
  MICROS_PER_MILLI, daysToMicros, formatWithPattern, localToUtcMs, microsToDays, parseWithPattern, stringToDate, stringToTimestamp, zoneOffsetMs,
} from "../types/datetime.js";
import { SluiceError } from "../errors/sluice-error.js";
import { fixed, requireType, type FunctionDef, type RowFunction } from "./function-def.js";
import type { EvalContext } from "../expressions/eval-context.js";

const T = TimestampType, D = DateType, S = StringType, I = IntegerType;
const MS_PER_DAY = 86_400_000;

function fieldOf(name: string, f: (d: Date) => number, fromTimestamp = true): FunctionDef {
  return {
    name, minArgs: 1, maxArgs: 1,
    resolve: ([t]) => ({ argTypes: [t!.kind === "date" && !fromTimestamp ? undefined : t!.kind === "date" ? D : fromTimestamp ? T : D], returnType: I }),
    compile: ([t], _r, ctx) => (t!.kind === "date"
      ? (a) => f(new Date((a[0] as number) * MS_PER_DAY))
      : (a) => {
        const ms = Math.floor((a[0] as number) / 1000);
        return f(new Date(ms + zoneOffsetMs(ctx.timeZone, ms)));
      }),
  };
}

function parseFailure(ctx: EvalContext, value: string, pattern: string | undefined): null {
  if (!ctx.ansi) return null;
  throw new SluiceError("CAST_INVALID_INPUT",
    `Text '${value}' could not be parsed${pattern ? ` with the pattern '${pattern}'` : ""}. Use try_to_timestamp to tolerate malformed input and return NULL instead.`,
    { params: { value, pattern: pattern ?? "" } });
}

/** `to_timestamp(s[, fmt])`: without a pattern, Spark's cast rules; with one, the Spark datetime pattern. */
function toTimestampFn(name: string, lenient: boolean): FunctionDef {
  return {
    name, minArgs: 1, maxArgs: 2,
    resolve: ([t]) => ({ argTypes: [t!.kind === "string" || t!.kind === "timestamp" || t!.kind === "date" ? undefined : S, S], returnType: T }),
    compile: ([t], _r, ctx) => {
      const strictCtx = lenient ? { ...ctx, ansi: false } : ctx;
      if (t!.kind === "timestamp") return (a) => a[0];
      if (t!.kind === "date") return (a) => daysToMicros(a[0] as number, ctx.timeZone);
      return (a) => {
        const s = a[0] as string;
        const v = a.length > 1 ? parseWithPattern(s, a[1] as string, ctx.timeZone) : stringToTimestamp(s, ctx.timeZone);
        return v ?? parseFailure(strictCtx, s, a[1] as string | undefined);
      };
    },
  };
}

function addDays(sign: number): RowFunction {
  return (a) => (a[0] as number) + sign * (a[1] as number);
}

/** Truncation used by `date_trunc`/`trunc`, on local wall-clock time. */
function truncate(unit: string, micros: number, tz: string): number | null {
  const ms = Math.floor(micros / 1000);
  const local = new Date(ms + zoneOffsetMs(tz, ms));
  const y = local.getUTCFullYear(), mo = local.getUTCMonth(), d = local.getUTCDate();
  let out: number;
  switch (unit.toLowerCase()) {
    case "year": case "yyyy": case "yy": out = Date.UTC(y, 0, 1); break;
    case "quarter": out = Date.UTC(y, mo - (mo % 3), 1); break;
    case "month": case "mon": case "mm": out = Date.UTC(y, mo, 1); break;
    case "week": { const dow = (local.getUTCDay() + 6) % 7; out = Date.UTC(y, mo, d - dow); break; }
    case "day": case "dd": out = Date.UTC(y, mo, d); break;
    case "hour": out = Date.UTC(y, mo, d, local.getUTCHours()); break;
    case "minute": out = Date.UTC(y, mo, d, local.getUTCHours(), local.getUTCMinutes()); break;
    case "second": return Math.floor(micros / 1_000_000) * 1_000_000;
    case "millisecond": return Math.floor(micros / 1000) * 1000;
    case "microsecond": return micros;
    default: return null;
  }
  return localToUtcMs(out, tz) * MICROS_PER_MILLI;
}

function toDateFromAny(t: DataType, ctx: EvalContext): RowFunction {
  if (t.kind === "date") return (a) => a[0];
  if (t.kind === "timestamp") return (a) => microsToDays(a[0] as number, ctx.timeZone);
  return (a) => stringToDate(a[0] as string);
}

export const datetimeFunctions: readonly FunctionDef[] = [
  {
    // window_time(window): the window's end minus one microsecond, the event time of a windowed aggregate's row.
    name: "window_time", minArgs: 1, maxArgs: 1,
    resolve: ([t]) => {
      requireType("window_time", t!, (x) => x.kind === "struct" && x.fields.length === 2 && x.fields[1]!.name === "end", "a window struct", 0);
      return { argTypes: [undefined], returnType: T };
    },
    compile: () => (a) => ((a[0] as unknown[])[1] as number) - 1,
  },
  {
    name: "current_timestamp", minArgs: 0, maxArgs: 0, volatile: true,
    resolve: () => ({ argTypes: [], returnType: T, nullable: false }),
    compile: (_t, _r, ctx) => () => ctx.currentTimestampMicros,
  },
  {
    name: "now", minArgs: 0, maxArgs: 0, volatile: true,
    resolve: () => ({ argTypes: [], returnType: T, nullable: false }),
    compile: (_t, _r, ctx) => () => ctx.currentTimestampMicros,
  },
  {
    name: "current_date", minArgs: 0, maxArgs: 0, volatile: true,
    resolve: () => ({ argTypes: [], returnType: D, nullable: false }),
    compile: (_t, _r, ctx) => () => microsToDays(ctx.currentTimestampMicros, ctx.timeZone),
  },
  toTimestampFn("to_timestamp", false),
  toTimestampFn("try_to_timestamp", true),
  {
    name: "to_date", minArgs: 1, maxArgs: 2,
    resolve: ([t]) => ({ argTypes: [t!.kind === "string" || t!.kind === "timestamp" || t!.kind === "date" ? undefined : S, S], returnType: D }),
    compile: ([t], _r, ctx) => {
      const plain = toDateFromAny(t!, ctx);
      return (a) => {
        if (a.length < 2) return plain(a) ?? parseFailure(ctx, String(a[0]), undefined);
        const v = parseWithPattern(a[0] as string, a[1] as string, ctx.timeZone);
        return v === null ? parseFailure(ctx, a[0] as string, a[1] as string) : microsToDays(v, ctx.timeZone);
      };
    },
  },
  {
    name: "date_format", minArgs: 2, maxArgs: 2,
    resolve: ([t]) => ({ argTypes: [t!.kind === "date" ? undefined : T, S], returnType: S }),
    compile: ([t], _r, ctx) => (t!.kind === "date"
      ? (a) => formatWithPattern(daysToMicros(a[0] as number, ctx.timeZone), a[1] as string, ctx.timeZone)
      : (a) => formatWithPattern(a[0] as number, a[1] as string, ctx.timeZone)),
  },
  {
    name: "unix_timestamp", minArgs: 0, maxArgs: 2, volatile: true,
    resolve: (types) => ({ argTypes: types.map((t, i) => (i === 0 && (t.kind === "timestamp" || t.kind === "date") ? undefined : S)), returnType: LongType }),
    compile: (types, _r, ctx) => (a) => {
      if (a.length === 0) return Math.floor(ctx.currentTimestampMicros / 1_000_000);
      const t = types[0]!;
      const micros = t.kind === "timestamp" ? (a[0] as number) : t.kind === "date" ? daysToMicros(a[0] as number, ctx.timeZone)
        : parseWithPattern(a[0] as string, a.length > 1 ? (a[1] as string) : "yyyy-MM-dd HH:mm:ss", ctx.timeZone);
      return micros === null ? null : Math.floor(micros / 1_000_000);
    },
  },
  fixed("from_unixtime", [LongType, S], S, (ctx) => (a) => formatWithPattern((a[0] as number) * 1_000_000, a.length > 1 ? (a[1] as string) : "yyyy-MM-dd HH:mm:ss", ctx.timeZone), { optional: 1 }),
  fixed("timestamp_seconds", [DoubleType], T, () => (a) => Math.round((a[0] as number) * 1_000_000)),
  fixed("timestamp_millis", [LongType], T, () => (a) => (a[0] as number) * 1000),
  fixed("timestamp_micros", [LongType], T, () => (a) => a[0]),
  fixed("unix_seconds", [T], LongType, () => (a) => Math.floor((a[0] as number) / 1_000_000)),
  fixed("unix_millis", [T], LongType, () => (a) => Math.floor((a[0] as number) / 1000)),
  fixed("unix_micros", [T], LongType, () => (a) => a[0]),
  fieldOf("year", (d) => d.getUTCFullYear()),
  fieldOf("quarter", (d) => Math.floor(d.getUTCMonth() / 3) + 1),
  fieldOf("month", (d) => d.getUTCMonth() + 1),
  fieldOf("dayofmonth", (d) => d.getUTCDate()),
  fieldOf("day", (d) => d.getUTCDate()),
  fieldOf("dayofweek", (d) => d.getUTCDay() + 1),
  fieldOf("weekday", (d) => (d.getUTCDay() + 6) % 7),
  fieldOf("dayofyear", (d) => Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / MS_PER_DAY) + 1),
  fieldOf("weekofyear", (d) => {
    const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    t.setUTCDate(t.getUTCDate() + 3 - ((t.getUTCDay() + 6) % 7));
    return 1 + Math.floor((t.getTime() - Date.UTC(t.getUTCFullYear(), 0, 4)) / (7 * MS_PER_DAY) + (((new Date(Date.UTC(t.getUTCFullYear(), 0, 4)).getUTCDay() + 6) % 7) / 7));
  }),
  fieldOf("hour", (d) => d.getUTCHours()),
  fieldOf("minute", (d) => d.getUTCMinutes()),
  fieldOf("second", (d) => d.getUTCSeconds()),
  fixed("date_add", [D, I], D, () => addDays(1)),
  fixed("dateadd", [D, I], D, () => addDays(1)),
  fixed("date_sub", [D, I], D, () => addDays(-1)),
  fixed("datediff", [D, D], I, () => (a) => (a[0] as number) - (a[1] as number)),
  fixed("last_day", [D], D, () => (a) => {
    const d = new Date((a[0] as number) * MS_PER_DAY);
    return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0) / MS_PER_DAY);
  }),
  fixed("add_months", [D, I], D, () => (a) => {
    const d = new Date((a[0] as number) * MS_PER_DAY);
    const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + (a[1] as number), 1));
    const dim = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
    return Math.floor(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(d.getUTCDate(), dim)) / MS_PER_DAY);
  }),
  {
    name: "date_trunc", minArgs: 2, maxArgs: 2,
    resolve: () => ({ argTypes: [S, T], returnType: T }),
    compile: (_t, _r, ctx) => (a) => truncate(a[0] as string, a[1] as number, ctx.timeZone),
  },
  {
    name: "trunc", minArgs: 2, maxArgs: 2,
    resolve: ([t]) => { requireType("trunc", t!, (x) => x.kind === "date" || x.kind === "string" || x.kind === "timestamp", "date", 0); return { argTypes: [D, S], returnType: D }; },
    compile: (_t, _r, ctx) => (a) => {
      const u = (a[1] as string).toLowerCase();
      if (!["year", "yyyy", "yy", "quarter", "month", "mon", "mm", "week"].includes(u)) return null;
      const v = truncate(u, daysToMicros(a[0] as number, "UTC"), "UTC");
      return v === null ? null : microsToDays(v, "UTC");
    },
  },
];
