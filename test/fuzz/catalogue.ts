/**
 * The fuzzer's function catalogue: the scalar functions and operators Sluice has (src/functions/registry.ts, the SQL
 * parser's operators) that Spark has too, each with a type-directed signature over the coarse families of
 * typed-values.ts. Nondeterministic functions (rand, current_timestamp, ...) are left out: they cannot be compared.
 *
 * Argument specs: a family ("str"); alternatives ("date|ts"); "T" the result's own family (for polymorphic entries);
 * "U" one fresh family shared by all "U" arguments of a call; "N" a fresh numeric family; "X" a fresh scalar family;
 * "@pool" a constant from POOLS; a leading "?" marks an optional argument.
 */
import { NUMERIC_FAMILIES, SCALAR_FAMILIES, type Family } from "./typed-values.js";

export type Category = "arithmetic" | "comparison" | "logic" | "cast" | "conditional" | "string" | "regex" | "math" | "datetime"
  | "collection" | "json" | "aggregate";

export interface FnEntry {
  /** The function or operator, as counted and as named in the slice (slice.ts). */
  readonly name: string;
  readonly category: Category;
  /** The result family, or "T" with `over` (the families the entry can produce, its "T" arguments following). */
  readonly ret: Family | "T";
  readonly over?: readonly Family[];
  readonly args: readonly string[];
  /** For "U" arguments: the families to choose from. */
  readonly uOver?: readonly Family[];
  readonly render?: (a: readonly string[]) => string;
}

const ORDERABLE: readonly Family[] = ["bool", "int", "frac", "dec", "str", "date", "ts"];
const op = (o: string) => (a: readonly string[]): string => `(${a[0]} ${o} ${a[1]})`;
const e = (name: string, category: Category, ret: Family | "T", args: readonly string[], more: Partial<FnEntry> = {}): FnEntry =>
  ({ name, category, ret, args, ...more });

const arithmetic: FnEntry[] = [
  ...["+", "-", "*"].map((o) => e(o, "arithmetic", "T", ["T", "T"], { over: NUMERIC_FAMILIES, render: op(o) })),
  e("/", "arithmetic", "frac", ["int|frac", "int|frac"], { render: op("/") }),
  e("/", "arithmetic", "dec", ["dec", "dec|int"], { render: op("/") }),
  e("%", "arithmetic", "T", ["T", "T"], { over: NUMERIC_FAMILIES, render: op("%") }),
  e("div", "arithmetic", "int", ["N", "N"], { render: op("div") }),
  e("negate", "arithmetic", "T", ["T"], { over: NUMERIC_FAMILIES, render: (a) => `(- ${a[0]})` }),
  ...["&", "|", "^"].map((o) => e(o, "arithmetic", "int", ["int", "int"], { render: op(o) })),
  e("~", "arithmetic", "int", ["int"], { render: (a) => `(~ ${a[0]})` }),
  e("date+int", "arithmetic", "date", ["date", "int"], { render: op("+") }),
  e("date-date", "arithmetic", "int", ["date", "date"], { render: (a) => `datediff(${a[0]}, ${a[1]})` }),
  e("ts+interval", "arithmetic", "ts", ["ts", "@interval"], { render: op("+") }),
];

const comparison: FnEntry[] = [
  ...["=", "<>", "<", "<=", ">", ">=", "<=>"].map((o) => e(o, "comparison", "bool", ["U", "U"], { uOver: ORDERABLE, render: op(o) })),
  e("in", "comparison", "bool", ["U", "U", "U", "?U"], { uOver: ORDERABLE, render: (a) => `(${a[0]} IN (${a.slice(1).join(", ")}))` }),
  e("between", "comparison", "bool", ["U", "U", "U"], { uOver: ORDERABLE, render: (a) => `(${a[0]} BETWEEN ${a[1]} AND ${a[2]})` }),
  e("greatest", "comparison", "T", ["T", "T", "?T"], { over: ORDERABLE }),
  e("least", "comparison", "T", ["T", "T", "?T"], { over: ORDERABLE }),
];

