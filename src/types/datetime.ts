/**
 * Dates as days since 1970-01-01 and timestamps as microseconds since the epoch (UTC), as Spark stores them;
 * parsing and formatting in a session time zone, and Spark's datetime patterns (`yyyy-MM-dd HH:mm:ss`).
 */

export const MICROS_PER_MILLI = 1000;

/** Spark's default `timestampFormat` for writing JSON and CSV. */
export const DEFAULT_TIMESTAMP_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
const MS_PER_DAY = 86_400_000;

// ---- time zones -----------------------------------------------------------------------------
const formatterCache = new Map<string, Intl.DateTimeFormat>();

function isUtc(tz: string): boolean {
  return tz === "UTC" || tz === "GMT" || tz === "Z" || tz === "Etc/UTC" || tz === "+00:00";
}

/** Offset of `tz` from UTC at the instant `epochMs`, in milliseconds. */
export function zoneOffsetMs(tz: string, epochMs: number): number {
  if (isUtc(tz)) return 0;
  const fixed = /^(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?$/.exec(tz);
  if (fixed) return (fixed[1] === "-" ? -1 : 1) * (Number(fixed[2]) * 3600_000 + Number(fixed[3] ?? 0) * 60_000);
  let f = formatterCache.get(tz);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
    });
    formatterCache.set(tz, f);
  }
  const parts = f.formatToParts(new Date(epochMs));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/** Converts a wall-clock time in `tz` (given as if it were UTC milliseconds) to the UTC instant. */
export function localToUtcMs(localMs: number, tz: string): number {
  if (isUtc(tz)) return localMs;
  let guess = localMs - zoneOffsetMs(tz, localMs);
  guess = localMs - zoneOffsetMs(tz, guess);
  return guess;
}

export function defaultTimeZone(): string {
  return process.env["TZ"] || Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

// ---- literal and cast forms -----------------------------------------------------------------
const DATE_RE = /^\s*([+-]?\d{4,})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?\s*$/;
const TS_RE = /^\s*([+-]?\d{4,})(?:-(\d{1,2})(?:-(\d{1,2})(?:[T ](\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:\.(\d{0,9}))?)?)?)?)?)?\s*(Z|[+-]\d{1,2}(?::?\d{2})?|(?:UTC|GMT)(?:[+-]\d{1,2}(?::?\d{2})?)?|[A-Za-z]+\/[A-Za-z_]+)?\s*$/;

/** Days since 1970-01-01 of a proleptic Gregorian date, by integer arithmetic (Howard Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function daysInMonth(y: number, m: number): number {
  return m === 2 && (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? 29 : DAYS_IN_MONTH[m - 1]!;
}
function validYmd(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}
function utcDays(y: number, m: number, d: number): number {
  return daysFromCivil(y, m, d);
}

/** Spark's string-to-date cast: `2024-01-31`, `2024-01`, `2024`, `2024-01-31T...`; null when invalid. */
export function stringToDate(s: string): number | null {
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const y = Number(m[1]), mo = Number(m[2] ?? 1), d = Number(m[3] ?? 1);
  if (!validYmd(y, mo, d)) return null;
  return utcDays(y, mo, d);
}

/** Digits of `s` from `from` to `to` (exclusive) as a number; -1 when any is not a digit. */
function digits(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * The common shape `yyyy-MM-dd[T ]HH:mm:ss[.f{1,9}][Z]` read without a regular expression or allocation (the
 * hot path of JSON/CSV timestamp fields); undefined for any other text, which the general parser handles.
 */
function fastTimestamp(s: string, tz: string): number | null | undefined {
  const n = s.length;
  if (n < 19 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 32) return undefined;
  const y = digits(s, 0, 4), mo = digits(s, 5, 7), d = digits(s, 8, 10), h = digits(s, 11, 13), mi = digits(s, 14, 16), se = digits(s, 17, 19);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || se < 0) return undefined;
  let i = 19, micros = 0;
  if (i < n && s.charCodeAt(i) === 46) {
    let scale = 100000;
    for (i++; i < n; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      micros += c * scale;
      scale = Math.floor(scale / 10);
    }
    if (i === 20 || i > 29) return undefined;
  }
  const utc = i < n && s.charCodeAt(i) === 90;
  if (utc) i++;
  if (i !== n) return undefined;
  if (!validYmd(y, mo, d) || h > 23 || mi > 59 || se > 59) return null;
  const localMs = utcDays(y, mo, d) * MS_PER_DAY + ((h * 60 + mi) * 60 + se) * 1000;
  return (utc ? localMs : localToUtcMs(localMs, tz)) * MICROS_PER_MILLI + micros;
}

