/** Spark's CalendarInterval value: months, days and microseconds, kept apart as Spark keeps them. */

export interface CalendarInterval { readonly months: number; readonly days: number; readonly micros: number }

export const MICROS_PER_SECOND = 1_000_000;
export const MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
export const MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE;
export const MICROS_PER_DAY = 24 * MICROS_PER_HOUR;

const UNIT: Record<string, (n: number) => CalendarInterval> = {
  year: (n) => ({ months: 12 * n, days: 0, micros: 0 }),
  month: (n) => ({ months: n, days: 0, micros: 0 }),
  week: (n) => ({ months: 0, days: 7 * n, micros: 0 }),
  day: (n) => ({ months: 0, days: n, micros: 0 }),
  hour: (n) => ({ months: 0, days: 0, micros: Math.round(n * MICROS_PER_HOUR) }),
  minute: (n) => ({ months: 0, days: 0, micros: Math.round(n * MICROS_PER_MINUTE) }),
  second: (n) => ({ months: 0, days: 0, micros: Math.round(n * MICROS_PER_SECOND) }),
  millisecond: (n) => ({ months: 0, days: 0, micros: Math.round(n * 1000) }),
  microsecond: (n) => ({ months: 0, days: 0, micros: Math.round(n) }),
};

/** Normalizes `minutes`, `MINS`, `hrs`, ... to a unit key, or returns undefined. */
export function intervalUnit(word: string): string | undefined {
  const w = word.toLowerCase();
  const aliases: Record<string, string> = {
    years: "year", yr: "year", yrs: "year", months: "month", mon: "month", mons: "month", weeks: "week",
    days: "day", hours: "hour", hr: "hour", hrs: "hour", minutes: "minute", min: "minute", mins: "minute",
    seconds: "second", sec: "second", secs: "second", milliseconds: "millisecond", ms: "millisecond",
    microseconds: "microsecond", us: "microsecond",
  };
  const unit = aliases[w] ?? w;
  return unit in UNIT ? unit : undefined;
}

export function addIntervals(a: CalendarInterval, b: CalendarInterval): CalendarInterval {
  return { months: a.months + b.months, days: a.days + b.days, micros: a.micros + b.micros };
}

export function intervalOf(amount: number, unit: string): CalendarInterval {
  const u = intervalUnit(unit);
  if (u === undefined) throw new RangeError(`unknown interval unit '${unit}'`);
  return UNIT[u]!(amount);
}

/**
 * Parses interval text as Spark does for `withWatermark`, `window` and triggers:
 * `"10 seconds"`, `"1 hour 30 minutes"`, `"interval 2 days"`, `"-1 minute"`. Returns undefined on bad text.
 */
export function parseInterval(text: string): CalendarInterval | undefined {
  const words = text.trim().toLowerCase().split(/\s+/).filter((w) => w.length > 0);
  if (words[0] === "interval") words.shift();
  if (words.length === 0 || words.length % 2 !== 0) return undefined;
  let acc: CalendarInterval = { months: 0, days: 0, micros: 0 };
  for (let i = 0; i < words.length; i += 2) {
    const n = Number(words[i]);
    const unit = intervalUnit(words[i + 1]!);
    if (!Number.isFinite(n) || unit === undefined) return undefined;
    acc = addIntervals(acc, UNIT[unit]!(n));
  }
  return acc;
}

/** Duration in microseconds, taking a month as 31 days as Spark does for watermarks and windows. */
export function intervalToMicros(i: CalendarInterval): number {
  return i.months * 31 * MICROS_PER_DAY + i.days * MICROS_PER_DAY + i.micros;
}

/** Spark's interval text: `INTERVAL '15' MINUTE`-style values print as `15 minutes`. */
export function formatInterval(i: CalendarInterval): string {
  const parts: string[] = [];
  if (i.months !== 0) {
    const y = Math.trunc(i.months / 12), m = i.months % 12;
    if (y) parts.push(`${y} years`);
    if (m) parts.push(`${m} months`);
  }
  if (i.days !== 0) parts.push(`${i.days} days`);
  if (i.micros !== 0 || parts.length === 0) {
    let us = i.micros;
    const h = Math.trunc(us / MICROS_PER_HOUR); us -= h * MICROS_PER_HOUR;
    const mi = Math.trunc(us / MICROS_PER_MINUTE); us -= mi * MICROS_PER_MINUTE;
    if (h) parts.push(`${h} hours`);
    if (mi) parts.push(`${mi} minutes`);
    if (us || parts.length === 0) parts.push(`${us / MICROS_PER_SECOND} seconds`);
  }
  return parts.join(" ");
}
