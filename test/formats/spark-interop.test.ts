import { Decimal } from "../../src/index.js";
import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { Timestamp } from "../../src/index.js";
import { testSession } from "../support/session.js";
import { runPython } from "../support/python.js";
import { tempDir } from "../support/stream-test.js";

describe("Parquet interoperability with real Spark", () => {
  const spark = testSession();

  it("Spark reads what Sluice writes, and Sluice reads what Spark writes, types and values included", { timeout: 180_000 }, async () => {
    const fromSluice = path.join(tempDir(), "sluice"), fromSpark = path.join(tempDir(), "spark");
    await spark.createDataFrame([
      { i: 1, l: 9007199254740993n, d: 1.5, s: "héllo", b: true, ts: new Date("2024-03-10T08:15:30.123Z"), dt: new Date("2024-03-10T00:00:00Z"), dec: 12.34, wide: 123456.5, by: -3, st: { x: 7, y: "q" }, arr: ["a", "b"], m: new Map([["k", 1]]) },
      { i: null, l: null, d: null, s: null, b: null, ts: null, dt: null, dec: null, wide: null, by: null, st: null, arr: null, m: null },
    ], "i INT, l BIGINT, d DOUBLE, s STRING, b BOOLEAN, ts TIMESTAMP, dt DATE, dec DECIMAL(10,2), wide DECIMAL(27,6), by TINYINT, st STRUCT<x: INT, y: STRING>, arr ARRAY<STRING>, m MAP<STRING, INT>")
      .write.parquet(fromSluice);
    const out = runPython(`
import json
from pyspark.sql import SparkSession
spark = (SparkSession.builder.master("local[1]").config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false")
         .config("spark.sql.shuffle.partitions", "1").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
df = spark.read.parquet("${fromSluice}")
# Integers beyond 2^53 as text, so the comparison on the JavaScript side stays exact.
rows = [{k: (str(v) if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 2**53 else v) for k, v in r.asDict(recursive=True).items()} for r in df.orderBy("i").collect()]
spark.sql("""SELECT 7 AS id, 'ünï' AS name, CAST('2024-01-02 03:04:05.678' AS TIMESTAMP) AS at, DATE'2024-01-02' AS day,
  CAST(123.45 AS DECIMAL(9,2)) AS price, 9223372036854775807L AS big, array(1, 2) AS xs, named_struct('a', 1, 'b', 'z') AS st""").coalesce(1).write.parquet("${fromSpark}")
print(json.dumps({"schema": df.schema.simpleString(), "rows": rows}, default=str))
`) as { schema: string; rows: Record<string, unknown>[] };
    assert.equal(out.schema, "struct<i:int,l:bigint,d:double,s:string,b:boolean,ts:timestamp,dt:date,dec:decimal(10,2),wide:decimal(27,6),by:tinyint,st:struct<x:int,y:string>,arr:array<string>,m:map<string,int>>");
    assert.deepEqual(out.rows[0], { i: null, l: null, d: null, s: null, b: null, ts: null, dt: null, dec: null, wide: null, by: null, st: null, arr: null, m: null });
    assert.deepEqual(out.rows[1], { i: 1, l: "9007199254740993", d: 1.5, s: "héllo", b: true, ts: "2024-03-10 08:15:30.123000", dt: "2024-03-10", dec: "12.34", wide: "123456.500000", by: -3, st: { x: 7, y: "q" }, arr: ["a", "b"], m: { k: 1 } });
    const back = spark.read.parquet(fromSpark);
    assert.deepEqual(back.dtypes, [["id", "int"], ["name", "string"], ["at", "timestamp"], ["day", "date"], ["price", "decimal(9,2)"], ["big", "bigint"], ["xs", "array<int>"], ["st", "struct<a:int,b:string>"]]);
    assert.deepEqual(await back.collect(), [{ id: 7, name: "ünï", at: new Timestamp(Date.parse("2024-01-02T03:04:05.678Z") * 1000), day: new Date("2024-01-02T00:00:00Z"), price: Decimal.parse("123.45"), big: 9223372036854775807n, xs: [1, 2], st: { a: 1, b: "z" } }]);
  });
});
