/**
 * CSV lines ↔ internal values with Spark's defaults: `sep` ",", `quote` '"', `escape` '\\', one record per
 * line (multiLine false), empty field read as null, `header`, and a value that does not fit its column's
 * type nulled while the record is marked malformed.
 */
import { fitsPrecision, javaBigDecimalText, textToUnscaled } from "../types/decimal.js";
import type { DataType, StructType } from "../types/data-type.js";
import { DEFAULT_TIMESTAMP_FORMAT, formatDate, formatWithPattern, parseWithPattern, stringToDate, stringToTimestamp } from "../types/datetime.js";
import { valueToString } from "../types/value-format.js";
import type { Converted } from "./json-codec.js";

export interface CsvOptions {
  readonly sep: string;
  readonly quote: string;
  readonly escape: string;
  readonly nullValue: string;
  readonly timeZone: string;
  readonly timestampFormat?: string | undefined;
  readonly dateFormat?: string | undefined;
  readonly ignoreLeadingWhiteSpace?: boolean;
  readonly ignoreTrailingWhiteSpace?: boolean;
}

export function csvOptions(opts: Readonly<Record<string, string>>, timeZone: string): CsvOptions {
  return {
    sep: opts["sep"] ?? opts["delimiter"] ?? ",",
    quote: opts["quote"] ?? '"',
    escape: opts["escape"] ?? "\\",
    nullValue: opts["nullValue"] ?? "",
    timeZone,
    timestampFormat: opts["timestampFormat"],
    dateFormat: opts["dateFormat"],
    ignoreLeadingWhiteSpace: opts["ignoreLeadingWhiteSpace"] === "true",
    ignoreTrailingWhiteSpace: opts["ignoreTrailingWhiteSpace"] === "true",
  };
}

/** Splits one CSV line into raw fields; quoted fields lose their quotes and escapes. `null` marks an unquoted empty field. */
export function splitCsvLine(line: string, o: CsvOptions): (string | null)[] {
  const out: (string | null)[] = [];
  const { sep, quote, escape } = o;
  let i = 0;
  const n = line.length;
  for (;;) {
    if (i < n && line[i] === quote) {
      let v = "";
      i++;
      while (i < n) {
        const c = line[i]!;
        // Escapes inside quotes (Spark's charToEscapeQuoteEscaping = escape): a run of k escape chars before a
        // quote is k/2 literal escapes then a real quote when k is even, or (k-1)/2 escapes and an escaped quote
        // when k is odd; a run anywhere else is literal.
        if (c === escape && escape !== quote) {
          let j = i;
          while (j < n && line[j] === escape) j++;
          const k = j - i;
          if (line[j] === quote) {
            v += escape.repeat(Math.floor(k / 2));
            if (k % 2 === 1) { v += quote; i = j + 1; } else i = j;
          } else { v += escape.repeat(k); i = j; }
          continue;
        }
        if (c === quote) {
          if (line[i + 1] === quote) { v += quote; i += 2; continue; }
          i++; break;
        }
        v += c; i++;
      }
      const end = line.indexOf(sep, i);
      out.push(v);
      if (end < 0) break;
      i = end + sep.length;
    } else {
      const end = line.indexOf(sep, i);
      let v = end < 0 ? line.slice(i) : line.slice(i, end);
      if (o.ignoreLeadingWhiteSpace) v = v.trimStart();
      if (o.ignoreTrailingWhiteSpace) v = v.trimEnd();
      out.push(v.length === 0 ? null : v);
      if (end < 0) break;
      i = end + sep.length;
    }
  }
  return out;
}

type Conv = (s: string, state: Converted) => unknown;
const mismatch = (state: Converted): null => { state.bad = true; return null; };

