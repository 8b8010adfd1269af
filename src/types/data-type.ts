/** Spark's SQL data types as a frozen discriminated union, with their names and JSON forms. */

export type AtomicKind =
  | "null" | "boolean" | "byte" | "short" | "integer" | "long" | "float" | "double"
  | "string" | "binary" | "date" | "timestamp" | "timestamp_ntz" | "interval";

export interface AtomicType { readonly kind: AtomicKind }
export interface DecimalType { readonly kind: "decimal"; readonly precision: number; readonly scale: number }
export interface ArrayType { readonly kind: "array"; readonly elementType: DataType; readonly containsNull: boolean }
export interface MapType {
  readonly kind: "map"; readonly keyType: DataType; readonly valueType: DataType; readonly valueContainsNull: boolean;
}
export interface StructField {
  readonly name: string; readonly dataType: DataType; readonly nullable: boolean;
  readonly metadata?: Readonly<Record<string, unknown>>;
}
export interface StructType { readonly kind: "struct"; readonly fields: readonly StructField[] }

/** Any Sluice/Spark SQL data type. `interval` is Spark's CalendarIntervalType. */
export type DataType = AtomicType | DecimalType | ArrayType | MapType | StructType;
export type DataTypeKind = DataType["kind"];

const atomic = (kind: AtomicKind): AtomicType => Object.freeze({ kind });
export const NullType = atomic("null");
export const BooleanType = atomic("boolean");
export const ByteType = atomic("byte");
export const ShortType = atomic("short");
export const IntegerType = atomic("integer");
export const LongType = atomic("long");
export const FloatType = atomic("float");
export const DoubleType = atomic("double");
export const StringType = atomic("string");
export const BinaryType = atomic("binary");
export const DateType = atomic("date");
export const TimestampType = atomic("timestamp");
export const TimestampNTZType = atomic("timestamp_ntz");
export const CalendarIntervalType = atomic("interval");

export function decimalType(precision = 10, scale = 0): DecimalType {
  return Object.freeze({ kind: "decimal", precision, scale });
}
export function arrayType(elementType: DataType, containsNull = true): ArrayType {
  return Object.freeze({ kind: "array", elementType, containsNull });
}
export function mapType(keyType: DataType, valueType: DataType, valueContainsNull = true): MapType {
  return Object.freeze({ kind: "map", keyType, valueType, valueContainsNull });
}
export function structField(name: string, dataType: DataType, nullable = true, metadata?: Record<string, unknown>): StructField {
  return Object.freeze(metadata === undefined ? { name, dataType, nullable } : { name, dataType, nullable, metadata });
}
export function structType(fields: readonly StructField[] = []): StructType {
  return Object.freeze({ kind: "struct", fields: Object.freeze([...fields]) });
}

const ATOMIC_BY_KIND: Record<AtomicKind, AtomicType> = {
  null: NullType, boolean: BooleanType, byte: ByteType, short: ShortType, integer: IntegerType, long: LongType,
  float: FloatType, double: DoubleType, string: StringType, binary: BinaryType, date: DateType,
  timestamp: TimestampType, timestamp_ntz: TimestampNTZType, interval: CalendarIntervalType,
};
export function atomicType(kind: AtomicKind): AtomicType {
  return ATOMIC_BY_KIND[kind];
}

export function isNumeric(t: DataType): boolean {
  switch (t.kind) {
    case "byte": case "short": case "integer": case "long": case "float": case "double": case "decimal": return true;
    default: return false;
  }
}
export function isIntegral(t: DataType): boolean {
  return t.kind === "byte" || t.kind === "short" || t.kind === "integer" || t.kind === "long";
}

/** Spark's `simpleString`: `int`, `bigint`, `struct<a:int,b:string>`, `array<string>`. */
export function simpleString(t: DataType): string {
  switch (t.kind) {
    case "null": return "void";
    case "boolean": return "boolean";
    case "byte": return "tinyint";
    case "short": return "smallint";
    case "integer": return "int";
    case "long": return "bigint";
    case "float": return "float";
    case "double": return "double";
    case "string": return "string";
    case "binary": return "binary";
    case "date": return "date";
    case "timestamp": return "timestamp";
    case "timestamp_ntz": return "timestamp_ntz";
    case "interval": return "interval";
    case "decimal": return `decimal(${t.precision},${t.scale})`;
    case "array": return `array<${simpleString(t.elementType)}>`;
    case "map": return `map<${simpleString(t.keyType)},${simpleString(t.valueType)}>`;
    case "struct": return `struct<${t.fields.map((f) => `${f.name}:${simpleString(f.dataType)}`).join(",")}>`;
  }
}

