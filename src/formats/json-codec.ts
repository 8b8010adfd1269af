/**
 * JSON values ↔ internal values for a schema, with Spark's JSON data source semantics: numbers and
 * booleans read into string fields as their text, objects into string fields as raw JSON, timestamps via
 * `timestampFormat` (or Spark's lenient cast), and a field that does not fit its type nulled while the
 * record is marked malformed (Spark 3's partial results).
 */
import type { DataType, StructType } from "../types/data-type.js";
import { DEFAULT_TIMESTAMP_FORMAT, formatDate, formatWithPattern, parseWithPattern, stringToDate, stringToTimestamp } from "../types/datetime.js";
import { formatDouble, formatFloat } from "../types/value-format.js";
import { fitsPrecision, javaBigDecimalText, pow10, textToUnscaled } from "../types/decimal.js";
import type { CalendarInterval } from "../types/calendar-interval.js";
import { formatInterval } from "../types/calendar-interval.js";

export interface JsonOptions {
  readonly timeZone: string;
  readonly timestampFormat?: string | undefined;
  readonly dateFormat?: string | undefined;
  /** `to_json`: drop null fields (Spark's `ignoreNullFields`, default true). */
  readonly ignoreNullFields?: boolean;
}

/**
 * Result of converting one record: the value, whether some field had to be nulled, and whether a long field met an
 * integer JSON.parse could not hold exactly (the record is then parsed again from its source text).
 */
export interface Converted { value: unknown; bad: boolean; inexact?: boolean }

type Conv = (v: unknown, state: Converted) => unknown;

const mismatch = (state: Converted): null => { state.bad = true; return null; };

export function jsonConverter(t: DataType, o: JsonOptions): Conv {
  switch (t.kind) {
    case "string":
      return (v) => (typeof v === "string" ? v : v instanceof JsonNumber ? v.text : typeof v === "object" ? JSON.stringify(v) : String(v));
    case "boolean":
      return (v, s) => (typeof v === "boolean" ? v : mismatch(s));
    case "byte": case "short": case "integer": {
      const [lo, hi] = t.kind === "byte" ? [-128, 127] : t.kind === "short" ? [-32768, 32767] : [-2147483648, 2147483647];
      return (v, s) => (typeof v === "number" && Number.isInteger(v) && v >= lo && v <= hi ? v : mismatch(s));
    }
    case "long":
      return (v, s) => {
        if (typeof v === "number" && Number.isInteger(v)) {
          if (Number.isSafeInteger(v)) return v;
          s.inexact = true;
          return null;
        }
        return typeof v === "bigint" ? v : mismatch(s);
      };
    case "float": case "double":
      return (v, s) => {
        if (v instanceof JsonNumber) v = Number(v.text);
        if (typeof v === "number") return t.kind === "float" ? Math.fround(v) : v;
        if (typeof v === "bigint") return t.kind === "float" ? Math.fround(Number(v)) : Number(v);
        if (v === "NaN") return NaN;
        if (v === "Infinity" || v === "+Infinity" || v === "+INF" || v === "INF") return Infinity;
        if (v === "-Infinity" || v === "-INF") return -Infinity;
        return mismatch(s);
      };
    case "decimal":
      return (v, s) => {
        let u: bigint | null;
        if (v instanceof JsonNumber) u = textToUnscaled(v.text, t.scale);
        else if (typeof v === "number") {
          // JSON.parse may have rounded the digits: only safe integers are taken as they are; otherwise read exactly.
          if (!Number.isSafeInteger(v)) { s.inexact = true; return null; }
          u = BigInt(v) * pow10(t.scale);
        } else if (typeof v === "bigint") u = v * pow10(t.scale);
        else if (typeof v === "string") u = textToUnscaled(v, t.scale);
        else u = null;
        return u === null || !fitsPrecision(u, t.precision) ? mismatch(s) : u;
      };
    case "timestamp": case "timestamp_ntz": {
      const tz = t.kind === "timestamp" ? o.timeZone : "UTC";
      const fmt = o.timestampFormat;
      return (v, s) => {
        if (typeof v === "number") return Number.isSafeInteger(v * 1_000_000) ? v * 1_000_000 : mismatch(s);
        if (typeof v !== "string") return mismatch(s);
        return (fmt !== undefined ? parseWithPattern(v, fmt, tz) : stringToTimestamp(v, tz)) ?? mismatch(s);
      };
    }
    case "date": {
      const fmt = o.dateFormat;
      return (v, s) => {
        if (typeof v !== "string") return mismatch(s);
        if (fmt === undefined) return stringToDate(v) ?? mismatch(s);
        const micros = parseWithPattern(v, fmt, "UTC");
        return micros === null ? mismatch(s) : Math.floor(micros / 86_400_000_000);
      };
    }
    case "binary":
      return (v, s) => (typeof v === "string" ? new Uint8Array(Buffer.from(v, "base64")) : mismatch(s));
    case "array": {
      const el = jsonConverter(t.elementType, o);
      return (v, s) => (Array.isArray(v) ? v.map((x) => (x === null ? null : el(x, s))) : mismatch(s));
    }
    case "map": {
      const val = jsonConverter(t.valueType, o);
      return (v, s) => {
        if (typeof v !== "object" || v === null || Array.isArray(v)) return mismatch(s);
        const m = new Map<unknown, unknown>();
        for (const [k, x] of Object.entries(v)) m.set(k, x === null ? null : val(x, s));
        return m;
      };
    }
    case "struct": return structConverter(t, o);
    case "null": return () => null;
    case "interval": return (_v, s) => mismatch(s);
  }
}

