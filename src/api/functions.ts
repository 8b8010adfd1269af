/** `F`: PySpark's `pyspark.sql.functions` in camelCase. */
import { SluiceError } from "../errors/sluice-error.js";
import { latestSchema, registryConnection } from "../schema-registry/schema-registry.js";
import { Expr } from "../expressions/expression.js";
import { parseNamedExpression } from "../sql/parser.js";
import { StringType, mapType, type DataType } from "../types/data-type.js";
import { Column, colExpr, toExpr, type ColumnOrName } from "./column.js";

const c = (x: ColumnOrName): ReturnType<typeof colExpr> => colExpr(x);
const call = (name: string, ...args: ColumnOrName[]): Column => new Column(Expr.fn(name, args.map(c)));
const optionsMap = (o?: Record<string, string>): ReturnType<typeof toExpr> | undefined =>
  o === undefined ? undefined : Expr.literal(new Map(Object.entries(o)), mapType(StringType, StringType));

export const col = (name: string): Column => new Column(colExpr(name));
export const column = col;
export const lit = (v: unknown): Column => (v instanceof Column ? v : new Column(toExpr(v)));
/** Parses Spark SQL expression text, optionally aliased: `F.expr("CAST(value AS STRING) AS text")`. */
export const expr = (text: string): Column => new Column(parseNamedExpression(text));
export const when = (condition: Column, value: unknown): Column => new Column({ kind: "case", branches: [[condition.expr, toExpr(value)]], otherwise: null });
export const coalesce = (...cols: ColumnOrName[]): Column => call("coalesce", ...cols);
export const isnull = (x: ColumnOrName): Column => call("isnull", x);
export const isnan = (x: ColumnOrName): Column => call("isnan", x);
export const nanvl = (a: ColumnOrName, b: ColumnOrName): Column => call("nanvl", a, b);
export const struct = (...cols: ColumnOrName[]): Column => call("struct", ...cols);
export const array = (...cols: ColumnOrName[]): Column => call("array", ...cols);
export const createMap = (...cols: ColumnOrName[]): Column => call("map", ...cols);
export const explode = (x: ColumnOrName): Column => call("explode", x);
export const explodeOuter = (x: ColumnOrName): Column => call("explode_outer", x);
export const posexplode = (x: ColumnOrName): Column => call("posexplode", x);
export const inline = (x: ColumnOrName): Column => call("inline", x);
export const split = (x: ColumnOrName, pattern: string, limit = -1): Column => new Column(Expr.fn("split", [c(x), toExpr(pattern), toExpr(limit)]));
export const size = (x: ColumnOrName): Column => call("size", x);
export const arrayContains = (x: ColumnOrName, v: unknown): Column => new Column(Expr.fn("array_contains", [c(x), toExpr(v)]));
export const sortArray = (x: ColumnOrName, asc = true): Column => new Column(Expr.fn("sort_array", [c(x), toExpr(asc)]));
export const elementAt = (x: ColumnOrName, k: unknown): Column => new Column(Expr.fn("element_at", [c(x), toExpr(k)]));
export const upper = (x: ColumnOrName): Column => call("upper", x);
export const lower = (x: ColumnOrName): Column => call("lower", x);
export const length = (x: ColumnOrName): Column => call("length", x);
export const trim = (x: ColumnOrName): Column => call("trim", x);
export const ltrim = (x: ColumnOrName): Column => call("ltrim", x);
export const rtrim = (x: ColumnOrName): Column => call("rtrim", x);
export const concat = (...cols: ColumnOrName[]): Column => call("concat", ...cols);
export const concatWs = (sep: string, ...cols: ColumnOrName[]): Column => new Column(Expr.fn("concat_ws", [toExpr(sep), ...cols.map(c)]));
export const substring = (x: ColumnOrName, pos: number, len: number): Column => new Column(Expr.fn("substring", [c(x), toExpr(pos), toExpr(len)]));
export const regexpReplace = (x: ColumnOrName, pattern: string, replacement: string): Column => new Column(Expr.fn("regexp_replace", [c(x), toExpr(pattern), toExpr(replacement)]));
export const regexpExtract = (x: ColumnOrName, pattern: string, idx: number): Column => new Column(Expr.fn("regexp_extract", [c(x), toExpr(pattern), toExpr(idx)]));
export const lpad = (x: ColumnOrName, len: number, pad: string): Column => new Column(Expr.fn("lpad", [c(x), toExpr(len), toExpr(pad)]));
export const rpad = (x: ColumnOrName, len: number, pad: string): Column => new Column(Expr.fn("rpad", [c(x), toExpr(len), toExpr(pad)]));
export const initcap = (x: ColumnOrName): Column => call("initcap", x);
export const reverse = (x: ColumnOrName): Column => call("reverse", x);
export const abs = (x: ColumnOrName): Column => call("abs", x);
export const sqrt = (x: ColumnOrName): Column => call("sqrt", x);
export const exp = (x: ColumnOrName): Column => call("exp", x);
export const log = (x: ColumnOrName): Column => call("ln", x);
export const pow = (a: ColumnOrName, b: unknown): Column => new Column(Expr.fn("pow", [c(a), toExpr(b)]));
export const round = (x: ColumnOrName, scale = 0): Column => new Column(Expr.fn("round", [c(x), toExpr(scale)]));
export const bround = (x: ColumnOrName, scale = 0): Column => new Column(Expr.fn("bround", [c(x), toExpr(scale)]));
export const floor = (x: ColumnOrName): Column => call("floor", x);
export const ceil = (x: ColumnOrName): Column => call("ceil", x);
export const greatest = (...cols: ColumnOrName[]): Column => call("greatest", ...cols);
export const least = (...cols: ColumnOrName[]): Column => call("least", ...cols);
export const currentTimestamp = (): Column => call("current_timestamp");
export const currentDate = (): Column => call("current_date");
/** `to_timestamp(col[, "yyyy-MM-dd HH:mm:ss"])` with Spark's datetime patterns. */
export const toTimestamp = (x: ColumnOrName, format?: string): Column => new Column(Expr.fn("to_timestamp", format === undefined ? [c(x)] : [c(x), toExpr(format)]));
export const toDate = (x: ColumnOrName, format?: string): Column => new Column(Expr.fn("to_date", format === undefined ? [c(x)] : [c(x), toExpr(format)]));
export const dateFormat = (x: ColumnOrName, format: string): Column => new Column(Expr.fn("date_format", [c(x), toExpr(format)]));
export const unixTimestamp = (x?: ColumnOrName, format = "yyyy-MM-dd HH:mm:ss"): Column => new Column(Expr.fn("unix_timestamp", x === undefined ? [] : [c(x), toExpr(format)]));
export const fromUnixtime = (x: ColumnOrName, format = "yyyy-MM-dd HH:mm:ss"): Column => new Column(Expr.fn("from_unixtime", [c(x), toExpr(format)]));
export const year = (x: ColumnOrName): Column => call("year", x);
export const month = (x: ColumnOrName): Column => call("month", x);
export const dayofmonth = (x: ColumnOrName): Column => call("dayofmonth", x);
export const dayofweek = (x: ColumnOrName): Column => call("dayofweek", x);
export const hour = (x: ColumnOrName): Column => call("hour", x);
export const minute = (x: ColumnOrName): Column => call("minute", x);
export const second = (x: ColumnOrName): Column => call("second", x);
export const dateAdd = (x: ColumnOrName, days: number): Column => new Column(Expr.fn("date_add", [c(x), toExpr(days)]));
export const dateSub = (x: ColumnOrName, days: number): Column => new Column(Expr.fn("date_sub", [c(x), toExpr(days)]));
export const datediff = (a: ColumnOrName, b: ColumnOrName): Column => call("datediff", a, b);
export const dateTrunc = (unit: string, x: ColumnOrName): Column => new Column(Expr.fn("date_trunc", [toExpr(unit), c(x)]));

