/**
 * Partition folders (`k=v`) as Spark writes and reads them: names and values escaped as
 * ExternalCatalogUtils.escapePathName, null and "" as `__HIVE_DEFAULT_PARTITION__`, and value types inferred as
 * PartitioningUtils does (int, bigint, decimal(p,0), double, timestamp, date, string; void when every value is null).
 *
 *     p=a b/q=x%2Fy/part-00000-….c000.json      → p = "a b", q = "x/y"
 *     d=2024-01-01, t=2024-01-01 10%3A00%3A00   → DATE, TIMESTAMP
 */
import * as path from "node:path";
import { castFunction } from "../expressions/cast.js";
import { evalContext } from "../expressions/eval-context.js";
import {
  DateType, DoubleType, IntegerType, LongType, NullType, StringType, TimestampType, decimalType, type DataType,
} from "../types/data-type.js";

export const DEFAULT_PARTITION_NAME = "__HIVE_DEFAULT_PARTITION__";

/** Characters Spark escapes in path names (on Linux): 0x01-0x1F, 0x7F and `"#%'*\/:=?[\]^{`. */
const ESCAPED = /[\x01-\x1f"#%'*/:=?[\\\]^{\x7f]/g;

export function escapePathName(s: string): string {
  return s.replace(ESCAPED, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/** Spark's unescapePathName: each `%XX` (two hex digits) becomes the character with that code; anything else stays. */
export function unescapePathName(s: string): string {
  return s.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** The folder name of one partition value: `escape(col)=escape(value)`, the default name for null and "". */
export function partitionPathString(column: string, value: string | null): string {
  return `${escapePathName(column)}=${value === null || value === "" ? DEFAULT_PARTITION_NAME : escapePathName(value)}`;
}

export interface PartitionDirValue {
  /** The column name, unescaped. */
  readonly name: string;
  /** The value as it appears in the folder name (escaped), used for type inference as Spark does. */
  readonly raw: string;
  /** The unescaped value; null for the default partition name. */
  readonly value: string | null;
}

/** The `k=v` folders between `base` and `file`, outermost first. */
export function partitionDirValues(base: string, file: string): PartitionDirValue[] {
  const rel = path.relative(base, path.dirname(file));
  const folders = rel === "" ? [] : rel.split(path.sep);
  if (folders[0] === ".." || path.isAbsolute(rel)) return [];
  const out: PartitionDirValue[] = [];
  for (const s of folders) {
    const k = s.indexOf("=");
    if (k <= 0) continue;
    const raw = s.slice(k + 1);
    out.push({ name: unescapePathName(s.slice(0, k)), raw, value: raw === DEFAULT_PARTITION_NAME ? null : unescapePathName(raw) });
  }
  return out;
}

const INT_MIN = -(2n ** 31n), INT_MAX = 2n ** 31n - 1n, LONG_MIN = -(2n ** 63n), LONG_MAX = 2n ** 63n - 1n;

function integral(raw: string, min: bigint, max: bigint): boolean {
  if (!/^[+-]?\d+$/.test(raw)) return false;
  const v = BigInt(raw);
  return v >= min && v <= max;
}

/** The DecimalType Spark infers for an integral decimal text (`1e5` → decimal(6,0)), or undefined. */
function integralDecimal(raw: string): DataType | undefined {
  const m = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(raw);
  if (!m || (m[1] === "" && (m[2] ?? "") === "")) return undefined;
  const frac = m[2] ?? "";
  const scale = frac.length - Number(m[3] ?? "0");
  if (scale > 0) return undefined;
  const digits = (m[1]! + frac).replace(/^0+/, "");
  const precision = Math.max(1, digits.length) - scale;
  return precision <= 38 ? decimalType(precision, 0) : undefined;
}

/** Java's Double.parseDouble syntax (surrounding whitespace, NaN, Infinity, `d`/`f` suffixes, hex floats). */
const JAVA_DOUBLE = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?|0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?\d+[fFdD]?)$/;

function javaDoubleText(s: string): string | undefined {
  let a = 0, b = s.length;
  while (a < b && s.charCodeAt(a) <= 32) a++;
  while (b > a && s.charCodeAt(b - 1) <= 32) b--;
  const t = s.slice(a, b);
  return JAVA_DOUBLE.test(t) ? t : undefined;
}

/** Java's Double.parseDouble, or null when the text is not a double. */
export function parseJavaDouble(s: string): number | null {
  const t = javaDoubleText(s);
  if (t === undefined) return null;
  const body = t.replace(/[fFdD]$/, "");
  if (/^[+-]?NaN$/.test(body)) return NaN;
  if (/^[+-]?Infinity$/.test(body)) return body.startsWith("-") ? -Infinity : Infinity;
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(body);
  if (hex) {
    const mant = parseInt((hex[2] ?? "") + (hex[3] ?? ""), 16) || 0;
    const v = mant * 2 ** (Number(hex[4]) - 4 * (hex[3] ?? "").length);
    return hex[1] === "-" ? -v : v;
  }
  return Number(body);
}

/** Spark's inferPartitionColumnValue for one folder value. */
export function inferPartitionValueType(raw: string, typeInference: boolean, timeZone: string): DataType {
  if (raw === DEFAULT_PARTITION_NAME) return NullType;
  if (!typeInference) return StringType;
  if (integral(raw, INT_MIN, INT_MAX)) return IntegerType;
  if (integral(raw, LONG_MIN, LONG_MAX)) return LongType;
  const dec = integralDecimal(raw);
  if (dec !== undefined) return dec;
  if (javaDoubleText(raw) !== undefined) return DoubleType;
  const ec = evalContext(timeZone, false);
  const unescaped = unescapePathName(raw);
  // Spark's partition timestamp pattern: yyyy-MM-dd HH:mm:ss[.S]
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d)?$/.test(unescaped) && castFunction(StringType, TimestampType, ec, "try")(unescaped) !== null) return TimestampType;
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw) && castFunction(StringType, DateType, ec, "try")(raw) !== null) return DateType;
  return StringType;
}