function structConverter(t: StructType, o: JsonOptions): Conv {
  const convs = t.fields.map((f) => jsonConverter(f.dataType, o));
  const names = t.fields.map((f) => f.name);
  const n = names.length;
  return (v, s) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return mismatch(s);
    const rec = v as Record<string, unknown>;
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const x = rec[names[i]!];
      out[i] = x === null || x === undefined ? null : convs[i]!(x, s);
    }
    return out;
  };
}

/** A JSON number kept as its source text, where a double would not hold it exactly (decimals, huge integers). */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/**
 * JSON.parse that keeps numbers exact (from the reviver's source text): integers outside ±2^53 within the 64-bit range
 * become bigints; every other number that is not a plain safe integer becomes a {@link JsonNumber}.
 */
export function parseJsonExact(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) => {
    if (typeof value !== "number" || context?.source === undefined) return value;
    const src = context.source;
    if (/^-?\d+$/.test(src)) {
      if (Number.isSafeInteger(value)) return value;
      const big = BigInt(src);
      return big >= -9223372036854775808n && big <= 9223372036854775807n ? big : new JsonNumber(src);
    }
    return new JsonNumber(src);
  });
}

/**
 * Parses one JSON text into struct rows of `schema`. A top-level array gives one row per element, as in Spark.
 * Returns null when the text is not valid JSON or not an object (the record is malformed as a whole).
 */
export function parseJsonRecords(text: string, conv: Conv, state: Converted): unknown[][] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  state.inexact = false;
  const rows = convertParsed(parsed, conv, state);
  if (!state.inexact) return rows;
  // A long field held an integer beyond 2^53: read the record again keeping its digits exactly.
  state.bad = false;
  state.inexact = false;
  return convertParsed(parseJsonExact(text), conv, state);
}

function convertParsed(parsed: unknown, conv: Conv, state: Converted): unknown[][] | null {
  if (Array.isArray(parsed)) {
    const rows: unknown[][] = [];
    for (const el of parsed) {
      const r = conv(el, state);
      if (r === null) return null;
      rows.push(r as unknown[]);
    }
    return rows;
  }
  if (typeof parsed !== "object" || parsed === null) return null;
  return [conv(parsed, state) as unknown[]];
}


/** JSON text of an internal value of `t`, as `to_json` and the JSON sink write it. */
export function toJsonText(v: unknown, t: DataType, o: JsonOptions): string {
  return JSON.stringify(toJsonValue(v, t, o));
}

/** A JS value whose JSON.stringify is Spark's JSON form; numbers that Java prints differently become raw strings. */
function toJsonValue(v: unknown, t: DataType, o: JsonOptions): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case "float": case "double": {
      const n = v as number;
      if (!Number.isFinite(n)) return formatDouble(n);
      return rawNumber(t.kind === "float" ? formatFloat(n) : formatDouble(n));
    }
    case "long": return typeof v === "bigint" ? rawNumber(v.toString()) : v;
    case "decimal": return rawNumber(javaBigDecimalText(v as bigint, t.scale));
    case "timestamp": return formatWithPattern(v as number, o.timestampFormat ?? DEFAULT_TIMESTAMP_FORMAT, o.timeZone);
    case "timestamp_ntz": return formatWithPattern(v as number, o.timestampFormat ?? "yyyy-MM-dd'T'HH:mm:ss.SSS", "UTC");
    case "date": return o.dateFormat ? formatWithPattern((v as number) * 86_400_000_000, o.dateFormat, "UTC") : formatDate(v as number);
    case "binary": return Buffer.from(v as Uint8Array).toString("base64");
    case "interval": return formatInterval(v as CalendarInterval);
    case "array": return (v as unknown[]).map((x) => toJsonValue(x, t.elementType, o));
    case "map": {
      const out: Record<string, unknown> = {};
      for (const [k, x] of v as Map<unknown, unknown>) out[String(k)] = toJsonValue(x, t.valueType, o);
      return out;
    }
    case "struct": {
      const out: Record<string, unknown> = {};
      const arr = v as unknown[];
      for (let i = 0; i < t.fields.length; i++) {
        const x = arr[i];
        if ((x === null || x === undefined) && o.ignoreNullFields !== false) continue;
        out[t.fields[i]!.name] = toJsonValue(x, t.fields[i]!.dataType, o);
      }
      return out;
    }
    default: return v;
  }
}

/** JSON.rawJSON (Node >= 21) keeps Java's number text (`1.0`, `1.0E10`) exactly. */
const rawJSON = (JSON as unknown as { rawJSON?: (s: string) => unknown }).rawJSON;
function rawNumber(text: string): unknown {
  return rawJSON ? rawJSON(text) : Number(text);
}
