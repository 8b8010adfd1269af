import assert from "node:assert/strict";
import { utimesSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { F, MemoryStream, type Row } from "../../src/index.js";
import { testSession } from "../support/session.js";
import { tempDir } from "../support/stream-test.js";

// Impressions and clicks, one file per side per micro-batch. Expected per-batch output and watermarks are what
// PySpark 4.3 produces for the same files and query (local[1], 2 shuffle partitions, availableNow).
const IMPRESSIONS = [[["a", "10:00"], ["b", "10:05"], ["c", "10:10"]], [["d", "10:20"]], [["e", "11:00"]]];
const CLICKS = [[["a", "10:03"], ["b", "10:30"]], [["c", "10:12"], ["d", "10:21"], ["z", "10:22"]], [["e", "11:05"]]];

function files(rows: string[][][], key: string, time: string): string {
  const dir = tempDir();
  rows.forEach((batch, i) => {
    const p = path.join(dir, `${String(i).padStart(2, "0")}.json`);
    writeFileSync(p, batch.map(([ad, t]) => JSON.stringify({ [key]: ad, [time]: `2024-01-01 ${t}:00` })).join("\n") + "\n");
    utimesSync(p, 1_700_000_000 + i * 10, 1_700_000_000 + i * 10);
  });
  return dir;
}

async function run(how: string): Promise<{ batches: Map<number, string[]>; watermarks: unknown[] }> {
  const spark = testSession();
  const imp = spark.readStream.schema("impressionAdId STRING, impressionTime TIMESTAMP").option("maxFilesPerTrigger", 1)
    .json(files(IMPRESSIONS, "impressionAdId", "impressionTime")).withWatermark("impressionTime", "10 minutes");
  const clk = spark.readStream.schema("clickAdId STRING, clickTime TIMESTAMP").option("maxFilesPerTrigger", 1)
    .json(files(CLICKS, "clickAdId", "clickTime")).withWatermark("clickTime", "20 minutes");
  const joined = imp.join(clk, F.expr("clickAdId = impressionAdId AND clickTime >= impressionTime AND clickTime <= impressionTime + interval 15 minutes"), how);
  const batches = new Map<number, string[]>();
  const hhmm = (d: unknown): string => (d instanceof Date ? d.toISOString().slice(11, 16) : "-");
  const q = await joined.writeStream.trigger({ availableNow: true }).foreachBatch(async (df, id) => {
    batches.set(id, (await df.collect()).map((r: Row) => `${String(r["impressionAdId"])} ${hhmm(r["impressionTime"])} ${String(r["clickAdId"])} ${hhmm(r["clickTime"])}`).sort());
  }).start();
  await q.awaitTermination();
  return { batches, watermarks: q.recentProgress.map((p) => [p.batchId, p.numInputRows, p.eventTime["watermark"]]) };
}

const SPARK_WATERMARKS = [[0, 5, "1970-01-01T00:00:00.000Z"], [1, 4, "2024-01-01T10:00:00.000Z"], [2, 2, "2024-01-01T10:10:00.000Z"], [3, 0, "2024-01-01T10:45:00.000Z"]];

describe("stream-stream joins", () => {
  it("inner join with a time-range condition, as Spark runs it", async () => {
    const { batches, watermarks } = await run("inner");
    assert.deepEqual(batches.get(0), ["a 10:00 a 10:03"]);
    assert.deepEqual(batches.get(1), ["c 10:10 c 10:12", "d 10:20 d 10:21"]);
    assert.deepEqual(batches.get(2), ["e 11:00 e 11:05"]);
    assert.deepEqual(batches.get(3), []);
    assert.deepEqual(watermarks, SPARK_WATERMARKS);
  });

  it("left outer join emits an unmatched impression once the watermark rules out any click", async () => {
    const { batches, watermarks } = await run("left");
    assert.deepEqual(batches.get(0), ["a 10:00 a 10:03"]);
    assert.deepEqual(batches.get(1), ["c 10:10 c 10:12", "d 10:20 d 10:21"]);
    assert.deepEqual(batches.get(2), ["e 11:00 e 11:05"]);
    assert.deepEqual(batches.get(3), ["b 10:05 null -"]);
    assert.deepEqual(watermarks, SPARK_WATERMARKS);
  });

  it("keeps both sides' state across a restart (inner join without watermark)", async () => {
    const spark = testSession();
    const { StreamTest } = await import("../support/stream-test.js");
    const left = MemoryStream.create(spark, "k INT, l STRING"), right = MemoryStream.create(spark, "k INT, r STRING");
    const t = new StreamTest(spark, left.toDF().join(right.toDF(), "k"));
    await t.start();
    left.addData([{ k: 1, l: "x" }]);
    await t.processAllAvailable();
    await t.stop();
    right.addData([{ k: 1, r: "y" }, { k: 2, r: "z" }]);
    await t.start();
    await t.processAllAvailable();
    left.addData([{ k: 2, l: "w" }]);
    await t.processAllAvailable();
    await t.stop();
    assert.deepEqual(t.delivered.map((r) => `${String(r["k"])}${String(r["l"])}${String(r["r"])}`).sort(), ["1xy", "2wz"]);
  });

  it("rejects the stream-stream joins Spark rejects", async () => {
    const spark = testSession();
    const a = MemoryStream.create(spark, "k INT, t TIMESTAMP").toDF().withWatermark("t", "1 minute");
    const b = MemoryStream.create(spark, "k INT, u TIMESTAMP").toDF().withWatermark("u", "1 minute");
    const start = (df: typeof a, mode: "append" | "update" = "append") => df.writeStream.outputMode(mode).format("memory").queryName(`ssj_${Math.random()}`).start();
    await assert.rejects(start(a.join(b, "k", "left")), { code: "STREAMING_UNSUPPORTED_OPERATION" }); // no time bound: left rows would wait forever
    await assert.rejects(start(a.join(b, "k", "left"), "update"), { code: "STREAMING_UNSUPPORTED_OPERATION", params: { operation: "streamStreamJoinMode" } });
    await (await start(a.join(b, "k"), "update")).stop(); // Spark 4 runs an inner stream-stream join in update mode
    await assert.rejects(start(a.join(b, "k", "anti")), { code: "STREAMING_UNSUPPORTED_OPERATION" });
    // With a range condition bounding the right side's time by the left's, a left outer join is accepted.
    const ok = await start(a.join(b, a.col("k").eq(b.col("k")).and(b.col("u").between(a.col("t"), a.col("t").plus(F.expr("interval 5 minutes")))), "left"));
    await ok.stop();
  });
});
