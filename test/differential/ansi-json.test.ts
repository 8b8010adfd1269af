/**
 * Batch differential cases against real Spark: ANSI errors (classes) of integer and collection functions and operators,
 * the try_* functions, auto-generated column names, and the JSON functions, reader and writer.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { F } from "../../src/index.js";
import { SparkOracle } from "../support/spark-oracle.js";
import { testSession } from "../support/session.js";
import { sqlDifferentialSuite, type SqlDiffCase } from "../support/sql-differential.js";

const OFF = { "spark.sql.ansi.enabled": "false" };

/** Each ANSI case twice: with Spark 4's default (ANSI on) and with ANSI off. */
function both(name: string, sql: string): SqlDiffCase[] {
  return [{ name: `${name} (ANSI)`, sql }, { name: `${name} (legacy)`, sql, conf: OFF }];
}

const ansi: SqlDiffCase[] = [
  ...both("abs of INT_MIN", "SELECT abs(a) FROM n"),
  ...both("abs of BIGINT_MIN", "SELECT abs(l) FROM n"),
  ...both("abs of SMALLINT/TINYINT min", "SELECT abs(CAST(-32768 AS SMALLINT)) AS s, abs(CAST(-128 AS TINYINT)) AS y FROM one"),
  ...both("negate INT_MIN", "SELECT -a FROM n"),
  ...both("negate BIGINT_MIN", "SELECT -l FROM n"),
  ...both("negative() of INT_MIN", "SELECT negative(a) FROM n"),
  ...both("pmod by zero", "SELECT pmod(a, 0) AS p FROM t"),
  ...both("pmod values", "SELECT pmod(a, 3) AS p, pmod(-7, 3) AS q, pmod(7, -3) AS r, pmod(l, 5) AS s FROM t"),
  ...both("pmod INT_MIN by -1", "SELECT pmod(a, -1) AS p FROM n"),
  ...both("mod by zero", "SELECT a % 0 AS p FROM t"),
  ...both("mod() by zero", "SELECT mod(a, 0) AS p FROM t"),
  ...both("INT_MIN % -1", "SELECT a % -1 AS p, l % -1 AS q FROM n"),
  ...both("div by zero", "SELECT a div 0 AS p FROM t"),
  ...both("BIGINT_MIN div -1", "SELECT l div -1 AS p FROM n"),
  ...both("INT_MIN div -1", "SELECT a div -1 AS p FROM n"),
  ...both("int overflow +", "SELECT a + (-1) AS p FROM n"),
  ...both("int overflow *", "SELECT a * 2 AS p FROM n"),
  ...both("bigint overflow -", "SELECT l - 1 AS p FROM n"),
  ...both("shifts", "SELECT shiftleft(a, 1) AS p, shiftright(a, 1) AS q, shiftrightunsigned(a, 1) AS r, shiftleft(l, 63) AS s, shiftleft(1, 33) AS u, shiftright(-8L, 1) AS v FROM n"),
  ...both("shift operators", "SELECT 1 << 3 AS p, -16 >> 2 AS q, -16 >>> 28 AS r FROM one"),
  ...both("element_at out of range", "SELECT element_at(arr, 10) AS p FROM t"),
  ...both("element_at negative out of range", "SELECT element_at(arr, -10) AS p FROM t"),
  ...both("element_at zero", "SELECT element_at(arr, 0) AS p FROM t"),
  ...both("element_at in range", "SELECT element_at(arr, 1) AS p, element_at(arr, -1) AS q FROM t"),
  ...both("element_at map missing key", "SELECT element_at(m, 'zz') AS p FROM t"),
  ...both("array index out of range", "SELECT arr[10] AS p FROM t"),
  ...both("array index negative", "SELECT arr[-1] AS p FROM t"),
  ...both("array index in range", "SELECT arr[0] AS p FROM t"),
  ...both("map lookup missing key", "SELECT m['zz'] AS p FROM t"),
  ...both("try_element_at out of range", "SELECT try_element_at(arr, 10) AS p, try_element_at(m, 'zz') AS q FROM t"),
  ...both("try_element_at zero", "SELECT try_element_at(arr, 0) AS p FROM t"),
  ...both("elt out of range", "SELECT elt(3, 'a', 'b') AS p FROM one"),
  ...both("elt in range", "SELECT elt(2, 'a', 'b') AS p, elt(a, s, 'b') AS q FROM t"),
  ...both("elt zero", "SELECT elt(0, 'a', 'b') AS p FROM one"),
  ...both("sequence", "SELECT sequence(1, 5) AS p, sequence(5, 1) AS q, sequence(1, 10, 3) AS r, sequence(l, l + 2) AS s FROM t"),
  ...both("sequence of one", "SELECT sequence(5, 5, 0) AS p, sequence(1, 3L) AS q FROM one"),
  ...both("try_add", "SELECT try_add(a, -1) AS p, try_add(l, -1) AS q, try_add(1, 2) AS r FROM n"),
  ...both("try_subtract", "SELECT try_subtract(a, 1) AS p, try_subtract(l, 1) AS q, try_subtract(5, 2) AS r FROM n"),
  ...both("try_multiply", "SELECT try_multiply(a, 2) AS p, try_multiply(l, 2) AS q, try_multiply(3, 4) AS r FROM n"),
  ...both("try_divide", "SELECT try_divide(a, 0) AS p, try_divide(7, 2) AS q, try_divide(l, 0) AS r FROM n"),
  ...both("try_mod", "SELECT try_mod(a, 0) AS p, try_mod(7, 3) AS q FROM n"),
  ...both("tinyint and smallint overflow", "SELECT CAST(127 AS TINYINT) + CAST(1 AS TINYINT) AS p FROM one"),
  ...both("smallint overflow", "SELECT CAST(-32768 AS SMALLINT) - CAST(1 AS SMALLINT) AS p FROM one"),
  ...both("try_add of tinyint", "SELECT try_add(CAST(127 AS TINYINT), CAST(1 AS TINYINT)) AS p, try_multiply(2, 3L) AS q, try_subtract(1, 2.5D) AS r FROM one"),
  ...both("get", "SELECT get(arr, 5) AS p, get(arr, -1) AS q, get(arr, 0) AS r FROM t"),
  ...both("elt nulls", "SELECT elt(NULL, 'a') AS p, elt(1, NULL, 'b') AS q FROM one"),
  ...both("pmod signs", "SELECT pmod(-7, -3) AS p, pmod(7.5D, -2D) AS q, pmod(-7L, 3L) AS r, pmod(CAST(-7 AS TINYINT), CAST(3 AS TINYINT)) AS s FROM one"),
  ...both("mod values", "SELECT mod(7, 3) AS p, mod(-7, 3) AS q, mod(l, 3) AS r FROM n"),
  ...both("map lookup null key", "SELECT m[NULL] AS p, element_at(m, NULL) AS q FROM t"),
  ...both("int division by zero", "SELECT a / 0 AS q FROM t"),
  ...both("size of null", "SELECT size(NULL) AS p FROM one"),
  ...both("round of integers beyond the type", "SELECT round(2147483647, -1) AS p FROM one"),
  ...both("bround of integers", "SELECT bround(25, -1) AS p, bround(35, -1) AS q, round(-25, -1) AS r, round(l, -1) AS s FROM t"),
  ...both("round of BIGINT beyond the type", "SELECT round(9223372036854775807L, -1) AS p FROM one"),
  ...both("floor and ceil beyond BIGINT", "SELECT floor(1e30D) AS p, ceil(-1e30D) AS q FROM one"),
  ...both("floor and ceil names", "SELECT floor(x), ceil(x), floor(a), ceil(l) FROM t"),
  ...both("elt with a huge index", "SELECT elt(2147483647, 'a') AS p FROM one"),
  ...both("element_at INT_MIN index", "SELECT element_at(array(1, 2), -2147483648) AS p FROM one"),
  ...both("pmod wraps r + n as Java", "SELECT pmod(-1, -2147483648) AS p, pmod(-2147483648, -1) AS q FROM one"),
  ...both("try_* at BIGINT bounds", "SELECT try_multiply(9223372036854775807L, 2) AS p, try_add(9223372036854775807L, 1) AS q, try_subtract(-9223372036854775808L, 1) AS r, try_divide(-9223372036854775808L, -1) AS s, try_mod(-9223372036854775808L, -1) AS u FROM one"),
  ...both("try_* of doubles by zero", "SELECT try_divide(1, 0.0D) AS p, try_divide(0D, 0D) AS q, try_mod(1.5D, 0D) AS r FROM one"),
  ...both("shift edge cases", "SELECT shiftleft(1, 32) AS p, shiftleft(1, -1) AS q, shiftright(-1, 40) AS r, shiftrightunsigned(-1L, 1) AS s, shiftleft(CAST(1 AS TINYINT), 3) AS u FROM one"),
  ...both("sequence with big steps", "SELECT sequence(1, 2147483647, 1000000000) AS p, sequence(-2147483648, 2147483647, 2147483647) AS q, sequence(0L, 9223372036854775807L, 4611686018427387904L) AS r FROM one"),
  ...both("factorial bounds", "SELECT factorial(21) AS p, factorial(-1) AS q, factorial(20) AS r FROM one"),
  ...both("array index from a BIGINT", "SELECT array(1, 2)[2147483648L] AS p FROM one"),

];

