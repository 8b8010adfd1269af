/**
 * Dates as days since 1970-01-01 and timestamps as microseconds since the epoch (UTC), as Spark stores them;
 * parsing and formatting in a session time zone, and Spark's datetime patterns (`yyyy-MM-dd HH:mm:ss`).
 */

import { SluiceError } from "../errors/sluice-error.js";

export const MICROS_PER_MILLI = 1000;

/** Spark's default `timestampFormat` for writing JSON and CSV. */
export const DEFAULT_TIMESTAMP_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

// ---- time zones -----------------------------------------------------------------------------
const formatterCache = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();
const OFFSET_BUCKET_MS = 900_000;
/** Before 1800 every zone keeps its earliest (local mean time) offset, as Java's rules do. */
const EARLIEST_RULE_MS = -5_364_662_400_000;

function isUtc(tz: string): boolean {
  return tz === "UTC" || tz === "GMT" || tz === "Z" || tz === "Etc/UTC" || tz === "+00:00" || tz === "UT";
}

const FIXED_OFFSET = /^(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/;

/** The fixed offset of a zone id such as `+05:30`, `GMT+1`, `UTC-08:00` in milliseconds; undefined for region ids. */
export function fixedOffsetMs(tz: string): number | undefined {
  if (isUtc(tz)) return 0;
  const known = fixedOffsetCache.get(tz);
  if (known !== undefined) return known ?? undefined;
  const v = computeFixedOffsetMs(tz);
  if (fixedOffsetCache.size > 10_000) fixedOffsetCache.clear();
  fixedOffsetCache.set(tz, v ?? null);
  return v;
}
const fixedOffsetCache = new Map<string, number | null>();

function computeFixedOffsetMs(tz: string): number | undefined {
  const fixed = FIXED_OFFSET.exec(tz);
  if (!fixed) return undefined;
  return (fixed[1] === "-" ? -1 : 1) * (Number(fixed[2]) * 3600_000 + Number(fixed[3] ?? 0) * 60_000 + Number(fixed[4] ?? 0) * 1000);
}

function zoneFormatter(tz: string): Intl.DateTimeFormat {
  let f = formatterCache.get(tz);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz, hourCycle: "h23", era: "short", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
    });
    formatterCache.set(tz, f);
  }
  return f;
}

