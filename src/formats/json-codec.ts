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
  /** The JSON reader: an object or array read into a STRING field keeps its text as written (from_json renders it again). */
  readonly rawNestedText?: boolean;
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
      // Numbers keep their text (`2.0`); objects and arrays are rendered again, as Jackson does.
      return (v, s) => {
        if (typeof v === "string") return v;
        if (v instanceof JsonFloat) return v.text;
        if (typeof v !== "object" || v === null) return String(v);
        const raw = RAW_TEXT.get(v);
        if (raw !== undefined) return raw;
        if (o.rawNestedText === true) { s.inexact = true; return null; } // read the record again, keeping the text
        return renderJson(v as JsonValue);
      };
    case "boolean":
      return (v, s) => (typeof v === "boolean" ? v : mismatch(s));
    case "byte": case "short": case "integer": {
      const [lo, hi] = t.kind === "byte" ? [-128, 127] : t.kind === "short" ? [-32768, 32767] : [-2147483648, 2147483647];
      // Only an integer token fits: `2.0` into INT is a malformed field, as in Spark.
      return (v, s) => (typeof v === "number" && Number.isInteger(v) && v >= lo && v <= hi ? v : mismatch(s));
    }
    case "long":
      return (v, s) => {
        if (typeof v === "number" && Number.isInteger(v)) {
          if (Number.isSafeInteger(v)) return v;
          s.inexact = true;
          return null;
        }
        if (typeof v === "bigint") return v >= -9223372036854775808n && v <= 9223372036854775807n ? v : mismatch(s); // BIGINT overflow: malformed
        return mismatch(s);
      };
    case "float": case "double":
      return (v, s) => {
        if (v instanceof JsonFloat) return t.kind === "float" ? Math.fround(v.value) : v.value;
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
        if (v instanceof JsonFloat) u = textToUnscaled(v.text, t.scale); // the token's own digits, never a double
        else if (typeof v === "number") u = Number.isSafeInteger(v) ? BigInt(v) * pow10(t.scale) : null;
        else if (typeof v === "bigint") u = v * pow10(t.scale);
        else if (typeof v === "string") u = textToUnscaled(v, t.scale);
        else u = null;
        return u === null || !fitsPrecision(u, t.precision) ? mismatch(s) : u;
      };
    case "timestamp": case "timestamp_ntz": {
      const tz = t.kind === "timestamp" ? o.timeZone : "UTC";
      const fmt = o.timestampFormat;
      return (v, s) => {
        if (v instanceof JsonFloat) return Number.isSafeInteger(Math.round(v.value * 1_000_000)) ? Math.round(v.value * 1_000_000) : mismatch(s);
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
      // An element of the wrong type makes the whole array null (and the record malformed), as Spark does; a struct
      // element with a bad field stays as its partial row.
      return (v, s) => {
        if (!Array.isArray(v)) return mismatch(s);
        const out = new Array<unknown>(v.length);
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          out[i] = x === null ? null : el(x, s);
          if (out[i] === null && x !== null) return mismatch(s);
        }
        return out;
      };
    }
    case "map": {
      const val = jsonConverter(t.valueType, o);
      return (v, s) => {
        if (typeof v !== "object" || v === null || Array.isArray(v) || v instanceof JsonFloat) return mismatch(s);
        const m = new Map<unknown, unknown>();
        for (const [k, x] of v instanceof JsonObject ? v.entries : Object.entries(v)) {
          const c = x === null ? null : val(x, s);
          if (c === null && x !== null) return mismatch(s); // a value of the wrong type makes the whole map null
          m.set(k, c);
        }
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
    if (typeof v !== "object" || v === null || Array.isArray(v) || v instanceof JsonFloat) return mismatch(s);
    const rec = v instanceof JsonObject ? v.record() : v as Record<string, unknown>;
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const x = rec[names[i]!];
      out[i] = x === null || x === undefined ? null : convs[i]!(x, s);
    }
    return out;
  };
}

/** JSON.parse where integers outside ±2^53 become exact bigints (from the reviver's source text). */
export function parseJsonExact(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) => {
    if (typeof value === "number" && !Number.isSafeInteger(value) && context?.source !== undefined && /^-?\d+$/.test(context.source)) {
      const big = BigInt(context.source);
      if (big >= -9223372036854775808n && big <= 9223372036854775807n) return big;
    }
    return value;
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
    parsed = parseLenientRecord(text);
    if (parsed === undefined) return null;
    state.inexact = false;
    return convertParsed(parsed, conv, state);
  }
  state.inexact = false;
  if (needsExactParse(text)) {
    // Float tokens and integers beyond 2^53 are seen as Spark sees them (`2.0` is no INT; BIGINT overflow is malformed).
    try { parsed = parseJsonValue(text); } catch { return null; }
  }
  const rows = convertParsed(parsed, conv, state);
  if (!state.inexact) return rows;
  // An object or array went into a STRING field: read the record again keeping its text as written.
  state.bad = false;
  state.inexact = false;
  return convertParsed(parseJsonValue(text, true), conv, state);
}