const names: SqlDiffCase[] = [
  { name: "names: arithmetic", sql: "SELECT a + 1, a - b, a * 2, a / b, a % b, a div b, -a, +a, ~a FROM t" },
  { name: "names: comparisons", sql: "SELECT a = b, a == b, a <=> b, a <> b, a != b, a < b, a >= b, NOT (a > b) FROM t" },
  { name: "names: logic and predicates", sql: "SELECT a > 1 AND b < 2, a > 1 OR b < 2, a IS NULL, a IS NOT NULL, a IN (1, 2), a BETWEEN 1 AND 2, s LIKE 'a%', s RLIKE 'a.*' FROM t" },
  { name: "names: literals", sql: "SELECT 1, 'x', 1.5, 1e10, 2L, true, NULL, 1.5D, 10S, 3Y, -1, -1.5, 2.0D, 1e-5D, 0.1F FROM t" },
  { name: "names: date and interval literals", sql: "SELECT DATE '2020-01-02', TIMESTAMP '2020-01-02 03:04:05', x'0A0B' FROM t" },
  { name: "names: casts", sql: "SELECT CAST(a AS STRING), CAST(a AS BIGINT), CAST(a + 1 AS STRING), CAST(st.x AS STRING), CAST(arr AS ARRAY<STRING>), TRY_CAST(s AS INT), a::double FROM t" },
  { name: "names: case when", sql: "SELECT CASE WHEN a > 1 THEN 'x' ELSE 'y' END, CASE a WHEN 1 THEN 'one' END, if(a > 1, 1, 2) FROM t" },
  { name: "names: nested fields", sql: "SELECT st.x, st, arr[0], m['k'], element_at(arr, 1), arr FROM t WHERE size(arr) > 0" },
  { name: "names: functions", sql: "SELECT upper(s), concat(s, 'x'), s || 'x', coalesce(a, 0), nvl(a, 0), ifnull(a, 0), abs(a), round(x, 1), struct(a, s), array(1, 2), map('k', 1) FROM t" },
  { name: "names: implicit casts left out", sql: "SELECT a + 1.5, l + a, s + 1, a = '1', x * a FROM t" },
  { name: "names: aggregates", sluice: (spark) => spark.table("t").agg(F.expr("count(*)"), F.expr("count(a)"), F.expr("sum(a)"), F.expr("avg(a)"), F.expr("min(s)"), F.expr("max(x)"), F.expr("count(DISTINCT a)"), F.expr("sum(a + 1)")),
    pyspark: "spark.table('t').agg(F.expr('count(*)'), F.expr('count(a)'), F.expr('sum(a)'), F.expr('avg(a)'), F.expr('min(s)'), F.expr('max(x)'), F.expr('count(DISTINCT a)'), F.expr('sum(a + 1)'))" },
  { name: "names: shifts, between, like forms", sql: "SELECT a << 1, a >> 1, a >>> 1, shiftleft(a, 1), NOT (a BETWEEN 1 AND 2), a NOT BETWEEN 1 AND 2, s ILIKE 'A%', s NOT LIKE 'x', a NOT IN (1), positive(a), negative(a) FROM t" },
  { name: "names: nested types with >> in DDL", sql: "SELECT from_json('[[1, 2]]', 'ARRAY<ARRAY<INT>>') AS p, from_json('{\"k\": [1]}', 'MAP<STRING, ARRAY<INT>>') AS q FROM one" },
  { name: "names: Column methods (DataFrame)",
    sluice: (spark) => spark.table("t").select(F.col("a").divide(F.col("b")), F.col("a").mod(2), F.col("a").ne(F.col("b")), F.col("a").eqNullSafe(1), F.col("a").isNull(),
      F.col("a").isin(1, 2), F.col("a").between(1, 2), F.col("s").like("a%"), F.col("s").rlike("a"), F.col("arr").getItem(0), F.col("m").getItem("k"),
      F.when(F.col("a").gt(1), 1).otherwise(0), F.col("a").negate(), F.col("x").tryCast("int"), F.lit(1.5), F.lit("q"), F.coalesce(F.col("a"), F.lit(0))),
    pyspark: "spark.table('t').select(F.col('a') / F.col('b'), F.col('a') % 2, F.col('a') != F.col('b'), F.col('a').eqNullSafe(1), F.col('a').isNull(), " +
      "F.col('a').isin(1, 2), F.col('a').between(1, 2), F.col('s').like('a%'), F.col('s').rlike('a'), F.col('arr').getItem(0), F.col('m').getItem('k'), " +
      "F.when(F.col('a') > 1, 1).otherwise(0), -F.col('a'), F.col('x').try_cast('int'), F.lit(1.5), F.lit('q'), F.coalesce(F.col('a'), F.lit(0)))" },
  { name: "names: grouped shorthands (DataFrame)", sluice: (spark) => spark.table("t").groupBy("b").agg({ a: "max", x: "avg" }),
    pyspark: "spark.table('t').groupBy('b').agg({'a': 'max', 'x': 'avg'})" },
  { name: "names: count and countDistinct (DataFrame)", sluice: (spark) => spark.table("t").agg(F.count("*"), F.count("a"), F.countDistinct("a", "b"), F.sumDistinct("a"), F.first("s"), F.collectList("a")),
    pyspark: "spark.table('t').agg(F.count('*'), F.count('a'), F.countDistinct('a', 'b'), F.sum_distinct('a'), F.first('s'), F.collect_list('a'))" },
  { name: "names: groupBy().count()", sluice: (spark) => spark.table("t").groupBy("b").count(), pyspark: "spark.table('t').groupBy('b').count()" },
  { name: "names: field of an expression, E() and PI()", sql: "SELECT (a + 1) * 2, array(1, 2)[0], struct(a, s).a, concat_ws(',', s, s), named_struct('x', 1), map_keys(m), -x, current_date() IS NOT NULL, e(), pi() FROM t" },
  { name: "names: IS [NOT] DISTINCT FROM, NOT =, !", sql: "SELECT a IS DISTINCT FROM b, a IS NOT DISTINCT FROM b, NOT a = b, !(a = b) FROM t" },
  { name: "names: collection and JSON functions", sql: "SELECT size(arr), cardinality(m), sort_array(arr, false), array_contains(arr, 1), get_json_object(s, '$.a'), from_json(s, 'a INT'), to_json(st), length(s), substring(s, 1, 2), trim(s) FROM t" },
  { name: "names: default arguments shown", sql: "SELECT coalesce(a, b, 0), greatest(a, b), least(a, 1), isnull(a), isnotnull(a), nullif(a, b), nanvl(x, 0D), round(x), bround(x, 0), log(x), pow(a, 2) FROM t" },
  { name: "names: precedence", sql: "SELECT date_add(DATE '2020-01-01', a), year(DATE '2020-01-01'), to_date('2020-01-01'), 1 + 2 * 3 - 4 / 2 % 3, (1 + 2) * 3, true AND NOT false OR NULL, a & b | b ^ a FROM t" },
  { name: "names: aggregates (DataFrame)", sluice: (spark) => spark.table("t").groupBy("b").agg(F.sum("a"), F.count("*"), F.avg(F.col("a").plus(1))),
    pyspark: "spark.table('t').groupBy('b').agg(F.sum('a'), F.count('*'), F.avg(F.col('a') + 1))" },
  { name: "names: column expressions (DataFrame)", sluice: (spark) => spark.table("t").select(F.col("a").plus(1), F.col("a").eq(F.lit(1)), F.lit(5), F.col("s").cast("int"), F.col("st").getField("x"), F.upper("s")),
    pyspark: "spark.table('t').select(F.col('a') + 1, F.col('a') == F.lit(1), F.lit(5), F.col('s').cast('int'), F.col('st').getField('x'), F.upper('s'))" },
];