const logic: FnEntry[] = [
  e("and", "logic", "bool", ["bool", "bool"], { render: op("AND") }),
  e("or", "logic", "bool", ["bool", "bool"], { render: op("OR") }),
  e("not", "logic", "bool", ["bool"], { render: (a) => `(NOT ${a[0]})` }),
  e("is null", "logic", "bool", ["X"], { render: (a) => `(${a[0]} IS NULL)` }),
  e("is not null", "logic", "bool", ["X"], { render: (a) => `(${a[0]} IS NOT NULL)` }),
  e("is distinct from", "logic", "bool", ["U", "U"], { uOver: ORDERABLE, render: (a) => `(${a[0]} IS DISTINCT FROM ${a[1]})` }),
];

const CAST_TARGETS: Readonly<Record<Family, readonly string[]>> = {
  bool: ["BOOLEAN"], int: ["INT", "BIGINT", "SMALLINT", "TINYINT"], frac: ["DOUBLE", "FLOAT"], dec: ["DECIMAL(10,2)", "DECIMAL(38,18)", "DECIMAL(5,0)", "DECIMAL(38,0)"],
  str: ["STRING"], date: ["DATE"], ts: ["TIMESTAMP"], bin: ["BINARY"], arr_int: ["ARRAY<INT>"], arr_str: ["ARRAY<STRING>"],
};
const casts: FnEntry[] = (["bool", "int", "frac", "dec", "str", "date", "ts", "bin"] as const).flatMap((to) =>
  CAST_TARGETS[to].flatMap((sqlType) => [
    e("cast", "cast", to, [to === "bin" ? "str|int" : "X"], { render: (a) => `CAST(${a[0]} AS ${sqlType})` }),
    e("try_cast", "cast", to, [to === "bin" ? "str|int" : "X"], { render: (a) => `TRY_CAST(${a[0]} AS ${sqlType})` }),
  ]));

const conditional: FnEntry[] = [
  e("case", "conditional", "T", ["bool", "T", "T"], { over: SCALAR_FAMILIES, render: (a) => `CASE WHEN ${a[0]} THEN ${a[1]} ELSE ${a[2]} END` }),
  e("if", "conditional", "T", ["bool", "T", "T"], { over: SCALAR_FAMILIES }),
  e("coalesce", "conditional", "T", ["T", "T", "?T"], { over: SCALAR_FAMILIES }),
  e("nvl", "conditional", "T", ["T", "T"], { over: SCALAR_FAMILIES }),
  e("nullif", "conditional", "T", ["T", "T"], { over: SCALAR_FAMILIES }),
  e("isnull", "conditional", "bool", ["X"]),
  e("isnotnull", "conditional", "bool", ["X"]),
  e("isnan", "conditional", "bool", ["frac"]),
  e("nanvl", "conditional", "frac", ["frac", "frac"]),
];

const string: FnEntry[] = [
  ...["upper", "lower", "trim", "ltrim", "rtrim", "reverse", "initcap"].map((n) => e(n, "string", "str", ["str"])),
  ...["length", "char_length", "ascii"].map((n) => e(n, "string", "int", ["str"])),
  e("repeat", "string", "str", ["str", "@small"]),
  e("substring", "string", "str", ["str", "int", "?int"]),
  e("substr", "string", "str", ["str", "@small", "?@small"]),
  e("left", "string", "str", ["str", "int"]),
  e("right", "string", "str", ["str", "int"]),
  e("instr", "string", "int", ["str", "str"]),
  e("locate", "string", "int", ["str", "str", "?int"]),
  e("lpad", "string", "str", ["str", "@small", "?str"]),
  e("rpad", "string", "str", ["str", "@small", "?str"]),
  e("replace", "string", "str", ["str", "str", "?str"]),
  e("translate", "string", "str", ["str", "str", "str"]),
  ...["startswith", "endswith", "contains"].map((n) => e(n, "string", "bool", ["str", "str"])),
  e("base64", "string", "str", ["bin|str"]),
  e("unbase64", "string", "bin", ["str"]),
  e("md5", "string", "str", ["bin|str"]),
  e("sha1", "string", "str", ["bin|str"]),
  e("sha2", "string", "str", ["bin|str", "@sha2"]),
  e("concat", "string", "str", ["str", "str", "?str"]),
  e("concat_ws", "string", "str", ["@sep", "str", "str", "?str"]),
  e("||", "string", "str", ["str", "str"], { render: op("||") }),
  e("format_string", "string", "str", ["@fmt", "X", "X"]),
  e("length(bin)", "string", "int", ["bin"], { render: (a) => `length(${a[0]})` }),
];

