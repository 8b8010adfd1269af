/**
 * `from_avro(data, jsonFormatSchema[, options])` and `to_avro(data[, jsonFormatSchema[, options]])` as spark-avro
 * defines them: `from_avro` reads Avro binary into the type the schema converts to, with `mode` FAILFAST (Spark's
 * default: a malformed or truncated value fails the query, naming it) or PERMISSIVE (it reads as null), and
 * `avroSchema` (an evolved reader schema for data written with jsonFormatSchema); `to_avro` writes the value as Avro
 * binary with the given schema, or with the one Spark derives from the column's type.
 *
 * With a schema registry (options `schemaRegistryAddress` and `subject`, as Databricks' from_avro / to_avro take them;
 * `F.fromAvro(col, undefined, options, subject, address)` fills them in and reads the reader schema) values are in the
 * Confluent wire format: `from_avro` reads each record's writer schema from the registry by the id in its header
 * (cached) and resolves it to the reader schema — older writers get the reader's defaults, newer writers' added
 * fields are dropped, or with `avroSchemaEvolutionMode` `restart` fail the query with UNKNOWN_FIELD_EXCEPTION so a
 * restart picks the new schema up. An unknown schema id or a value without the header is a malformed record for the
 * parse mode. `to_avro` registers its schema under the subject and frames every value with the id.
 */
import type avro from "avsc";
import type { Expression } from "../expressions/expression.js";
import { SluiceError } from "../errors/sluice-error.js";
import { avroCodec, avroResolver, avroSchemaFor, avroType, fieldsNewIn, type AvroCodec } from "../formats/avro-codec.js";
import { registerSchema, registryConnection, schemaById, type RegistryConnection } from "../schema-registry/schema-registry.js";
import { WIRE_HEADER_BYTES, wireFrame, wireSchemaId } from "../schema-registry/wire-format.js";
import { BinaryType } from "../types/data-type.js";
import { optionsArgument, parseMode } from "./format-functions.js";
import { literalArg, requireType, typeMismatch, type FunctionDef } from "./function-def.js";

function schemaText(fn: string, v: unknown): string {
  if (typeof v !== "string") throw typeMismatch(fn, "the Avro schema must be a constant JSON string");
  return v;
}

const codecs = new Map<string, AvroCodec>();
function cachedCodec(text: string): AvroCodec {
  let c = codecs.get(text);
  if (c === undefined) codecs.set(text, (c = avroCodec(text)));
  return c;
}

function malformedAvro(cause: unknown, what?: string): SluiceError {
  return new SluiceError("MALFORMED_RECORD_IN_PARSING",
    `Malformed records are detected in record parsing${what ? ` (${what})` : ""}. Current parse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'.`,
    { cause, params: { failFastMode: "FAILFAST" } });
}

/** A record that cannot be read, for the parse mode to turn into an error or a null. */
class Malformed { constructor(readonly what: string, readonly cause?: unknown) {} }

/** The registry named by the options, when `schemaRegistryAddress` is one of them. */
function registryOf(fn: string, opts: Readonly<Record<string, string>>): { conn: RegistryConnection; subject: string } | undefined {
  const address = opts["schemaRegistryAddress"];
  if (address === undefined) return undefined;
  const subject = opts["subject"];
  if (subject === undefined || subject === "") throw new SluiceError("INVALID_OPTION", `${fn} with schemaRegistryAddress needs the subject too (for a topic's values, '<topic>-value').`, { params: { option: "subject" } });
  return { conn: registryConnection(address, opts), subject };
}

/** The reader schema: the evolved `avroSchema` option when given, else jsonFormatSchema. */
function readerSchema(args: readonly Expression[]): string {
  const opts = optionsArgument("from_avro", args, 2);
  return opts["avroSchema"] ?? schemaText("from_avro", literalArg("from_avro", args, 1));
}

/** Decodes one Avro body at `offset` of `buf` with the reader codec, through `resolver` for another writer schema. */
function decode(codec: AvroCodec, buf: Buffer, offset: number, resolver: avro.Resolver | undefined): unknown {
  const { value, offset: end } = codec.avroType.decode(buf, offset, resolver);
  if (end < 0) throw new Malformed(`truncated Avro value (${buf.byteLength} bytes)`);
  return codec.fromAvro(value);
}

/** Per-schema-id decoding state for the Confluent wire format: the resolver from that writer to the reader. */
type WriterEntry = { readonly resolver: avro.Resolver | undefined } | null;