/** Spark's `typeName` as used by `printSchema()` (`integer`, `long`, `string`, ...). */
export function typeName(t: DataType): string {
  switch (t.kind) {
    case "null": return "void";
    case "interval": return "calendarinterval";
    case "decimal": return `decimal(${t.precision},${t.scale})`;
    default: return t.kind;
  }
}

/** `printSchema()` text, exactly as Spark prints it. */
export function treeString(schema: StructType): string {
  const lines = ["root"];
  const walk = (t: DataType, prefix: string): void => {
    if (t.kind === "struct") {
      for (const f of t.fields) {
        lines.push(`${prefix}-- ${f.name}: ${typeName(f.dataType)} (nullable = ${f.nullable})`);
        walk(f.dataType, `${prefix}    |`);
      }
    } else if (t.kind === "array") {
      lines.push(`${prefix}-- element: ${typeName(t.elementType)} (containsNull = ${t.containsNull})`);
      walk(t.elementType, `${prefix}    |`);
    } else if (t.kind === "map") {
      lines.push(`${prefix}-- key: ${typeName(t.keyType)}`);
      walk(t.keyType, `${prefix}    |`);
      lines.push(`${prefix}-- value: ${typeName(t.valueType)} (valueContainsNull = ${t.valueContainsNull})`);
      walk(t.valueType, `${prefix}    |`);
    }
  };
  walk(schema, " |");
  return lines.join("\n") + "\n";
}

/** Structural equality of types (nullability included). */
export function sameType(a: DataType, b: DataType, ignoreNullability = false): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case "decimal": { const o = b as DecimalType; return a.precision === o.precision && a.scale === o.scale; }
    case "array": {
      const o = b as ArrayType;
      return sameType(a.elementType, o.elementType, ignoreNullability) && (ignoreNullability || a.containsNull === o.containsNull);
    }
    case "map": {
      const o = b as MapType;
      return sameType(a.keyType, o.keyType, ignoreNullability) && sameType(a.valueType, o.valueType, ignoreNullability)
        && (ignoreNullability || a.valueContainsNull === o.valueContainsNull);
    }
    case "struct": {
      const o = b as StructType;
      return a.fields.length === o.fields.length && a.fields.every((f, i) => {
        const g = o.fields[i]!;
        return f.name === g.name && sameType(f.dataType, g.dataType, ignoreNullability) && (ignoreNullability || f.nullable === g.nullable);
      });
    }
    default: return true;
  }
}

/** Spark's schema JSON (as in `df.schema.json()`), used in checkpoints and Parquet metadata. */
export type DataTypeJson = string | { readonly type: string; readonly [k: string]: unknown };

export function toJson(t: DataType): DataTypeJson {
  switch (t.kind) {
    case "array": return { type: "array", elementType: toJson(t.elementType), containsNull: t.containsNull };
    case "map": return { type: "map", keyType: toJson(t.keyType), valueType: toJson(t.valueType), valueContainsNull: t.valueContainsNull };
    case "struct": return {
      type: "struct",
      fields: t.fields.map((f) => ({ name: f.name, type: toJson(f.dataType), nullable: f.nullable, metadata: f.metadata ?? {} })),
    };
    case "decimal": return `decimal(${t.precision},${t.scale})`;
    case "null": return "void";
    case "interval": return "calendarinterval";
    default: return t.kind;
  }
}

export function fromJson(j: unknown): DataType {
  if (typeof j === "string") {
    const dec = /^decimal\((\d+),\s*(\d+)\)$/.exec(j);
    if (dec) return decimalType(Number(dec[1]), Number(dec[2]));
    if (j === "void") return NullType;
    if (j === "calendarinterval") return CalendarIntervalType;
    if (j in ATOMIC_BY_KIND) return ATOMIC_BY_KIND[j as AtomicKind];
    throw new TypeError(`unknown data type in schema JSON: ${j}`);
  }
  const o = j as Record<string, unknown>;
  switch (o["type"]) {
    case "array": return arrayType(fromJson(o["elementType"]), Boolean(o["containsNull"]));
    case "map": return mapType(fromJson(o["keyType"]), fromJson(o["valueType"]), Boolean(o["valueContainsNull"]));
    case "struct": return structType((o["fields"] as Record<string, unknown>[]).map((f) => {
      const meta = f["metadata"] as Record<string, unknown> | undefined;
      return structField(String(f["name"]), fromJson(f["type"]), Boolean(f["nullable"]),
        meta && Object.keys(meta).length > 0 ? meta : undefined);
    }));
    default: throw new TypeError(`unknown data type in schema JSON: ${JSON.stringify(j)}`);
  }
}
