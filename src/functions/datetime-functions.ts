/** Spark's date and time functions. */
import {
  BooleanType, DateType, DoubleType, IntegerType, LongType, StringType, TimestampType, type DataType,
} from "../types/data-type.js";
import {
  DatetimeParseFailure, TIMESTAMP_LITERAL_FUNCTION, addMonthsToDays, checkPattern, civilFromDays, daysFromCivil, daysInMonth, daysToMicros, formatWithPattern,
  isoDayOfWeek, localToUtcMicros, localToUtcPreferring, microsToDays, parseWithPatternOrFailure, resolveZoneId, stringToDate, stringToTimestamp,
  utcToLocalMicros, validYmd, zoneOffsetMs,
} from "../types/datetime.js";
import { SluiceError } from "../errors/sluice-error.js";
import { fixed, requireType, type FunctionDef } from "./function-def.js";
import type { EvalContext } from "../expressions/eval-context.js";

const T = TimestampType, D = DateType, S = StringType, I = IntegerType;
const MICROS_PER_DAY = 86_400_000_000;
const DEFAULT_PATTERN = "yyyy-MM-dd HH:mm:ss";

/** Year, month, day, ISO day of week and day of year of a date (days since the epoch). */
interface DateParts { readonly y: number; readonly m: number; readonly d: number; readonly dow: number; readonly doy: number; readonly days: number }
function dateParts(days: number): DateParts {
  const [y, m, d] = civilFromDays(days);
  return { y, m, d, dow: isoDayOfWeek(days), doy: days - daysFromCivil(y, 1, 1) + 1, days };
}

/** ISO 8601 week of the year (weeks start on Monday; week 1 holds the year's first Thursday). */
function isoWeek(p: DateParts): number {
  const thursday = p.days - p.dow + 4;
  const [ty] = civilFromDays(thursday);
  return Math.floor((thursday - daysFromCivil(ty, 1, 1)) / 7) + 1;
}

/** A field of a date, or of a timestamp's local date in the session time zone. */
function dateField(name: string, f: (p: DateParts) => number): FunctionDef {
  return {
    name, minArgs: 1, maxArgs: 1,
    resolve: ([t]) => ({ argTypes: [t!.kind === "date" ? undefined : D], returnType: I }),
    compile: () => (a) => f(dateParts(a[0] as number)),
  };
}

/** A time-of-day field of a timestamp in the session time zone. */
function timeField(name: string, f: (secondOfDay: number) => number): FunctionDef {
  return {
    name, minArgs: 1, maxArgs: 1,
    resolve: ([t]) => ({ argTypes: [t!.kind === "timestamp_ntz" ? undefined : T], returnType: I }),
    compile: ([t], _r, ctx) => {
      const tz = t!.kind === "timestamp_ntz" ? "UTC" : ctx.timeZone;
      return (a) => {
        const local = utcToLocalMicros(a[0] as number, tz);
        return f(Math.floor((local - Math.floor(local / MICROS_PER_DAY) * MICROS_PER_DAY) / 1_000_000));
      };
    },
  };
}

function cannotParse(ctx: EvalContext, failure: DatetimeParseFailure, tryFn: string): null {
  if (!ctx.ansi) return null;
  throw new SluiceError("CANNOT_PARSE_TIMESTAMP",
    `[CANNOT_PARSE_TIMESTAMP] ${failure.message}. Use \`${tryFn}\` to tolerate invalid input string and return NULL instead.`,
    { params: { message: failure.message, func: `\`${tryFn}\`` } });
}

function castInvalid(ctx: EvalContext, value: string, target: string): null {
  if (!ctx.ansi) return null;
  throw new SluiceError("CAST_INVALID_INPUT",
    `The value '${value}' of the type "STRING" cannot be cast to "${target.toUpperCase()}" because it is malformed. Correct the value as per the syntax, or change its target type. Use \`try_cast\` to tolerate malformed input and return NULL instead.`,
    { params: { value, sourceType: "string", targetType: target } });
}

