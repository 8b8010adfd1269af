/**
 * Exact decimals and 64-bit integers against real Spark: literals, casts, Spark's precision/scale rules for every
 * operator, HALF_UP rounding, overflow under ANSI on and off, aggregates, and the values users see in rows.
 */
import { F } from "../../src/index.js";
import { sqlDifferentialSuite, type SqlDiffCase } from "../support/sql-differential.js";

const OFF = { "spark.sql.ansi.enabled": "false" };

/** A global aggregation over `m` (Sluice's spark.sql has no GROUP BY yet; the DataFrame API in both). */
function agg(name: string, ...exprs: string[]): SqlDiffCase {
  const py = exprs.map((e) => `F.expr(${JSON.stringify(e)})`).join(", ");
  return {
    name,
    sluice: (s) => s.table("m").groupBy().agg(F.expr(exprs[0]!), ...exprs.slice(1).map((e) => F.expr(e))),
    pyspark: `spark.table('m').groupBy().agg(${py})`,
  };
}

sqlDifferentialSuite("decimals and 64-bit integers", {
  m: { schema: "id INT, d DECIMAL(10,2), w DECIMAL(38,10), s STRING, i INT, l BIGINT, x DOUBLE", rows: [
    '{"id": 1, "d": 1.25, "w": 1234567890123456789012345678.0123456789, "s": "12345678901234567.89", "i": 7, "l": 9007199254740993, "x": 0.1}',
    '{"id": 2, "d": 11.71, "w": -0.0000000001, "s": "-0.005", "i": -3, "l": -9223372036854775808, "x": 2.5}',
    '{"id": 3, "d": null, "w": 99999999999999999999999999.9999999999, "s": "1e3", "i": null, "l": 9223372036854775807, "x": -1.005}',
    '{"id": 4, "d": -0.01, "w": 0, "s": " 7.5 ", "i": 0, "l": 2, "x": 1e300}',
  ] },
}, [
  { name: "a decimal column passes through exactly", sql: "SELECT id, d, w FROM m" },
  { name: "decimal literals keep every digit", sql: "SELECT 12345678901234567.89 AS a, 0.1 AS b, -0.00 AS c, 1.5BD AS e, 9223372036854775808 AS f FROM m WHERE id = 1" },
  { name: "a literal beyond 38 digits is refused", sql: "SELECT 100000000000000000000000000000000000000.0 FROM m" },
  agg("sum and avg of DECIMAL(10,2)", "sum(d) AS s", "avg(d) AS a", "min(d) AS lo", "max(d) AS hi", "count(d) AS c"),
  agg("sum of DECIMAL(38,10)", "sum(w) AS s"),
  agg("avg of DECIMAL(38,10) overflows its result type under ANSI", "avg(w) AS a"),
  { ...agg("avg of DECIMAL(38,10) without ANSI", "avg(w) AS a"), conf: OFF },
  agg("avg rounds HALF_UP at its scale", "avg(d * 3) AS a", "avg(CAST(id AS DECIMAL(5,0))) AS b"),
  { name: "grouped sums of decimals", sluice: (s) => s.table("m").groupBy(F.expr("id % 2 AS k")).agg(F.expr("sum(d) AS s"), F.expr("avg(w) AS a")),
    pyspark: "spark.table('m').groupBy(F.expr('id % 2 AS k')).agg(F.expr('sum(d) AS s'), F.expr('avg(w) AS a'))", conf: OFF },
  { name: "addition and subtraction types", sql: "SELECT d + d, d - 1, d + 1.5, i + d, l + d, d + w FROM m" },
  { name: "multiplication types and rounding", sql: "SELECT d * d, d * 1.333, d * i, w * 10 FROM m" },
  { name: "division types and HALF_UP rounding", sql: "SELECT d / 3, d / 7.0, 1.0 / 3, i / d, CAST(2 AS DECIMAL(10,2)) / CAST(3 AS DECIMAL(10,2)) FROM m WHERE d <> 0" },
  { name: "remainder and div", sql: "SELECT d % 1, d % 0.3, -5.5 % 2, d div 0.3 FROM m WHERE id <> 4" },
  { name: "pmod on decimals and integers", sql: "SELECT pmod(d, 0.3) a, pmod(-5.5, 2) b, pmod(d, -7) c, pmod(100.5, 3) e, pmod(-7, 3) f FROM m WHERE id <> 4" },
  { name: "stddev and variance of decimals are of their values", sluice: (s) => s.table("m").groupBy().agg(F.expr("stddev(d) AS a"), F.expr("var_pop(w) AS b")), pyspark: "spark.table('m').groupBy().agg(F.expr('stddev(d) AS a'), F.expr('var_pop(w) AS b'))" },
  { name: "try_ arithmetic on decimals is exact and NULL on overflow or zero", sql: "SELECT try_add(d, 0.005) a, try_subtract(w, 1) b, try_multiply(w, w) c, try_divide(d, 0) e, try_divide(d, 3) f, try_mod(d, 0.3) g FROM m" },
  { name: "remainder by zero under ANSI", sql: "SELECT d % 0 FROM m" },
  { name: "abs and negative of decimals", sql: "SELECT abs(d) a, negative(d) b, abs(w) c FROM m" },
  { name: "division by zero under ANSI", sql: "SELECT d / 0 FROM m" },
  { name: "division by zero without ANSI", sql: "SELECT d / 0, d % 0 FROM m", conf: OFF },
  { name: "overflow of decimal addition under ANSI", sql: "SELECT w * w FROM m WHERE id = 3" },
  { name: "overflow of decimal multiplication without ANSI is NULL", sql: "SELECT w * w, w + w FROM m", conf: OFF },
  { name: "cast text to decimal exactly", sql: "SELECT CAST(s AS DECIMAL(20,2)) AS a, CAST(s AS DECIMAL(38,18)) AS b FROM m" },
  { name: "cast rounds HALF_UP", sql: "SELECT CAST(12.345 AS DECIMAL(4,2)), CAST(-12.345 AS DECIMAL(4,2)), CAST(d AS DECIMAL(3,1)) AS c FROM m" },
  { name: "cast overflow to decimal under ANSI", sql: "SELECT CAST(w AS DECIMAL(10,2)) FROM m WHERE id = 1" },
  { name: "cast overflow to decimal without ANSI and try_cast", sql: "SELECT CAST(w AS DECIMAL(10,2)) AS a, try_cast(w AS DECIMAL(5,1)) AS b FROM m", conf: OFF },
  { name: "try_cast to decimal under ANSI", sql: "SELECT try_cast(w AS DECIMAL(5,1)) AS b, try_cast(s AS DECIMAL(4,2)) AS c FROM m" },
  { name: "decimals to other types", sql: "SELECT CAST(d AS INT) a, CAST(d AS BIGINT) b, CAST(d AS DOUBLE) c, CAST(d AS STRING) e, CAST(d AS BOOLEAN) f, CAST(w AS DOUBLE) g, CAST(w AS STRING) h FROM m" },
  { name: "doubles to decimal by their shortest digits", sql: "SELECT CAST(x AS DECIMAL(20,18)) AS a, CAST(x AS DECIMAL(10,2)) AS b FROM m WHERE id <> 4" },
  { name: "floor, ceil, round, bround, abs on decimals", sql: "SELECT floor(d) a, ceil(d) b, round(d, 1), bround(d, 1), round(d, -1), abs(d), -d, round(w, 3), floor(-0.5) c, ceil(-0.5) e, round(-2.5) f, bround(2.5) g, bround(-3.5) h FROM m" },
  { name: "comparisons across decimal types", sql: "SELECT id FROM m WHERE d > 1.2 OR w < 0 OR d = 11.710", ordered: false },
  { name: "ordering by decimals", sql: "SELECT id, w FROM m ORDER BY w", ordered: true },
  { name: "long arithmetic is exact beyond 2^53", sql: "SELECT l - 1 AS a, l + 1 AS b, l * 1 AS c, l div 1 AS e, -l AS f FROM m WHERE id = 1" },
  { name: "long overflow under ANSI", sql: "SELECT l + 1 FROM m WHERE id = 3" },
  { name: "long overflow wraps without ANSI", sql: "SELECT l + 1 AS a, l * 2 AS b, l - 1 AS c FROM m", conf: OFF },
  agg("sum of bigints past the maximum fails under ANSI", "sum(l) AS s"),
  { ...agg("sum of bigints wraps without ANSI", "sum(l) AS s"), conf: OFF },
  agg("sum of bigints beyond 2^53 is exact", "sum(CASE WHEN id = 1 THEN l ELSE 1 END) AS s"),
  { name: "casts to bigint are exact", sql: "SELECT CAST(CAST(l AS STRING) AS BIGINT) AS a, CAST('9223372036854775807' AS BIGINT) AS b, CAST(l AS DECIMAL(20,0)) AS c FROM m" },
  { name: "cast overflow classes", sql: "SELECT CAST(300 AS TINYINT) FROM m" },
  { name: "cast overflow of double to bigint", sql: "SELECT CAST(x AS BIGINT) FROM m WHERE id = 4" },
  { name: "try_cast gives NULL instead of wrapping", sql: "SELECT try_cast(300 AS TINYINT), try_cast(l AS INT) a, try_cast(x AS INT) b FROM m" },
  { name: "non-ANSI casts wrap and saturate as Java", sql: "SELECT CAST(300 AS TINYINT), CAST(l AS INT) a, CAST(x AS INT) b, CAST(x AS BIGINT) c, CAST(w AS BIGINT) e, CAST(l AS SMALLINT) f FROM m", conf: OFF },
  { name: "from_json reads BIGINT beyond 2^53 and exact decimals", sql: "SELECT from_json('{\"a\": 9007199254740993, \"b\": 12345678901234567.89, \"c\": 1.10}', 'a BIGINT, b DECIMAL(20,2), c DECIMAL(5,3)') AS j FROM m WHERE id = 1" },
  { name: "to_json writes exact decimals", sql: "SELECT to_json(named_struct('d', d, 'w', w, 'l', l)) AS j FROM m" },
]);
