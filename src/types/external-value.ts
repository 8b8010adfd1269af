/**
 * Conversion between Sluice's internal values and the values users see in rows:
 * structs as objects, maps as `Map`, timestamps as `Timestamp` (a `Date` carrying `epochMicros`), dates as `Date` at UTC midnight,
 * binary as `Uint8Array`, longs as `number` when safe and `bigint` otherwise, decimals as exact `Decimal` values.
 */
import type { CalendarInterval } from "./calendar-interval.js";
import type { DataType, StructType } from "./data-type.js";
import { Decimal, toUnscaled } from "./decimal.js";
import { MICROS_PER_MILLI, defaultTimeZone, stringToTimestamp } from "./datetime.js";
import { Timestamp } from "./timestamp.js";
import { SluiceError } from "../errors/sluice-error.js";

export type Row = Record<string, unknown>;

export function toExternal(v: unknown, t: DataType): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case "timestamp": case "timestamp_ntz": return new Timestamp(v as number);
    case "date": return new Date((v as number) * 86_400_000);
    case "decimal": return new Decimal(v as bigint, t.scale);
    case "array": return (v as unknown[]).map((x) => toExternal(x, t.elementType));
    case "map": {
      const out = new Map<unknown, unknown>();
      for (const [k, x] of v as Map<unknown, unknown>) out.set(toExternal(k, t.keyType), toExternal(x, t.valueType));
      return out;
    }
    case "struct": return structToRow(v as unknown[], t);
    default: return v;
  }
}

export function structToRow(values: readonly unknown[], t: StructType): Row {
  const o: Row = {};
  for (let i = 0; i < t.fields.length; i++) {
    const f = t.fields[i]!;
    o[f.name] = toExternal(values[i], f.dataType);
  }
  return o;
}

/** A timestamp given as milliseconds is never stored as an invalid value (`Invalid Date`, NaN). */
function validMillis(ms: number, original: unknown): number {
  if (Number.isFinite(ms)) return ms;
  throw new SluiceError("CAST_INVALID_INPUT", `The value '${String(original)}' cannot be converted to a timestamp.`, {
    params: { value: String(original), sourceType: typeof original, targetType: "timestamp" },
  });
}

/** Converts a user value (from `createDataFrame`, `MemoryStream.addData`, ...) to the internal form of `t`. */
export function toInternal(v: unknown, t: DataType): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case "timestamp": case "timestamp_ntz":
      if (v instanceof Timestamp) return v.epochMicros;
      if (v instanceof Date) return validMillis(v.getTime(), v) * MICROS_PER_MILLI;
      if (typeof v === "string") return stringToTimestamp(v, t.kind === "timestamp" ? defaultTimeZone() : "UTC") ?? validMillis(Date.parse(v), v) * MICROS_PER_MILLI;
      return validMillis(Number(v), v) * MICROS_PER_MILLI;
    case "date":
      if (v instanceof Date) return Math.floor(v.getTime() / 86_400_000);
      if (typeof v === "string") return Math.floor(Date.parse(v) / 86_400_000);
      return Number(v);
    case "long":
      if (typeof v === "bigint") return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
      if (typeof v === "string" && /^[+-]?\d+$/.test(v.trim())) { const b = BigInt(v.trim()); return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b; }
      if (typeof v === "number" && Number.isInteger(v) && !Number.isSafeInteger(v)) return BigInt(v); // the double's exact value
      return Number(v);
    case "decimal": return toUnscaled(v, t.scale);
    case "byte": case "short": case "integer": case "float": case "double": return Number(v);
    case "boolean": return Boolean(v);
    case "string": return typeof v === "string" ? v : String(v);
    case "binary": return v instanceof Uint8Array ? v : Buffer.from(String(v));
    case "interval": return v as CalendarInterval;
    case "array": return (v as unknown[]).map((x) => toInternal(x, t.elementType));
    case "map": {
      const out = new Map<unknown, unknown>();
      const entries = v instanceof Map ? v.entries() : Object.entries(v as object);
      for (const [k, x] of entries) out.set(toInternal(k, t.keyType), toInternal(x, t.valueType));
      return out;
    }
    case "struct": {
      if (Array.isArray(v)) return t.fields.map((f, i) => toInternal(v[i], f.dataType));
      const o = v as Row;
      return t.fields.map((f) => toInternal(o[f.name], f.dataType));
    }
    case "null": return null;
  }
}
