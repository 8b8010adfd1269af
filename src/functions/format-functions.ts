/** `from_json`, `to_json`, `from_csv`, `to_csv`, `get_json_object`: text formats inside columns. */
import { SluiceError } from "../errors/sluice-error.js";
import type { Expression } from "../expressions/expression.js";
import { parseDataType, parseSchema } from "../sql/parser.js";
import { StringType, fromJson as typeFromJson, simpleString, structType, structField, type DataType, type StructType } from "../types/data-type.js";
import { csvLine, csvOptions, csvRowConverter, splitCsvLine } from "../formats/csv-codec.js";
import { JsonObject, jsonConverter, parseJsonValue, renderJson, toJsonText, type Converted, type JsonValue } from "../formats/json-codec.js";
import { literalArg, requireType, typeMismatch, type FunctionDef } from "./function-def.js";

/** A schema given as DDL text, Spark's JSON schema, or a StructType passed through `F.fromJson`. */
export function schemaArgument(fn: string, v: unknown): DataType {
  if (typeof v === "object" && v !== null && "kind" in v) return v as DataType;
  if (typeof v !== "string") throw typeMismatch(fn, "the schema must be a DDL string or a StructType");
  const text = v.trim();
  if (text.startsWith("{")) {
    try { return typeFromJson(JSON.parse(text)); } catch (e) {
      if (e instanceof SluiceError) throw e;
      throw new SluiceError("INVALID_SCHEMA", `Cannot parse the schema of ${fn}: ${(e as Error).message}`, { params: { inputSchema: text }, cause: e });
    }
  }
  // `ARRAY<...>` and `MAP<...>` are data types, not DDL column lists.
  if (/^(array|map)\s*</i.test(text)) return parseDataType(text);
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
  if (m !== "PERMISSIVE" && m !== "FAILFAST") throw new SluiceError("PARSE_MODE_UNSUPPORTED", `The function \`${fn}\` doesn't support the ${m} mode. Acceptable modes are PERMISSIVE and FAILFAST.`, { params: { funcName: `\`${fn}\``, mode: m } });
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
      const corruptName = opts["columnNameOfCorruptRecord"] ?? "_corrupt_record";
      const corruptIdx = ret.kind === "struct" ? ret.fields.findIndex((f) => f.name === corruptName && f.dataType.kind === "string") : -1;
      const dataType = corruptIdx >= 0 && ret.kind === "struct" ? structType(ret.fields.filter((_, i) => i !== corruptIdx)) : ret;
      const conv = jsonConverter(dataType, { timeZone: opts["timeZone"] ?? ctx.timeZone, timestampFormat: opts["timestampFormat"], dateFormat: opts["dateFormat"] });
      const state: Converted = { value: null, bad: false };
      const withCorrupt = (row: unknown, text: string | null): unknown => {
        if (corruptIdx < 0) return row;
        const out = row === null ? (dataType as StructType).fields.map(() => null) : [...(row as unknown[])];
        out.splice(corruptIdx, 0, text);
        return out;
      };
      const bad = (text: string, row: unknown): unknown => {
        if (mode === "FAILFAST") throw malformed(text);
        return withCorrupt(row ?? nullRecord(dataType), text);
      };
      return (a) => {
        const text = a[0] as string;
        let parsed: JsonValue | undefined;
        try { parsed = parseJsonValue(text); } catch { return bad(text, null); }
        if (parsed === undefined) return null; // blank text: NULL, not a malformed record
        // The root must match the schema: an object for a struct or map, an array for an array (the text `null` too is
        // a malformed record for a struct).
        // An array of structs also takes one object, as a one-element array (as Spark does).
        if (dataType.kind === "array" && dataType.elementType.kind === "struct" && parsed instanceof JsonObject) parsed = [parsed];
        const fits = dataType.kind === "array" ? Array.isArray(parsed) : parsed instanceof JsonObject;
        if (!fits) return bad(text, null);
        state.bad = false;
        const v = conv(parsed, state);
        if (state.bad) return bad(text, v);
        return withCorrupt(v, null);
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
    resolve: () => ({ argTypes: [StringType, StringType], returnType: StringType, nullable: true }),
    compile: () => {
      let cachedPath: string | undefined, steps: PathStep[] | null = null;
      return (a) => {
        const path = a[1] as string;
        if (path !== cachedPath) { cachedPath = path; steps = parseJsonPath(path); }
        if (steps === null) return null;
        let v: JsonValue | undefined;
        try { v = parseJsonValue(a[0] as string); } catch { return null; }
        if (v === undefined) return null;
        const matches: JsonValue[] = [];
        collectPath(v, steps, 0, matches);
        const wildcard = steps.some((st) => st.kind === "wildcard");
        if (matches.length === 0) return null;
        if (!wildcard || matches.length === 1) { const m = matches[0]!; return typeof m === "string" ? m : renderJson(m); }
        return `[${matches.map(renderJson).join(",")}]`;
      };
    },
  },
  {
    // The struct behind the json_tuple generator (the analyzer turns json_tuple into an inline of this struct).
    name: "__json_tuple", minArgs: 2, maxArgs: 1000,
    resolve: (types) => ({ argTypes: types.map(() => StringType), returnType: structType(types.slice(1).map((_, i) => structField(`c${i}`, StringType))) }),
    compile: () => (a) => {
      const fields = a.slice(1);
      let v: JsonValue | undefined;
      try { v = a[0] === null ? undefined : parseJsonValue(a[0] as string); } catch { v = undefined; }
      if (!(v instanceof JsonObject)) return fields.map(() => null);
      return fields.map((k) => {
        if (k === null) return null;
        const x = (v as JsonObject).record()[k as string]; // the last of duplicate keys, as Spark's json_tuple
        return x === undefined || x === null ? null : typeof x === "string" ? x : renderJson(x);
      });
    },
    nullSafe: true,
  },
];

