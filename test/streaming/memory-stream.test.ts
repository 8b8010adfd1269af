import assert from "node:assert/strict";
import { readFileSync, readdirSync, rmSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { F, MemoryStream } from "../../src/index.js";
import { testSession } from "../support/session.js";
import { StreamTest } from "../support/stream-test.js";

describe("MemoryStream through a stateless query, StreamTest style", () => {
  const spark = testSession();

  it("processes new data, stops, restarts from the checkpoint and continues without duplicates", async () => {
    const input = MemoryStream.create(spark, "value STRING");
    const words = input.toDF().select(F.explode(F.split(F.col("value"), " ")).alias("word")).filter("word != ''");
    const t = new StreamTest(spark, words);
    await t.start();
    input.addData(["a b", "c"]);
    await t.checkAnswer([{ word: "a" }, { word: "b" }, { word: "c" }]);
    input.addData(["d"]);
    await t.checkAnswer([{ word: "a" }, { word: "b" }, { word: "c" }, { word: "d" }]);
    await t.stop();
    input.addData(["e  f"]);
    await t.start();
    await t.checkAnswer(["a", "b", "c", "d", "e", "f"].map((word) => ({ word })));
    assert.deepEqual(t.batchIds, [0, 1, 2]);
    await t.stop();
  });

  it("keeps the query id across restarts and gives each run a new runId", async () => {
    const input = MemoryStream.create(spark, "value INT");
    const t = new StreamTest(spark, input.toDF());
    const q1 = await t.start();
    input.addData([1]);
    await t.processAllAvailable();
    await t.stop();
    const q2 = await t.start();
    assert.equal(q1.id, q2.id);
    assert.notEqual(q1.runId, q2.runId);
    await t.stop();
  });

  it("writes offsets before and commits after each batch, in Spark's checkpoint layout", async () => {
    const input = MemoryStream.create(spark, "value INT");
    const t = new StreamTest(spark, input.toDF().select(F.col("value").multiply(10).alias("v")));
    await t.start();
    input.addData([1, 2]);
    await t.processAllAvailable();
    input.addData([3]);
    await t.checkAnswer([{ v: 10 }, { v: 20 }, { v: 30 }]);
    await t.stop();
    assert.deepEqual(readdirSync(path.join(t.checkpoint, "offsets")).sort(), ["0", "1"]);
    assert.deepEqual(readdirSync(path.join(t.checkpoint, "commits")).sort(), ["0", "1"]);
    const offsets1 = readFileSync(path.join(t.checkpoint, "offsets", "1"), "utf8").split("\n");
    assert.equal(offsets1[0], "v1");
    assert.equal(JSON.parse(offsets1[1]!).batchWatermarkMs, 0);
    assert.equal(offsets1[2], "1");
    assert.equal(readFileSync(path.join(t.checkpoint, "commits", "0"), "utf8"), 'v1\n{"nextBatchWatermarkMs":0}');
    assert.match(readFileSync(path.join(t.checkpoint, "metadata"), "utf8"), /^\{"id":"[0-9a-f-]{36}","sources":\["memory"\],"sink":"foreachbatch"\}\n$/);
  });

  it("fails the query with the error of a bad batch, and awaitTermination rejects", async () => {
    const input = MemoryStream.create(spark, "value STRING");
    const t = new StreamTest(spark, input.toDF().select(F.col("value").cast("int").alias("n")));
    await t.start();
    input.addData(["not a number"]);
    const e = await t.expectFailure();
    assert.equal((e as { code?: string }).code, "STREAM_FAILED");
    assert.equal(((e as Error).cause as { code?: string }).code, "CAST_INVALID_INPUT");
    assert.equal(t.current.isActive, false);
  });

  it("replays an uncommitted batch with exactly the logged offsets after a crash between offsets and commit", async () => {
    const input = MemoryStream.create(spark, "value INT");
    const t = new StreamTest(spark, input.toDF());

    // Run batch 0 and 1 normally, then remove commit 1 as if the process died before committing it.
    await t.start();
    input.addData([1]);
    await t.processAllAvailable();
    input.addData([2]);
    await t.processAllAvailable();
    await t.stop();
    rmSync(path.join(t.checkpoint, "commits", "1"));
    input.addData([3]);
    t.delivered.length = 0;
    t.batchIds.length = 0;
    await t.start();
    await t.processAllAvailable();
    await t.stop();
    // Batch 1 re-runs with offset 1 only (value 2); value 3 comes in batch 2.
    assert.deepEqual(t.batchIds, [1, 2]);
    assert.deepEqual(t.delivered, [{ value: 2 }, { value: 3 }]);
  });
});
