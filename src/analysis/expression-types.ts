/** Type and nullability of resolved expressions. */
import { formatUnscaled } from "../types/decimal.js";
import { REDACTED, isSecretOption, redactUrlCredentials } from "../security/redaction.js";
import { internalError } from "../errors/sluice-error.js";
import { anyNode, type Expression } from "../expressions/expression.js";
import { lookupFunction } from "../functions/registry.js";
import { aggregateFunction } from "../functions/aggregate-functions.js";
import { AGGREGATE_NAMES } from "../functions/aggregate-names.js";

const isAggregateName = (name: string): boolean => AGGREGATE_NAMES.has(name);
import { BooleanType, LongType, NullType, type DataType } from "../types/data-type.js";
import { arithmeticType, widerType } from "./type-coercion.js";
import { formatDouble, formatFloat } from "../types/value-format.js";
import { TIMESTAMP_LITERAL_FUNCTION, defaultTimeZone, formatDate, formatTimestamp, parseTimestampLiteral } from "../types/datetime.js";

const typeCache = new WeakMap<Expression, DataType>();

export function dataTypeOf(e: Expression): DataType {
  const cached = typeCache.get(e);
  if (cached) return cached;
  const t = computeType(e);
  typeCache.set(e, t);
  return t;
}

function computeType(e: Expression): DataType {
  switch (e.kind) {
    case "boundRef": return e.dataType;
    case "literal": return e.dataType;
    case "alias": case "sortOrder": return dataTypeOf(e.child);
    case "cast": return e.to;
    case "unary":
      switch (e.op) {
        case "not": case "isNull": case "isNotNull": return BooleanType;
        default: return dataTypeOf(e.child);
      }
    case "binary": {
      switch (e.op) {
        case "and": case "or": case "=": case "<=>": case "!=": case "<": case "<=": case ">": case ">=": return BooleanType;
        case "||": return dataTypeOf(e.left);
        case "&": case "|": case "^": return dataTypeOf(e.left);
        default: {
          const l = dataTypeOf(e.left), r = dataTypeOf(e.right);
          if ((l.kind === "timestamp" || l.kind === "date") && r.kind === "interval") return l.kind === "date" ? l : l;
          if (e.op === "-" && l.kind === "timestamp" && r.kind === "timestamp") return LongType;
          return arithmeticType(e.op, l, r) ?? l;
        }
      }
    }
    case "case": {
      let t: DataType | undefined = NullType;
      for (const [, v] of e.branches) t = t && widerType(t, dataTypeOf(v));
      if (e.otherwise) t = t && widerType(t, dataTypeOf(e.otherwise));
      return t ?? NullType;
    }
    case "in": case "like": return BooleanType;
    case "function": {
      if (isAggregateName(e.name)) return aggregateFunction(e.name, e.args.map(dataTypeOf), e.distinct).resultType;
      const def = lookupFunction(e.name);
      if (!def) throw internalError(`function ${e.name} reached typing unresolved`);
      return def.resolve(e.args.map(dataTypeOf), e.args).returnType;
    }
    case "extract": {
      const t = dataTypeOf(e.child);
      if (t.kind === "struct") return t.fields[e.key.kind === "literal" ? (e.key.value as number) : 0]!.dataType;
      if (t.kind === "array") return t.elementType;
      if (t.kind === "map") return t.valueType;
      throw internalError("extract on a non-nested type");
    }
    case "column": case "star": throw internalError(`${e.kind} reached typing unresolved`);
  }
}

export function nullableOf(e: Expression): boolean {
  switch (e.kind) {
    case "boundRef": return e.nullable;
    case "literal": return e.value === null;
    case "alias": case "sortOrder": return nullableOf(e.child);
    case "cast": return e.mode === "try" || nullableOf(e.child) || e.to.kind !== dataTypeOf(e.child).kind && (dataTypeOf(e.child).kind === "string");
    case "unary": return e.op === "isNull" || e.op === "isNotNull" ? false : nullableOf(e.child);
    case "binary":
      if (e.op === "<=>") return false;
      if (e.op === "/" || e.op === "%" || e.op === "div") return true;
      return nullableOf(e.left) || nullableOf(e.right);
    case "case": return e.otherwise === null || e.branches.some(([, v]) => nullableOf(v)) || nullableOf(e.otherwise);
    case "in": return nullableOf(e.child) || e.list.some(nullableOf);
    case "like": return nullableOf(e.child) || nullableOf(e.pattern);
    case "function": {
      if (isAggregateName(e.name)) return aggregateFunction(e.name, e.args.map(dataTypeOf), e.distinct).nullable;
      const def = lookupFunction(e.name);
      const sig = def?.resolve(e.args.map(dataTypeOf), e.args);
      if (sig?.nullable !== undefined) return sig.nullable;
      return true;
    }
    case "extract": return true;
    case "column": case "star": return true;
  }
}