/** One step of Spark's JSON path (`$.a`, `$['a']`, `$[0]`, `$[*]`). */
type PathStep = { kind: "key"; name: string } | { kind: "index"; index: number } | { kind: "wildcard" };

/** Spark's JsonPathParser: `$` then `.name`, `['name']`, `[n]` or `[*]`; anything else is no path (NULL). */
function parseJsonPath(path: string): PathStep[] | null {
  if (!path.startsWith("$")) return null;
  const steps: PathStep[] = [];
  let i = 1;
  while (i < path.length) {
    if (path[i] === ".") {
      let j = i + 1;
      while (j < path.length && path[j] !== "." && path[j] !== "[") j++;
      const name = path.slice(i + 1, j);
      if (name === "" || name === "*") return null;
      steps.push({ kind: "key", name });
      i = j;
    } else if (path[i] === "[") {
      const close = path.indexOf("]", i);
      if (close < 0) return null;
      const inner = path.slice(i + 1, close);
      if (inner === "*") steps.push({ kind: "wildcard" });
      else if (/^\d+$/.test(inner)) steps.push({ kind: "index", index: Number(inner) });
      else if (/^'[^']*'$/.test(inner)) steps.push({ kind: "key", name: inner.slice(1, -1) });
      else return null;
      i = close + 1;
    } else return null;
  }
  return steps;
}

function collectPath(v: JsonValue, steps: readonly PathStep[], i: number, out: JsonValue[]): void {
  if (i === steps.length) { out.push(v); return; }
  const st = steps[i]!;
  if (st.kind === "key") {
    if (v instanceof JsonObject) { const x = v.get(st.name); if (x !== undefined) collectPath(x, steps, i + 1, out); }
  } else if (Array.isArray(v)) {
    if (st.kind === "index") { if (st.index < v.length) collectPath(v[st.index]!, steps, i + 1, out); }
    else for (const x of v) collectPath(x, steps, i + 1, out);
  }
}
