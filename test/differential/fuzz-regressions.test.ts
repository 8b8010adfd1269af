/**
 * Regression cases from the differential fuzzer (test/fuzz): minimal divergences from real Spark, each found by a
 * generated case and shrunk. Cases whose fix has not merged yet wait in test/fuzz/pending-regressions.ts.
 */
import { sqlDifferentialSuite, type SqlDiffCase } from "../support/sql-differential.js";
import { streamDifferentialSuite } from "../fuzz/stream-differential.js";
import type { StreamCase } from "../fuzz/stream-cases.js";

export const FUZZ_REGRESSIONS: readonly SqlDiffCase[] = [
  { name: "fuzz: element_at (spark fails INVALID_ARRAY_INDEX_IN_ELEMENT_AT)",
    sql: "SELECT id, element_at(sa, 3) AS c0 FROM t",
    conf: {"spark.sql.session.timeZone":"UTC"},
    tables: { t: { schema: "id INT, sa ARRAY<STRING>", rows: [
        "{\"id\": 9, \"sa\": [null]}",
    ] } } },
  { name: "fuzz: % (error class REMAINDER_BY_ZERO vs DIVIDE_BY_ZERO)",
    sql: "SELECT id, (0 % i) AS c0 FROM t",
    conf: {"spark.sql.session.timeZone":"UTC"},
    tables: { t: { schema: "id INT, i INT", rows: [
        "{\"id\": 10, \"i\": 0}",
    ] } } },
  { name: "fuzz: read (values)",
    sql: "SELECT id, m AS c0 FROM t",
    conf: {"spark.sql.session.timeZone":"America/New_York"},
    tables: { t: { schema: "id INT, m DECIMAL(18,3)", rows: [
        "{\"id\": 10, \"m\": 5387.3}",
    ] } } },
  { name: "fuzz: to_csv (sluice fails PARSE_SYNTAX_ERROR)",
    sql: "SELECT id, to_csv(named_struct('a', 0, 'b', TRY_CAST(-9223372036854775808L AS TINYINT))) AS c0 FROM t",
    conf: {"spark.sql.session.timeZone":"America/New_York"},
    tables: { t: { schema: "id INT", rows: [
  
    ] } } },
  { name: "fuzz: locate (values)",
    sql: "SELECT id, locate('abc', s, i) AS c0 FROM t",
    conf: {"spark.sql.session.timeZone":"Asia/Kolkata"},
    tables: { t: { schema: "id INT, i INT, s STRING", rows: [
        "{\"id\": 2, \"s\": \" \"}",
    ] } } },
  { name: "fuzz: bround (spark fails ARITHMETIC_OVERFLOW)",
    sql: "SELECT id, bround(h, -2) AS c0 FROM t",
    conf: {"spark.sql.session.timeZone":"Asia/Kolkata"},
    tables: { t: { schema: "id INT, h SMALLINT", rows: [
        "{\"id\": 3, \"h\": -32768}",
    ] } } },
  { name: "fuzz: ceil (schema)",
    sql: "SELECT id, ceil(1.5) AS c0 FROM t",
    conf: {"spark.sql.session.timeZone":"UTC","spark.sql.ansi.enabled":"false"},
    tables: { t: { schema: "id INT", rows: [
  
    ] } } },
  { name: "fuzz: regexp_extract (spark fails INVALID_PARAMETER_VALUE)",
    sql: "SELECT id, regexp_extract('abc', '') AS c0 FROM t",
    conf: {"spark.sql.session.timeZone":"Asia/Kolkata","spark.sql.ansi.enabled":"false"},
    tables: { t: { schema: "id INT", rows: [
        "{\"id\": 3}",
    ] } } },
  { name: "fuzz: TIMESTAMP literal in a non-UTC session (values)",
    sql: "SELECT id, TIMESTAMP'1970-01-01 00:00:00' AS c0 FROM t", conf: { "spark.sql.session.timeZone": "America/New_York" },
    tables: { t: { schema: "id INT", rows: ['{"id": 0}'] } } },
  { name: "fuzz: abs of a BIGINT literal above 2^53 (sluice raw error TypeError)",
    sql: "SELECT id, abs(9007199254740993L) AS c0 FROM t",
    tables: { t: { schema: "id INT", rows: ['{"id": 0}'] } } },
  { name: "fuzz: to_date of a timestamp with a format (sluice raw error TypeError)",
    sql: "SELECT id, to_date(ts, 'a hh') AS c0 FROM t",
    tables: { t: { schema: "id INT, ts TIMESTAMP", rows: ['{"id": 4, "ts": "0001-01-01 00:00:00"}'] } } },
  { name: "fuzz: regexp_extract with a group index out of range (spark fails INVALID_PARAMETER_VALUE)",
    sql: "SELECT id, regexp_extract(s, 'a|b', -1) AS c0 FROM t",
    tables: { t: { schema: "id INT, s STRING", rows: ['{"id": 0, "s": "abc"}'] } } },
  { name: "fuzz: -9223372036854775808L literal (sluice fails PARSE_SYNTAX_ERROR)",
    sql: "SELECT id, -9223372036854775808L AS c0 FROM t",
    tables: { t: { schema: "id INT", rows: ['{"id": 0}'] } } },
  { name: "fuzz: -2147483648 literal is INT (schema)",
    sql: "SELECT id, -2147483648 AS c0, coalesce(id, -2147483648) AS c1 FROM t",
    tables: { t: { schema: "id INT", rows: ['{"id": 0}'] } } },
  { name: "fuzz: SMALLINT negation overflows under ANSI (spark fails ARITHMETIC_OVERFLOW)",
    sql: "SELECT id, (- h) AS c0 FROM t",
    tables: { t: { schema: "id INT, h SMALLINT", rows: ['{"id": 0, "h": -32768}'] } } },
  { name: "fuzz: INT negation overflows under ANSI (spark fails ARITHMETIC_OVERFLOW)",
    sql: "SELECT id, (- i) AS c0 FROM t",
    tables: { t: { schema: "id INT, i INT", rows: ['{"id": 0, "i": -2147483648}'] } } },
  { name: "fuzz: lpad/rpad cut a non-BMP character in half (values)",
    sql: "SELECT id, lpad(s, 5) AS c0, rpad(s, 1, 'x') AS c1, concat(s, rpad(lpad(s, 5), 1, 'y')) AS c2 FROM t",
    tables: { t: { schema: "id INT, s STRING", rows: ['{"id": 0, "s": "𝄞 clef"}'] } } },
  { name: "fuzz: right/left of a non-BMP string (values)",
    sql: "SELECT id, right(s, length(s)) AS c0, left(s, 1) AS c1 FROM t",
    tables: { t: { schema: "id INT, s STRING", rows: ['{"id": 0, "s": "𐐀𐐨"}'] } } },
];