/**
 * Parses a record JSON.parse refuses as Spark's reader does (single quotes, content after the first value);
 * undefined when it is malformed for Spark too.
 */
export function parseLenientRecord(text: string): unknown {
  try { return parseJsonValue(text, true); } catch { return undefined; }
}

function convertParsed(parsed: unknown, conv: Conv, state: Converted): unknown[][] | null {
  if (parsed instanceof JsonObject) parsed = parsed.record();
  if (Array.isArray(parsed)) {
    const rows: unknown[][] = [];
    for (const el of parsed) {
      const r = conv(el, state);
      if (r === null) return null;
      rows.push(r as unknown[]);
    }
    return rows;
  }
  if (typeof parsed !== "object" || parsed === null || parsed instanceof JsonFloat) return null;
  return [conv(parsed, state) as unknown[]];
}


/**
 * JSON text of an internal value of `t`, as `to_json` and the JSON sink write it: written directly (never through
 * JSON.stringify of JS numbers), so doubles keep Java's text (`201.0`, `1.0E10`) on every Node version.
 */
export function toJsonText(v: unknown, t: DataType, o: JsonOptions): string {
  return writeJson(v, t, o);
}

function writeJson(v: unknown, t: DataType, o: JsonOptions): string {
  if (v === null || v === undefined) return "null";
  switch (t.kind) {
    case "float": case "double": {
      const n = v as number;
      const text = t.kind === "float" ? formatFloat(n) : formatDouble(n);
      return Number.isFinite(n) ? text : JSON.stringify(text);
    }
    case "byte": case "short": case "integer": case "long": return String(v);
    case "decimal": return javaBigDecimalText(v as bigint, t.scale); // BigDecimal.toString, as Jackson writes it
    case "boolean": return v ? "true" : "false";
    case "string": return JSON.stringify(v);
    case "timestamp": return JSON.stringify(formatWithPattern(v as number, o.timestampFormat ?? DEFAULT_TIMESTAMP_FORMAT, o.timeZone));
    case "timestamp_ntz": return JSON.stringify(formatWithPattern(v as number, o.timestampFormat ?? "yyyy-MM-dd'T'HH:mm:ss.SSS", "UTC"));
    case "date": return JSON.stringify(o.dateFormat ? formatWithPattern((v as number) * 86_400_000_000, o.dateFormat, "UTC") : formatDate(v as number));
    case "binary": return JSON.stringify(Buffer.from(v as Uint8Array).toString("base64"));
    case "interval": return JSON.stringify(formatInterval(v as CalendarInterval));
    case "array": return `[${(v as unknown[]).map((x) => writeJson(x, t.elementType, o)).join(",")}]`;
    case "map": {
      const parts: string[] = [];
      for (const [k, x] of v as Map<unknown, unknown>) parts.push(`${JSON.stringify(String(k))}:${writeJson(x, t.valueType, o)}`);
      return `{${parts.join(",")}}`;
    }
    case "struct": {
      const parts: string[] = [];
      const arr = v as unknown[];
      for (let i = 0; i < t.fields.length; i++) {
        const x = arr[i];
        if ((x === null || x === undefined) && o.ignoreNullFields !== false) continue;
        parts.push(`${JSON.stringify(t.fields[i]!.name)}:${writeJson(x, t.fields[i]!.dataType, o)}`);
      }
      return `{${parts.join(",")}}`;
    }
    default: return JSON.stringify(v) ?? "null";
  }
}

/** A JSON number written with a fraction or an exponent (`2.0`, `1e10`): its value and its text, as Jackson sees a float token. */
export class JsonFloat {
  constructor(readonly value: number, readonly text: string) {}
}

/** A JSON object as written: its entries in order, duplicates kept (get_json_object answers the first, from_json the last). */
export class JsonObject {
  constructor(readonly entries: readonly (readonly [string, JsonValue])[]) {}
  get(key: string): JsonValue | undefined {
    for (const [k, v] of this.entries) if (k === key) return v;
    return undefined;
  }
  /** The entries as a record (the last duplicate wins, as Spark's JSON reader does). */
  record(): Record<string, JsonValue> {
    const out: Record<string, JsonValue> = Object.create(null) as Record<string, JsonValue>;
    for (const [k, v] of this.entries) out[k] = v;
    return out;
  }
}

/** Values of Spark's JSON parser: integers exact (bigint beyond 2^53, even beyond BIGINT), floats with their text. */
export type JsonValue = null | boolean | string | number | bigint | JsonFloat | JsonObject | JsonValue[];

const MAX_JSON_DEPTH = 1000;

/** The text as written of objects and arrays parsed with `keepRawText` (for the JSON reader's STRING fields). */
const RAW_TEXT = new WeakMap<object, string>();