function fieldOutOfBounds(ctx: EvalContext, message: string): null {
  if (!ctx.ansi) return null;
  throw new SluiceError("DATETIME_FIELD_OUT_OF_BOUNDS", `[DATETIME_FIELD_OUT_OF_BOUNDS.WITHOUT_SUGGESTION] ${message}.`, { params: { subClass: "WITHOUT_SUGGESTION", rangeMessage: message } });
}

/** A pattern given as a literal is checked when the query is compiled, as Spark builds its formatter up front. */
function checkLiteralPattern(args: readonly { kind: string; value?: unknown }[], i: number, forParsing: boolean): void {
  const a = args[i];
  if (a !== undefined && a.kind === "literal" && typeof a.value === "string") checkPattern(a.value, forParsing);
}

/**
 * Parses text to microseconds with a pattern (Spark's `GetTimestamp`), or without one as a cast; the failure is NULL
 * for the `try_` forms and without ANSI, Spark's error otherwise.
 */
function parser(ctx: EvalContext, lenient: boolean, tryFn: string, castTarget: string): (s: string, pattern: string | undefined) => number | null {
  const c = lenient ? { ...ctx, ansi: false } : ctx;
  return (s, pattern) => {
    if (pattern === undefined) return stringToTimestamp(s, ctx.timeZone) ?? castInvalid(c, s, castTarget);
    const v = parseWithPatternOrFailure(s, pattern, ctx.timeZone);
    return v instanceof DatetimeParseFailure ? cannotParse(c, v, tryFn) : v;
  };
}

/** `to_timestamp(s[, fmt])`, `try_to_timestamp`: without a pattern, Spark's cast rules; with one, the Spark datetime pattern. */
function toTimestampFn(name: string, lenient: boolean): FunctionDef {
  return {
    name, minArgs: 1, maxArgs: 2,
    resolve: ([t]) => ({ argTypes: [t!.kind === "string" || t!.kind === "timestamp" || t!.kind === "date" ? undefined : S, S], returnType: T }),
    compile: ([t], _r, ctx, args) => {
      checkLiteralPattern(args as never, 1, true);
      if (t!.kind === "timestamp") return (a) => a[0];
      if (t!.kind === "date") return (a) => daysToMicros(a[0] as number, ctx.timeZone);
      const parse = parser(ctx, lenient, "try_to_timestamp", "timestamp");
      return (a) => parse(a[0] as string, a.length > 1 ? (a[1] as string) : undefined);
    },
  };
}

/** `to_date(s[, fmt])`, `try_to_date`. */
function toDateFn(name: string, lenient: boolean): FunctionDef {
  return {
    name, minArgs: 1, maxArgs: 2,
    resolve: ([t]) => ({ argTypes: [t!.kind === "string" || t!.kind === "timestamp" || t!.kind === "date" ? undefined : S, S], returnType: D }),
    compile: ([t], _r, ctx, args) => {
      checkLiteralPattern(args as never, 1, true);
      if (t!.kind === "date") return (a) => a[0];
      if (t!.kind === "timestamp") return (a) => microsToDays(a[0] as number, ctx.timeZone);
      const c = lenient ? { ...ctx, ansi: false } : ctx;
      const parse = parser(ctx, lenient, "try_to_date", "date");
      return (a) => {
        if (a.length < 2) return stringToDate(a[0] as string) ?? castInvalid(c, a[0] as string, "date");
        const v = parse(a[0] as string, a[1] as string);
        return v === null ? null : microsToDays(v, ctx.timeZone);
      };
    },
  };
}