function schemaLiteral(schema: DataType | string): ReturnType<typeof toExpr> {
  return typeof schema === "string" ? Expr.literal(schema, StringType) : Expr.literal(schema, StringType);
}
/** `from_json(col, schema[, options])`: the schema as a StructType or DDL/JSON text; options such as `mode`. */
export const fromJson = (x: ColumnOrName, schema: DataType | string, options?: Record<string, string>): Column => {
  const o = optionsMap(options);
  return new Column(Expr.fn("from_json", o ? [c(x), schemaLiteral(schema), o] : [c(x), schemaLiteral(schema)]));
};
export const toJson = (x: ColumnOrName, options?: Record<string, string>): Column => {
  const o = optionsMap(options);
  return new Column(Expr.fn("to_json", o ? [c(x), o] : [c(x)]));
};
export const fromCsv = (x: ColumnOrName, schema: DataType | string, options?: Record<string, string>): Column => {
  const o = optionsMap(options);
  return new Column(Expr.fn("from_csv", o ? [c(x), schemaLiteral(schema), o] : [c(x), schemaLiteral(schema)]));
};
export const toCsv = (x: ColumnOrName, options?: Record<string, string>): Column => {
  const o = optionsMap(options);
  return new Column(Expr.fn("to_csv", o ? [c(x), o] : [c(x)]));
};
/** The options with the registry's subject and address added (both or neither given); the same options without them. */
function withRegistry(fn: string, options: Record<string, string> | undefined, subject: string | undefined, address: string | undefined): Record<string, string> | undefined {
  if (subject === undefined && address === undefined) return options;
  if (subject === undefined || address === undefined) {
    throw new SluiceError("INVALID_OPTION", `${fn} with a schema registry needs both subject and schemaRegistryAddress.`, { params: { option: subject === undefined ? "subject" : "schemaRegistryAddress" } });
  }
  return { ...options, subject, schemaRegistryAddress: address };
}
/**
 * `from_avro(col, jsonFormatSchema[, options[, subject, schemaRegistryAddress]])`: Avro binary → the schema's type.
 * Options: `mode` FAILFAST (default) or PERMISSIVE; `avroSchema`, an evolved reader schema. With `subject` and
 * `schemaRegistryAddress` (as Databricks' from_avro) the values are Confluent-framed: each record's writer schema comes
 * from the registry by its id and is read as the reader schema — jsonFormatSchema or `avroSchema` when given, else the
 * subject's latest version, read now (restart the program to pick up a newer one; `avroSchemaEvolutionMode: "restart"`
 * fails the query when records with new fields arrive). Registry basic auth: `confluent.schema.registry.basic.auth.user.info`.
 *
 * @example
 * df.select(F.fromAvro(F.col("value"), undefined, {}, "trips-value", "http://127.0.0.1:18081").alias("trip"))
 */
