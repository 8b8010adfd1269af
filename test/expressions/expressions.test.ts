import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { F, T, Timestamp } from "../../src/index.js";
import { testSession } from "../support/session.js";

describe("expressions on a DataFrame", () => {
  const spark = testSession();
  const one = spark.createDataFrame([{ x: 1 }]);
  /** A timestamp as rows give it: a `Timestamp` (a `Date` carrying microseconds). */
  const ts = (iso: string): Timestamp => new Timestamp(Date.parse(iso) * 1000);
  const value = async (expr: string): Promise<unknown> => (await one.selectExpr(`${expr} AS v`).collect())[0]!["v"];

  it("casts as Spark does, with ANSI errors and try_cast nulls", async () => {
    assert.equal(await value("CAST('42' AS INT)"), 42);
    assert.equal(await value("CAST(' 7 ' AS BIGINT)"), 7);
    assert.equal(await value("CAST(3.9 AS INT)"), 3);
    assert.equal(await value("CAST(-3.9 AS INT)"), -3);
    assert.equal(await value("CAST('1.5' AS DOUBLE)"), 1.5);
    assert.equal(await value("CAST(1.0 AS STRING)"), "1.0");
    assert.equal(await value("CAST(CAST(1 AS DOUBLE) AS STRING)"), "1.0");
    assert.equal(await value("CAST(1e7 AS STRING)"), "1.0E7");
    assert.equal(await value("CAST(true AS STRING)"), "true");
    assert.equal(await value("CAST('yes' AS BOOLEAN)"), true);
    assert.equal(await value("TRY_CAST('abc' AS INT)"), null);
    await assert.rejects(value("CAST('abc' AS INT)"), (e: unknown) => (e as { code?: string }).code === "CAST_INVALID_INPUT");
    await assert.rejects(value("CAST(3000000000 AS INT)"), (e: unknown) => (e as { code?: string }).code === "CAST_OVERFLOW");
    assert.deepEqual(await value("CAST('2024-02-29 13:45:01.5' AS TIMESTAMP)"), ts("2024-02-29T13:45:01.500Z"));
    assert.equal(await value("TRY_CAST('2024-02-30' AS DATE)"), null);
    await assert.rejects(value("CAST('2024-02-30' AS DATE)"), (e: unknown) => (e as { code?: string }).code === "CAST_INVALID_INPUT");
    assert.equal(await value("CAST(TIMESTAMP '2024-01-02 03:04:05' AS STRING)"), "2024-01-02 03:04:05");
    assert.equal(await value("CAST(DATE '2024-01-02' AS STRING)"), "2024-01-02");
  });

  it("does exact 64-bit integer arithmetic and never rounds silently", async () => {
    assert.equal(await value("9007199254740993L"), 9007199254740993n);
    assert.equal(await value("9007199254740992L + 1L"), 9007199254740993n);
    assert.equal(await value("CAST('9223372036854775807' AS BIGINT)"), 9223372036854775807n);
    await assert.rejects(value("9223372036854775807L + 1L"), (e: unknown) => (e as { code?: string }).code === "ARITHMETIC_OVERFLOW");
    await assert.rejects(value("2147483647 + 1"), (e: unknown) => (e as { code?: string }).code === "ARITHMETIC_OVERFLOW");
  });

  it("divides as Spark: / gives double, div gives bigint, by zero raises DIVIDE_BY_ZERO in ANSI mode", async () => {
    assert.equal(await value("7 / 2"), 3.5);
    assert.equal(await value("7 div 2"), 3);
    assert.equal(await value("-7 % 3"), -1);
    await assert.rejects(value("1 / 0"), (e: unknown) => (e as { code?: string }).code === "DIVIDE_BY_ZERO");
    assert.equal(await value("CASE WHEN x = 0 THEN 1 / 0 ELSE 5 END"), 5);
    assert.equal(await value("x = 0 AND 1 / 0 = 1"), false);
  });

  it("rounds as Spark does: on the decimal value, HALF_UP for round and HALF_EVEN for bround", async () => {
    assert.equal(await value("round(2.675D, 2)"), 2.68);
    assert.equal(await value("round(1.005D, 2)"), 1.01);
    assert.equal(await value("round(-2.5D)"), -3);
    assert.equal(await value("round(0.5D)"), 1);
    assert.equal(await value("bround(2.5D)"), 2);
    assert.equal(await value("bround(3.5D)"), 4);
    assert.equal(await value("round(1250, -2)"), 1300);
    assert.equal(await value("bround(1250, -2)"), 1200);
    assert.equal(await value("round(1234.5678D, 2)"), 1234.57);
    assert.equal(await value("round(0.0004D, 3)"), 0);
    assert.equal(await value("round(123456789.123456789D, 4)"), 123456789.1235);
  });

  it("uses three-valued logic", async () => {
    assert.equal(await value("NULL AND false"), false);
    assert.equal(await value("NULL AND true"), null);
    assert.equal(await value("NULL OR true"), true);
    assert.equal(await value("NULL = NULL"), null);
    assert.equal(await value("NULL <=> NULL"), true);
    assert.equal(await value("1 IN (2, NULL)"), null);
    assert.equal(await value("1 IN (1, NULL)"), true);
    assert.equal(await value("CAST('NaN' AS DOUBLE) = CAST('NaN' AS DOUBLE)"), true);
  });

  it("evaluates string functions", async () => {
    assert.equal(await value("substring('Spark SQL', 5)"), "k SQL");
    assert.equal(await value("substring('Spark SQL', -3, 2)"), "SQ");
    assert.deepEqual(await value("split('a,b,,c', ',')"), ["a", "b", "", "c"]);
    assert.equal(await value("concat_ws('-', 'a', NULL, 'b')"), "a-b");
    assert.equal(await value("regexp_replace('100-200', '(\\\\d+)', 'n')"), "n-n");
    assert.equal(await value("regexp_extract('foo123bar', '([a-z]+)(\\\\d+)', 2)"), "123");
    assert.equal(await value("lpad('7', 3, '0')"), "007");
    assert.equal(await value("initcap('hello wORLD')"), "Hello World");
    assert.equal(await value("'abc' LIKE 'a_c'"), true);
    assert.equal(await value("'a%c' LIKE 'a\\\\%c'"), true);
    assert.equal(await value("upper(NULL)"), null);
  });

  it("evaluates date and time functions with Spark patterns in the session time zone", async () => {
    assert.deepEqual(await value("to_timestamp('2024-03-10 08:15:00', 'yyyy-MM-dd HH:mm:ss')"), ts("2024-03-10T08:15:00Z"));
    assert.deepEqual(await value("to_timestamp('10/03/2024 8:15 PM', 'dd/MM/yyyy h:mm a')"), ts("2024-03-10T20:15:00Z"));
    assert.equal(await value("date_format(TIMESTAMP '2024-03-10 08:15:00', 'yyyy-MM-dd''T''HH:mm')"), "2024-03-10T08:15");
    assert.equal(await value("year(DATE '2024-03-10') * 100 + month(DATE '2024-03-10')"), 202403);
    assert.equal(await value("datediff(DATE '2024-03-10', DATE '2024-02-28')"), 11);
    assert.deepEqual(await value("TIMESTAMP '2024-01-31 00:00:00' + interval 1 month"), ts("2024-02-29T00:00:00Z"));
    assert.deepEqual(await value("TIMESTAMP '2024-01-01 00:00:00' + interval 15 minutes"), ts("2024-01-01T00:15:00Z"));
    assert.equal(await value("unix_timestamp(TIMESTAMP '1970-01-02 00:00:00')"), 86400);
    assert.deepEqual(await value("date_trunc('hour', TIMESTAMP '2024-01-01 10:45:12')"), ts("2024-01-01T10:00:00Z"));
  });

  it("parses and prints JSON and CSV inside columns", async () => {
    const df = spark.createDataFrame([{ s: '{"a": 1, "b": {"c": "x"}, "d": [1, 2]}' }, { s: "{bad" }, { s: '{"a": "not int"}' }]);
    const parsed = await df.select(F.fromJson(F.col("s"), "a INT, b STRUCT<c: STRING>, d ARRAY<INT>").alias("j")).collect();
    assert.deepEqual(parsed, [
      { j: { a: 1, b: { c: "x" }, d: [1, 2] } },
      { j: { a: null, b: null, d: null } },
      { j: { a: null, b: null, d: null } },
    ]);
    await assert.rejects(df.select(F.fromJson(F.col("s"), "a INT", { mode: "FAILFAST" })).collect(), { code: "MALFORMED_RECORD_IN_PARSING" });
    const back = await spark.createDataFrame([{ a: 1, b: "x", c: null }]).select(F.toJson(F.struct(F.col("*"))).alias("j"), F.toCsv(F.struct("a", "b")).alias("c")).collect();
    assert.deepEqual(back, [{ j: '{"a":1,"b":"x"}', c: "1,x" }]);
    const csv = await spark.createDataFrame([{ s: '1,"a,b",2.5' }]).select(F.fromCsv(F.col("s"), "i INT, t STRING, d DOUBLE").alias("r")).collect();
    assert.deepEqual(csv, [{ r: { i: 1, t: "a,b", d: 2.5 } }]);
    assert.equal((await spark.createDataFrame([{ d: 1.0 }], "d DOUBLE").select(F.toJson(F.struct("d")).alias("j")).collect())[0]!["j"], '{"d":1.0}');
  });

  it("resolves columns with clear errors", () => {
    const df = spark.createDataFrame([{ a: 1, s: { f: 2 } }], "a INT, s STRUCT<f: INT>");
    assert.throws(() => df.select("b"), { code: "UNRESOLVED_COLUMN", params: { objectName: "`b`", proposal: "`a`, `s`" } });
    assert.throws(() => df.selectExpr("nosuch(a)"), { code: "UNRESOLVED_ROUTINE" });
    assert.throws(() => df.selectExpr("upper(a, a)"), { code: "WRONG_NUM_ARGS" });
    assert.throws(() => df.selectExpr("a AND true"), { code: "DATATYPE_MISMATCH" });
    assert.deepEqual(df.selectExpr("s.f", "S.F as g", "s.*").columns, ["f", "g", "f"]);
    assert.deepEqual(df.select(F.col("s").getField("f").alias("x")).columns, ["x"]);
  });

  it("agrees with JavaScript on integer arithmetic in range (property)", async () => {
    const small = fc.integer({ min: -30_000, max: 30_000 }); // b * c stays inside INT, as ANSI mode requires
    await fc.assert(fc.asyncProperty(small, small, small, async (a, b, c) => {
      const [row] = await spark.createDataFrame([{ a, b, c }], "a INT, b INT, c INT").selectExpr("a + b * c AS r", "a - b AS d", "a * 2 + c AS e").collect();
      assert.deepEqual(row, { r: a + b * c, d: a - b, e: a * 2 + c });
    }), { numRuns: 50 });
  });

  it("infers createDataFrame schemas like PySpark and accepts T schemas", () => {
    const df = spark.createDataFrame([{ i: 1, d: 1.5, s: "x", b: true, l: 2n ** 40n }]);
    assert.deepEqual(df.dtypes, [["i", "int"], ["d", "double"], ["s", "string"], ["b", "boolean"], ["l", "bigint"]]);
    const typed = spark.createDataFrame([[1, "a"]], T.StructType([T.StructField("n", T.LongType()), T.StructField("t", T.StringType(), false)]));
    assert.deepEqual(typed.dtypes, [["n", "bigint"], ["t", "string"]]);
    assert.equal(typed.schema.fields[1]!.nullable, false);
  });
});

