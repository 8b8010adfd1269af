/** `from_json`, `to_json`, `from_csv`, `to_csv`, `get_json_object`: text formats inside columns. */
import { SluiceError } from "../errors/sluice-error.js";
import type { Expression } from "../expressions/expression.js";
import { parseSchema } from "../sql/parser.js";
import { StringType, fromJson as typeFromJson, simpleString, structType, structField, type DataType, type StructType } from "../types/data-type.js";
import { csvLine, csvOptions, csvRowConverter, splitCsvLine } from "../formats/csv-codec.js";
import { jsonConverter, parseJsonExact, toJsonText, type Converted } from "../formats/json-codec.js";
import { literalArg, requireType, typeMismatch, type FunctionDef } from "./function-def.js";

/** A schema given as DDL text, Spark's JSON schema, or a StructType passed through `F.fromJson`. */
export function schemaArgument(fn: string, v: unknown): DataType {
  if (typeof v === "object" && v !== null && "kind" in v) return v as DataType;
  if (typeof v !== "string") throw typeMismatch(fn, "the schema must be a DDL string or a StructType");
  const text = v.trim();
  if (text.startsWith("{")) return typeFromJson(JSON.parse(text));
  return parseSchema(text);
}

/** Options given as a map literal, `map('k', 'v', ...)`, or an object passed by the Column API. */
export function optionsArgument(fn: string, args: readonly Expression[], i: number): Record<string, string> {
  const a = args[i];
  if (a === undefined) return {};
  if (a.kind === "function" && a.name === "map") {
    const out: Record<string, string> = {};
    for (let k = 0; k < a.args.length; k += 2) out[String(literalArg(fn, a.args, k))] = String(literalArg(fn, a.args, k + 1));
    return out;
  }
  const v = literalArg(fn, args, i);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), String(x)]));
  return {};
}

/** The `mode` option of from_json / from_csv (default PERMISSIVE) and from_avro (default FAILFAST), as Spark checks it. */
export function parseMode(fn: string, opts: Readonly<Record<string, string>>, dflt: "PERMISSIVE" | "FAILFAST" = "PERMISSIVE"): "PERMISSIVE" | "FAILFAST" {
  const m = (opts["mode"] ?? dflt).toUpperCase();
  if (m !== "PERMISSIVE" && m !== "FAILFAST") throw new SluiceError("INVALID_OPTION", `${fn}() doesn't support the ${m} mode. Acceptable modes are PERMISSIVE and FAILFAST.`, { params: { option: "mode", value: m } });
  return m;
}

function malformed(record: string): SluiceError {
  return new SluiceError("MALFORMED_RECORD_IN_PARSING",
    `Malformed records are detected in record parsing: ${record}. Parse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'.`,
    { params: { badRecord: record, failFastMode: "FAILFAST" } });
}

function nullRecord(t: DataType): unknown {
  return t.kind === "struct" ? t.fields.map(() => null) : null;
}