/** `unix_timestamp`, `to_unix_timestamp`: seconds since the epoch of a timestamp, a date or text with a pattern. */
function unixTimestampFn(name: string, minArgs: number): FunctionDef {
  return {
    name, minArgs, maxArgs: 2, volatile: minArgs === 0,
    resolve: (types) => ({ argTypes: types.map((t, i) => (i === 0 && (t.kind === "timestamp" || t.kind === "date" || t.kind === "timestamp_ntz") ? undefined : S)), returnType: LongType }),
    compile: (types, _r, ctx, args) => {
      checkLiteralPattern(args as never, 1, true);
      const t = types[0];
      const parse = parser(ctx, false, "try_to_timestamp", "timestamp");
      const seconds = (micros: number | null): number | null => (micros === null ? null : Math.floor(micros / 1_000_000));
      if (t === undefined) return () => seconds(ctx.currentTimestampMicros);
      if (t.kind === "timestamp" || t.kind === "timestamp_ntz") return (a) => seconds(a[0] as number);
      if (t.kind === "date") return (a) => seconds(daysToMicros(a[0] as number, ctx.timeZone));
      return (a) => seconds(parse(a[0] as string, a.length > 1 ? (a[1] as string) : DEFAULT_PATTERN));
    },
  };
}

/** A date truncated to a unit: year, quarter, month or week (Monday); undefined for other units. */
function truncDate(days: number, unit: string): number | undefined {
  const [y, m] = civilFromDays(days);
  switch (unit) {
    case "year": case "yyyy": case "yy": return daysFromCivil(y, 1, 1);
    case "quarter": return daysFromCivil(y, m - ((m - 1) % 3), 1);
    case "month": case "mon": case "mm": return daysFromCivil(y, m, 1);
    case "week": return days - isoDayOfWeek(days) + 1;
    default: return undefined;
  }
}

/** Spark's `date_trunc` on a timestamp in `tz`. */
function truncTimestamp(unit: string, micros: number, tz: string): number | null {
  const u = unit.toLowerCase();
  switch (u) {
    case "microsecond": return micros;
    case "millisecond": return Math.floor(micros / 1000) * 1000;
    case "second": return Math.floor(micros / 1_000_000) * 1_000_000;
    case "minute": case "hour": {
      const offset = zoneOffsetMs(tz, Math.floor(micros / 1000));
      const local = micros + offset * 1000;
      const step = u === "minute" ? 60_000_000 : 3_600_000_000;
      return localToUtcPreferring(Math.floor(local / step) * step, tz, offset);
    }
    case "day": case "dd": return daysToMicros(microsToDays(micros, tz), tz);
    default: {
      const d = truncDate(microsToDays(micros, tz), u);
      return d === undefined ? null : daysToMicros(d, tz);
    }
  }
}

const DAY_NAMES: Record<string, number> = {
  MO: 1, MON: 1, MONDAY: 1, TU: 2, TUE: 2, TUESDAY: 2, WE: 3, WED: 3, WEDNESDAY: 3, TH: 4, THU: 4, THURSDAY: 4,
  FR: 5, FRI: 5, FRIDAY: 5, SA: 6, SAT: 6, SATURDAY: 6, SU: 7, SUN: 7, SUNDAY: 7,
};

/** A zone id as Spark's `getZoneId`, or Spark's INVALID_TIMEZONE error. */
function zoneOrFail(id: string): string {
  const tz = resolveZoneId(id);
  if (tz !== undefined) return tz;
  throw new SluiceError("INVALID_TIMEZONE", `The timezone: ${id} is invalid. The timezone must be either a region-based zone ID or a zone offset.`, { params: { timeZone: id } });
}