const JSON_ROWS = ['{"a": 2.0}', '{"a": 2}', '{"a": "3"}', '{"a": [1, "x"]}', "null", '{"a": 1} x', '{"a": 1}{"a": 2}', "[]", '[{"a": 1}, {"a": 2}]', "", "   ", '{"a": 9223372036854775808}', '{"l": 9223372036854775808}', '{"l": 9223372036854775807}', '{"l": -9223372036854775809}', '{"d": 201.0}', "{'a': 1}", '{"a": 1, "a": 2}', '{"a": 1.5e3}', '{"arr": [1, "x", 3]}', '{"arr": [1, 2.5]}', '{"s": {"x": 1}}', '{"s": [1, 2]}'];

const json: SqlDiffCase[] = [
  { name: "from_json PERMISSIVE details", sql: "SELECT j, from_json(j, 'a INT, l BIGINT, d DOUBLE, arr ARRAY<INT>, s STRING') AS r FROM js" },
  { name: "from_json FAILFAST 2.0 into INT", sql: "SELECT from_json('{\"a\": 2.0}', 'a INT', map('mode', 'FAILFAST')) AS r FROM one" },
  { name: "from_json FAILFAST wrong array element", sql: "SELECT from_json('{\"arr\": [1, \"x\"]}', 'arr ARRAY<INT>', map('mode', 'FAILFAST')) AS r FROM one" },
  { name: "from_json FAILFAST BIGINT overflow", sql: "SELECT from_json('{\"l\": 9223372036854775808}', 'l BIGINT', map('mode', 'FAILFAST')) AS r FROM one" },
  { name: "from_json FAILFAST trailing garbage", sql: "SELECT from_json('{\"a\": 1} x', 'a INT', map('mode', 'FAILFAST')) AS r FROM one" },
  { name: "from_json FAILFAST null text", sql: "SELECT from_json('null', 'a INT', map('mode', 'FAILFAST')) AS r FROM one" },
  { name: "from_json DROPMALFORMED is refused", sql: "SELECT from_json(j, 'a INT', map('mode', 'DROPMALFORMED')) AS r FROM js" },
  { name: "from_json array and map schemas", sql: "SELECT j, from_json(j, 'ARRAY<STRUCT<a: INT>>') AS r, from_json(j, 'MAP<STRING, INT>') AS m FROM js" },
  { name: "from_json corrupt record column", sql: "SELECT j, from_json(j, 'a INT, _corrupt_record STRING') AS r FROM js" },
  { name: "get_json_object paths", sql: "SELECT get_json_object(j, '$.a') AS a, get_json_object(j, '$.a[0]') AS a0, get_json_object(j, '$.a[*]') AS aw, get_json_object(j, '$[*].a') AS ra, get_json_object(j, '$.*') AS star, get_json_object(j, '$') AS root, get_json_object(j, '$.arr[*]') AS arrw, get_json_object(j, \"$['a']\") AS qa FROM js" },
  { name: "get_json_object numbers", sql: "SELECT get_json_object('{\"a\": 1.0, \"b\": 1e10, \"c\": 12345678901234567890, \"d\": -0.0, \"e\": [1.50, {\"f\": 2.0}], \"g\": 1E-7}', p) AS v FROM paths" },
  { name: "get_json_object wildcards", sql: "SELECT get_json_object('{\"a\": [{\"b\": 1}, {\"b\": 2}, {\"c\": 3}], \"x\": [[1, 2], [3]], \"o\": {\"p\": 1, \"q\": [2]}}', p) AS v FROM paths2" },
  { name: "json_tuple generates columns", sql: "SELECT json_tuple(j, 'a', 'l', 'zz') FROM js" },
  { name: "json_tuple with aliases", sql: "SELECT json_tuple(j, 'a', 'arr') AS (x, y) FROM js" },
  { name: "to_json doubles", sql: "SELECT to_json(named_struct('d', 201.0D, 'e', 1e10, 'f', CAST(1.5 AS FLOAT), 'g', -0.0D, 'h', 1e-5D, 'l', 9007199254740993L, 'n', CAST('NaN' AS DOUBLE))) AS r FROM one" },
  { name: "to_json arrays and maps", sql: "SELECT to_json(array(1.0D, 2.5D)) AS a, to_json(map('k', 3.0D)) AS m, to_json(named_struct('a', array(named_struct('x', 1.0D)))) AS n FROM one" },
  { name: "JSON reader: BIGINT overflow is a malformed record (PERMISSIVE)", sql: "SELECT * FROM big2" },
  { name: "JSON reader: the from_json records as lines", sql: "SELECT * FROM jr" },
  { name: "JSON reader: BIGINT overflow with corrupt column", sql: "SELECT * FROM big3" },
];

