import assert from "node:assert/strict";
import { utimesSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { F, type Row } from "../../src/index.js";
import { testSession } from "../support/session.js";
import { tempDir } from "../support/stream-test.js";

// Input: one file per micro-batch. Expected outputs and progress were produced by running the same query in PySpark 4.3
// (local[1], 2 shuffle partitions, availableNow, maxFilesPerTrigger 1) on the same files; batch 0 in update mode
// emits its three new groups.
const BATCHES: [string, string][][] = [
  [["2024-01-01 10:02:00", "a"], ["2024-01-01 10:03:00", "b"], ["2024-01-01 10:11:00", "a"]],
  [["2024-01-01 10:13:00", "a"], ["2024-01-01 10:01:00", "a"]],
  [["2024-01-01 10:26:00", "c"], ["2024-01-01 10:04:00", "a"]],
  [["2024-01-01 10:09:00", "b"], ["2024-01-01 10:40:00", "d"]],
];

function landing(): string {
  const dir = tempDir();
  BATCHES.forEach((rows, i) => {
    const p = path.join(dir, `${String(i).padStart(2, "0")}.json`);
    writeFileSync(p, rows.map(([t, word]) => JSON.stringify({ t, word })).join("\n") + "\n");
    utimesSync(p, 1_700_000_000 + i * 10, 1_700_000_000 + i * 10);
  });
  return dir;
}

type Out = [string, string, string, number][];
const w = (s: string, e: string, word: string, n: number): [string, string, string, number] => [`2024-01-01 ${s}:00`, `2024-01-01 ${e}:00`, word, n];

async function run(mode: "append" | "update"): Promise<{ batches: Map<number, Out>; progress: unknown[] }> {
  const spark = testSession();
  const batches = new Map<number, Out>();
  const fmt = (d: Date): string => d.toISOString().replace("T", " ").slice(0, 19);
  const q = await spark.readStream.schema("t STRING, word STRING").option("maxFilesPerTrigger", 1).json(landing())
    .withColumn("ts", F.toTimestamp("t")).withWatermark("ts", "10 minutes")
    .groupBy(F.window("ts", "10 minutes"), "word").count()
    .writeStream.outputMode(mode).trigger({ availableNow: true })
    .foreachBatch(async (df, id) => {
      const rows = (await df.collect()).map((r: Row) => {
        const win = r["window"] as { start: Date; end: Date };
        return [fmt(win.start), fmt(win.end), r["word"] as string, r["count"] as number] as [string, string, string, number];
      });
      batches.set(id, rows.sort());
    }).start();
  await q.awaitTermination();
  const progress = q.recentProgress.map((p) => [p.batchId, p.numInputRows, p.eventTime["watermark"], p.stateOperators[0]!.numRowsDroppedByWatermark, p.stateOperators[0]!.numRowsTotal]);
  return { batches, progress };
}

const SPARK_PROGRESS = [
  [0, 3, "1970-01-01T00:00:00.000Z", 0, 3], [1, 2, "2024-01-01T10:01:00.000Z", 0, 3], [2, 2, "2024-01-01T10:03:00.000Z", 0, 4],
  [3, 2, "2024-01-01T10:16:00.000Z", 0, 3], [4, 0, "2024-01-01T10:30:00.000Z", 0, 1],
];

describe("event-time windows with a watermark, as Spark runs them", () => {
  it("append mode emits each window once, when the watermark closes it (a no-data batch closes the last)", async () => {
    const { batches, progress } = await run("append");
    assert.deepEqual([...batches.keys()], [0, 1, 2, 3, 4]);
    assert.deepEqual(batches.get(0), []);
    assert.deepEqual(batches.get(1), []);
    assert.deepEqual(batches.get(2), []);
    assert.deepEqual(batches.get(3), [w("10:00", "10:10", "a", 3), w("10:00", "10:10", "b", 2)]);
    assert.deepEqual(batches.get(4), [w("10:10", "10:20", "a", 2), w("10:20", "10:30", "c", 1)]);
    assert.deepEqual(progress, SPARK_PROGRESS);
  });

  it("update mode emits changed windows each batch and evicts closed ones", async () => {
    const { batches, progress } = await run("update");
    assert.deepEqual(batches.get(0), [w("10:00", "10:10", "a", 1), w("10:00", "10:10", "b", 1), w("10:10", "10:20", "a", 1)]);
    assert.deepEqual(batches.get(1), [w("10:00", "10:10", "a", 2), w("10:10", "10:20", "a", 2)]);
    assert.deepEqual(batches.get(2), [w("10:00", "10:10", "a", 3), w("10:20", "10:30", "c", 1)]);
    assert.deepEqual(batches.get(3), [w("10:00", "10:10", "b", 2), w("10:40", "10:50", "d", 1)]);
    assert.deepEqual(batches.get(4), []);
    assert.deepEqual(progress, SPARK_PROGRESS);
  });

  it("drops rows behind the previous batch's watermark and counts them", async () => {
    const spark = testSession();
    const dir = landing();
    const late = path.join(dir, "04.json");
    writeFileSync(late, JSON.stringify({ t: "2024-01-01 10:05:00", word: "z" }) + "\n");
    utimesSync(late, 1_700_000_100, 1_700_000_100);
    const q = await spark.readStream.schema("t STRING, word STRING").option("maxFilesPerTrigger", 1).json(dir)
      .withColumn("ts", F.toTimestamp("t")).withWatermark("ts", "10 minutes")
      .groupBy(F.window("ts", "10 minutes"), "word").count()
      .writeStream.outputMode("update").trigger({ availableNow: true }).format("memory").queryName("late_rows").start();
    await q.awaitTermination();
    const dropped = q.recentProgress.map((p) => p.stateOperators[0]!.numRowsDroppedByWatermark);
    assert.deepEqual(dropped, [0, 0, 0, 0, 1]);
    assert.equal((await spark.table("late_rows").collect()).some((r) => r["word"] === "z"), false);
  });

  it("restores the watermark and the open windows after a restart", async () => {
    const spark = testSession();
    const { MemoryStream } = await import("../../src/index.js");
    const { StreamTest } = await import("../support/stream-test.js");
    const input = MemoryStream.create(spark, "ts TIMESTAMP, word STRING");
    const df = input.toDF().withWatermark("ts", "10 minutes").groupBy(F.window("ts", "10 minutes"), "word").count();
    const t = new StreamTest(spark, df, (x) => x.outputMode("append"));
    const at = (s: string): Date => new Date(`2024-01-01T${s}:00Z`);
    const closed = (): string[] => t.delivered.map((r) => `${(r["window"] as { start: Date }).start.toISOString().slice(11, 16)} ${String(r["word"])} ${String(r["count"])}`).sort();
    await t.start();
    input.addData([{ ts: at("10:02"), word: "a" }, { ts: at("10:05"), word: "a" }]);
    await t.processAllAvailable();
    await t.stop();
    input.addData([{ ts: at("10:08"), word: "a" }, { ts: at("10:25"), word: "b" }]);
    await t.start();
    await t.processAllAvailable();
    input.addData([{ ts: at("10:50"), word: "c" }]);
    await t.processAllAvailable();
    await t.stop();
    assert.deepEqual(closed(), ["10:00 a 3", "10:20 b 1"]);
  });

  it("rejects watermarks and windows Spark rejects", () => {
    const spark = testSession();
    const df = spark.readStream.schema("t STRING, ts TIMESTAMP, n INT").json(tempDir());
    assert.throws(() => df.withWatermark("n", "1 minute"), { code: "DATATYPE_MISMATCH" });
    assert.throws(() => df.withWatermark("ts", "soon"), { code: "DATATYPE_MISMATCH" });
    assert.throws(() => df.groupBy(F.window("t", "1 minute")).count(), { code: "DATATYPE_MISMATCH" });
    assert.throws(() => df.groupBy(F.window("ts", "1 minute", "2 minutes")).count(), { code: "DATATYPE_MISMATCH" });
  });
});
