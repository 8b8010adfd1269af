/**
 * Typed input data rich in edge values: the fuzzer's column types ("families"), the generated table's columns, JSON
 * row values (raw JSON text, so that long integers and decimals stay exact) and SQL literals of every family.
 */
import type { Prng } from "./prng.js";

/** Coarse type families the expression generator directs on; Spark's implicit casts do the rest. */
export type Family = "bool" | "int" | "frac" | "dec" | "str" | "date" | "ts" | "bin" | "arr_int" | "arr_str";
export const SCALAR_FAMILIES: readonly Family[] = ["bool", "int", "frac", "dec", "str", "date", "ts"];
export const NUMERIC_FAMILIES: readonly Family[] = ["int", "frac", "dec"];

export interface Column { readonly name: string; readonly sqlType: string; readonly family: Family }

/** One row: [column, raw JSON value text] pairs (a column left out is null). */
export type RowCells = readonly (readonly [string, string])[];
export const rowJson = (r: RowCells): string => `{${r.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(", ")}}`;

const INTS = ["0", "1", "-1", "2", "7", "42", "-128", "127", "255", "2147483647", "-2147483648", "65536", "1000000"];
const SMALLS = ["0", "1", "-1", "32767", "-32768", "3", "-7"];
const LONGS = ["0", "1", "-1", "9007199254740991", "9007199254740992", "9007199254740993", "-9007199254740993", "9223372036854775807",
  "-9223372036854775808", "4294967296", "1700000000", "86400000000", "-62135596800"];
const DOUBLES = ['"NaN"', '"Infinity"', '"-Infinity"', "-0.0", "0.0", "0.1", "1.5", "-2.5", "0.5", "1e16", "9007199254740993",
  "1.7976931348623157e308", "4.9e-324", "2.2250738585072014e-308", "123456.789", "-1e-10", "3.141592653589793"];
const FLOATS = ['"NaN"', '"Infinity"', '"-Infinity"', "-0.0", "0.0", "0.1", "1.5", "3.4028235e38", "1.4e-45", "16777217", "-2.5"];
const STRINGS = ["", " ", "a", "abc", "ABC abc", "héllo €", "𝄞 clef", "😀x", "  pad  ", "null", "NaN", "123", "-0", "1e3",
  " 42 ", "2024-02-29", "2024-03-10 02:30:00", "1969-12-31 23:59:59", "true", "ß", "İstanbul", "ǅ", "a,b,c", "a b  c",
  '{"a": 1, "b": [1, 2]}', '{"a": "x"}', "%_\\", "\t\n", "Ωmega", "𐐀𐐨", "9223372036854775808", "0.1", "2147483648", "x".repeat(40)];
const DATES = ["1970-01-01", "1969-12-31", "2024-02-29", "2023-02-28", "1900-02-28", "2000-02-29", "0001-01-01", "9999-12-31",
  "1582-10-15", "1582-10-04", "2024-03-10", "2024-12-31", "2021-01-03", "1600-03-01"];
const TIMESTAMPS = ["2024-03-10 02:30:00", "2024-03-10 01:59:59.999999", "2024-11-03 01:30:00", "2024-03-31 02:30:00",
  "2024-10-27 02:30:00", "1969-12-31 23:59:59.999999", "1970-01-01 00:00:00", "1900-01-01 00:00:00", "1899-12-31 23:59:59",
  "2038-01-19 03:14:08", "2024-02-29 12:00:00.123456", "0001-01-01 00:00:00", "2024-01-01T10:00:00Z", "2024-06-01T12:00:00+02:00",
  "1960-06-15 08:30:15.5", "2000-02-29 23:59:59", "2024-12-31 23:59:59.999"];

function randomDigits(rnd: Prng, n: number): string {
  let s = String(rnd.int(1, 9));
  for (let i = 1; i < n; i++) s += String(rnd.int(0, 9));
  return s;
}

function decimalValue(rnd: Prng, p: number, s: number): string {
  const intDigits = p - s;
  const r = rnd.next();
  const frac = (n: number): string => (n === 0 ? "" : "." + Array.from({ length: n }, () => rnd.int(0, 9)).join(""));
  if (r < 0.12) return (rnd.chance(0.5) ? "-" : "") + (intDigits > 0 ? "9".repeat(intDigits) : "0") + (s > 0 ? "." + "9".repeat(s) : "");
  if (r < 0.2) return "0";
  if (r < 0.27) return s > 0 ? "0." + "0".repeat(s - 1) + "1" : "1";
  if (r < 0.32) return "-0" + (s > 0 ? "." + "5".padEnd(s, "0") : "");
  if (r < 0.36) return randomDigits(rnd, Math.max(1, intDigits)) + frac(s + rnd.int(1, 3)); // more scale than the type: rounded on read
  return (rnd.chance(0.3) ? "-" : "") + (intDigits > 0 ? randomDigits(rnd, rnd.int(1, intDigits)) : "0") + frac(rnd.int(0, s));
}