export const fromAvro = (x: ColumnOrName, jsonFormatSchema?: string | null, options?: Record<string, string>, subject?: string, schemaRegistryAddress?: string): Column => {
  let schema = jsonFormatSchema ?? undefined;
  const opts = withRegistry("fromAvro", options, subject, schemaRegistryAddress);
  if (opts !== options) schema ??= options?.["avroSchema"] ?? latestSchema(registryConnection(schemaRegistryAddress!, opts!), subject!).schema;
  if (schema === undefined) throw new SluiceError("INVALID_OPTION", "fromAvro needs jsonFormatSchema, or subject and schemaRegistryAddress to read it from a schema registry.", { params: { option: "jsonFormatSchema" } });
  const o = optionsMap(opts);
  return new Column(Expr.fn("from_avro", o ? [c(x), toExpr(schema), o] : [c(x), toExpr(schema)]));
};
/**
 * `to_avro(col[, jsonFormatSchema[, subject, schemaRegistryAddress[, options]]])`: a value as Avro binary (with Spark's
 * derived schema when none is given). With `subject` and `schemaRegistryAddress` (as Databricks' to_avro) the schema
 * is registered under the subject and each value framed in the Confluent wire format with its id.
 *
 * @example
 * df.select(F.toAvro(F.struct("id", "amount"), undefined, "payments-value", "http://127.0.0.1:18081").alias("value"))
 */
