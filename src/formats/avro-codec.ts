/**
 * Avro binary values inside columns, with Spark's spark-avro semantics (SchemaConverters): an Avro schema read as a
 * Sluice type (records → structs, `["null", T]` → nullable T, other unions → struct `member0, member1, ...`, enums →
 * string, bytes/fixed → binary, logical `decimal` / `date` / `timestamp-millis|micros` / `local-timestamp-*`), values
 * decoded into Sluice's internal form and encoded back. The binary codec is avsc's; logical types are applied here.
 *
 *     {"type":"record","name":"trip","fields":[{"name":"VendorID","type":["null","long"]},
 *      {"name":"pickup","type":{"type":"long","logicalType":"timestamp-micros"}}]}
 *     → struct<VendorID:bigint,pickup:timestamp> (VendorID nullable, pickup not)
 */
import avro from "avsc";
import { SluiceError } from "../errors/sluice-error.js";
import {
  BinaryType, BooleanType, DateType, DoubleType, FloatType, IntegerType, LongType, NullType, StringType, TimestampNTZType, TimestampType,
  arrayType, decimalType, mapType, simpleString, structField, structType, type DataType,
} from "../types/data-type.js";

type Json = string | { readonly type: unknown; readonly [k: string]: unknown } | readonly Json[];

/** A compiled Avro schema: its Sluice type and value conversions both ways. */
export interface AvroCodec {
  readonly dataType: DataType;
  readonly nullable: boolean;
  /** avsc's type for the schema (logical types left to the conversions below). */
  readonly avroType: avro.Type;
  fromAvro(v: unknown): unknown;
  toAvro(v: unknown): unknown;
}

interface Node { dataType: DataType; nullable: boolean; from(v: unknown): unknown; to(v: unknown): unknown }

function unsupported(what: string): SluiceError {
  return new SluiceError("UNSUPPORTED_DATATYPE", `Unsupported Avro type: ${what}.`, { params: { type: what } });
}

const id = (v: unknown): unknown => v;

function decimalFromBytes(b: Uint8Array): bigint {
  let n = 0n;
  for (const x of b) n = (n << 8n) | BigInt(x);
  if (b.length > 0 && (b[0]! & 0x80) !== 0) n -= 1n << BigInt(b.length * 8);
  return n;
}

/** An unscaled decimal as big-endian two's-complement bytes (padded to `size` for a fixed). */
function decimalToBytes(v: bigint, size?: number): Buffer {
  let n = v;
  const bytes: number[] = [];
  const negative = n < 0n;
  do { bytes.unshift(Number(n & 0xffn)); n >>= 8n; } while (negative ? n !== -1n || (bytes[0]! & 0x80) === 0 : n !== 0n || (bytes[0]! & 0x80) !== 0);
  while (size !== undefined && bytes.length < size) bytes.unshift(negative ? 0xff : 0);
  return Buffer.from(bytes);
}