/** The columns of a generated table; the decimal's precision and scale vary per table. */
export function tableColumns(rnd: Prng): Column[] {
  const [p, s] = rnd.pick([[10, 2], [38, 18], [38, 0], [5, 5], [20, 10], [18, 3], [3, 1], [38, 37], [12, 6]] as const);
  return [
    { name: "id", sqlType: "INT", family: "int" },
    { name: "b", sqlType: "BOOLEAN", family: "bool" },
    { name: "i", sqlType: "INT", family: "int" },
    { name: "l", sqlType: "BIGINT", family: "int" },
    { name: "h", sqlType: "SMALLINT", family: "int" },
    { name: "f", sqlType: "FLOAT", family: "frac" },
    { name: "d", sqlType: "DOUBLE", family: "frac" },
    { name: "m", sqlType: `DECIMAL(${p},${s})`, family: "dec" },
    { name: "s", sqlType: "STRING", family: "str" },
    { name: "s2", sqlType: "STRING", family: "str" },
    { name: "dt", sqlType: "DATE", family: "date" },
    { name: "ts", sqlType: "TIMESTAMP", family: "ts" },
    { name: "ai", sqlType: "ARRAY<INT>", family: "arr_int" },
    { name: "sa", sqlType: "ARRAY<STRING>", family: "arr_str" },
  ];
}

export const schemaDdl = (cols: readonly Column[]): string => cols.map((c) => `${c.name} ${c.sqlType}`).join(", ");

/** One JSON value of a column's type, edge values most of the time. */
export function jsonValue(rnd: Prng, c: Column): string | undefined {
  if (c.name !== "id" && rnd.chance(0.14)) return rnd.chance(0.5) ? "null" : undefined;
  const t = c.sqlType;
  if (t === "BOOLEAN") return rnd.pick(["true", "false"]);
  if (t === "INT") return rnd.chance(0.7) ? rnd.pick(INTS) : String(rnd.int(-1000, 1000));
  if (t === "SMALLINT") return rnd.pick(SMALLS);
  if (t === "BIGINT") return rnd.chance(0.7) ? rnd.pick(LONGS) : (rnd.chance(0.5) ? "-" : "") + randomDigits(rnd, rnd.int(1, 18));
  if (t === "DOUBLE") return rnd.chance(0.7) ? rnd.pick(DOUBLES) : String(rnd.int(-100000, 100000) / rnd.pick([1, 8, 100, 3]));
  if (t === "FLOAT") return rnd.pick(FLOATS);
  if (t.startsWith("DECIMAL")) {
    const [p, s] = t.slice(8, -1).split(",").map(Number) as [number, number];
    return decimalValue(rnd, p, s);
  }
  if (t === "STRING") return JSON.stringify(rnd.pick(STRINGS));
  if (t === "DATE") return JSON.stringify(rnd.chance(0.8) ? rnd.pick(DATES) : `${rnd.int(1950, 2050)}-${String(rnd.int(1, 12)).padStart(2, "0")}-${String(rnd.int(1, 28)).padStart(2, "0")}`);
  if (t === "TIMESTAMP") return JSON.stringify(rnd.pick(TIMESTAMPS));
  if (t === "ARRAY<INT>") return rnd.pick(["[]", "[1, null, 3]", "[2147483647, -2147483648]", "[5, 5, 1]", "[null]", "[0]", "[3, 2, 1, 2]"]);
  if (t === "ARRAY<STRING>") return rnd.pick(['[]', '["a", null, "b"]', '["𝄞", ""]', '["b", "a", "b"]', '[null]', '["héllo", "x y"]']);
  throw new Error(`no values for ${t}`);
}

export function generateRows(rnd: Prng, cols: readonly Column[], n: number): RowCells[] {
  const rows: RowCells[] = [];
  for (let r = 0; r < n; r++) {
    const cells: [string, string][] = [];
    for (const c of cols) {
      const v = c.name === "id" ? String(r) : jsonValue(rnd, c);
      if (v !== undefined) cells.push([c.name, v]);
    }
    rows.push(cells);
  }
  return rows;
}

