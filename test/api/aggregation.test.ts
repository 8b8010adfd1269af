import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { F } from "../../src/index.js";
import { testSession } from "../support/session.js";

// Expected values and column names are what Spark 4.3 returns for the same DataFrame and calls.
describe("batch aggregation", () => {
  const spark = testSession();
  const df = spark.createDataFrame([["a", 1, 1.5], ["b", 2, null], ["a", 3, 2.5], [null, 4, 0.0]], "k STRING, v INT, d DOUBLE");

  it("groups with Spark's column names and values", async () => {
    const r = df.groupBy("k").agg(F.sum("v"), F.count("*"), F.avg("d"), F.max("d").alias("mx"), F.collectList("v"), F.countDistinct("v"), F.sum("v").plus(1).alias("s1")).orderBy("k");
    assert.deepEqual(r.columns, ["k", "sum(v)", "count(1)", "avg(d)", "mx", "collect_list(v)", "count(DISTINCT v)", "s1"]);
    const rows = (await r.collect()).map((x) => ({ ...x, "collect_list(v)": (x["collect_list(v)"] as number[]).sort() }));
    assert.deepEqual(rows, [
      { k: null, "sum(v)": 4, "count(1)": 1, "avg(d)": 0, mx: 0, "collect_list(v)": [4], "count(DISTINCT v)": 1, s1: 5 },
      { k: "a", "sum(v)": 4, "count(1)": 2, "avg(d)": 2, mx: 2.5, "collect_list(v)": [1, 3], "count(DISTINCT v)": 2, s1: 5 },
      { k: "b", "sum(v)": 2, "count(1)": 1, "avg(d)": null, mx: null, "collect_list(v)": [2], "count(DISTINCT v)": 1, s1: 3 },
    ]);
    assert.deepEqual(df.groupBy("k").count().columns, ["k", "count"]);
  });

  it("aggregates globally, including over no rows", async () => {
    const g = df.agg(F.count("*"), F.sum("v"), F.first("k"), F.stddev("v"), F.min("k"), F.variance("d"));
    assert.deepEqual(g.columns, ["count(1)", "sum(v)", "first(k)", "stddev(v)", "min(k)", "variance(d)"]);
    assert.deepEqual(await g.collect(), [{ "count(1)": 4, "sum(v)": 10, "first(k)": "a", "stddev(v)": 1.2909944487358056, "min(k)": "a", "variance(d)": 1.5833333333333335 }]);
    const empty = df.filter("v > 100").agg(F.count("*"), F.sum("v"), F.avg("v"), F.collectList("v"));
    assert.deepEqual(await empty.collect(), [{ "count(1)": 0, "sum(v)": null, "avg(v)": null, "collect_list(v)": [] }]);
  });

  it("sums 64-bit integers exactly", async () => {
    const big = spark.createDataFrame([[9007199254740991n], [2n]], "x BIGINT");
    assert.deepEqual(await big.agg(F.sum("x")).collect(), [{ "sum(x)": 9007199254740993n }]);
  });

  it("rejects what Spark rejects", () => {
    assert.throws(() => df.groupBy("k").agg(F.col("v")), { code: "MISSING_AGGREGATION", params: { expression: "v" } });
    assert.throws(() => df.filter(F.sum("v").gt(1)), { code: "UNSUPPORTED_EXPR_FOR_OPERATOR" });
    assert.throws(() => df.agg(F.sum(F.sum("v"))), { code: "UNSUPPORTED_EXPR_FOR_OPERATOR" });
    assert.throws(() => df.agg(F.sum(F.array("v"))), { code: "DATATYPE_MISMATCH" });
  });

  it("casts strings to double in numeric aggregates, as Spark does", async () => {
    const s = spark.createDataFrame([["1"], ["2.5"]], "k STRING").agg(F.sum("k"), F.avg("k"));
    assert.deepEqual(s.dtypes, [["sum(k)", "double"], ["avg(k)", "double"]]);
    assert.deepEqual(await s.collect(), [{ "sum(k)": 3.5, "avg(k)": 1.75 }]);
  });
});