function build(s: Json, named: Map<string, Json>): Node {
  if (Array.isArray(s)) {
    const branches = s as readonly Json[];
    const nonNull = branches.filter((b) => b !== "null");
    const nullable = nonNull.length < branches.length;
    if (nonNull.length === 0) return { dataType: NullType, nullable: true, from: () => null, to: () => null };
    if (nonNull.length === 1) {
      const inner = build(nonNull[0]!, named);
      const name = branchName(nonNull[0]!);
      // Unions are read wrapped ({"long": 3}); a single non-null branch reads as that branch's value.
      return { dataType: inner.dataType, nullable: true, from: (v) => (v === null ? null : inner.from((v as Record<string, unknown>)[name])), to: (v) => (v === null || v === undefined ? null : { [name]: inner.to(v) }) };
    }
    const members = nonNull.map((b) => ({ node: build(b, named), name: branchName(b) }));
    return {
      dataType: structType(members.map((m, i) => structField(`member${i}`, m.node.dataType, true))), nullable,
      from: (v) => { if (v === null) return null; const [k, x] = Object.entries(v as Record<string, unknown>)[0]!; return members.map((m) => (m.name === k ? m.node.from(x) : null)); },
      to: (v) => { if (v === null) return null; const row = v as unknown[]; const i = row.findIndex((x) => x !== null); return i < 0 ? null : { [members[i]!.name]: members[i]!.node.to(row[i]) }; },
    };
  }
  if (typeof s === "string") {
    switch (s) {
      case "null": return { dataType: NullType, nullable: true, from: () => null, to: () => null };
      case "boolean": return { dataType: BooleanType, nullable: false, from: id, to: id };
      case "int": return { dataType: IntegerType, nullable: false, from: id, to: id };
      case "long": return { dataType: LongType, nullable: false, from: id, to: (v) => (typeof v === "bigint" ? Number(v) : v) };
      case "float": return { dataType: FloatType, nullable: false, from: id, to: id };
      case "double": return { dataType: DoubleType, nullable: false, from: id, to: id };
      case "bytes": return { dataType: BinaryType, nullable: false, from: (v) => new Uint8Array(v as Buffer), to: (v) => Buffer.from(v as Uint8Array) };
      case "string": return { dataType: StringType, nullable: false, from: id, to: id };
      default: {
        const def = named.get(s);
        if (def === undefined) throw unsupported(`unknown named type ${s}`);
        return build(def, named);
      }
    }
  }
  const o = s as { type: unknown; logicalType?: string; name?: string; namespace?: string; [k: string]: unknown };
  if (typeof o.name === "string" && (o.type === "record" || o.type === "enum" || o.type === "fixed")) {
    named.set(o.name, o as Json);
    if (typeof o.namespace === "string") named.set(`${o.namespace}.${o.name}`, o as Json);
  }
  const logical = o.logicalType;
  if (logical === "decimal" && (o.type === "bytes" || o.type === "fixed")) {
    const precision = Number(o["precision"]), scale = Number(o["scale"] ?? 0);
    return { dataType: decimalType(precision, scale), nullable: false, from: (v) => decimalFromBytes(v as Buffer), to: (v) => decimalToBytes(v as bigint, o.type === "fixed" ? Number(o["size"]) : undefined) };
  }
  if (logical === "date" && o.type === "int") return { dataType: DateType, nullable: false, from: id, to: id };
  if ((logical === "timestamp-millis" || logical === "local-timestamp-millis") && o.type === "long") {
    return { dataType: logical.startsWith("local") ? TimestampNTZType : TimestampType, nullable: false, from: (v) => (v as number) * 1000, to: (v) => Math.floor((v as number) / 1000) };
  }
  if ((logical === "timestamp-micros" || logical === "local-timestamp-micros") && o.type === "long") {
    return { dataType: logical.startsWith("local") ? TimestampNTZType : TimestampType, nullable: false, from: id, to: id };
  }
  switch (o.type) {
    case "record": case "error": {
      const fields = (o["fields"] as { name: string; type: Json }[]).map((f) => ({ name: f.name, node: build(f.type, named) }));
      return {
        dataType: structType(fields.map((f) => structField(f.name, f.node.dataType, f.node.nullable))), nullable: false,
        from: (v) => { const r = v as Record<string, unknown>; return fields.map((f) => f.node.from(r[f.name] ?? null)); },
        to: (v) => { const row = v as unknown[]; const r: Record<string, unknown> = {}; fields.forEach((f, i) => { r[f.name] = f.node.to(row[i] ?? null); }); return r; },
      };
    }
    case "enum": return { dataType: StringType, nullable: false, from: id, to: id };
    case "fixed": return { dataType: BinaryType, nullable: false, from: (v) => new Uint8Array(v as Buffer), to: (v) => Buffer.from(v as Uint8Array) };
    case "array": {
      const item = build(o["items"] as Json, named);
      return { dataType: arrayType(item.dataType, item.nullable), nullable: false, from: (v) => (v as unknown[]).map(item.from), to: (v) => (v as unknown[]).map(item.to) };
    }
    case "map": {
      const value = build(o["values"] as Json, named);
      return {
        dataType: mapType(StringType, value.dataType, value.nullable), nullable: false,
        from: (v) => new Map(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, value.from(x)])),
        to: (v) => Object.fromEntries([...(v as Map<string, unknown>)].map(([k, x]) => [k, value.to(x)])),
      };
    }
    default: return build(o.type as Json, named);
  }
}

function branchName(b: Json): string {
  if (typeof b === "string") return b;
  const o = b as { type: unknown; name?: string; namespace?: string };
  if (typeof o.name === "string" && (o.type === "record" || o.type === "enum" || o.type === "fixed")) return o.namespace ? `${o.namespace}.${o.name}` : o.name;
  return typeof o.type === "string" ? o.type : "union";
}

function schemaJson(schemaText: string): Json {
  try { return JSON.parse(schemaText) as Json; } catch {
    return schemaText.trim().replace(/^"|"$/g, ""); // a bare primitive name
  }
}