/** The column name Spark gives an unaliased expression (`(a + 1)`, `CAST(x AS STRING)`, `upper(name)`). */
export function autoName(e: Expression): string {
  // A struct field access is named after the field, as Spark does (`s.f` → `f`).
  // A field of a column (`st.x`, `st.a.b`) is named after the field; a field of another expression keeps its text.
  if (e.kind === "extract" && e.key.kind === "literal" && typeof e.key.value === "number" && isFieldChain(e.child)) {
    const t = dataTypeOf(e.child);
    if (t.kind === "struct") return t.fields[e.key.value]!.name;
  }
  // A cast of a column keeps the column's name (`CAST(a AS STRING)` is `a`), as Spark names it.
  if (e.kind === "cast" && e.child.kind === "boundRef") return e.child.name;
  return sqlText(e, true);
}

function isFieldChain(e: Expression): boolean {
  if (e.kind === "boundRef") return true;
  return e.kind === "extract" && e.key.kind === "literal" && typeof e.key.value === "number" && dataTypeOf(e.child).kind === "struct" && isFieldChain(e.child);
}

/** Function names Spark prints differently from the call (upper case, default arguments shown, options left out). */
function prettyFunction(name: string, args: readonly string[]): string | undefined {
  switch (name) {
    case "e": case "pi": return args.length === 0 ? `${name.toUpperCase()}()` : undefined;
    case "log": return args.length === 1 ? `LOG(E(), ${args[0]})` : `LOG(${args.join(", ")})`;
    case "round": case "bround": return args.length === 1 ? `${name}(${args[0]}, 0)` : undefined;
    case "from_json": return args.length >= 1 ? `from_json(${args[0]})` : undefined;
    default: return undefined;
  }
}

/** An options map's value as explain() shows it: redacted under a secret-looking key, URL credentials hidden. */
function optionValueText(key: unknown, valueText: string): string {
  return typeof key === "string" && isSecretOption(key) ? REDACTED : redactUrlCredentials(valueText);
}

/** SQL text of `e`; for column names (`forName`), casts the analyzer inserted are left out, as Spark names before coercion. */
export function sqlText(e: Expression, forName = false): string {
  const t = (x: Expression): string => sqlText(x, forName);
  switch (e.kind) {
    case "column": return e.nameParts.join(".");
    case "boundRef": return e.name;
    case "literal": return literalText(e.value, e.dataType, forName);
    case "alias": return e.name;
    case "star": return [...e.qualifier, "*"].join(".");
    case "unary":
      switch (e.op) {
        case "not": return `(NOT ${t(e.child)})`;
        case "negate": return `(- ${t(e.child)})`;
        case "positive": return `(+ ${t(e.child)})`;
        case "bitnot": return `~${t(e.child)}`;
        case "isNull": return `(${t(e.child)} IS NULL)`;
        case "isNotNull": return `(${t(e.child)} IS NOT NULL)`;
      }
      break;
    case "binary": {
      if (e.op === "!=") return `(NOT (${t(e.left)} = ${t(e.right)}))`; // Spark's `a != b` and `a <> b` are NOT (a = b)
      const op = e.op === "and" ? "AND" : e.op === "or" ? "OR" : e.op === "div" ? "div" : e.op;
      return `(${t(e.left)} ${op} ${t(e.right)})`;
    }
    case "cast":
      if (forName && e.implicit === true) return t(e.child);
      return `${e.mode === "try" ? "TRY_CAST" : "CAST"}(${t(e.child)} AS ${simpleTypeUpper(e.to)})`;
    case "case":
      return `CASE ${e.branches.map(([c, v]) => `WHEN ${t(c)} THEN ${t(v)}`).join(" ")}${e.otherwise ? ` ELSE ${t(e.otherwise)}` : ""} END`;
    case "in": return `(${t(e.child)} IN (${e.list.map((x) => t(x)).join(", ")}))`;
    case "like":
      if (e.op === "rlike") return `RLIKE(${t(e.child)}, ${t(e.pattern)})`;
      if (e.op === "ilike") return `ilike(${t(e.child)}, ${t(e.pattern)})`;
      return `${t(e.child)} LIKE ${t(e.pattern)}`;
    case "function":
      if (e.name === TIMESTAMP_LITERAL_FUNCTION && e.args[0]?.kind === "literal") {
        return `TIMESTAMP '${formatTimestamp(parseTimestampLiteral(String(e.args[0].value), "UTC"), "UTC")}'`;
      }
      // An options map (from_avro's registry credentials, say): values of secret-looking keys never reach explain().
      if (e.name === "map") {
        const parts = e.args.map((x, i) => {
          if (i % 2 === 0) return t(x);
          const k = e.args[i - 1]!;
          return optionValueText(k.kind === "literal" ? k.value : undefined, t(x));
        });
        return `map(${parts.join(", ")})`;
      }
      if (SHIFT_OPERATORS.has(e.name) && e.args.length === 2) return `(${t(e.args[0]!)} ${e.name} ${t(e.args[1]!)})`;
      const args = e.args.map((x) => t(x)); // once: nested calls must not be rendered again per level
      if (forName && !e.distinct) {
        const pretty = prettyFunction(e.name, args);
        if (pretty !== undefined) return pretty;
      }
      if (e.name === "floor" || e.name === "ceil") return `${e.name.toUpperCase()}(${args.join(", ")})`; // as Spark names them
      return `${e.name}(${e.distinct ? "DISTINCT " : ""}${args.join(", ")})`;
    case "extract": {
      const child = t(e.child);
      const resolved = !anyNode(e.child, (x) => x.kind === "column" || x.kind === "star");
      // A string key is a field name before resolution (`f(x).y`), a map key after it (`m[k]`).
      if (e.key.kind === "literal" && typeof e.key.value === "string" && !(resolved && dataTypeOf(e.child).kind === "map")) return `${child}.${e.key.value}`;
      if (e.key.kind === "literal" && typeof e.key.value === "number" && e.child.kind !== "column" && resolved) {
        const t = dataTypeOf(e.child);
        if (t.kind === "struct") return `${child}.${t.fields[e.key.value]!.name}`;
      }
      return `${child}[${t(e.key)}]`;
    }
    case "sortOrder": return `${t(e.child)} ${e.ascending ? "ASC" : "DESC"} NULLS ${e.nullsFirst ? "FIRST" : "LAST"}`;
  }
  return "?";
}