const dir = mkdtempSync(path.join(tmpdir(), "sluice-ansi-json-"));
const bigFile = path.join(dir, "big.json");
writeFileSync(bigFile, '{"l": 1}\n{"l": 9223372036854775808}\n{"l": -9223372036854775809}\n{"l": 2, "a": 2.0}\n{"l": 3}\n');
const readerCase = (mode: string): SqlDiffCase => ({
  name: `JSON reader: BIGINT overflow in ${mode}`,
  sluice: (spark) => spark.read.schema("l BIGINT, a INT").option("mode", mode).json(bigFile),
  pyspark: `spark.read.schema('l BIGINT, a INT').option('mode', '${mode}').json(${JSON.stringify(bigFile)})`,
});
const reader: SqlDiffCase[] = [
  readerCase("PERMISSIVE"), readerCase("DROPMALFORMED"),
  { name: "JSON reader: corrupt record column", sluice: (spark) => spark.read.schema("l BIGINT, a INT, _corrupt_record STRING").json(bigFile),
    pyspark: `spark.read.schema('l BIGINT, a INT, _corrupt_record STRING').json(${JSON.stringify(bigFile)})` },
];

const unions: SqlDiffCase[] = [
  { name: "unionByName allowMissingColumns keeps the right side's extra columns",
    sluice: (spark) => spark.table("t").select("a", "s").unionByName(spark.table("t").select("b", "a", "x"), true),
    pyspark: "spark.table('t').select('a', 's').unionByName(spark.table('t').select('b', 'a', 'x'), allowMissingColumns=True)" },
  { name: "unionByName without allowMissingColumns fails",
    sluice: (spark) => spark.table("t").select("a", "s").unionByName(spark.table("t").select("b", "a")),
    pyspark: "spark.table('t').select('a', 's').unionByName(spark.table('t').select('b', 'a'))" },
];