function typeOf(json: Json): avro.Type {
  try {
    return avro.Type.forSchema(json as avro.Schema, { wrapUnions: true });
  } catch (e) {
    throw new SluiceError("INVALID_OPTION", `Invalid Avro schema: ${(e as Error).message}`, { cause: e, params: { option: "jsonFormatSchema" } });
  }
}

/** avsc's type for an Avro schema given as JSON text (unions wrapped, logical types left to the codec). */
export function avroType(schemaText: string): avro.Type {
  return typeOf(schemaJson(schemaText));
}

/** Compiles an Avro schema given as JSON text (as `from_avro`'s jsonFormatSchema). */
export function avroCodec(schemaText: string): AvroCodec {
  const json = schemaJson(schemaText);
  const type = typeOf(json); // first: an invalid schema is reported by avsc, which names what is wrong
  const node = build(json, new Map());
  return { dataType: node.dataType, nullable: node.nullable, avroType: type, fromAvro: node.from, toAvro: node.to };
}

/**
 * Reads values written with `writer` as `reader` (Avro schema resolution: fields matched by name or alias, defaults
 * for fields the writer lacks, writer-only fields skipped, promotions such as int → long). Fails when the schemas
 * cannot be resolved, naming why.
 */
export function avroResolver(reader: avro.Type, writer: avro.Type): avro.Resolver {
  try {
    return reader.createResolver(writer);
  } catch (e) {
    throw new SluiceError("INVALID_SCHEMA", `The writer's Avro schema cannot be read with the reader schema: ${(e as Error).message}. Make the reader schema compatible (defaults for added fields) or read with the writer's schema.`, { cause: e });
  }
}

/** Paths of record fields the writer has and the reader lacks (`tip`, `fare.currency`): what a newer writer added. */
export function fieldsNewIn(writer: avro.Type, reader: avro.Type, prefix = ""): string[] {
  const recordOf = (t: avro.Type): avro.types.RecordType | undefined => {
    if (t.typeName === "record" || t.typeName === "error") return t as avro.types.RecordType;
    if (t.typeName === "union:wrapped" || t.typeName === "union:unwrapped") {
      return (t as avro.types.WrappedUnionType).types.map(recordOf).find((r) => r !== undefined);
    }
    return undefined;
  };
  const w = recordOf(writer), r = recordOf(reader);
  if (w === undefined || r === undefined) return [];
  const out: string[] = [];
  for (const f of w.fields) {
    const match = r.fields.find((g) => g.name === f.name || g.aliases.includes(f.name));
    if (match === undefined) out.push(prefix + f.name);
    else out.push(...fieldsNewIn(f.type, match.type, `${prefix}${f.name}.`));
  }
  return out;
}

/** Spark's SchemaConverters.toAvroType: the Avro schema `to_avro` writes for a Sluice type without a given schema. */
export function avroSchemaFor(t: DataType, nullable: boolean, name = "topLevelRecord", ns = ""): Json {
  const wrap = (s: Json): Json => (nullable ? [s, "null"] : s);
  switch (t.kind) {
    case "boolean": return wrap("boolean");
    case "byte": case "short": case "integer": return wrap("int");
    case "long": return wrap("long");
    case "float": return wrap("float");
    case "double": return wrap("double");
    case "string": return wrap("string");
    case "binary": return wrap("bytes");
    case "date": return wrap({ type: "int", logicalType: "date" });
    case "timestamp": return wrap({ type: "long", logicalType: "timestamp-micros" });
    case "timestamp_ntz": return wrap({ type: "long", logicalType: "local-timestamp-micros" });
    case "decimal": return wrap({ type: "fixed", name: `${ns ? `${ns}.` : ""}${name}`.replace(/\./g, "_") + "_fixed", size: Math.ceil((t.precision * Math.log2(10) + 1) / 8), logicalType: "decimal", precision: t.precision, scale: t.scale });
    case "array": return wrap({ type: "array", items: avroSchemaFor(t.elementType, t.containsNull, name, ns) });
    case "map": return wrap({ type: "map", values: avroSchemaFor(t.valueType, t.valueContainsNull, name, ns) });
    case "struct": {
      const childNs = ns === "" ? name : `${ns}.${name}`;
      return wrap({ type: "record", name, ...(ns !== "" ? { namespace: ns } : {}), fields: t.fields.map((f) => ({ name: f.name, type: avroSchemaFor(f.dataType, f.nullable, f.name, childNs) })) });
    }
    default: throw unsupported(simpleString(t));
  }
}