function simpleTypeUpper(t: DataType): string {
  switch (t.kind) {
    case "integer": return "INT";
    case "long": return "BIGINT";
    case "short": return "SMALLINT";
    case "byte": return "TINYINT";
    case "decimal": return `DECIMAL(${t.precision},${t.scale})`;
    case "array": return `ARRAY<${simpleTypeUpper(t.elementType)}>`;
    case "map": return `MAP<${simpleTypeUpper(t.keyType)}, ${simpleTypeUpper(t.valueType)}>`;
    case "struct": return `STRUCT<${t.fields.map((f) => `${f.name}: ${simpleTypeUpper(f.dataType)}`).join(", ")}>`;
    case "null": return "VOID";
    default: return t.kind.toUpperCase();
  }
}

const SHIFT_OPERATORS = new Set(["<<", ">>", ">>>"]);

/** A literal as Spark prints it: in column names (`forName`) without type suffixes, doubles as Java prints them. */
function literalText(v: unknown, t: DataType, forName = false): string {
  if (v === null) return "NULL";
  switch (t.kind) {
    case "string": return v as string;
    case "long": return forName ? String(v) : `${String(v)}L`;
    case "double": return formatDouble(v as number);
    case "float": return formatFloat(v as number);
    case "decimal": return formatUnscaled(v as bigint, t.scale);
    case "date": return `DATE '${formatDate(v as number)}'`;
    case "timestamp": return `TIMESTAMP '${formatTimestamp(v as number, defaultTimeZone())}'`;
    case "timestamp_ntz": return `TIMESTAMP_NTZ '${formatTimestamp(v as number, "UTC")}'`;
    case "binary": return `X'${Buffer.from(v as Uint8Array).toString("hex").toUpperCase()}'`;
    case "boolean": return v ? "true" : "false";
    case "date": return `DATE '${formatDate(v as number)}'`;
    case "timestamp": return `TIMESTAMP '${formatTimestamp(v as number, "UTC")}'`;
    case "timestamp_ntz": return `TIMESTAMP_NTZ '${formatTimestamp(v as number, "UTC")}'`;
    case "interval": {
      const i = v as { months: number; days: number; micros: number };
      const parts: string[] = [];
      if (i.months) parts.push(`${i.months} months`);
      if (i.days) parts.push(`${i.days} days`);
      if (i.micros) parts.push(`${i.micros / 1_000_000} seconds`);
      return `INTERVAL '${parts.join(" ") || "0 seconds"}'`;
    }
    case "map": // an options map: values of secret-looking keys never reach explain()
      return `map(${[...(v as Map<unknown, unknown>)].map(([k, x]) => `${String(k)}, ${optionValueText(k, String(x))}`).join(", ")})`;
    default: return String(v);
  }
}