export const FUZZ_STREAMING_REGRESSIONS: readonly StreamCase[] = [
  // Rebuilt by hand around divergences seen in runs whose reports were not saved (seeds 3 and 303): these inputs agree
  // today and stay as edge cases (an empty micro-batch in one side of a union; event-time windows before 1970).
  { name: "fuzz streaming: union of two file streams ", shape: "union", mode: "append", conf: { "spark.sql.session.timeZone": "UTC" },
    inputs: {
      a: { schema: "id INT, k STRING, v BIGINT, ts TIMESTAMP", batches: [['{"id": 0, "k": "a", "v": 9007199254740993, "ts": "2024-03-10 06:00:00"}'], ['{"id": 1, "k": "b", "v": 1, "ts": "2024-03-10 06:05:00"}']] },
      b: { schema: "id INT, k STRING, v BIGINT, ts TIMESTAMP", batches: [['{"id": 2, "k": "c", "v": -1, "ts": "2024-03-10 06:01:00"}'], [], ['{"id": 3, "k": null, "v": 0, "ts": "2024-03-10 06:02:00"}']] },
    },
    ops: [{ op: "union", input: "b" }] },
  { name: "fuzz streaming: windowed count over instants before 1970 ", shape: "windowed", mode: "append", conf: { "spark.sql.session.timeZone": "UTC" },
    inputs: { a: { schema: "id INT, k STRING, v INT, ts TIMESTAMP", batches: [[
      '{"id": 0, "k": "𝄞", "v": 2147483647, "ts": "1969-12-31 23:04:00.911"}', '{"id": 1, "k": "a", "v": 332, "ts": "1969-12-31 23:04:00.911"}',
      '{"id": 2, "k": "c", "v": 203, "ts": "1969-12-31 23:12:00.934"}', '{"id": 3, "k": null, "v": -128, "ts": "1969-12-31 23:16:00.934"}']] } },
    ops: [{ op: "withWatermark", col: "ts", delay: "10 minutes" }, { op: "groupBy", keys: ["window(ts, '10 minutes') AS w", "k"], aggs: ["count(*) AS n", "avg(v) AS av"] }] },
];

if (FUZZ_REGRESSIONS.length > 0) sqlDifferentialSuite("fuzz regressions", {}, FUZZ_REGRESSIONS);
if (FUZZ_STREAMING_REGRESSIONS.length > 0) streamDifferentialSuite("fuzz streaming regressions", FUZZ_STREAMING_REGRESSIONS);
