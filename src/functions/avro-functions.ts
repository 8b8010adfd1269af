/**
 * `from_avro(data, jsonFormatSchema[, options])` and `to_avro(data[, jsonFormatSchema])` as spark-avro defines them:
 * `from_avro` reads Avro binary into the type the schema converts to, with `mode` FAILFAST (Spark's default: a
 * malformed or truncated value fails the query, naming it) or PERMISSIVE (it reads as null); `to_avro` writes the
 * value as Avro binary with the given schema, or with the one Spark derives from the column's type.
 */
import { SluiceError } from "../errors/sluice-error.js";
import { avroCodec, avroSchemaFor, type AvroCodec } from "../formats/avro-codec.js";
import { BinaryType } from "../types/data-type.js";
import { optionsArgument } from "./format-functions.js";
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

function malformedAvro(cause: unknown): SluiceError {
  return new SluiceError("MALFORMED_RECORD_IN_PARSING",
    "Malformed records are detected in record parsing. Current parse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'.",
    { cause, params: { failFastMode: "FAILFAST" } });
}

export const avroFunctions: readonly FunctionDef[] = [
  {
    name: "from_avro", minArgs: 2, maxArgs: 3,
    resolve: (types, args) => {
      requireType("from_avro", types[0]!, (t) => t.kind === "binary" || t.kind === "null", "binary", 0);
      const codec = cachedCodec(schemaText("from_avro", literalArg("from_avro", args, 1)));
      return { argTypes: [undefined, undefined, undefined], returnType: codec.dataType, nullable: true };
    },
    compile: (_t, _r, _ctx, args) => {
      const codec = cachedCodec(schemaText("from_avro", literalArg("from_avro", args, 1)));
      const opts = optionsArgument("from_avro", args, 2);
      const mode = (opts["mode"] ?? "FAILFAST").toUpperCase();
      if (mode !== "FAILFAST" && mode !== "PERMISSIVE") throw new SluiceError("INVALID_OPTION", `from_avro() doesn't support the ${mode} mode. Acceptable modes are PERMISSIVE and FAILFAST.`, { params: { option: "mode", value: mode } });
      return (a) => {
        const bytes = a[0] as Uint8Array;
        try {
          const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          const { value, offset } = codec.avroType.decode(buf, 0);
          if (offset < 0) throw new Error(`truncated Avro value (${bytes.byteLength} bytes)`);
          return codec.fromAvro(value);
        } catch (e) {
          if (mode === "FAILFAST") throw malformedAvro(e);
          return null;
        }
      };
    },
  },
  {
    name: "to_avro", minArgs: 1, maxArgs: 2,
    resolve: () => ({ argTypes: [undefined, undefined], returnType: BinaryType }),
    compile: ([t], _r, _ctx, args) => {
      const given = literalArg("to_avro", args, 1);
      // Without a schema: Spark's derived one (a struct is a non-null record; other values nullable unions).
      const codec = given === undefined ? cachedCodec(JSON.stringify(avroSchemaFor(t!, t!.kind !== "struct"))) : cachedCodec(schemaText("to_avro", given));
      return (a) => {
        try {
          return new Uint8Array(codec.avroType.toBuffer(codec.toAvro(a[0])));
        } catch (e) {
          throw new SluiceError("DATATYPE_MISMATCH", `to_avro: the value does not fit the Avro schema: ${(e as Error).message}`, { cause: e, params: { functionName: "to_avro" } });
        }
      };
    },
  },
];