const NUMERIC_RANK: Partial<Record<DataType["kind"], number>> = { integer: 1, long: 2, double: 4 };

/** Spark's findWiderTypeForPartitionColumn: TypeCoercion's wider type, but double with long or decimal is string. */
export function widerPartitionType(a: DataType, b: DataType): DataType {
  if (a.kind === b.kind && (a.kind !== "decimal" || b.kind !== "decimal")) return a;
  if (a.kind === "null") return b;
  if (b.kind === "null") return a;
  if (a.kind === "string" || b.kind === "string") return StringType;
  const asDecimal = (t: DataType): { p: number; s: number } | undefined =>
    t.kind === "decimal" ? { p: t.precision, s: t.scale } : t.kind === "integer" ? { p: 10, s: 0 } : t.kind === "long" ? { p: 20, s: 0 } : undefined;
  if (a.kind === "decimal" || b.kind === "decimal") {
    if (a.kind === "double" || b.kind === "double") return StringType;
    const x = asDecimal(a), y = asDecimal(b);
    if (x === undefined || y === undefined) return StringType;
    const scale = Math.max(x.s, y.s), range = Math.max(x.p - x.s, y.p - y.s);
    return decimalType(Math.min(38, range + scale), scale);
  }
  const ra = NUMERIC_RANK[a.kind], rb = NUMERIC_RANK[b.kind];
  if (ra !== undefined && rb !== undefined) {
    if ((a.kind === "double" && b.kind === "long") || (a.kind === "long" && b.kind === "double")) return StringType;
    return ra >= rb ? a : b;
  }
  if ((a.kind === "date" && b.kind === "timestamp") || (a.kind === "timestamp" && b.kind === "date")) return TimestampType;
  return StringType;
}

/** Converts an unescaped folder value to a value of `type` (Spark casts it; Java's double syntax for doubles). */
export function partitionValueCaster(type: DataType, timeZone: string): (value: string | null) => unknown {
  if (type.kind === "null") return () => null;
  if (type.kind === "double") return (v) => v === null ? null : parseJavaDouble(v);
  const cast = castFunction(StringType, type, evalContext(timeZone, false));
  return (v) => v === null ? null : cast(v);
}