const PATHS = ["$.a", "$.b", "$.c", "$.d", "$.e", "$.e[1]", "$.e[0]", "$.g", "$"];
const PATHS2 = ["$.a[*].b", "$.a[*]", "$.a[0]", "$.a[1].b", "$.x[*][0]", "$.x[*]", "$.x[0][*]", "$.o.*", "$.*", "$.o.q[*]", "$.a[*].c", "$.a[3]", "$..b", "$.a.b", "$[0]", "a", "$.", "$.a[-1]", "$.a[*].b[0]"];

sqlDifferentialSuite("ansi and json", {
  t: { schema: "a INT, b INT, l BIGINT, s STRING, x DOUBLE, arr ARRAY<INT>, m MAP<STRING, INT>, st STRUCT<x: INT, y: STRING>", rows: [
    '{"a": 1, "b": 2, "l": 10, "s": "abc", "x": 1.5, "arr": [1, 2, 3], "m": {"k": 1}, "st": {"x": 5, "y": "q"}}',
    '{"a": 7, "b": -3, "l": -4, "s": "a", "x": 201.0, "arr": [], "m": {}, "st": {"x": null, "y": "r"}}',
  ] },
  one: { schema: "z INT", rows: ['{"z": 1}'] },
  n: { schema: "a INT, l BIGINT", rows: ['{"a": -2147483648, "l": -9223372036854775808}'] },
  big: { schema: "l BIGINT", rows: ['{"l": 9223372036854775807}', '{"l": 1}'] },
  big2: { schema: "l BIGINT, a INT", rows: ['{"l": 1}', '{"l": 9223372036854775808}', '{"l": 2, "a": 2.0}'] },
  big3: { schema: "l BIGINT, _corrupt_record STRING", rows: ['{"l": 1}', '{"l": 9223372036854775808}'] },
  js: { schema: "j STRING", rows: JSON_ROWS.map((j) => JSON.stringify({ j })) },
  jr: { schema: "a INT, l BIGINT, d DOUBLE, arr ARRAY<INT>, s STRING, _corrupt_record STRING", rows: JSON_ROWS.filter((j) => j.trim() !== "") },
  paths: { schema: "p STRING", rows: PATHS.map((p) => JSON.stringify({ p })) },
  paths2: { schema: "p STRING", rows: PATHS2.map((p) => JSON.stringify({ p })) },
}, [...ansi, ...names, ...json, ...reader, ...unions]);