/** Spark's string-to-timestamp cast, in `tz` unless the text carries a zone; null when invalid. */
export function stringToTimestamp(s: string, tz: string): number | null {
  const fast = fastTimestamp(s, tz);
  if (fast !== undefined) return fast;
  const m = TS_RE.exec(s);
  if (!m) return null;
  const y = Number(m[1]), mo = Number(m[2] ?? 1), d = Number(m[3] ?? 1);
  const h = Number(m[4] ?? 0), mi = Number(m[5] ?? 0), se = Number(m[6] ?? 0);
  if (!validYmd(y, mo, d) || h > 23 || mi > 59 || se > 59) return null;
  const frac = (m[7] ?? "").padEnd(6, "0").slice(0, 6);
  const localMs = utcDays(y, mo, d) * MS_PER_DAY + ((h * 60 + mi) * 60 + se) * 1000;
  const zone = m[8];
  const utcMs = zone === undefined ? localToUtcMs(localMs, tz) : localToUtcMs(localMs, zone.replace(/^(UTC|GMT)$/, "UTC"));
  return utcMs * MICROS_PER_MILLI + Number(frac);
}

export function parseDateLiteral(s: string): number {
  const v = stringToDate(s);
  if (v === null) throw new RangeError(`invalid date '${s}'`);
  return v;
}
export function parseTimestampLiteral(s: string, tz: string = defaultTimeZone()): number {
  const v = stringToTimestamp(s, tz);
  if (v === null) throw new RangeError(`invalid timestamp '${s}'`);
  return v;
}

const pad = (n: number, w = 2): string => (n < 0 ? "-" + String(-n).padStart(w, "0") : String(n).padStart(w, "0"));

/** `yyyy-MM-dd`. */
export function formatDate(days: number): string {
  const dt = new Date(days * MS_PER_DAY);
  return `${pad(dt.getUTCFullYear(), 4)}-${pad(dt.getUTCMonth() + 1)}-${pad(dt.getUTCDate())}`;
}

/** Spark's timestamp-to-string cast: `2024-01-31 12:00:00` with the fraction trimmed of trailing zeros. */
export function formatTimestamp(micros: number, tz: string): string {
  const ms = Math.floor(micros / 1000);
  const local = ms + zoneOffsetMs(tz, ms);
  const dt = new Date(local);
  const us = micros - Math.floor(micros / 1_000_000) * 1_000_000;
  const base = `${pad(dt.getUTCFullYear(), 4)}-${pad(dt.getUTCMonth() + 1)}-${pad(dt.getUTCDate())} ${pad(dt.getUTCHours())}:${pad(dt.getUTCMinutes())}:${pad(dt.getUTCSeconds())}`;
  return us === 0 ? base : `${base}.${String(us).padStart(6, "0").replace(/0+$/, "")}`;
}

// ---- Spark datetime patterns ------------------------------------------------------------------
type PatternPart = { readonly literal: string } | { readonly field: string; readonly width: number };

const patternCache = new Map<string, PatternPart[]>();

/** Splits a Spark datetime pattern into fields (`yyyy`, `MM`, `SSS`, ...) and quoted literals. */
export function compilePattern(pattern: string): PatternPart[] {
  const cached = patternCache.get(pattern);
  if (cached) return cached;
  const parts: PatternPart[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === i + 1) { parts.push({ literal: "'" }); i += 2; continue; }
      const stop = end < 0 ? pattern.length : end;
      parts.push({ literal: pattern.slice(i + 1, stop) });
      i = stop + 1;
    } else if (/[a-zA-Z]/.test(c)) {
      let j = i;
      while (pattern[j] === c) j++;
      if (!"yuMLdDHhkKmsSaEXxZzVO".includes(c)) throw new RangeError(`Illegal pattern character '${c}' in '${pattern}'`);
      parts.push({ field: c, width: j - i });
      i = j;
    } else {
      parts.push({ literal: c });
      i++;
    }
  }
  patternCache.set(pattern, parts);
  return parts;
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

type FieldParser = (s: string, pos: number, st: ParseState) => number; // new position, or -1

interface ParseState { y: number; mo: number; d: number; h: number; mi: number; se: number; us: number; pm: number; zoneMs: number | undefined; doy: number }

