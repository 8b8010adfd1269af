/**
 * Dates as days since 1970-01-01 and timestamps as microseconds since the epoch (UTC), as Spark stores them;
 * parsing and formatting in a session time zone, and Spark's datetime patterns (`yyyy-MM-dd HH:mm:ss`).
 */

export const MICROS_PER_MILLI = 1000;
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

function validYmd(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const dim = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= dim;
}
function utcDays(y: number, m: number, d: number): number {
  const ms = new Date(0).setUTCFullYear(y, m - 1, d);
  return Math.floor(ms / MS_PER_DAY);
}

/** Spark's string-to-date cast: `2024-01-31`, `2024-01`, `2024`, `2024-01-31T...`; null when invalid. */
export function stringToDate(s: string): number | null {
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const y = Number(m[1]), mo = Number(m[2] ?? 1), d = Number(m[3] ?? 1);
  if (!validYmd(y, mo, d)) return null;
  return utcDays(y, mo, d);
}

/** Spark's string-to-timestamp cast, in `tz` unless the text carries a zone; null when invalid. */
export function stringToTimestamp(s: string, tz: string): number | null {
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

/** Parses `s` with a Spark pattern into microseconds (UTC); null when it does not match (Spark's non-ANSI result). */
export function parseWithPattern(s: string, pattern: string, tz: string): number | null {
  const parts = compilePattern(pattern);
  let pos = 0;
  let y = 1970, mo = 1, d = 1, h = 0, mi = 0, se = 0, us = 0, pm = -1, zoneMs: number | undefined;
  const num = (min: number, max: number): number | null => {
    let j = pos;
    if (s[j] === "-" || s[j] === "+") j++;
    while (j < s.length && j - pos < max && s[j]! >= "0" && s[j]! <= "9") j++;
    if (j - pos < min) return null;
    const v = Number(s.slice(pos, j));
    pos = j;
    return v;
  };
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k]!;
    if ("literal" in p) {
      if (!s.startsWith(p.literal, pos)) return null;
      pos += p.literal.length;
      continue;
    }
    const next = parts[k + 1];
    const fixed = next !== undefined && "field" in next; // adjacent numeric fields: use exact widths
    let v: number | null = null;
    switch (p.field) {
      case "y": case "u": v = num(p.width === 2 ? 2 : 1, p.width === 2 ? 2 : fixed ? p.width : 9); if (v !== null) y = p.width === 2 ? 2000 + v : v; break;
      case "M": case "L":
        if (p.width >= 3) {
          const names = p.width === 3 ? MONTHS.map((m) => m.slice(0, 3)) : MONTHS;
          const idx = names.findIndex((m) => s.slice(pos, pos + m.length).toLowerCase() === m.toLowerCase());
          if (idx < 0) return null;
          pos += names[idx]!.length; mo = idx + 1; v = mo;
        } else { v = num(1, fixed ? p.width : 2); if (v !== null) mo = v; }
        break;
      case "d": v = num(1, fixed ? p.width : 2); if (v !== null) d = v; break;
      case "H": case "k": v = num(1, fixed ? p.width : 2); if (v !== null) h = v; break;
      case "h": case "K": v = num(1, fixed ? p.width : 2); if (v !== null) h = v; break;
      case "m": v = num(1, fixed ? p.width : 2); if (v !== null) mi = v; break;
      case "s": v = num(1, fixed ? p.width : 2); if (v !== null) se = v; break;
      case "S": {
        const start = pos;
        v = num(1, p.width);
        if (v !== null) us = Number(s.slice(start, pos).padEnd(6, "0").slice(0, 6));
        break;
      }
      case "a": {
        const t = s.slice(pos, pos + 2).toUpperCase();
        if (t !== "AM" && t !== "PM") return null;
        pm = t === "PM" ? 1 : 0; pos += 2; v = 0;
        break;
      }
      case "E": {
        const names = p.width >= 4 ? DAYS : DAYS.map((x) => x.slice(0, 3));
        const idx = names.findIndex((x) => s.slice(pos, pos + x.length).toLowerCase() === x.toLowerCase());
        if (idx < 0) return null;
        pos += names[idx]!.length; v = 0;
        break;
      }
      case "X": case "x": case "Z": case "O": {
        if (p.field === "X" && s[pos] === "Z") { pos++; zoneMs = 0; v = 0; break; }
        const m = /^(?:GMT|UTC)?([+-])(\d{2}):?(\d{2})?/.exec(s.slice(pos));
        if (!m) return null;
        pos += m[0].length;
        zoneMs = (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 3600_000 + Number(m[3] ?? 0) * 60_000);
        v = 0;
        break;
      }
      case "V": case "z": {
        const m = /^[A-Za-z_]+(?:\/[A-Za-z_]+)*/.exec(s.slice(pos));
        if (!m) return null;
        pos += m[0].length;
        zoneMs = zoneOffsetMs(m[0], Date.now());
        v = 0;
        break;
      }
      case "D": v = num(1, 3); if (v !== null) { mo = 1; d = v; } break;
    }
    if (v === null) return null;
  }
  if (pos !== s.length) return null;
  if (pm >= 0) h = (h % 12) + (pm === 1 ? 12 : 0);
  if (mo > 12 || h > 23 || mi > 59 || se > 59) return null;
  if (!validYmd(y, mo, Math.min(d, 28)) || (d > 28 && !validYmd(y, mo, d) && !parts.some((p) => "field" in p && p.field === "D"))) return null;
  const localMs = utcDays(y, mo, 1) * MS_PER_DAY + (d - 1) * MS_PER_DAY + ((h * 60 + mi) * 60 + se) * 1000;
  const utcMs = zoneMs === undefined ? localToUtcMs(localMs, tz) : localMs - zoneMs;
  return utcMs * MICROS_PER_MILLI + us;
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
