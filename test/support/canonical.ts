/**
 * Sluice's rows in the oracle's canonical form (see test/support/spark_oracle.py): exact text for integers and
 * decimals, doubles as numbers (specials as text), timestamps as epoch microseconds, dates as yyyy-mm-dd, binary as
 * hex, maps as [key, value] lists, structs as lists of field values. Built from what `collect()` gives a user, so the
 * user-facing values are what is compared.
 */
import type { Row } from "../../src/index.js";
import { simpleString, type DataType, type StructType } from "../../src/types/data-type.js";
import type { CanonicalValue } from "./spark-oracle.js";

function epochMicros(d: Date): string {
  const m = (d as Date & { epochMicros?: number | bigint }).epochMicros;
  if (m !== undefined) return String(m);
  return String(BigInt(d.getTime()) * 1000n);
}

export function canonicalValue(v: unknown, t: DataType): CanonicalValue {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case "boolean": return Boolean(v);
    case "byte": case "short": case "integer": case "long": return String(v);
    case "float": case "double": {
      const x = Number(v);
      if (Number.isNaN(x)) return "NaN";
      if (x === Infinity) return "Infinity";
      if (x === -Infinity) return "-Infinity";
      if (Object.is(x, -0)) return "-0.0";
      return x;
    }
    case "decimal": return String(v);
    case "string": return String(v);
    case "binary": return Buffer.from(v as Uint8Array).toString("hex");
    case "date": return (v as Date).toISOString().slice(0, 10);
    case "timestamp": case "timestamp_ntz": return epochMicros(v as Date);
    case "array": return (v as unknown[]).map((x) => canonicalValue(x, t.elementType));
    case "map": return [...(v as Map<unknown, unknown>)].map(([k, x]) => [canonicalValue(k, t.keyType), canonicalValue(x, t.valueType)]);
    case "struct": return t.fields.map((f) => canonicalValue((v as Row)[f.name], f.dataType));
    default: return String(v);
  }
}

export function canonicalRows(rows: readonly Row[], schema: StructType): CanonicalValue[][] {
  return rows.map((r) => schema.fields.map((f) => canonicalValue(r[f.name], f.dataType)));
}

export function canonicalSchema(schema: StructType): [string, string][] {
  return schema.fields.map((f) => [f.name, simpleString(f.dataType)]);
}