/** Reads an (optionally signed) decimal number of `min`..`max` digits at `pos`; returns [value, end] in `out`. */
function readDigits(s: string, pos: number, min: number, max: number, st: { v: number }): number {
  let j = pos, v = 0, neg = false;
  if (j < s.length && (s.charCodeAt(j) === 45 || s.charCodeAt(j) === 43)) { neg = s.charCodeAt(j) === 45; j++; }
  const start = j;
  while (j < s.length && j - start < max) {
    const c = s.charCodeAt(j) - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
    j++;
  }
  if (j - start < min) return -1;
  st.v = neg ? -v : v;
  return j;
}

const compiledParsers = new Map<string, FieldParser[]>();

function compileParser(pattern: string): FieldParser[] {
  const cached = compiledParsers.get(pattern);
  if (cached) return cached;
  const parts = compilePattern(pattern);
  const box = { v: 0 };
  const out: FieldParser[] = parts.map((p, k) => {
    if ("literal" in p) {
      const lit = p.literal;
      return (s, pos) => (s.startsWith(lit, pos) ? pos + lit.length : -1);
    }
    const next = parts[k + 1];
    const fixed = next !== undefined && "field" in next; // adjacent numeric fields: use exact widths
    const w = p.width;
    const num = (min: number, max: number, set: (st: ParseState, v: number) => void): FieldParser => (s, pos, st) => {
      const e = readDigits(s, pos, min, max, box);
      if (e >= 0) set(st, box.v);
      return e;
    };
    switch (p.field) {
      case "y": case "u": return w === 2 ? num(2, 2, (st, v) => { st.y = 2000 + v; }) : num(1, fixed ? w : 9, (st, v) => { st.y = v; });
      case "M": case "L":
        if (w >= 3) {
          const names = w === 3 ? MONTHS.map((m) => m.slice(0, 3)) : MONTHS;
          return (s, pos, st) => {
            const idx = names.findIndex((m) => s.slice(pos, pos + m.length).toLowerCase() === m.toLowerCase());
            if (idx < 0) return -1;
            st.mo = idx + 1;
            return pos + names[idx]!.length;
          };
        }
        return num(1, fixed ? w : 2, (st, v) => { st.mo = v; });
      case "d": return num(1, fixed ? w : 2, (st, v) => { st.d = v; });
      case "D": return num(1, 3, (st, v) => { st.doy = v; });
      case "H": case "k": case "h": case "K": return num(1, fixed ? w : 2, (st, v) => { st.h = v; });
      case "m": return num(1, fixed ? w : 2, (st, v) => { st.mi = v; });
      case "s": return num(1, fixed ? w : 2, (st, v) => { st.se = v; });
      case "S": return (s, pos, st) => {
        const e = readDigits(s, pos, 1, w, box);
        if (e < 0) return -1;
        const digits = e - pos;
        st.us = digits >= 6 ? Math.floor(box.v / 10 ** (digits - 6)) : box.v * 10 ** (6 - digits);
        return e;
      };
      case "a": return (s, pos, st) => {
        const t = s.slice(pos, pos + 2).toUpperCase();
        if (t !== "AM" && t !== "PM") return -1;
        st.pm = t === "PM" ? 1 : 0;
        return pos + 2;
      };
      case "E": {
        const names = w >= 4 ? DAYS : DAYS.map((x) => x.slice(0, 3));
        return (s, pos) => {
          const idx = names.findIndex((x) => s.slice(pos, pos + x.length).toLowerCase() === x.toLowerCase());
          return idx < 0 ? -1 : pos + names[idx]!.length;
        };
      }
      case "X": case "x": case "Z": case "O": {
        const isX = p.field === "X";
        return (s, pos, st) => {
          if (isX && s[pos] === "Z") { st.zoneMs = 0; return pos + 1; }
          const m = /^(?:GMT|UTC)?([+-])(\d{2}):?(\d{2})?/.exec(s.slice(pos));
          if (!m) return -1;
          st.zoneMs = (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 3600_000 + Number(m[3] ?? 0) * 60_000);
          return pos + m[0].length;
        };
      }
      case "V": case "z": return (s, pos, st) => {
        const m = /^[A-Za-z_]+(?:\/[A-Za-z_]+)*/.exec(s.slice(pos));
        if (!m) return -1;
        st.zoneMs = zoneOffsetMs(m[0], Date.now());
        return pos + m[0].length;
      };
      default: return () => -1;
    }
  });
  compiledParsers.set(pattern, out);
  return out;
}

const state: ParseState = { y: 1970, mo: 1, d: 1, h: 0, mi: 0, se: 0, us: 0, pm: -1, zoneMs: undefined, doy: 0 };