function confluentDecoder(codec: AvroCodec, readerText: string, registry: { conn: RegistryConnection; subject: string }, restartOnNewFields: boolean): (buf: Buffer) => unknown {
  const writers = new Map<number, WriterEntry>();
  const writerFor = (id: number): WriterEntry => {
    let w = writers.get(id);
    if (w !== undefined) return w;
    const found = schemaById(registry.conn, id);
    if (found === undefined) return null; // not cached: the id may be registered later
    if (found.schema === readerText) w = { resolver: undefined };
    else {
      const writer = avroType(found.schema);
      if (restartOnNewFields) {
        const added = fieldsNewIn(writer, codec.avroType);
        if (added.length > 0) {
          throw new SluiceError("UNKNOWN_FIELD_EXCEPTION",
            `from_avro found records written with schema id ${id} of subject '${registry.subject}', which adds field(s) ${added.map((f) => `'${f}'`).join(", ")} that the query's reader schema lacks. avroSchemaEvolutionMode is 'restart': restart the query to read with the subject's latest schema.`,
            { params: { schemaId: id, subject: registry.subject, fields: added.join(",") } });
        }
      }
      w = { resolver: writer.equals(codec.avroType) ? undefined : avroResolver(codec.avroType, writer) };
    }
    writers.set(id, w);
    return w;
  };
  return (buf) => {
    const id = wireSchemaId(buf);
    if (id < 0) throw new Malformed(`not in the Confluent wire format: ${buf.byteLength < WIRE_HEADER_BYTES ? `${buf.byteLength} bytes` : `magic byte ${buf[0]}`}, expected magic byte 0 and a 4-byte schema id`);
    const w = writerFor(id);
    if (w === null) throw new Malformed(`schema id ${id} is not in the schema registry at ${registry.conn.address}`);
    return decode(codec, buf, WIRE_HEADER_BYTES, w.resolver);
  };
}

export const avroFunctions: readonly FunctionDef[] = [
  {
    name: "from_avro", minArgs: 2, maxArgs: 3,
    resolve: (types, args) => {
      requireType("from_avro", types[0]!, (t) => t.kind === "binary" || t.kind === "null", "binary", 0);
      const codec = cachedCodec(readerSchema(args));
      return { argTypes: [undefined, undefined, undefined], returnType: codec.dataType, nullable: true };
    },
    compile: (_t, _r, _ctx, args) => {
      const readerText = readerSchema(args);
      const codec = cachedCodec(readerText);
      const opts = optionsArgument("from_avro", args, 2);
      const mode = parseMode("from_avro", opts, "FAILFAST");
      const registry = registryOf("from_avro", opts);
      const evolution = (opts["avroSchemaEvolutionMode"] ?? "none").toLowerCase();
      if (evolution !== "none" && evolution !== "restart") throw new SluiceError("INVALID_OPTION", `avroSchemaEvolutionMode must be 'none' or 'restart', not '${evolution}'.`, { params: { option: "avroSchemaEvolutionMode", value: evolution } });
      let read: (buf: Buffer) => unknown;
      if (registry !== undefined) read = confluentDecoder(codec, readerText, registry, evolution === "restart");
      else if (opts["avroSchema"] !== undefined) {
        // jsonFormatSchema is the writer's schema, avroSchema the evolved one to read as.
        const resolver = avroResolver(codec.avroType, avroType(schemaText("from_avro", literalArg("from_avro", args, 1))));
        read = (buf) => decode(codec, buf, 0, resolver);
      } else read = (buf) => decode(codec, buf, 0, undefined);
      return (a) => {
        const bytes = a[0] as Uint8Array;
        try {
          return read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        } catch (e) {
          if (e instanceof SluiceError) throw e; // the registry or the schemas, not this record
          if (mode === "PERMISSIVE") return null;
          throw e instanceof Malformed ? malformedAvro(e.cause, e.what) : malformedAvro(e);
        }
      };
    },
  },
  {
    name: "to_avro", minArgs: 1, maxArgs: 3,
    nullSafe: true, // a null schema argument means "derive it"; a null value still gives null
    resolve: () => ({ argTypes: [undefined, undefined, undefined], returnType: BinaryType }),
    compile: ([t], _r, _ctx, args) => {
      const given = literalArg("to_avro", args, 1);
      // Without a schema: Spark's derived one (a struct is a non-null record; other values nullable unions).
      const text = given === undefined || given === null ? JSON.stringify(avroSchemaFor(t!, t!.kind !== "struct")) : schemaText("to_avro", given);
      const codec = cachedCodec(text);
      const registry = registryOf("to_avro", optionsArgument("to_avro", args, 2));
      const id = registry === undefined ? -1 : registerSchema(registry.conn, registry.subject, text);
      return (a) => {
        if (a[0] === null) return null;
        let body: Uint8Array;
        try {
          body = codec.avroType.toBuffer(codec.toAvro(a[0]));
        } catch (e) {
          throw new SluiceError("DATATYPE_MISMATCH", `to_avro: the value does not fit the Avro schema: ${(e as Error).message}`, { cause: e, params: { functionName: "to_avro" } });
        }
        return id < 0 ? new Uint8Array(body) : wireFrame(id, body);
      };
    },
  },
];
