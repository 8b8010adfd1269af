/** Spark's text forms of values (what `CAST(x AS STRING)` and `show()` print). */
import { formatInterval, type CalendarInterval } from "./calendar-interval.js";
import type { DataType } from "./data-type.js";
import { formatUnscaled } from "./decimal.js";
import { formatDate, formatTimestamp } from "./datetime.js";
import { decodeUtf8 } from "./utf8-string.js";

/** Java's `Double.toString`: `1.0`, `0.001`, `1.0E7`, `1.0E-4`, `NaN`, `Infinity`. */
export function formatDouble(d: number): string {
  if (Number.isNaN(d)) return "NaN";
  if (d === Infinity) return "Infinity";
  if (d === -Infinity) return "-Infinity";
  if (d === 0) return Object.is(d, -0) ? "-0.0" : "0.0";
  const a = Math.abs(d);
  if (a >= 1e-3 && a < 1e7) {
    const s = String(d);
    return s.includes(".") ? s : `${s}.0`;
  }
  const [mant, exp] = d.toExponential().split("e") as [string, string];
  return `${mant.includes(".") ? mant : `${mant}.0`}E${Number(exp)}`;
}

/** Java's `Float.toString` on a float32 value: the shortest digits that round-trip through float32. */
export function formatFloat(f: number): string {
  if (!Number.isFinite(f) || f === 0) return formatDouble(f);
  const target = Math.fround(f);
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(target.toPrecision(p));
    if (Math.fround(candidate) === target) return formatDouble(candidate);
  }
  return formatDouble(target);
}

/** Text of a decimal held as its unscaled bigint (see src/types/decimal.ts). */
export function formatDecimal(v: unknown, scale: number): string {
  return formatUnscaled(v as bigint, scale);
}

/** Text of a value of type `t` as `CAST(v AS STRING)` gives it; nested values as Spark prints them. */
export function valueToString(v: unknown, t: DataType, tz: string): string {
  switch (t.kind) {
    case "null": return "NULL";
    case "boolean": return v ? "true" : "false";
    case "byte": case "short": case "integer": return String(v);
    case "long": return String(v);
    case "float": return formatFloat(v as number);
    case "double": return formatDouble(v as number);
    case "decimal": return formatDecimal(v, t.scale);
    case "string": return v as string;
    case "binary": return decodeUtf8(v as Uint8Array); // Spark's UTF8String.toString: UTF-8, malformed bytes as U+FFFD
    case "date": return formatDate(v as number);
    case "timestamp": return formatTimestamp(v as number, tz);
    case "timestamp_ntz": return formatTimestamp(v as number, "UTC");
    case "interval": return formatInterval(v as CalendarInterval);
    case "array": return `[${(v as unknown[]).map((x) => (x === null ? "null" : valueToString(x, t.elementType, tz))).join(", ")}]`;
    case "map": {
      const parts: string[] = [];
      for (const [k, x] of v as Map<unknown, unknown>) parts.push(`${valueToString(k, t.keyType, tz)} -> ${x === null ? "null" : valueToString(x, t.valueType, tz)}`);
      return `{${parts.join(", ")}}`;
    }
    case "struct": return `{${(v as unknown[]).map((x, i) => (x === null ? "null" : valueToString(x, t.fields[i]!.dataType, tz))).join(", ")}}`;
  }
}