/** Parses `s` with a Spark pattern into microseconds (UTC); null when it does not match (Spark's non-ANSI result). */
export function parseWithPattern(s: string, pattern: string, tz: string): number | null {
  const parsers = compileParser(pattern);
  const st = state;
  st.y = 1970; st.mo = 1; st.d = 1; st.h = 0; st.mi = 0; st.se = 0; st.us = 0; st.pm = -1; st.zoneMs = undefined; st.doy = 0;
  let pos = 0;
  for (let k = 0; k < parsers.length; k++) {
    pos = parsers[k]!(s, pos, st);
    if (pos < 0) return null;
  }
  if (pos !== s.length) return null;
  let h = st.h;
  if (st.pm >= 0) h = (h % 12) + (st.pm === 1 ? 12 : 0);
  if (h > 23 || st.mi > 59 || st.se > 59) return null;
  let days: number;
  if (st.doy > 0) {
    days = daysFromCivil(st.y, 1, 1) + st.doy - 1;
  } else {
    if (!validYmd(st.y, st.mo, st.d)) return null;
    days = daysFromCivil(st.y, st.mo, st.d);
  }
  const localMs = days * MS_PER_DAY + ((h * 60 + st.mi) * 60 + st.se) * 1000;
  const utcMs = st.zoneMs === undefined ? localToUtcMs(localMs, tz) : localMs - st.zoneMs;
  return utcMs * MICROS_PER_MILLI + st.us;
}

/** Formats microseconds with a Spark pattern in `tz`. */
export function formatWithPattern(micros: number, pattern: string, tz: string): string {
  const parts = compilePattern(pattern);
  const ms = Math.floor(micros / 1000);
  const offset = zoneOffsetMs(tz, ms);
  const dt = new Date(ms + offset);
  const us = micros - Math.floor(micros / 1_000_000) * 1_000_000;
  let out = "";
  for (const p of parts) {
    if ("literal" in p) { out += p.literal; continue; }
    const w = p.width;
    switch (p.field) {
      case "y": case "u": out += w === 2 ? pad(dt.getUTCFullYear() % 100) : pad(dt.getUTCFullYear(), w); break;
      case "M": case "L": out += w >= 4 ? MONTHS[dt.getUTCMonth()] : w === 3 ? MONTHS[dt.getUTCMonth()]!.slice(0, 3) : pad(dt.getUTCMonth() + 1, w); break;
      case "d": out += pad(dt.getUTCDate(), w); break;
      case "D": out += pad(Math.floor((Date.UTC(dt.getUTCFullYear(), dt.getUTCMonth(), dt.getUTCDate()) - Date.UTC(dt.getUTCFullYear(), 0, 1)) / MS_PER_DAY) + 1, w); break;
      case "H": out += pad(dt.getUTCHours(), w); break;
      case "k": out += pad(dt.getUTCHours() || 24, w); break;
      case "h": out += pad(dt.getUTCHours() % 12 || 12, w); break;
      case "K": out += pad(dt.getUTCHours() % 12, w); break;
      case "m": out += pad(dt.getUTCMinutes(), w); break;
      case "s": out += pad(dt.getUTCSeconds(), w); break;
      case "S": out += String(us).padStart(6, "0").slice(0, w).padEnd(w, "0"); break;
      case "a": out += dt.getUTCHours() < 12 ? "AM" : "PM"; break;
      case "E": out += w >= 4 ? DAYS[dt.getUTCDay()] : DAYS[dt.getUTCDay()]!.slice(0, 3); break;
      case "X": case "x": case "Z": case "O": {
        if (offset === 0 && p.field === "X") { out += "Z"; break; }
        const sign = offset < 0 ? "-" : "+";
        const a = Math.abs(offset) / 60_000;
        const hh = pad(Math.floor(a / 60)), mm = pad(a % 60);
        out += p.field === "Z" && w < 4 ? `${sign}${hh}${mm}` : (w === 1 && p.field !== "Z") ? `${sign}${hh}${mm === "00" ? "" : mm}` : `${sign}${hh}:${mm}`;
        break;
      }
      case "V": case "z": out += tz; break;
    }
  }
  return out;
}

export function microsToDays(micros: number, tz: string): number {
  const ms = Math.floor(micros / 1000);
  return Math.floor((ms + zoneOffsetMs(tz, ms)) / MS_PER_DAY);
}
export function daysToMicros(days: number, tz: string): number {
  return localToUtcMs(days * MS_PER_DAY, tz) * MICROS_PER_MILLI;
}