export const formatFunctions: readonly FunctionDef[] = [
  {
    name: "from_json", minArgs: 2, maxArgs: 3,
    resolve: (types, args) => {
      requireType("from_json", types[0]!, (t) => t.kind === "string" || t.kind === "null", "string", 0);
      return { argTypes: [undefined, undefined, undefined], returnType: schemaArgument("from_json", literalArg("from_json", args, 1)) };
    },
    compile: (_t, ret, ctx, args) => {
      const opts = optionsArgument("from_json", args, 2);
      const mode = parseMode("from_json", opts);
      const conv = jsonConverter(ret, { timeZone: opts["timeZone"] ?? ctx.timeZone, timestampFormat: opts["timestampFormat"], dateFormat: opts["dateFormat"] });
      const state: Converted = { value: null, bad: false, inexact: false };
      return (a) => {
        const text = a[0] as string;
        let parsed: unknown;
        try { parsed = JSON.parse(text); } catch {
          if (mode === "FAILFAST") throw malformed(text);
          return nullRecord(ret);
        }
        state.bad = false;
        state.inexact = false;
        if (parsed === null) return null;
        let v = conv(parsed, state);
        if (state.inexact) { state.bad = false; state.inexact = false; v = conv(parseJsonExact(text), state); } // keep every digit
        if (state.bad && mode === "FAILFAST") throw malformed(text);
        return v ?? nullRecord(ret);
      };
    },
  },
  {
    name: "to_json", minArgs: 1, maxArgs: 2,
    resolve: ([t]) => {
      requireType("to_json", t!, (x) => x.kind === "struct" || x.kind === "array" || x.kind === "map", "struct, array or map", 0);
      return { argTypes: [undefined, undefined], returnType: StringType };
    },
    compile: ([t], _r, ctx, args) => {
      const opts = optionsArgument("to_json", args, 1);
      const o = { timeZone: opts["timeZone"] ?? ctx.timeZone, timestampFormat: opts["timestampFormat"], dateFormat: opts["dateFormat"], ignoreNullFields: opts["ignoreNullFields"] !== "false" };
      return (a) => toJsonText(a[0], t!, o);
    },
  },
  {
    name: "from_csv", minArgs: 2, maxArgs: 3,
    resolve: (types, args) => {
      requireType("from_csv", types[0]!, (t) => t.kind === "string" || t.kind === "null", "string", 0);
      const schema = schemaArgument("from_csv", literalArg("from_csv", args, 1));
      if (schema.kind !== "struct") throw typeMismatch("from_csv", `the schema must be a struct, got ${simpleString(schema)}`);
      return { argTypes: [undefined, undefined, undefined], returnType: schema };
    },
    compile: (_t, ret, ctx, args) => {
      const opts = optionsArgument("from_csv", args, 2);
      const mode = parseMode("from_csv", opts);
      const o = csvOptions(opts, opts["timeZone"] ?? ctx.timeZone);
      const conv = csvRowConverter(ret as StructType, o);
      const state: Converted = { value: null, bad: false, inexact: false };
      return (a) => {
        state.bad = false;
        const row = conv(splitCsvLine(a[0] as string, o), state);
        if (state.bad && mode === "FAILFAST") throw malformed(a[0] as string);
        return row;
      };
    },
  },
  {
    name: "to_csv", minArgs: 1, maxArgs: 2,
    resolve: ([t]) => { requireType("to_csv", t!, (x) => x.kind === "struct", "struct", 0); return { argTypes: [undefined, undefined], returnType: StringType }; },
    compile: ([t], _r, ctx, args) => {
      const o = csvOptions(optionsArgument("to_csv", args, 1), ctx.timeZone);
      return (a) => csvLine(a[0] as unknown[], t as StructType, o);
    },
  },
  {
    name: "get_json_object", minArgs: 2, maxArgs: 2,
    resolve: () => ({ argTypes: [StringType, StringType], returnType: StringType }),
    compile: () => (a) => {
      let v: unknown;
      try { v = JSON.parse(a[0] as string); } catch { return null; }
      const path = a[1] as string;
      if (!path.startsWith("$")) return null;
      for (const m of path.slice(1).matchAll(/\.([^.[\]]+)|\[(\d+)\]|\['([^']+)'\]/g)) {
        if (v === null || typeof v !== "object") return null;
        v = m[2] !== undefined ? (v as unknown[])[Number(m[2])] : (v as Record<string, unknown>)[m[1] ?? m[3]!];
        if (v === undefined) return null;
      }
      return v === null ? null : typeof v === "string" ? v : JSON.stringify(v);
    },
  },
  {
    name: "json_tuple", minArgs: 2, maxArgs: 1000,
    resolve: (types) => ({ argTypes: types.map(() => StringType), returnType: structType(types.slice(1).map((_, i) => structField(`c${i}`, StringType))) }),
    compile: () => (a) => {
      let v: Record<string, unknown>;
      try { v = JSON.parse(a[0] as string) as Record<string, unknown>; } catch { return a.slice(1).map(() => null); }
      return a.slice(1).map((k) => { const x = v?.[k as string]; return x === undefined || x === null ? null : typeof x === "string" ? x : JSON.stringify(x); });
    },
  },
];