describe("string to timestamp", () => {
  it("reads the common ISO shape on its fast path exactly as the general parser does (leading space forces it)", async () => {
    const { stringToTimestamp } = await import("../../src/types/datetime.js");
    const two = (n: number): string => String(n).padStart(2, "0");
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 24 }),
      fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), fc.stringMatching(/^(\.\d{0,11})?$/), fc.constantFrom("", "Z", "+02:00", " "),
      fc.constantFrom("T", " "), fc.constantFrom("UTC", "America/New_York", "Asia/Kolkata"),
      (y, mo, d, h, mi, s, frac, zone, sep, tz) => {
        const text = `${String(y).padStart(4, "0")}-${two(mo)}-${two(d)}${sep}${two(h)}:${two(mi)}:${two(s)}${frac}${zone}`;
        assert.equal(stringToTimestamp(text, tz), stringToTimestamp(` ${text}`, tz), text);
      },
    ), { numRuns: 2000 });
    assert.equal(stringToTimestamp("2026-01-01T00:20:00Z", "UTC"), Date.UTC(2026, 0, 1, 0, 20) * 1000);
    assert.equal(stringToTimestamp("2026-01-01 00:20:00.1234567", "UTC"), Date.UTC(2026, 0, 1, 0, 20) * 1000 + 123456);
    assert.equal(stringToTimestamp("2026-02-30 00:00:00", "UTC"), null);
  });
});