describe("differential (batch): the JSON writer's number text", () => {
  it("writes doubles and floats as Spark does (201.0, not 201)", { timeout: 300_000 }, async () => {
    const query = "SELECT 201.0D AS d, 1e10D AS e, CAST(1.5 AS FLOAT) AS f, -0.0D AS g, 9007199254740993L AS l, 1e-5D AS h FROM one";
    const one = path.join(dir, "one.json");
    writeFileSync(one, '{"z": 1}\n');
    const sparkOut = path.join(dir, "spark-out"), ourOut = path.join(dir, "our-out");
    const oracle = await SparkOracle.start();
    let expected;
    try {
      expected = await oracle.ask({ tables: { one: { schema: "z INT", path: one } },
        pyspark: `(lambda p: (spark.sql(${JSON.stringify(query)}).write.mode('overwrite').json(p), spark.read.text(p))[1])(${JSON.stringify(sparkOut)})` });
    } finally { await oracle.close(); }
    const spark = testSession();
    spark.read.schema("z INT").json(one).createOrReplaceTempView("one");
    await spark.sql(query).write.mode("overwrite").json(ourOut);
    const ours = (await spark.read.text(ourOut).collect()).map((r) => [r["value"]]);
    assert.deepEqual(ours, expected.rows);
  });
});