const regex: FnEntry[] = [
  e("like", "regex", "bool", ["str", "@like"], { render: op("LIKE") }),
  e("ilike", "regex", "bool", ["str", "@like"], { render: op("ILIKE") }),
  e("rlike", "regex", "bool", ["str", "@regex"], { render: op("RLIKE") }),
  e("regexp_like", "regex", "bool", ["str", "@regex"]),
  e("regexp_replace", "regex", "str", ["str", "@regex", "str"]),
  e("regexp_extract", "regex", "str", ["str", "@regex", "?@small"]),
  e("split", "regex", "arr_str", ["str", "@regex", "?@small"]),
];

const math: FnEntry[] = [
  e("abs", "math", "T", ["T"], { over: NUMERIC_FAMILIES }),
  ...["sqrt", "cbrt", "exp", "ln", "log10", "log2", "sin", "cos", "tan", "asin", "acos", "atan", "degrees", "radians", "signum"].map((n) => e(n, "math", "frac", ["N"])),
  ...["log", "pow", "atan2"].map((n) => e(n, "math", "frac", ["N", "N"])),
  e("pi", "math", "frac", []),
  e("round", "math", "T", ["T", "?@scale"], { over: NUMERIC_FAMILIES }),
  e("bround", "math", "T", ["T", "?@scale"], { over: NUMERIC_FAMILIES }),
  e("floor", "math", "int", ["int|frac"]),
  e("ceil", "math", "int", ["int|frac"]),
  e("floor", "math", "dec", ["dec"]),
  e("ceil", "math", "dec", ["dec"]),
  e("pmod", "math", "T", ["T", "T"], { over: NUMERIC_FAMILIES }),
  e("factorial", "math", "int", ["int"]),
];

const datetime: FnEntry[] = [
  e("to_timestamp", "datetime", "ts", ["str", "?@dateFmt"]),
  e("try_to_timestamp", "datetime", "ts", ["str", "?@dateFmt"]),
  e("to_date", "datetime", "date", ["str|ts", "?@dateFmt"]),
  e("date_format", "datetime", "str", ["ts|date", "@dateFmt"]),
  e("unix_timestamp", "datetime", "int", ["ts|date"]),
  e("from_unixtime", "datetime", "str", ["int", "?@dateFmt"]),
  e("timestamp_seconds", "datetime", "ts", ["int|frac"]),
  e("timestamp_millis", "datetime", "ts", ["int"]),
  e("timestamp_micros", "datetime", "ts", ["int"]),
  ...["unix_seconds", "unix_millis", "unix_micros"].map((n) => e(n, "datetime", "int", ["ts"])),
  ...["year", "quarter", "month", "dayofmonth", "day", "dayofweek", "weekday", "dayofyear", "weekofyear"].map((n) => e(n, "datetime", "int", ["date|ts"])),
  ...["hour", "minute", "second"].map((n) => e(n, "datetime", "int", ["ts"])),
  e("date_add", "datetime", "date", ["date", "int"]),
  e("date_sub", "datetime", "date", ["date", "int"]),
  e("datediff", "datetime", "int", ["date", "date"]),
  e("last_day", "datetime", "date", ["date"]),
  e("add_months", "datetime", "date", ["date", "int"]),
  e("date_trunc", "datetime", "ts", ["@tsUnit", "ts"]),
  e("trunc", "datetime", "date", ["date", "@dateUnit"]),
];