export function csvConverter(t: DataType, o: CsvOptions): Conv {
  switch (t.kind) {
    case "string": return (s) => s;
    case "boolean": return (s, st) => { const l = s.toLowerCase(); return l === "true" ? true : l === "false" ? false : mismatch(st); };
    case "byte": case "short": case "integer": {
      const [lo, hi] = t.kind === "byte" ? [-128, 127] : t.kind === "short" ? [-32768, 32767] : [-2147483648, 2147483647];
      return (s, st) => { const v = /^\s*[+-]?\d+\s*$/.test(s) ? Number(s) : NaN; return v >= lo && v <= hi ? v : mismatch(st); };
    }
    case "long": return (s, st) => {
      if (!/^\s*[+-]?\d+\s*$/.test(s)) return mismatch(st);
      const b = BigInt(s.trim());
      if (b < -9223372036854775808n || b > 9223372036854775807n) return mismatch(st);
      return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
    };
    case "float": case "double": return (s, st) => {
      if (s === "NaN") return NaN;
      if (s === "Inf" || s === "Infinity" || s === "+Inf") return Infinity;
      if (s === "-Inf" || s === "-Infinity") return -Infinity;
      if (!/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?\s*$/.test(s)) return mismatch(st);
      const v = Number(s.trim().replace(/[dDfF]$/, ""));
      return t.kind === "float" ? Math.fround(v) : v;
    };
    case "decimal": return (s, st) => {
      const u = textToUnscaled(s, t.scale);
      return u === null || !fitsPrecision(u, t.precision) ? mismatch(st) : u;
    };
    case "timestamp": case "timestamp_ntz": {
      const tz = t.kind === "timestamp" ? o.timeZone : "UTC";
      return (s, st) => (o.timestampFormat !== undefined ? parseWithPattern(s, o.timestampFormat, tz) : stringToTimestamp(s, tz)) ?? mismatch(st);
    };
    case "date": return (s, st) => {
      if (o.dateFormat === undefined) return stringToDate(s) ?? mismatch(st);
      const m = parseWithPattern(s, o.dateFormat, "UTC");
      return m === null ? mismatch(st) : Math.floor(m / 86_400_000_000);
    };
    case "binary": return (s) => new Uint8Array(Buffer.from(s));
    default: return (_s, st) => mismatch(st);
  }
}

/** Converts split fields into a struct row of `schema` (missing fields null, extra fields ignored, as Spark). */
export function csvRowConverter(schema: StructType, o: CsvOptions): (fields: readonly (string | null)[], state: Converted) => unknown[] {
  const convs = schema.fields.map((f) => csvConverter(f.dataType, o));
  const n = convs.length;
  const nullValue = o.nullValue;
  return (fields, state) => {
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const raw = fields[i];
      out[i] = raw === null || raw === undefined || (nullValue !== "" && raw === nullValue) ? null : convs[i]!(raw, state);
    }
    if (fields.length !== n) state.bad = state.bad || fields.length < n;
    return out;
  };
}

/** One CSV field as Spark's writer prints it: quoted when it holds the separator, a quote or a line break. */
export function csvField(v: unknown, t: DataType, o: CsvOptions): string {
  if (v === null || v === undefined) return o.nullValue;
  let s: string;
  switch (t.kind) {
    case "timestamp": s = formatWithPattern(v as number, o.timestampFormat ?? DEFAULT_TIMESTAMP_FORMAT, o.timeZone); break;
    case "date": s = o.dateFormat ? formatWithPattern((v as number) * 86_400_000_000, o.dateFormat, "UTC") : formatDate(v as number); break;
    case "decimal": s = javaBigDecimalText(v as bigint, t.scale); break; // Spark's CSV writer prints BigDecimal.toString
    default: s = valueToString(v, t, o.timeZone);
  }
  if (s.length === 0) return `${o.quote}${o.quote}`;
  if (s.includes(o.sep) || s.includes(o.quote) || s.includes("\n") || s.includes("\r") || s.startsWith(" ") || s.endsWith(" ")) {
    // Quotes become escape + quote; a run of escape chars before a quote or the end of the value is doubled.
    let escaped = "";
    for (let i = 0; i < s.length;) {
      const c = s[i]!;
      if (c === o.escape && o.escape !== o.quote) {
        let j = i;
        while (j < s.length && s[j] === o.escape) j++;
        const run = o.escape.repeat(j - i);
        escaped += j === s.length || s[j] === o.quote ? run + run : run;
        i = j;
      } else {
        escaped += c === o.quote ? o.escape + o.quote : c;
        i++;
      }
    }
    return `${o.quote}${escaped}${o.quote}`;
  }
  return s;
}

export function csvLine(values: readonly unknown[], schema: StructType, o: CsvOptions): string {
  let line = "";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += o.sep;
    line += csvField(values[i], schema.fields[i]!.dataType, o);
  }
  return line;
}