export const toAvro = (x: ColumnOrName, jsonFormatSchema?: string | null, subject?: string, schemaRegistryAddress?: string, options?: Record<string, string>): Column => {
  const o = optionsMap(withRegistry("toAvro", options, subject, schemaRegistryAddress));
  const schema = toExpr(jsonFormatSchema ?? null);
  return new Column(Expr.fn("to_avro", o ? [c(x), schema, o] : jsonFormatSchema == null ? [c(x)] : [c(x), schema]));
};
export const getJsonObject = (x: ColumnOrName, path: string): Column => new Column(Expr.fn("get_json_object", [c(x), toExpr(path)]));
export const md5 = (x: ColumnOrName): Column => call("md5", x);
export const sha2 = (x: ColumnOrName, bits: number): Column => new Column(Expr.fn("sha2", [c(x), toExpr(bits)]));
export const base64 = (x: ColumnOrName): Column => call("base64", x);
export const unbase64 = (x: ColumnOrName): Column => call("unbase64", x);

// ---- aggregates -------------------------------------------------------------------------------
/** `count(col)`; `F.count("*")` counts rows. */
export const count = (x: ColumnOrName): Column => new Column(Expr.fn("count", [x === "*" ? Expr.star() : c(x)]));
export const countDistinct = (...cols: ColumnOrName[]): Column => new Column(Expr.fn("count", cols.map(c), true));
export const sum = (x: ColumnOrName): Column => call("sum", x);
export const sumDistinct = (x: ColumnOrName): Column => new Column(Expr.fn("sum", [c(x)], true));
export const avg = (x: ColumnOrName): Column => call("avg", x);
export const mean = avg;
export const min = (x: ColumnOrName): Column => call("min", x);
export const max = (x: ColumnOrName): Column => call("max", x);
export const first = (x: ColumnOrName, ignoreNulls = false): Column => new Column(Expr.fn("first", ignoreNulls ? [c(x), toExpr(true)] : [c(x)]));
export const last = (x: ColumnOrName, ignoreNulls = false): Column => new Column(Expr.fn("last", ignoreNulls ? [c(x), toExpr(true)] : [c(x)]));
export const anyValue = (x: ColumnOrName): Column => call("any_value", x);
export const collectList = (x: ColumnOrName): Column => call("collect_list", x);
export const collectSet = (x: ColumnOrName): Column => call("collect_set", x);
export const approxCountDistinct = (x: ColumnOrName): Column => call("approx_count_distinct", x);
export const stddev = (x: ColumnOrName): Column => call("stddev", x);
export const variance = (x: ColumnOrName): Column => call("variance", x);

// ---- event time --------------------------------------------------------------------------------
/**
 * `window(timeColumn, windowDuration[, slideDuration[, startTime]])`: tumbling or sliding event-time windows as a
 * `window` struct `<start, end>`, e.g. `F.window("ts", "15 minutes")` or `F.window("ts", "10 minutes", "5 minutes")`.
 */
export const window = (timeColumn: ColumnOrName, windowDuration: string, slideDuration?: string, startTime?: string): Column =>
  new Column(Expr.fn("window", [c(timeColumn), toExpr(windowDuration), ...(slideDuration === undefined && startTime === undefined ? [] : [toExpr(slideDuration ?? windowDuration)]), ...(startTime === undefined ? [] : [toExpr(startTime)])]));
/**
 * `session_window(timeColumn, gapDuration)`: sessions of events less than `gapDuration` apart (a fixed interval text
 * or a Column computing one per row), as a `session_window` struct `<start, end>`.
 */
export const sessionWindow = (timeColumn: ColumnOrName, gapDuration: string | Column): Column =>
  new Column(Expr.fn("session_window", [c(timeColumn), gapDuration instanceof Column ? gapDuration.expr : toExpr(gapDuration)]));
/** `window_time(windowColumn)`: the event time of a window, its end minus one microsecond. */
export const windowTime = (windowColumn: ColumnOrName): Column => call("window_time", windowColumn);