function intlOffsetMs(tz: string, epochMs: number): number {
  const parts = zoneFormatter(tz).formatToParts(new Date(epochMs));
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0, bc = false;
  for (const p of parts) {
    switch (p.type) {
      case "year": y = Number(p.value); break;
      case "month": mo = Number(p.value); break;
      case "day": d = Number(p.value); break;
      case "hour": h = Number(p.value); break;
      case "minute": mi = Number(p.value); break;
      case "second": se = Number(p.value); break;
      case "era": bc = p.value.startsWith("B"); break;
    }
  }
  if (bc) y = 1 - y;
  const asUtc = (daysFromCivil(y, mo, d) * 86_400 + (h * 60 + mi) * 60 + se) * 1000;
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/** Offset of `tz` from UTC at the instant `epochMs`, in milliseconds. */
export function zoneOffsetMs(tz: string, epochMs: number): number {
  const fixed = fixedOffsetMs(tz);
  if (fixed !== undefined) return fixed;
  const at = epochMs < EARLIEST_RULE_MS ? EARLIEST_RULE_MS : epochMs;
  const bucket = Math.floor(at / OFFSET_BUCKET_MS);
  let zone = offsetCache.get(tz);
  if (zone === undefined) { zone = new Map(); offsetCache.set(tz, zone); }
  const cached = zone.get(bucket);
  if (cached !== undefined) return cached;
  const start = bucket * OFFSET_BUCKET_MS;
  const a = intlOffsetMs(tz, start), b = intlOffsetMs(tz, start + OFFSET_BUCKET_MS - 1);
  if (a !== b) return intlOffsetMs(tz, at); // a transition inside this quarter hour
  if (zone.size > 100_000) zone.clear();
  zone.set(bucket, a);
  return a;
}

/**
 * Converts a wall-clock time in `tz` (given as if it were UTC milliseconds) to the UTC instant, as Java's
 * `ZonedDateTime.of`: a time in a gap is shifted forward by the gap's length, a time in an overlap takes the
 * earlier offset.
 */
export function localToUtcMs(localMs: number, tz: string): number {
  const fixed = fixedOffsetMs(tz);
  if (fixed !== undefined) return localMs - fixed;
  const before = zoneOffsetMs(tz, localMs - 86_400_000), after = zoneOffsetMs(tz, localMs + 86_400_000);
  const beforeValid = zoneOffsetMs(tz, localMs - before) === before;
  if (beforeValid) return localMs - before; // the only offset, or the earlier one of an overlap
  if (zoneOffsetMs(tz, localMs - after) === after) return localMs - after;
  // A gap: the wall time moves forward by the gap's length, which is the instant at the offset before it.
  return localMs - before;
}

export function defaultTimeZone(): string {
  return process.env["TZ"] || Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

// ---- calendar arithmetic ------------------------------------------------------------------------
/** Days since 1970-01-01 of a proleptic Gregorian date, by integer arithmetic (Howard Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The proleptic Gregorian [year, month, day] of days since 1970-01-01 (civil_from_days). */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [era * 400 + yoe + (m <= 2 ? 1 : 0), m, d];
}

export function isLeapYear(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : DAYS_IN_MONTH[m - 1]!;
}
export function validYmd(y: number, m: number, d: number): boolean {
  return Number.isInteger(y) && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}
/** ISO day of week of days since the epoch: 1 = Monday ... 7 = Sunday. */
export function isoDayOfWeek(days: number): number {
  return ((((days + 3) % 7) + 7) % 7) + 1;
}
/** `LocalDate.plusMonths`: the day is clamped to the target month's length. */
export function addMonthsToDays(days: number, months: number): number {
  const [y, m, d] = civilFromDays(days);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12), nm = total - ny * 12 + 1;
  return daysFromCivil(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

const MICROS_PER_DAY = 86_400_000_000;
/** Local wall time in `tz` of an instant, as microseconds since the local epoch. */
export function utcToLocalMicros(micros: number, tz: string): number {
  const ms = Math.floor(micros / 1000);
  return micros + zoneOffsetMs(tz, ms) * 1000;
}
/** The instant of a local wall time in `tz` (microseconds), resolved as `ZonedDateTime.of`. */
export function localToUtcMicros(localMicros: number, tz: string): number {
  const ms = Math.floor(localMicros / 1000);
  return localToUtcMs(ms, tz) * 1000 + (localMicros - ms * 1000);
}

/** The instant of a local time in `tz`, keeping `preferredOffsetMs` where it is valid (Java's `ZonedDateTime.truncatedTo`). */
export function localToUtcPreferring(local: number, tz: string, preferredOffsetMs: number): number {
  const candidate = local - preferredOffsetMs * 1000;
  if (zoneOffsetMs(tz, Math.floor(candidate / 1000)) === preferredOffsetMs) return candidate;
  return localToUtcMicros(local, tz);
}

// ---- literal and cast forms -----------------------------------------------------------------
/** Spark's `trimAll`: whitespace and ISO control characters at both ends. */
function trimAll(s: string): string {
  let a = 0, b = s.length;
  while (a < b && s.charCodeAt(a) <= 32) a++;
  while (b > a && s.charCodeAt(b - 1) <= 32) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** Spark's string-to-date cast (`DateTimeUtils.stringToDate`): `[+-]yyyy[-[m]m[-[d]d[( |T)...]]]`; null when invalid. */
export function stringToDate(text: string): number | null {
  const s = trimAll(text);
  if (s.length === 0) return null;
  const seg = [1, 1, 1];
  let sign = 1, i = 0, value = 0, ndigits = 0, j = 0;
  const valid = (segment: number, n: number): boolean => (segment === 0 ? n >= 4 && n <= 7 : n > 0 && n <= 2);
  if (s[0] === "-" || s[0] === "+") { sign = s[0] === "-" ? -1 : 1; j = 1; }
  for (; j < s.length && i < 3 && s[j] !== " " && s[j] !== "T"; j++) {
    const c = s.charCodeAt(j);
    if (i < 2 && c === 45) {
      if (!valid(i, ndigits)) return null;
      seg[i] = value; value = 0; ndigits = 0; i++;
    } else {
      const dgt = c - 48;
      if (dgt < 0 || dgt > 9) return null;
      value = value * 10 + dgt; ndigits++;
    }
  }
  if (!valid(i, ndigits)) return null;
  if (i < 2 && j < s.length) return null;
  seg[i] = value;
  const y = sign * seg[0]!;
  if (!validYmd(y, seg[1]!, seg[2]!)) return null;
  return daysFromCivil(y, seg[1]!, seg[2]!);
}

/** Java's `ZoneId.of(id, SHORT_IDS)` as Spark's `getZoneId` calls it; undefined when the id is not a zone. */
export function resolveZoneId(id: string): string | undefined {
  if (id === "Z" || id === "UTC") return "UTC";
  const known = zoneIdCache.get(id);
  if (known !== undefined) return known ?? undefined;
  const v = computeZoneId(id);
  if (zoneIdCache.size > 10_000) zoneIdCache.clear();
  zoneIdCache.set(id, v ?? null);
  return v;
}
const zoneIdCache = new Map<string, string | null>();

function computeZoneId(id: string): string | undefined {
  const z = id.replace(/^([+-])(\d):/, "$10$2:").replace(/^([+-]\d\d):(\d)$/, "$1:0$2");
  if (z === "Z" || z === "UTC" || z === "GMT" || z === "UT") return "UTC";
  const off = /^(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::(\d{2})(?::(\d{2}))?|(\d{2})(\d{2})?)?$/.exec(z);
  if (off) {
    const prefixed = /^(UTC|GMT|UT)/.test(z);
    const hh = Number(off[2]), mm = Number(off[3] ?? off[5] ?? 0), ss = Number(off[4] ?? off[6] ?? 0);
    if (!prefixed && off[2]!.length === 1 && (off[3] !== undefined || off[5] !== undefined)) return undefined;
    if (hh > 18 || mm > 59 || ss > 59) return undefined;
    const sign = off[1]!;
    return `${sign}${String(hh).padStart(2, "0")}:${String(mm).padStart(2, "0")}${ss ? `:${String(ss).padStart(2, "0")}` : ""}`;
  }
  const short = SHORT_IDS[z];
  if (short !== undefined) return short;
  if (!/^[A-Za-z][A-Za-z0-9~/._+-]+$/.test(z) || !z.includes("/") && !/^(?:[A-Z]{3,}\d?[A-Z]*|Etc\/.*)$/.test(z)) return undefined;
  try { zoneFormatter(z); } catch { return undefined; }
  return z;
}

/** Java's `ZoneId.SHORT_IDS`. */
const SHORT_IDS: Record<string, string> = {
  ACT: "Australia/Darwin", AET: "Australia/Sydney", AGT: "America/Argentina/Buenos_Aires", ART: "Africa/Cairo", AST: "America/Anchorage",
  BET: "America/Sao_Paulo", BST: "Asia/Dhaka", CAT: "Africa/Harare", CNT: "America/St_Johns", CST: "America/Chicago", CTT: "Asia/Shanghai",
  EAT: "Africa/Addis_Ababa", ECT: "Europe/Paris", IET: "America/Indiana/Indianapolis", IST: "Asia/Kolkata", JST: "Asia/Tokyo",
  MIT: "Pacific/Apia", NET: "Asia/Yerevan", NST: "Pacific/Auckland", PLT: "Asia/Karachi", PNT: "America/Phoenix", PRT: "America/Puerto_Rico",
  PST: "America/Los_Angeles", SST: "Pacific/Guadalcanal", VST: "Asia/Ho_Chi_Minh", EST: "-05:00", MST: "-07:00", HST: "-10:00",
};

interface TimestampFields { y: number; mo: number; d: number; h: number; mi: number; s: number; us: number; zone: string | undefined; justTime: boolean }

/** Spark's `DateTimeUtils.parseTimestampString`: the fields of a timestamp cast's text, or undefined when malformed. */
function parseTimestampFields(text: string): TimestampFields | undefined {
  const s = trimAll(text);
  if (s.length === 0) return undefined;
  const seg = [1, 1, 1, 0, 0, 0, 0, 0, 0];
  const valid = (segment: number, n: number): boolean => segment === 6 || (segment === 0 && n >= 4 && n <= 6)
    || (segment === 7 && n <= 2) || (segment !== 0 && segment !== 6 && segment !== 7 && n > 0 && n <= 2);
  let i = 0, value = 0, ndigits = 0, fracDigits = 0, j = 0, justTime = false, yearSign = 0;
  let zone: string | undefined;
  if (s[0] === "-" || s[0] === "+") { yearSign = s[0] === "-" ? -1 : 1; j = 1; }
  const close = (): boolean => {
    if (!valid(i, ndigits)) return false;
    seg[i] = value; value = 0; ndigits = 0; i++;
    return true;
  };
  for (; j < s.length; j++) {
    const b = s[j]!;
    const dgt = s.charCodeAt(j) - 48;
    if (dgt >= 0 && dgt <= 9) {
      if (i === 6) fracDigits++;
      if (i !== 6 || ndigits < 6) value = value * 10 + dgt;
      ndigits++;
      continue;
    }
    if (j === 0 && b === "T") { justTime = true; i += 3; }
    else if (i < 2) {
      if (b === "-") { if (!close()) return undefined; }
      else if (i === 0 && b === ":" && yearSign === 0) {
        justTime = true;
        if (!valid(3, ndigits)) return undefined;
        seg[3] = value; value = 0; ndigits = 0; i = 4;
      } else return undefined;
    } else if (i === 2) {
      if (b === " " || b === "T") { if (!close()) return undefined; } else return undefined;
    } else if (i === 3 || i === 4) {
      if (b === ":") { if (!close()) return undefined; } else return undefined;
    } else if (i === 5 || i === 6) {
      if (b === "." && i === 5) { if (!close()) return undefined; }
      else {
        if (!close()) return undefined;
        zone = s.slice(j);
        j = s.length - 1;
      }
      if (i === 6 && b !== ".") i++;
    } else {
      if (i < seg.length && (b === ":" || b === " ")) { if (!close()) return undefined; } else return undefined;
    }
  }
  if (!valid(i, ndigits)) return undefined;
  seg[i] = value;
  let us = seg[6]!;
  for (let k = Math.min(fracDigits, 6); k < 6; k++) us *= 10;
  let zoneId: string | undefined;
  if (zone !== undefined) {
    zoneId = resolveZoneId(zone.trim());
    if (zoneId === undefined) return undefined;
  }
  return { y: seg[0]! * (yearSign || 1), mo: seg[1]!, d: seg[2]!, h: seg[3]!, mi: seg[4]!, s: seg[5]!, us, zone: zoneId, justTime };
}

/** The local wall time (microseconds since the local epoch) of parsed fields; undefined when a field is out of range. */
function fieldsToLocalMicros(f: TimestampFields, tz: string): number | undefined {
  if (f.h > 23 || f.mi > 59 || f.s > 59) return undefined;
  let days: number;
  if (f.justTime) {
    days = Math.floor(utcToLocalMicros(Date.now() * 1000, f.zone ?? tz) / MICROS_PER_DAY);
  } else {
    if (!validYmd(f.y, f.mo, f.d)) return undefined;
    days = daysFromCivil(f.y, f.mo, f.d);
  }
  return days * MICROS_PER_DAY + ((f.h * 60 + f.mi) * 60 + f.s) * 1_000_000 + f.us;
}

/** Spark's string-to-timestamp cast, in `tz` unless the text carries a zone; null when invalid. */
export function stringToTimestamp(s: string, tz: string): number | null {
  const f = parseTimestampFields(s);
  if (f === undefined) return null;
  const zone = f.zone ?? tz;
  const local = fieldsToLocalMicros(f, zone);
  return local === undefined ? null : localToUtcMicros(local, zone);
}

/** Spark's string-to-TIMESTAMP_NTZ cast: the wall time, a zone in the text checked and ignored. */
export function stringToTimestampNtz(s: string): number | null {
  const f = parseTimestampFields(s);
  if (f === undefined || f.justTime) return null;
  return fieldsToLocalMicros(f, "UTC") ?? null;
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

/** A TIMESTAMP_NTZ literal's wall time; throws on invalid text. */
export function parseTimestampNtzLiteral(s: string): number {
  const v = stringToTimestampNtz(s);
  if (v === null) throw new RangeError(`invalid timestamp '${s}'`);
  return v;
}

/** The function a `TIMESTAMP '...'` literal becomes: its text read in the session time zone when the query runs. */
export const TIMESTAMP_LITERAL_FUNCTION = "__timestamp_literal";

const pad = (n: number, w = 2): string => (n < 0 ? "-" + String(-n).padStart(w, "0") : String(n).padStart(w, "0"));
/** A year as Java prints `yyyy` (SignStyle.EXCEEDS_PAD): `0044`, `-0044`, `+12345`. */
function yearText(y: number, w = 4): string {
  if (y < 0) return "-" + String(-y).padStart(w, "0");
  const t = String(y).padStart(w, "0");
  return t.length > w ? "+" + t : t;
}

/** `yyyy-MM-dd`. */
export function formatDate(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${yearText(y)}-${pad(m)}-${pad(d)}`;
}

/** Spark's timestamp-to-string cast: `2024-01-31 12:00:00` with the fraction trimmed of trailing zeros. */
export function formatTimestamp(micros: number, tz: string): string {
  const local = utcToLocalMicros(micros, tz);
  const days = Math.floor(local / MICROS_PER_DAY);
  const tod = local - days * MICROS_PER_DAY;
  const secs = Math.floor(tod / 1_000_000), us = tod - secs * 1_000_000;
  const base = `${formatDate(days)} ${pad(Math.floor(secs / 3600))}:${pad(Math.floor(secs / 60) % 60)}:${pad(secs % 60)}`;
  return us === 0 ? base : `${base}.${String(us).padStart(6, "0").replace(/0+$/, "")}`;
}

// ---- Spark datetime patterns ------------------------------------------------------------------
/**
 * A compiled pattern element. Numbers carry Java's `NumberPrinterParser` widths and sign style, and the width of
 * the fixed-width numbers right after them (adjacent value parsing: `yyyyMMdd`).
 */
type PatternPart =
  | { readonly kind: "literal"; readonly text: string }
  | { readonly kind: "number"; readonly field: string; readonly count: number; readonly min: number; readonly max: number; readonly sign: "normal" | "notNegative" | "exceedsPad" | "reduced"; subsequent: number }
  | { readonly kind: "fraction"; readonly count: number; readonly min: number; readonly max: number }
  | { readonly kind: "text"; readonly field: string; readonly count: number }
  | { readonly kind: "zone"; readonly field: string; readonly count: number }
  | { readonly kind: "optional"; readonly parts: PatternPart[] };

/** `yearOfEra`: the pattern has an era (`G`), so `y` is the year of the era, not the proleptic year (as Spark). */
interface CompiledPattern { readonly parts: readonly PatternPart[]; readonly yearOfEra: boolean }

const patternCache = new Map<string, CompiledPattern>();
const parsePatternCache = new Map<string, CompiledPattern>();

/** Letters of Java 8's SimpleDateFormat: a pattern it accepts that Spark 3+ rejects is an upgrade error in Spark. */
const LEGACY_LETTERS = "GyYMLwWDdFEuaHkKhmsSzZX";
const WEEK_BASED = "YWwuec";
const UNSUPPORTED = "ABnNp";
const UNSUPPORTED_FOR_PARSING = "EFqQ";
const KNOWN = "GuyDMLdQqYwWEecFahKkHmsSAnNVzOXxZp";

function patternError(pattern: string, reason: string, legacyOk: boolean): SluiceError {
  if (legacyOk) {
    return new SluiceError("INCONSISTENT_BEHAVIOR_CROSS_VERSION",
      `[INCONSISTENT_BEHAVIOR_CROSS_VERSION.DATETIME_PATTERN_RECOGNITION] Fail to recognize '${pattern}' pattern in the DateTimeFormatter (${reason}). Set "spark.sql.legacy.timeParserPolicy" to "LEGACY" to restore the behavior before Spark 3.0, or form a valid datetime pattern with the guide from 'https://spark.apache.org/docs/latest/sql-ref-datetime-pattern.html'.`,
      { params: { subClass: "DATETIME_PATTERN_RECOGNITION", pattern, config: "spark.sql.legacy.timeParserPolicy" } });
  }
  return new SluiceError("INVALID_DATETIME_PATTERN", `[INVALID_DATETIME_PATTERN.WITH_SUGGESTION] Unrecognized datetime pattern: '${pattern}' (${reason}).`,
    { params: { subClass: "WITH_SUGGESTION", pattern } });
}

/** Whether Java 8's SimpleDateFormat would accept the pattern (Spark then reports an upgrade error). */
function legacyAccepts(pattern: string): boolean {
  let quoted = false;
  for (const c of pattern) {
    if (c === "'") { quoted = !quoted; continue; }
    if (!quoted && /[a-zA-Z]/.test(c) && !LEGACY_LETTERS.includes(c)) return false;
  }
  return !quoted;
}

/**
 * Compiles a Spark datetime pattern as Spark's `DateTimeFormatterHelper` builds its `DateTimeFormatter`, with
 * Spark's checks (week-based letters, unsupported letters and lengths); throws Spark's pattern errors.
 */
export function compilePattern(pattern: string, forParsing = false): CompiledPattern {
  const cache = forParsing ? parsePatternCache : patternCache;
  const cached = cache.get(pattern);
  if (cached) return cached;
  const root: PatternPart[] = [];
  // Optional sections (`[.SSS]`) nest: each has its own parts and its own adjacent-value state, as in Java.
  const stack: { parts: PatternPart[]; active: number }[] = [{ parts: root, active: -1 }];
  let parts = root;
  let active = -1; // the number parser collecting the widths of fixed-width numbers after it
  const fail = (reason: string): never => { throw patternError(pattern, reason, legacyAccepts(pattern)); };
  const addNumber = (field: string, count: number, min: number, max: number, sign: "normal" | "notNegative" | "exceedsPad" | "reduced"): void => {
    const p = { kind: "number" as const, field, count, min, max, sign, subsequent: 0 };
    const fixedWidth = min === max && (sign === "notNegative" || sign === "reduced");
    if (active >= 0 && fixedWidth) {
      (parts[active] as { subsequent: number }).subsequent += max;
      parts.push(p);
    } else {
      parts.push(p);
      active = parts.length - 1;
    }
  };
  const addOther = (p: PatternPart): void => { parts.push(p); active = -1; };
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'") {
      let j = i + 1, text = "";
      for (;;) {
        if (j >= pattern.length) fail("unterminated quote");
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") { text += "'"; j += 2; continue; }
          break;
        }
        text += pattern[j++];
      }
      addOther({ kind: "literal", text: j === i + 1 ? "'" : text });
      i = j + 1;
      continue;
    }
    if (c === "[") {
      const inner: PatternPart[] = [];
      parts.push({ kind: "optional", parts: inner });
      stack[stack.length - 1]!.active = -1;
      stack.push({ parts: inner, active: -1 });
      parts = inner; active = -1;
      i++;
      continue;
    }
    if (c === "]") {
      if (stack.length === 1) fail("Pattern invalid as it contains ] without previous [");
      stack.pop();
      parts = stack[stack.length - 1]!.parts; active = -1;
      i++;
      continue;
    }
    if (!/[a-zA-Z]/.test(c)) {
      if (c === "{" || c === "}" || c === "#") fail(`Pattern includes reserved character: '${c}'`);
      addOther({ kind: "literal", text: c });
      i++;
      continue;
    }
    let j = i;
    while (pattern[j] === c) j++;
    const n = j - i;
    i = j;
    if (WEEK_BASED.includes(c)) fail(`all week-based patterns are unsupported since Spark 3.0, detected: ${c}`);
    if (UNSUPPORTED.includes(c) || (forParsing && UNSUPPORTED_FOR_PARSING.includes(c))) fail(`Illegal pattern character: ${c}`);
    if (!KNOWN.includes(c)) fail(`Unknown pattern letter: ${c}`);
    if (n >= 5 && "GMLEQq".includes(c)) fail(`Too many pattern letters: ${c}`);
    const tooMany = (max: number): void => { if (n > max) fail(`Too many pattern letters: ${c}`); };
    switch (c) {
      case "y": case "u":
        if (n >= 7) fail(`Too many pattern letters: ${c}`);
        if (n === 2) addNumber("y", n, 2, 2, "reduced");
        else if (n < 4) addNumber("y", n, n, 19, "normal");
        else addNumber("y", n, n, 19, "exceedsPad");
        break;
      case "M": case "L":
        if (n >= 3) addOther({ kind: "text", field: "M", count: n });
        else if (n === 2) addNumber("M", n, 2, 2, "notNegative");
        else addNumber("M", n, 1, 19, "normal");
        break;
      case "d": case "h": case "H": case "k": case "K": case "m": case "s":
        tooMany(2);
        if (n === 2) addNumber(c, n, 2, 2, "notNegative"); else addNumber(c, n, 1, 19, "normal");
        break;
      case "D":
        tooMany(3);
        if (n === 1) addNumber("D", n, 1, 19, "normal");
        else if (n === 2) addNumber("D", n, 2, 3, "notNegative");
        else addNumber("D", n, 3, 3, "notNegative");
        break;
      case "S":
        if (forParsing) addOther({ kind: "fraction", count: n, min: 1, max: n });
        else addOther({ kind: "fraction", count: n, min: n, max: n });
        break;
      case "Q": case "q":
        if (n <= 2) addNumber("Q", n, n, n === 1 ? 19 : 2, n === 1 ? "normal" : "notNegative");
        else addOther({ kind: "text", field: "Q", count: n });
        break;
      case "a": tooMany(1); addOther({ kind: "text", field: "a", count: n }); break;
      case "E": addOther({ kind: "text", field: "E", count: n }); break;
      case "G": addOther({ kind: "text", field: "G", count: n }); break;
      case "F": tooMany(1); addNumber("F", n, 1, 19, "normal"); break;
      case "V": if (n !== 2) fail("Pattern letter count must be 2: V"); addOther({ kind: "zone", field: "V", count: n }); break;
      case "z": tooMany(4); addOther({ kind: "zone", field: "z", count: n }); break;
      case "O": if (n !== 1 && n !== 4) fail("Pattern letter count must be 1 or 4: O"); addOther({ kind: "zone", field: "O", count: n }); break;
      case "X": case "x": tooMany(5); addOther({ kind: "zone", field: c, count: n }); break;
      case "Z": tooMany(5); addOther({ kind: "zone", field: "Z", count: n }); break;
    }
  }
  const compiled = { parts: root, yearOfEra: pattern.split("'").some((x, k) => k % 2 === 0 && x.includes("G")) };
  cache.set(pattern, compiled);
  return compiled;
}

/** Checks a pattern as Spark does when it builds the formatter (an invalid one fails the query). */
export function checkPattern(pattern: string, forParsing: boolean): void {
  compilePattern(pattern, forParsing);
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** What a successful parse found: Java's parsed fields before resolving (undefined = absent). */
interface Parsed {
  y?: number; M?: number; d?: number; D?: number; H?: number; k?: number; K?: number; h?: number; a?: number; m?: number; s?: number;
  nano?: number; offsetMs?: number; zone?: string; Q?: number; G?: number; F?: number;
}

/** Why a text did not parse, in Java's words ("could not be parsed at index 5"). */
export class DatetimeParseFailure {
  constructor(readonly message: string) {}
}

function parseNumber(p: Extract<PatternPart, { kind: "number" }>, s: string, pos: number): [number, number] | number {
  const len = s.length;
  if (pos >= len) return ~pos;
  const start = pos;
  let negative = false, positive = false;
  const ch = s[pos];
  if (ch === "+" || ch === "-") {
    const plus = ch === "+";
    const ok = p.sign === "exceedsPad" ? true : p.sign === "normal" ? !plus : false;
    if (!ok) return ~pos;
    if (plus) positive = true; else negative = true;
    pos++;
  }
  const minEnd = pos + p.min;
  if (minEnd > len) return ~start;
  let effMax = p.max + Math.max(p.subsequent, 0);
  let total = 0, q = pos;
  for (let pass = 0; pass < 2; pass++) {
    const maxEnd = Math.min(q + effMax, len);
    while (q < maxEnd) {
      const dgt = s.charCodeAt(q) - 48;
      if (dgt < 0 || dgt > 9) break;
      total = total * 10 + dgt;
      q++;
    }
    if (q < minEnd) return ~start;
    if (p.subsequent > 0 && pass === 0) {
      effMax = Math.max(p.min, q - pos - p.subsequent);
      q = pos; total = 0;
    } else break;
  }
  const parsedLen = q - pos;
  if (negative) {
    if (total === 0) return ~start;
    total = -total;
  } else if (p.sign === "exceedsPad") {
    if (positive ? parsedLen <= p.min : parsedLen > p.min) return ~start;
  }
  if (parsedLen > 18 && !Number.isSafeInteger(total)) return ~start;
  if (p.sign === "reduced") total = 2000 + total;
  return [total, q];
}

function matchWord(s: string, pos: number, words: readonly string[]): [number, number] | undefined {
  let best = -1, bestLen = 0;
  for (let k = 0; k < words.length; k++) {
    const w = words[k]!;
    if (w.length > bestLen && s.length - pos >= w.length && s.slice(pos, pos + w.length).toLowerCase() === w.toLowerCase()) { best = k; bestLen = w.length; }
  }
  return best < 0 ? undefined : [best, pos + bestLen];
}

/** Parses `+HH`, `+HHmm`, `+HH:mm` ... as Java's `OffsetIdPrinterParser` for the pattern; [offsetMs, end] or a failure. */
function parseOffset(s: string, pos: number, style: string, zeroText: string): [number, number] | number {
  if (zeroText.length > 0 && s.startsWith(zeroText, pos)) return [0, pos + zeroText.length];
  const sign = s[pos];
  if (sign !== "+" && sign !== "-") return ~pos;
  const two = (at: number): number => {
    const a = s.charCodeAt(at) - 48, b = s.charCodeAt(at + 1) - 48;
    return at + 1 < s.length && a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
  };
  let q = pos + 1;
  const hh = two(q);
  if (hh < 0) return ~pos;
  q += 2;
  let mm = 0, ss = 0;
  const colon = style.includes(":");
  const readPart = (required: boolean): number | undefined => {
    let at = q;
    if (colon) { if (s[at] !== ":") return required ? undefined : -1; at++; }
    const v = two(at);
    if (v < 0) return required ? undefined : -1;
    q = at + 2;
    return v;
  };
  // style: +HH, +HHmm (minutes optional), +HHMM, +HH:mm, +HH:MM, +HHMMss, +HH:MM:ss, +HHMMSS, +HH:MM:SS
  if (style !== "+HH") {
    const minutesRequired = /MM/.test(style);
    const m = readPart(minutesRequired);
    if (m === undefined) return ~pos;
    if (m >= 0) {
      mm = m;
      if (/ss|SS/.test(style)) {
        const sec = readPart(/SS/.test(style));
        if (sec === undefined) return ~pos;
        if (sec >= 0) ss = sec;
      }
    }
  }
  if (hh > 18 || mm > 59 || ss > 59) return ~pos;
  const v = (hh * 3600 + mm * 60 + ss) * 1000;
  return [sign === "-" ? -v : v, q];
}

const X_STYLES = ["+HHmm", "+HHMM", "+HH:MM", "+HHMMss", "+HH:MM:ss"];
const X_ONE = "+HHmm";

function offsetStyle(field: string, count: number): { style: string; zero: string } | "localized" {
  switch (field) {
    case "X": return { style: count === 1 ? X_ONE : X_STYLES[count - 1]!, zero: "Z" };
    case "x": return { style: count === 1 ? X_ONE : X_STYLES[count - 1]!, zero: count === 1 ? "+00" : count === 3 || count === 5 ? "+00:00" : "+0000" };
    case "Z": return count <= 3 ? { style: "+HHMM", zero: "+0000" } : count === 4 ? "localized" : { style: "+HH:MM:ss", zero: "Z" };
    default: return "localized";
  }
}

function parseLocalizedOffset(s: string, pos: number): [number, number] | number {
  if (!s.slice(pos, pos + 3).toUpperCase().startsWith("GMT")) return ~pos;
  const q = pos + 3;
  const sign = s[q];
  if (sign !== "+" && sign !== "-") return [0, q];
  const m = /^(\d{1,2})(?::(\d{2})(?::(\d{2}))?)?/.exec(s.slice(q + 1));
  if (!m) return [0, q];
  const v = (Number(m[1]) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) * 1000;
  return [sign === "-" ? -v : v, q + 1 + m[0].length];
}

function parseZoneText(s: string, pos: number): [string, number] | number {
  const m = /^[A-Za-z][A-Za-z0-9~/._+-]*/.exec(s.slice(pos));
  if (!m) return ~pos;
  // The longest prefix that is a zone id.
  for (let len = m[0].length; len > 0; len--) {
    const id = m[0].slice(0, len);
    if (/[+-]$/.test(id)) continue;
    const z = resolveZoneId(id);
    if (z !== undefined) return [z, pos + len];
  }
  return ~pos;
}

/** Runs the compiled parsers over the whole text; the parsed fields or a failure with Java's message. */
function parseFields(s: string, pattern: string): Parsed | DatetimeParseFailure {
  const { parts } = compilePattern(pattern, true);
  const out: Parsed = {};
  let pos = 0;
  const failAt = (at: number): DatetimeParseFailure => new DatetimeParseFailure(`Text '${s}' could not be parsed at index ${at}`);
  const set = (field: keyof Parsed, v: number | string): boolean => {
    const old = out[field];
    if (old !== undefined && old !== v) return false;
    (out as Record<string, unknown>)[field] = v;
    return true;
  };
  const run = (list: readonly PatternPart[]): DatetimeParseFailure | undefined => {
    for (const p of list) {
      switch (p.kind) {
        case "optional": {
          const saved = { ...out }, savedPos = pos;
          if (run(p.parts) !== undefined) {
            for (const k of Object.keys(out)) delete (out as Record<string, unknown>)[k];
            Object.assign(out, saved);
            pos = savedPos;
          }
          break;
        }
        case "literal": {
          if (s.length - pos < p.text.length || s.slice(pos, pos + p.text.length).toLowerCase() !== p.text.toLowerCase()) return failAt(pos);
          pos += p.text.length;
          break;
        }
        case "number": {
          const r = parseNumber(p, s, pos);
          if (typeof r === "number") return failAt(~r);
          if (!set(p.field as keyof Parsed, r[0])) return new DatetimeParseFailure(`Text '${s}' could not be parsed: conflicting ${p.field}`);
          pos = r[1];
          break;
        }
        case "fraction": {
          let q = pos, nano = 0, scale = 100_000_000;
          while (q < s.length && q - pos < p.max) {
            const dgt = s.charCodeAt(q) - 48;
            if (dgt < 0 || dgt > 9) break;
            nano += dgt * scale; scale /= 10; q++;
          }
          if (q - pos < p.min) return failAt(pos);
          out.nano = Math.round(nano);
          pos = q;
          break;
        }
        case "text": {
          let words: string[];
          switch (p.field) {
            case "M": words = p.count === 3 ? MONTHS.map((m) => m.slice(0, 3)) : MONTHS; break;
            case "a": words = ["AM", "PM"]; break;
            case "G": words = p.count === 4 ? ["Before Christ", "Anno Domini"] : ["BC", "AD"]; break;
            case "Q": words = p.count === 3 ? ["Q1", "Q2", "Q3", "Q4"] : ["1st quarter", "2nd quarter", "3rd quarter", "4th quarter"]; break;
            default: words = p.count === 4 ? DAYS : DAYS.map((d) => d.slice(0, 3));
          }
          const r = matchWord(s, pos, words);
          if (r === undefined) return failAt(pos);
          const field = p.field === "M" ? "M" : p.field === "a" ? "a" : p.field === "G" ? "G" : "Q";
          set(field, p.field === "a" || p.field === "G" ? r[0] : r[0] + 1);
          pos = r[1];
          break;
        }
        case "zone": {
          if (p.field === "V" || p.field === "z") {
            const r = parseZoneText(s, pos);
            if (typeof r === "number") return failAt(~r);
            out.zone = r[0];
            pos = r[1];
            break;
          }
          const style = p.field === "O" ? "localized" : offsetStyle(p.field, p.count);
          const r = style === "localized" ? parseLocalizedOffset(s, pos) : parseOffset(s, pos, style.style, style.zero);
          if (typeof r === "number") return failAt(~r);
          out.offsetMs = r[0];
          pos = r[1];
          break;
        }
      }
    }
    return undefined;
  };
  const failure = run(parts);
  if (failure !== undefined) return failure;
  if (pos !== s.length) return new DatetimeParseFailure(`Text '${s}' could not be parsed, unparsed text found at index ${pos}`);
  return out;
}

/** Resolves parsed fields as Java's STRICT resolver and Spark's defaults (1970-01-01, midnight); local micros. */
function resolveParsed(s: string, f: Parsed): number | DatetimeParseFailure {
  const bad = (what: string): DatetimeParseFailure => new DatetimeParseFailure(`Text '${s}' could not be parsed: ${what}`);
  const range = (v: number | undefined, lo: number, hi: number, name: string): DatetimeParseFailure | undefined =>
    (v !== undefined && (v < lo || v > hi) ? bad(`Invalid value for ${name} (valid values ${lo} - ${hi}): ${v}`) : undefined);
  const r = range(f.M, 1, 12, "MonthOfYear") ?? range(f.d, 1, 31, "DayOfMonth") ?? range(f.D, 1, 366, "DayOfYear")
    ?? range(f.H, 0, 23, "HourOfDay") ?? range(f.k, 1, 24, "ClockHourOfDay") ?? range(f.K, 0, 11, "HourOfAmPm")
    ?? range(f.h, 1, 12, "ClockHourOfAmPm") ?? range(f.m, 0, 59, "MinuteOfHour") ?? range(f.s, 0, 59, "SecondOfMinute")
    ?? range(f.Q, 1, 4, "QuarterOfYear");
  if (r) return r;
  let year = f.y ?? 1970;
  if (f.G === 0 && f.y !== undefined) year = 1 - f.y;
  let days: number;
  if (f.D !== undefined) {
    if (f.D === 366 && !isLeapYear(year)) return bad(`Invalid date 'DayOfYear 366' as '${year}' is not a leap year`);
    days = daysFromCivil(year, 1, 1) + f.D - 1;
    const [, mo, d] = civilFromDays(days);
    if ((f.M !== undefined && f.M !== mo) || (f.d !== undefined && f.d !== d)) return bad("conflicting day of year");
  } else {
    const mo = f.M ?? 1, d = f.d ?? 1;
    if (!validYmd(year, mo, d)) {
      return bad(d === 29 && mo === 2 ? `Invalid date 'February 29' as '${year}' is not a leap year` : `Invalid date '${MONTHS[mo - 1]!.toUpperCase()} ${d}'`);
    }
    days = daysFromCivil(year, mo, d);
  }
  if (f.Q !== undefined && f.M !== undefined && Math.floor((f.M - 1) / 3) + 1 !== f.Q) return bad("conflicting quarter");
  let hour: number;
  let hod = f.H;
  if (f.k !== undefined) {
    const v = f.k === 24 ? 0 : f.k;
    if (hod !== undefined && hod !== v) return bad("conflicting hour");
    hod = v;
  }
  let hoa = f.K;
  if (f.h !== undefined) {
    const v = f.h === 12 ? 0 : f.h;
    if (hoa !== undefined && hoa !== v) return bad("conflicting hour");
    hoa = v;
  }
  if (hoa !== undefined && f.a !== undefined) {
    const v = f.a * 12 + hoa;
    if (hod !== undefined && hod !== v) return bad("conflicting hour");
    hod = v;
  }
  if (hod !== undefined) {
    if (f.a !== undefined && hoa === undefined && Math.floor(hod / 12) !== f.a) return bad("conflicting am/pm");
    hour = hod;
  } else if (hoa !== undefined) hour = hoa;
  else if (f.a === 1) hour = 12;
  else hour = 0;
  const us = Math.floor((f.nano ?? 0) / 1000);
  return days * MICROS_PER_DAY + ((hour * 60 + (f.m ?? 0)) * 60 + (f.s ?? 0)) * 1_000_000 + us;
}

/**
 * Parses `s` with a Spark pattern as Spark 4's DateTimeFormatter-based parser does: strict widths and ranges, the
 * whole text, a zone or offset from the text or else `tz` (gaps and overlaps resolved as Java's `ZonedDateTime`).
 * Microseconds since the epoch, or a failure saying why; throws Spark's error for an invalid pattern.
 */
export function parseWithPatternOrFailure(s: string, pattern: string, tz: string): number | DatetimeParseFailure {
  const f = parseFields(s, pattern);
  if (f instanceof DatetimeParseFailure) return f;
  const local = resolveParsed(s, f);
  if (local instanceof DatetimeParseFailure) return local;
  if (f.offsetMs !== undefined) return local - f.offsetMs * 1000;
  return localToUtcMicros(local, f.zone ?? tz);
}

/** Parses `s` with a Spark pattern into microseconds (UTC); null when it does not match (Spark's non-ANSI result). */
export function parseWithPattern(s: string, pattern: string, tz: string): number | null {
  const v = parseWithPatternOrFailure(s, pattern, tz);
  return v instanceof DatetimeParseFailure ? null : v;
}

function offsetText(offsetMs: number, style: string, zero: string): string {
  if (offsetMs === 0 && zero.length > 0) return zero;
  const sign = offsetMs < 0 ? "-" : "+";
  const total = Math.abs(offsetMs) / 1000;
  const hh = Math.floor(total / 3600), mm = Math.floor(total / 60) % 60, ss = Math.floor(total) % 60;
  const colon = style.includes(":") ? ":" : "";
  let out = sign + pad(hh);
  if (style === "+HH") return out;
  if (style === "+HHmm" || style === "+HH:mm") return mm === 0 && ss === 0 ? out : out + colon + pad(mm);
  out += colon + pad(mm);
  if (/ss/.test(style)) return ss === 0 ? out : out + colon + pad(ss);
  if (/SS/.test(style)) return out + colon + pad(ss);
  return out;
}

function localizedOffset(offsetMs: number, full: boolean): string {
  if (offsetMs === 0) return "GMT";
  const sign = offsetMs < 0 ? "-" : "+";
  const total = Math.abs(offsetMs) / 1000;
  const hh = Math.floor(total / 3600), mm = Math.floor(total / 60) % 60, ss = Math.floor(total) % 60;
  if (full) return `GMT${sign}${pad(hh)}:${pad(mm)}${ss ? `:${pad(ss)}` : ""}`;
  return `GMT${sign}${hh}${mm || ss ? `:${pad(mm)}` : ""}${ss ? `:${pad(ss)}` : ""}`;
}

function shortZoneName(tz: string, epochMs: number): string {
  if (fixedOffsetMs(tz) !== undefined) return tz === "UTC" || tz === "GMT" || tz === "Z" ? "UTC" : tz;
  try {
    const parts = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "short" }).formatToParts(new Date(epochMs));
    return parts.find((p) => p.type === "timeZoneName")?.value ?? tz;
  } catch { return tz; }
}

/** Formats microseconds with a Spark pattern in `tz`, as Spark's DateTimeFormatter; throws for an invalid pattern. */
export function formatWithPattern(micros: number, pattern: string, tz: string): string {
  const { parts, yearOfEra } = compilePattern(pattern, false);
  const ms = Math.floor(micros / 1000);
  const offset = zoneOffsetMs(tz, ms);
  const local = micros + offset * 1000;
  const days = Math.floor(local / MICROS_PER_DAY);
  const tod = local - days * MICROS_PER_DAY;
  const [year, mo, d] = civilFromDays(days);
  const y = year;
  const secs = Math.floor(tod / 1_000_000), us = tod - secs * 1_000_000;
  const H = Math.floor(secs / 3600), mi = Math.floor(secs / 60) % 60, se = secs % 60;
  let out = "";
  const emit = (list: readonly PatternPart[]): void => {
    for (const p of list) {
      switch (p.kind) {
        case "optional": emit(p.parts); break;
        case "literal": out += p.text; break;
        case "fraction": out += String(us).padStart(6, "0").padEnd(9, "0").slice(0, p.count).padEnd(p.count, "0"); break;
        case "number": {
          const w = p.count;
          switch (p.field) {
            case "y": {
              const y = yearOfEra && year <= 0 ? 1 - year : year;
              if (w === 2) out += pad(((y % 100) + 100) % 100);
              else out += w >= 4 ? yearText(y, w) : pad(y, w);
              break;
            }
            case "M": out += pad(mo, w); break;
            case "d": out += pad(d, w); break;
            case "D": out += pad(days - daysFromCivil(y, 1, 1) + 1, w); break;
            case "H": out += pad(H, w); break;
            case "k": out += pad(H || 24, w); break;
            case "h": out += pad(H % 12 || 12, w); break;
            case "K": out += pad(H % 12, w); break;
            case "m": out += pad(mi, w); break;
            case "s": out += pad(se, w); break;
            case "Q": out += pad(Math.floor((mo - 1) / 3) + 1, w); break;
            case "F": out += String(Math.floor((d - 1) / 7) + 1); break;
          }
          break;
        }
        case "text":
          switch (p.field) {
            case "M": out += p.count === 3 ? MONTHS[mo - 1]!.slice(0, 3) : MONTHS[mo - 1]; break;
            case "a": out += H < 12 ? "AM" : "PM"; break;
            case "G": out += p.count === 4 ? (y > 0 ? "Anno Domini" : "Before Christ") : y > 0 ? "AD" : "BC"; break;
            case "Q": { const q = Math.floor((mo - 1) / 3) + 1; out += p.count === 3 ? `Q${q}` : ["1st", "2nd", "3rd", "4th"][q - 1] + " quarter"; break; }
            default: { const name = DAYS[isoDayOfWeek(days) - 1]!; out += p.count === 4 ? name : name.slice(0, 3); }
          }
          break;
        case "zone": {
          if (p.field === "V") { out += tz; break; }
          if (p.field === "z") { out += p.count === 4 ? tz : shortZoneName(tz, ms); break; }
          if (p.field === "O") { out += localizedOffset(offset, p.count === 4); break; }
          const style = offsetStyle(p.field, p.count);
          out += style === "localized" ? localizedOffset(offset, true) : offsetText(offset, style.style, style.zero);
          break;
        }
      }
    }
  };
  emit(parts);
  return out;
}

export function microsToDays(micros: number, tz: string): number {
  return Math.floor(utcToLocalMicros(micros, tz) / MICROS_PER_DAY);
}
export function daysToMicros(days: number, tz: string): number {
  return localToUtcMicros(days * MICROS_PER_DAY, tz);
}