/** SQL literals of each family, simplest first (shrinking replaces subexpressions by the first few). */
export const LITERALS: Readonly<Record<Family, readonly string[]>> = {
  bool: ["true", "false", "CAST(NULL AS BOOLEAN)"],
  int: ["0", "1", "-1", "2", "7", "100", "2147483647", "-2147483648", "9007199254740993L", "9223372036854775807L",
    "-9223372036854775808L", "3S", "5Y", "CAST(NULL AS INT)"],
  frac: ["0.0D", "1.5D", "-0.0D", "0.1D", "1e308", "CAST('NaN' AS DOUBLE)", "CAST('Infinity' AS DOUBLE)", "CAST('-Infinity' AS DOUBLE)",
    "9007199254740993.0D", "2.5F", "4.9E-324D", "CAST(NULL AS DOUBLE)"],
  dec: ["1.5", "0.1", "-2.25", "0.000001", "12345678901234567890.123456789", "99999999999999999999999999999999999999",
    "1.0BD", "CAST(1 AS DECIMAL(38,18))", "CAST(NULL AS DECIMAL(10,2))"],
  str: ["'abc'", "''", "' '", "'héllo'", "'𝄞 clef'", "'😀x'", "'ABC abc'", "'  pad  '", "'123'", "' 42 '", "'1e3'", "'-0'",
    "'2024-02-29'", "'2024-03-10 02:30:00'", "'true'", "'ß'", "'a,b,c'", "'{\"a\": 1, \"b\": [1, 2]}'", "CAST(NULL AS STRING)"],
  date: ["DATE'1970-01-01'", "DATE'2024-02-29'", "DATE'1969-12-31'", "DATE'1900-03-01'", "DATE'0001-01-01'", "DATE'9999-12-31'",
    "DATE'1582-10-15'", "DATE'2000-02-29'", "CAST(NULL AS DATE)"],
  ts: ["TIMESTAMP'1970-01-01 00:00:00'", "TIMESTAMP'2024-03-10 02:30:00'", "TIMESTAMP'2024-11-03 01:30:00'", "TIMESTAMP'2024-03-31 02:30:00'",
    "TIMESTAMP'1969-12-31 23:59:59.999999'", "TIMESTAMP'1900-01-01 00:00:00'", "TIMESTAMP'2038-01-19 03:14:08'",
    "TIMESTAMP'2024-02-29 12:00:00.123456'", "CAST(NULL AS TIMESTAMP)"],
  bin: ["X'00FF'", "X''", "X'F09D849E'", "X'61'", "CAST(NULL AS BINARY)"],
  arr_int: ["array(1, 2, NULL)", "array(2147483647, -1)", "array(3, 1, 2, 1)", "CAST(array() AS ARRAY<INT>)"],
  arr_str: ["array('a', NULL, 'b')", "array('𝄞', '')", "array('b', 'a', 'b')"],
};

/** Literal pools for arguments Spark wants constant (formats, patterns, units). */
export const POOLS: Readonly<Record<string, readonly string[]>> = {
  small: ["0", "1", "2", "3", "-1", "5"],
  like: ["'%a%'", "'a_c'", "'%'", "'_'", "'%𝄞%'", "'A%'", "'%\\\\%%'"],
  regex: ["'[a-c]+'", "'^a'", "'a|b'", "'(.)(.)'", "'[0-9]+'", "'\\\\s+'", "'.'", "''"],
  dateFmt: ["'yyyy-MM-dd'", "'yyyy-MM-dd HH:mm:ss'", "'dd/MM/yyyy'", "'yyyyMMdd'", "'HH:mm:ss.SSS'", "'EEE MMM d yyyy'",
    "'yyyy-MM-dd HH:mm:ss.SSSSSS'", "'Q'", "'a hh'", "'D'", "'yy-M-d'"],
  tsUnit: ["'YEAR'", "'QUARTER'", "'MONTH'", "'WEEK'", "'DAY'", "'HOUR'", "'MINUTE'", "'SECOND'", "'MILLISECOND'", "'MM'", "'DD'"],
  dateUnit: ["'YEAR'", "'MM'", "'MON'", "'MONTH'", "'QUARTER'", "'WEEK'", "'yy'"],
  jsonPath: ["'$.a'", "'$.b[0]'", "'$.b'", "'$'", "'$.c.d'", "'$.b[*]'"],
  sha2: ["256", "0", "224", "384", "512"],
  sep: ["','", "' '", "''", "'𝄞'", "'--'"],
  fmt: ["'%s-%s'", "'%s'", "'[%10s]'", "'%-5s|'", "'%S'"],
  scale: ["0", "1", "2", "-1", "3", "-2"],
  bool: ["true", "false"],
  interval: ["INTERVAL 1 DAY", "INTERVAL 1 HOUR", "INTERVAL '1 month'", "INTERVAL -30 MINUTES", "INTERVAL 1 SECOND"],
};