/** Spark's `months_between` (`DateTimeUtils.monthsBetween`). */
function monthsBetween(m1: number, m2: number, roundOff: boolean, tz: string): number {
  const d1 = microsToDays(m1, tz), d2 = microsToDays(m2, tz);
  const [y1, mo1, dd1] = civilFromDays(d1), [y2, mo2, dd2] = civilFromDays(d2);
  const monthDiff = (y1 * 12 + mo1) - (y2 * 12 + mo2);
  const end1 = dd1 === daysInMonth(y1, mo1), end2 = dd2 === daysInMonth(y2, mo2);
  if (dd1 === dd2 || (end1 && end2)) return monthDiff;
  const sec1 = Math.trunc((m1 - daysToMicros(d1, tz)) / 1_000_000), sec2 = Math.trunc((m2 - daysToMicros(d2, tz)) / 1_000_000);
  const secondsDiff = (dd1 - dd2) * 86_400 + sec1 - sec2;
  const diff = monthDiff + secondsDiff / (31 * 86_400);
  return roundOff ? Math.round(diff * 1e8) / 1e8 : diff;
}

function dateOrTimestamp(t: DataType): DataType | undefined {
  return t.kind === "timestamp" ? undefined : T;
}

/** `date_part(field, source)`: the integer fields of Spark's `extract`. */
function datePartOf(field: string, isDate: boolean): ((days: number, secondOfDay: number) => number) | undefined {
  switch (field.toUpperCase()) {
    case "YEAR": case "Y": case "YEARS": case "YR": case "YRS": return (d) => dateParts(d).y;
    case "QUARTER": case "QTR": return (d) => Math.floor((dateParts(d).m - 1) / 3) + 1;
    case "MONTH": case "MON": case "MONS": case "MONTHS": return (d) => dateParts(d).m;
    case "WEEK": case "W": case "WEEKS": return (d) => isoWeek(dateParts(d));
    case "DAY": case "D": case "DAYS": return (d) => dateParts(d).d;
    case "DAYOFWEEK": case "DOW": return (d) => (dateParts(d).dow % 7) + 1;
    case "DAYOFWEEK_ISO": case "DOW_ISO": return (d) => dateParts(d).dow;
    case "DOY": return (d) => dateParts(d).doy;
    case "HOUR": case "H": case "HOURS": case "HR": case "HRS": return isDate ? undefined : (_d, s) => Math.floor(s / 3600);
    case "MINUTE": case "M": case "MIN": case "MINS": case "MINUTES": return isDate ? undefined : (_d, s) => Math.floor(s / 60) % 60;
    default: return undefined;
  }
}

