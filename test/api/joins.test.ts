import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { F, MemoryStream } from "../../src/index.js";
import { testSession } from "../support/session.js";
import { StreamTest } from "../support/stream-test.js";

// Expected columns and rows are what Spark 4.3 returns for the same DataFrames and calls.
describe("joins", () => {
  const spark = testSession();
  const a = spark.createDataFrame([[1, "x", 10], [2, "y", 20], [null, "n", 30], [3, "z", 40]], "id INT, s STRING, v INT");
  const b = spark.createDataFrame([[1, "p"], [1, "q"], [3, "r"], [null, "m"], [4, "t"]], "id INT, w STRING");
  const rows = async (df: typeof a): Promise<unknown[][]> => (await df.collect()).map((r) => Object.values(r)).sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));

  it("joins on using columns with Spark's column order, for every join type", async () => {
    assert.deepEqual(a.join(b, "id").columns, ["id", "s", "v", "w"]);
    assert.deepEqual(await rows(a.join(b, "id")), [[1, "x", 10, "p"], [1, "x", 10, "q"], [3, "z", 40, "r"]]);
    assert.deepEqual(await rows(a.join(b, "id", "left")), [[1, "x", 10, "p"], [1, "x", 10, "q"], [2, "y", 20, null], [3, "z", 40, "r"], [null, "n", 30, null]]);
    assert.deepEqual(await rows(a.join(b, "id", "right")), [[1, "x", 10, "p"], [1, "x", 10, "q"], [3, "z", 40, "r"], [4, null, null, "t"], [null, null, null, "m"]]);
    assert.deepEqual(await rows(a.join(b, "id", "full")), [[1, "x", 10, "p"], [1, "x", 10, "q"], [2, "y", 20, null], [3, "z", 40, "r"], [4, null, null, "t"], [null, "n", 30, null], [null, null, null, "m"]]);
    assert.deepEqual(await rows(a.join(b, ["id"], "semi")), [[1, "x", 10], [3, "z", 40]]);
    assert.deepEqual(await rows(a.join(b, "id", "anti")), [[2, "y", 20], [null, "n", 30]]);
  });

  it("joins on conditions with residual predicates, null-safe keys, and cross joins", async () => {
    const on = a.col("id").eq(b.col("id")).and(a.col("v").gt(15));
    const pick = (df: typeof a): typeof a => df.select(a.col("id").alias("aid"), "s", "v", b.col("id").alias("bid"), "w");
    assert.deepEqual(await rows(pick(a.join(b, on))), [[3, "z", 40, 3, "r"]]);
    assert.deepEqual(await rows(pick(a.join(b, on, "left"))), [[1, "x", 10, null, null], [2, "y", 20, null, null], [3, "z", 40, 3, "r"], [null, "n", 30, null, null]]);
    assert.deepEqual(await rows(pick(a.join(b, on, "full"))), [[1, "x", 10, null, null], [2, "y", 20, null, null], [3, "z", 40, 3, "r"], [null, "n", 30, null, null], [null, null, null, 1, "p"], [null, null, null, 1, "q"], [null, null, null, 4, "t"], [null, null, null, null, "m"]]);
    assert.deepEqual(await rows(a.join(b, a.col("id").eqNullSafe(b.col("id"))).select(a.col("s"), b.col("w"))), [["n", "m"], ["x", "p"], ["x", "q"], ["z", "r"]]);
    assert.equal(await a.crossJoin(b).count(), 20);
    const self = a.alias("l").join(a.alias("r"), F.col("l.id").eq(F.col("r.id").minus(1))).select(F.col("l.s").alias("ls"), F.col("r.s").alias("rs"));
    assert.deepEqual(await rows(self), [["x", "y"], ["y", "z"]]);
    assert.throws(() => a.join(b, "nope"), { code: "UNRESOLVED_USING_COLUMN_FOR_JOIN" });
    assert.throws(() => a.join(b, "id", "sideways"), { code: "INVALID_OPTION" });
    assert.throws(() => a.join(b, F.col("id").eq(1)), { code: "AMBIGUOUS_REFERENCE" });
  });

  it("joins a stream with a static DataFrame each micro-batch (stream-static), across a restart", async () => {
    const customers = spark.createDataFrame([[1, "Ann"], [2, "Bob"]], "CustomerId INT, Name STRING");
    const input = MemoryStream.create(spark, "CustomerId INT, Amount INT");
    const enriched = input.toDF().join(customers, "CustomerId", "left").select("CustomerId", "Name", "Amount");
    const t = new StreamTest(spark, enriched);
    await t.start();
    input.addData([{ CustomerId: 1, Amount: 10 }, { CustomerId: 3, Amount: 5 }]);
    await t.processAllAvailable();
    await t.stop();
    input.addData([{ CustomerId: 2, Amount: 7 }]);
    await t.start();
    await t.checkAnswer([{ CustomerId: 1, Name: "Ann", Amount: 10 }, { CustomerId: 3, Name: null, Amount: 5 }, { CustomerId: 2, Name: "Bob", Amount: 7 }]);
    await t.stop();
  });

  it("enforces Spark's stream-static join support matrix", async () => {
    const input = MemoryStream.create(spark, "id INT");
    const stream = input.toDF(), stat = spark.createDataFrame([[1]], "id INT");
    const start = (df: typeof stream) => df.writeStream.format("memory").queryName(`j_${Math.random()}`).start();
    for (const how of ["right", "full"]) await assert.rejects(start(stream.join(stat, "id", how)), { code: "STREAMING_UNSUPPORTED_OPERATION" });
    for (const how of ["left", "full", "semi", "anti"]) await assert.rejects(start(stat.join(stream, "id", how)), { code: "STREAMING_UNSUPPORTED_OPERATION" });
    await assert.rejects(start(stream.join(MemoryStream.create(spark, "id INT").toDF(), "id", "anti")), { code: "STREAMING_UNSUPPORTED_OPERATION" });
    const ok = await start(stat.join(stream, "id", "right"));
    await ok.stop();
  });
});
