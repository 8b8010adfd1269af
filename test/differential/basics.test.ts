/** Batch differential smoke cases: the harness itself (schemas, exact values, errors) against real Spark. */
import { sqlDifferentialSuite } from "../support/sql-differential.js";

sqlDifferentialSuite("basics", {
  t: { schema: "a INT, l BIGINT, s STRING, x DOUBLE", rows: [
    '{"a": 1, "l": 9007199254740993, "s": "héllo €", "x": 1.5}',
    '{"a": null, "l": -5, "s": "𝄞 clef", "x": -0.0}',
  ] },
}, [
  { name: "projection keeps exact values", sql: "SELECT a, l, s, x FROM t" },
  { name: "auto-generated names", sql: "SELECT a + 1, upper(s), x * 2 FROM t" },
  { name: "long arithmetic above 2^53", sql: "SELECT l - 1 AS m, l + 1 AS p FROM t" },
  { name: "division by zero fails under ANSI", sql: "SELECT a / 0 AS q FROM t" },
  { name: "division by zero is null without ANSI", sql: "SELECT a / 0 AS q FROM t", conf: { "spark.sql.ansi.enabled": "false" } },
]);