/**
 * Parses the first JSON value of `text` as Spark's Jackson parser does with Spark's default JSON options: single
 * quotes allowed, NaN/Infinity allowed, content after the first value ignored. Returns undefined for blank text and
 * throws a SyntaxError-free `JsonSyntaxError` for malformed text.
 */
export function parseJsonValue(text: string, keepRawText = false): JsonValue | undefined {
  let i = 0;
  const n = text.length;
  const fail = (): never => { throw new JsonSyntaxError(i); };
  const ws = (): void => { while (i < n && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++; };
  const str = (q: string): string => {
    i++;
    let out = "";
    for (;;) {
      if (i >= n) fail();
      const c = text[i]!;
      if (c === q) { i++; return out; }
      if (c === "\\") {
        const e = text[i + 1];
        i += 2;
        switch (e) {
          case '"': out += '"'; break; case "'": out += "'"; break; case "\\": out += "\\"; break; case "/": out += "/"; break;
          case "b": out += "\b"; break; case "f": out += "\f"; break; case "n": out += "\n"; break; case "r": out += "\r"; break; case "t": out += "\t"; break;
          case "u": {
            const h = text.slice(i, i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(h)) fail();
            out += String.fromCharCode(parseInt(h, 16)); i += 4; break;
          }
          default: i -= 2; fail();
        }
        continue;
      }
      if (c < " ") fail(); // unescaped control characters are not allowed
      out += c; i++;
    }
  };
  const value = (depth: number): JsonValue => {
    if (depth > MAX_JSON_DEPTH) fail();
    ws();
    if (i >= n) fail();
    const c = text[i]!;
    if (c === "{") {
      const start = i;
      const done = (o: JsonObject): JsonObject => { if (keepRawText) RAW_TEXT.set(o, text.slice(start, i)); return o; };
      i++;
      const entries: [string, JsonValue][] = [];
      ws();
      if (text[i] === "}") { i++; return done(new JsonObject(entries)); }
      for (;;) {
        ws();
        if (text[i] !== '"' && text[i] !== "'") fail();
        const k = str(text[i]!);
        ws();
        if (text[i] !== ":") fail();
        i++;
        entries.push([k, value(depth + 1)]);
        ws();
        if (text[i] === ",") { i++; continue; }
        if (text[i] === "}") { i++; return done(new JsonObject(entries)); }
        fail();
      }
    }
    if (c === "[") {
      const start = i;
      const done = (a: JsonValue[]): JsonValue[] => { if (keepRawText) RAW_TEXT.set(a, text.slice(start, i)); return a; };
      i++;
      const items: JsonValue[] = [];
      ws();
      if (text[i] === "]") { i++; return done(items); }
      for (;;) {
        items.push(value(depth + 1));
        ws();
        if (text[i] === ",") { i++; continue; }
        if (text[i] === "]") { i++; return done(items); }
        fail();
      }
    }
    if (c === '"' || c === "'") return str(c);
    for (const [word, v] of [["true", true], ["false", false], ["null", null], ["NaN", new JsonFloat(NaN, "NaN")], ["Infinity", new JsonFloat(Infinity, "Infinity")],
      ["+Infinity", new JsonFloat(Infinity, "Infinity")], ["-Infinity", new JsonFloat(-Infinity, "-Infinity")]] as const) {
      if (text.startsWith(word, i)) { i += word.length; return v; }
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m === null) fail();
    const t = m![0];
    i += t.length;
    if (m![2] === undefined && m![3] === undefined) {
      const v = Number(t);
      return Number.isSafeInteger(v) ? v : BigInt(t);
    }
    return new JsonFloat(Number(t), t);
  };
  ws();
  if (i >= n) return undefined;
  return value(0);
}

/** Malformed JSON text (never a raw SyntaxError). */
export class JsonSyntaxError extends Error {
  constructor(readonly position: number) { super(`Malformed JSON at position ${position}`); }
}

/** Spark's rendering of a parsed JSON value (Jackson's generator): floats as Java prints doubles, integers exact. */
export function renderJson(v: JsonValue): string {
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return String(v);
  if (v instanceof JsonFloat) return Number.isFinite(v.value) ? formatDouble(v.value) : `"${formatDouble(v.value)}"`;
  if (v instanceof JsonObject) return `{${v.entries.map(([k, x]) => `${JSON.stringify(k)}:${renderJson(x)}`).join(",")}}`;
  if (Array.isArray(v)) return `[${v.map(renderJson).join(",")}]`;
  return `{${Object.entries(v as Record<string, JsonValue>).map(([k, x]) => `${JSON.stringify(k)}:${renderJson(x)}`).join(",")}}`; // JSON.parse's object
}

/**
 * Whether JSON.parse would lose something Spark sees in this record: a float token (`2.0`, which is no INT) or an
 * integer beyond 2^53. Such records are parsed by `parseJsonValue`; all others by the faster JSON.parse.
 */
export function needsExactParse(text: string): boolean {
  return /\d[.eE]|\d{16}/.test(text);
}