const collection: FnEntry[] = [
  e("array", "collection", "arr_int", ["int", "int", "?int"]),
  e("size", "collection", "int", ["arr_int|arr_str"]),
  e("cardinality", "collection", "int", ["arr_int|arr_str"]),
  e("array_contains", "collection", "bool", ["arr_int", "int"]),
  e("element_at", "collection", "int", ["arr_int", "@small"]),
  e("element_at", "collection", "str", ["arr_str", "@small"]),
  e("sort_array", "collection", "arr_int", ["arr_int", "?@bool"]),
  e("array_distinct", "collection", "arr_str", ["arr_str"]),
  e("array_join", "collection", "str", ["arr_str", "@sep", "?str"]),
  e("map_keys", "collection", "arr_str", ["str", "int"], { render: (a) => `map_keys(map(${a[0]}, ${a[1]}))` }),
  e("map_values", "collection", "arr_int", ["str", "int"], { render: (a) => `map_values(map(${a[0]}, ${a[1]}))` }),
];

const json: FnEntry[] = [
  e("to_json", "json", "str", ["X", "X"], { render: (a) => `to_json(named_struct('a', ${a[0]}, 'b', ${a[1]}))` }),
  e("to_json(array)", "json", "str", ["arr_int|arr_str"], { render: (a) => `to_json(${a[0]})` }),
  e("to_csv", "json", "str", ["X", "X"], { render: (a) => `to_csv(named_struct('a', ${a[0]}, 'b', ${a[1]}))` }),
  e("get_json_object", "json", "str", ["str", "@jsonPath"]),
  e("from_json", "json", "int", ["str"], { render: (a) => `from_json(${a[0]}, 'a INT, b ARRAY<INT>').a` }),
  e("from_json", "json", "arr_int", ["str"], { render: (a) => `from_json(${a[0]}, 'a INT, b ARRAY<INT>').b` }),
  e("from_csv", "json", "str", ["str"], { render: (a) => `from_csv(${a[0]}, 'a INT, b STRING').b` }),
];

/** Every entry the fuzzer draws from (aggregates are in AGGREGATES). */
export const CATALOGUE: readonly FnEntry[] = [...arithmetic, ...comparison, ...logic, ...casts, ...conditional, ...string, ...regex, ...math,
  ...datetime, ...collection, ...json];

export interface AggEntry { readonly name: string; readonly arg: readonly Family[]; readonly render: (a: string) => string }
export const AGGREGATES: readonly AggEntry[] = [
  { name: "count", arg: SCALAR_FAMILIES, render: (a) => `count(${a})` },
  { name: "count(distinct)", arg: SCALAR_FAMILIES, render: (a) => `count(DISTINCT ${a})` },
  { name: "sum", arg: NUMERIC_FAMILIES, render: (a) => `sum(${a})` },
  { name: "avg", arg: NUMERIC_FAMILIES, render: (a) => `avg(${a})` },
  { name: "min", arg: ORDERABLE, render: (a) => `min(${a})` },
  { name: "max", arg: ORDERABLE, render: (a) => `max(${a})` },
  { name: "stddev", arg: NUMERIC_FAMILIES, render: (a) => `stddev(${a})` },
  { name: "var_pop", arg: NUMERIC_FAMILIES, render: (a) => `var_pop(${a})` },
  { name: "bool_and", arg: ["bool"], render: (a) => `bool_and(${a})` },
  { name: "bool_or", arg: ["bool"], render: (a) => `bool_or(${a})` },
  { name: "collect_set", arg: ["int", "str", "date"], render: (a) => `sort_array(collect_set(${a}))` },
  { name: "approx_count_distinct", arg: ["int", "str"], render: (a) => `approx_count_distinct(${a})` },
];