/** `date_part(field, source)` and `EXTRACT(field FROM source)`: the integer fields. */
function datePartFn(name: string): FunctionDef {
  return {
    name, minArgs: 2, maxArgs: 2,
    resolve: ([, t]) => ({ argTypes: [S, t!.kind === "date" ? undefined : T], returnType: I }),
    compile: ([, t], _r, ctx, args) => {
      const f = args[0]!.kind === "literal" ? datePartOf(String((args[0] as { value: unknown }).value), t!.kind === "date") : undefined;
      if (f === undefined) throw new SluiceError("NOT_IMPLEMENTED", `${name} supports the literal fields YEAR, QUARTER, MONTH, WEEK, DAY, DAYOFWEEK, DOY, HOUR, MINUTE.`, {});
      if (t!.kind === "date") return (a) => f(a[1] as number, 0);
      return (a) => {
        const local = utcToLocalMicros(a[1] as number, ctx.timeZone);
        const days = Math.floor(local / MICROS_PER_DAY);
        return f(days, Math.floor((local - days * MICROS_PER_DAY) / 1_000_000));
      };
    },
  };
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
  {
    name: TIMESTAMP_LITERAL_FUNCTION, minArgs: 1, maxArgs: 1,
    resolve: () => ({ argTypes: [undefined], returnType: T, nullable: false }),
    compile: (_t, _r, ctx) => (a) => stringToTimestamp(a[0] as string, ctx.timeZone),
  },
  toTimestampFn("to_timestamp", false),
  toTimestampFn("try_to_timestamp", true),
  toDateFn("to_date", false),
  toDateFn("try_to_date", true),
  {
    name: "date_format", minArgs: 2, maxArgs: 2,
    resolve: ([t]) => ({ argTypes: [t!.kind === "date" ? undefined : T, S], returnType: S }),
    compile: ([t], _r, ctx, args) => {
      checkLiteralPattern(args as never, 1, false);
      return t!.kind === "date"
        ? (a) => formatWithPattern(daysToMicros(a[0] as number, ctx.timeZone), a[1] as string, ctx.timeZone)
        : (a) => formatWithPattern(a[0] as number, a[1] as string, ctx.timeZone);
    },
  },
  unixTimestampFn("unix_timestamp", 0),
  unixTimestampFn("to_unix_timestamp", 1),
  {
    name: "from_unixtime", minArgs: 1, maxArgs: 2,
    resolve: (types) => ({ argTypes: types.map((_, i) => (i === 0 ? LongType : S)), returnType: S }),
    compile: (_t, _r, ctx, args) => {
      checkLiteralPattern(args as never, 1, false);
      return (a) => formatWithPattern((a[0] as number) * 1_000_000, a.length > 1 ? (a[1] as string) : DEFAULT_PATTERN, ctx.timeZone);
    },
  },
  fixed("timestamp_seconds", [DoubleType], T, () => (a) => Math.round((a[0] as number) * 1_000_000)),
  fixed("timestamp_millis", [LongType], T, () => (a) => (a[0] as number) * 1000),
  fixed("timestamp_micros", [LongType], T, () => (a) => a[0]),
  fixed("unix_seconds", [T], LongType, () => (a) => Math.floor((a[0] as number) / 1_000_000)),
  fixed("unix_millis", [T], LongType, () => (a) => Math.floor((a[0] as number) / 1000)),
  fixed("unix_micros", [T], LongType, () => (a) => a[0]),
  fixed("unix_date", [D], I, () => (a) => a[0]),
  fixed("date_from_unix_date", [I], D, () => (a) => a[0]),
  dateField("year", (p) => p.y),
  dateField("quarter", (p) => Math.floor((p.m - 1) / 3) + 1),
  dateField("month", (p) => p.m),
  dateField("dayofmonth", (p) => p.d),
  dateField("day", (p) => p.d),
  dateField("dayofweek", (p) => (p.dow % 7) + 1),
  dateField("weekday", (p) => p.dow - 1),
  dateField("dayofyear", (p) => p.doy),
  dateField("weekofyear", isoWeek),
  timeField("hour", (s) => Math.floor(s / 3600)),
  timeField("minute", (s) => Math.floor(s / 60) % 60),
  timeField("second", (s) => s % 60),
  datePartFn("date_part"),
  datePartFn("extract"),
  fixed("date_add", [D, I], D, () => (a) => (a[0] as number) + (a[1] as number)),
  fixed("dateadd", [D, I], D, () => (a) => (a[0] as number) + (a[1] as number)),
  fixed("date_sub", [D, I], D, () => (a) => (a[0] as number) - (a[1] as number)),
  fixed("datediff", [D, D], I, () => (a) => (a[0] as number) - (a[1] as number)),
  fixed("date_diff", [D, D], I, () => (a) => (a[0] as number) - (a[1] as number)),
  fixed("last_day", [D], D, () => (a) => {
    const [y, m] = civilFromDays(a[0] as number);
    return daysFromCivil(y, m, daysInMonth(y, m));
  }),
  fixed("add_months", [D, I], D, () => (a) => addMonthsToDays(a[0] as number, a[1] as number)),
  fixed("next_day", [D, S], D, (ctx) => (a) => {
    const dow = DAY_NAMES[(a[1] as string).trim().toUpperCase()];
    if (dow === undefined) {
      if (!ctx.ansi) return null;
      throw new SluiceError("ILLEGAL_DAY_OF_WEEK", `Illegal input for day of week: ${a[1] as string}.`, { params: { string: a[1] as string } });
    }
    const days = a[0] as number;
    const delta = ((dow - isoDayOfWeek(days) + 6) % 7) + 1;
    return days + delta;
  }),
  {
    name: "months_between", minArgs: 2, maxArgs: 3,
    resolve: (types) => ({ argTypes: [dateOrTimestamp(types[0]!), dateOrTimestamp(types[1]!), BooleanType].slice(0, types.length), returnType: DoubleType }),
    compile: (_t, _r, ctx) => (a) => monthsBetween(a[0] as number, a[1] as number, a.length < 3 || a[2] === true, ctx.timeZone),
  },
  fixed("make_date", [I, I, I], D, (ctx) => (a) => {
    const y = a[0] as number, m = a[1] as number, d = a[2] as number;
    if (!validYmd(y, m, d)) {
      const msg = m < 1 || m > 12 ? `Invalid value for MonthOfYear (valid values 1 - 12): ${m}`
        : d === 29 && m === 2 ? `Invalid date 'February 29' as '${y}' is not a leap year` : d < 1 || d > 31 ? `Invalid value for DayOfMonth (valid values 1 - 28/31): ${d}` : `Invalid date '${d}'`;
      return fieldOutOfBounds(ctx, msg);
    }
    return daysFromCivil(y, m, d);
  }),
  {
    name: "make_timestamp", minArgs: 6, maxArgs: 7,
    resolve: (types) => ({ argTypes: [I, I, I, I, I, DoubleType, S].slice(0, types.length), returnType: T }),
    compile: (_t, _r, ctx) => (a) => {
      const [y, mo, d, h, mi] = a as number[];
      const secMicros = Math.round((a[5] as number) * 1_000_000);
      const tz = a.length > 6 ? zoneOrFail(a[6] as string) : ctx.timeZone;
      if (!validYmd(y!, mo!, d!)) return fieldOutOfBounds(ctx, mo! < 1 || mo! > 12 ? `Invalid value for MonthOfYear (valid values 1 - 12): ${mo}` : `Invalid date '${d}'`);
      if (h! < 0 || h! > 23) return fieldOutOfBounds(ctx, `Invalid value for HourOfDay (valid values 0 - 23): ${h}`);
      if (mi! < 0 || mi! > 59) return fieldOutOfBounds(ctx, `Invalid value for MinuteOfHour (valid values 0 - 59): ${mi}`);
      if (secMicros < 0 || secMicros > 60_000_000) {
        if (!ctx.ansi) return null;
        throw new SluiceError("INVALID_FRACTION_OF_SECOND", `Valid range for seconds is [0, 60] (inclusive), but the provided value is ${a[5] as number}. To avoid this error, use \`try_make_timestamp\`, which returns NULL on error.`, { params: { secAndMicros: String(a[5]) } });
      }
      const local = daysFromCivil(y!, mo!, d!) * MICROS_PER_DAY + (h! * 60 + mi!) * 60_000_000 + secMicros;
      return localToUtcMicros(local, tz);
    },
  },
  fixed("from_utc_timestamp", [T, S], T, () => (a) => utcToLocalMicros(a[0] as number, zoneOrFail(a[1] as string))),
  fixed("to_utc_timestamp", [T, S], T, () => (a) => localToUtcMicros(a[0] as number, zoneOrFail(a[1] as string))),
  {
    name: "date_trunc", minArgs: 2, maxArgs: 2,
    resolve: () => ({ argTypes: [S, T], returnType: T }),
    compile: (_t, _r, ctx) => (a) => truncTimestamp(a[0] as string, a[1] as number, ctx.timeZone),
  },
  {
    name: "trunc", minArgs: 2, maxArgs: 2,
    resolve: ([t]) => { requireType("trunc", t!, (x) => x.kind === "date" || x.kind === "string" || x.kind === "timestamp", "date", 0); return { argTypes: [D, S], returnType: D }; },
    compile: () => (a) => truncDate(a[0] as number, (a[1] as string).toLowerCase()) ?? null,
  },
];
