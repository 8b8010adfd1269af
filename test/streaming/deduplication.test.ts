import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryStream } from "../../src/index.js";
import { testSession } from "../support/session.js";
import { StreamTest, assertRows } from "../support/stream-test.js";

describe("deduplication", () => {
  const spark = testSession();
  const at = (s: string): Date => new Date(`2024-01-01T${s}:00Z`);

  it("drops duplicates in batch DataFrames, first row of each key", async () => {
    const df = spark.createDataFrame([[1, "a", 10], [1, "a", 20], [2, "b", 30], [1, "c", 40]], "id INT, s STRING, v INT");
    assert.deepEqual(await df.dropDuplicates(["id"]).collect(), [{ id: 1, s: "a", v: 10 }, { id: 2, s: "b", v: 30 }]);
    assert.equal(await df.dropDuplicates(["id", "s"]).count(), 3);
    assert.equal(await df.select("id").distinct().count(), 2);
    assert.throws(() => df.dropDuplicates(["nope"]), { code: "UNRESOLVED_COLUMN" });
  });

  it("remembers keys across batches and restarts of a stream", async () => {
    const input = MemoryStream.create(spark, "id INT, v STRING");
    const t = new StreamTest(spark, input.toDF().dropDuplicates(["id"]));
    await t.start();
    input.addData([{ id: 1, v: "a" }, { id: 1, v: "b" }, { id: 2, v: "c" }]);
    await t.processAllAvailable();
    await t.stop();
    input.addData([{ id: 2, v: "d" }, { id: 3, v: "e" }]);
    await t.start();
    await t.checkAnswer([{ id: 1, v: "a" }, { id: 2, v: "c" }, { id: 3, v: "e" }]);
    await t.stop();
  });

  it("forgets keys whose event time the watermark has passed, and drops late rows", async () => {
    const input = MemoryStream.create(spark, "id INT, ts TIMESTAMP");
    const df = input.toDF().withWatermark("ts", "10 minutes").dropDuplicates(["id", "ts"]);
    const t = new StreamTest(spark, df);
    await t.start();
    input.addData([{ id: 1, ts: at("10:00") }, { id: 1, ts: at("10:00") }]);
    await t.processAllAvailable();
    input.addData([{ id: 2, ts: at("10:30") }]); // watermark -> 10:20 after this batch
    await t.processAllAvailable();
    input.addData([{ id: 1, ts: at("10:00") }, { id: 3, ts: at("10:25") }]); // 10:00 is behind the previous watermark: late
    await t.processAllAvailable();
    await t.stop();
    assertRows(t.delivered, [{ id: 1, ts: at("10:00") }, { id: 2, ts: at("10:30") }, { id: 3, ts: at("10:25") }]);
    const last = t.current.recentProgress.filter((p) => p.numInputRows > 0).at(-1)!;
    assert.equal(last.stateOperators[0]!.numRowsDroppedByWatermark, 1);
  });

  it("dropDuplicatesWithinWatermark keeps a key for its event time plus the delay", async () => {
    const input = MemoryStream.create(spark, "id INT, ts TIMESTAMP");
    const t = new StreamTest(spark, input.toDF().withWatermark("ts", "10 minutes").dropDuplicatesWithinWatermark(["id"]));
    await t.start();
    input.addData([{ id: 1, ts: at("10:00") }, { id: 1, ts: at("10:05") }]);
    await t.processAllAvailable();
    input.addData([{ id: 9, ts: at("10:40") }]); // watermark -> 10:30: key 1 (expires 10:10) is forgotten
    await t.processAllAvailable();
    input.addData([{ id: 1, ts: at("10:35") }]);
    await t.processAllAvailable();
    await t.stop();
    assertRows(t.delivered, [{ id: 1, ts: at("10:00") }, { id: 9, ts: at("10:40") }, { id: 1, ts: at("10:35") }]);
    const noWatermark = MemoryStream.create(spark, "id INT");
    await assert.rejects(noWatermark.toDF().dropDuplicatesWithinWatermark(["id"]).writeStream.format("memory").queryName("dw").start(), { code: "STREAMING_UNSUPPORTED_OPERATION" });
  });
});
