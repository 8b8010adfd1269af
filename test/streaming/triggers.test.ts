import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { MemoryStream } from "../../src/index.js";
import { testSession } from "../support/session.js";
import { tempDir } from "../support/stream-test.js";

function landingWith(files: number): string {
  const dir = tempDir();
  for (let i = 0; i < files; i++) writeFileSync(path.join(dir, `f${i}.json`), `{"n": ${i}}\n`);
  return dir;
}

describe("triggers", () => {
  const spark = testSession();

  it("availableNow processes everything in several batches honouring maxFilesPerTrigger, then stops", async () => {
    const dir = landingWith(5);
    const seen: number[] = [];
    const q = await spark.readStream.schema("n INT").option("maxFilesPerTrigger", 2).json(dir).writeStream
      .trigger({ availableNow: true }).foreachBatch(async (df, id) => { seen.push(id); void (await df.count()); }).start();
    assert.equal(await q.awaitTermination(10_000), true);
    assert.deepEqual(seen, [0, 1, 2]);
    assert.deepEqual(q.recentProgress.map((p) => p.numInputRows), [2, 2, 1]);
  });

  it("once processes all available data in one batch, ignoring maxFilesPerTrigger, then stops", async () => {
    const dir = landingWith(5);
    const q = await spark.readStream.schema("n INT").option("maxFilesPerTrigger", 2).json(dir).writeStream
      .trigger({ once: true }).format("memory").queryName("once_out").start();
    await q.awaitTermination(10_000);
    assert.equal(q.isActive, false);
    assert.equal(await spark.table("once_out").count(), 5);
    assert.equal(q.recentProgress.length, 1);
  });

  it("availableNow on a restarted query reads only what is new", async () => {
    const dir = landingWith(2), ckpt = tempDir();
    const run = async (): Promise<number[]> => {
      const rows: number[] = [];
      const q = await spark.readStream.schema("n INT").json(dir).writeStream.option("checkpointLocation", ckpt)
        .trigger({ availableNow: true }).foreachBatch(async (df) => { for (const r of await df.collect()) rows.push(r["n"] as number); }).start();
      await q.awaitTermination(10_000);
      return rows.sort();
    };
    assert.deepEqual(await run(), [0, 1]);
    writeFileSync(path.join(dir, "later.json"), '{"n": 9}\n');
    assert.deepEqual(await run(), [9]);
    assert.deepEqual(await run(), []);
  });

  it("processingTime runs batches on the interval while data arrives", async () => {
    const input = MemoryStream.create(spark, "v INT");
    const q = await input.toDF().writeStream.trigger({ processingTime: "50 milliseconds" }).format("memory").queryName("pt_out").start();
    input.addData([1]);
    await q.processAllAvailable();
    input.addData([2]);
    await q.processAllAvailable();
    await q.stop();
    assert.deepEqual((await spark.table("pt_out").collect()).map((r) => r["v"]).sort(), [1, 2]);
    assert.throws(() => input.toDF().writeStream.trigger({ processingTime: "soon" }), { code: "INVALID_OPTION" });
    assert.throws(() => input.toDF().writeStream.trigger({ continuous: "1 second" }), { code: "NOT_IMPLEMENTED" });
  });
});

describe("rate sources", () => {
  const spark = testSession();

  it("rate-micro-batch emits rowsPerBatch rows per batch with deterministic values and timestamps", async () => {
    const batches: { id: number; rows: Record<string, unknown>[] }[] = [];
    const q = await spark.readStream.format("rate-micro-batch").option("rowsPerBatch", 3).option("startTimestamp", 1000).option("advanceMillisPerBatch", 500).load()
      .writeStream.foreachBatch(async (df, id) => { batches.push({ id, rows: await df.collect() }); }).start();
    while (batches.length < 2) await new Promise((r) => setTimeout(r, 5));
    await q.stop();
    assert.deepEqual(batches[0]!.rows.map((r) => r["value"]).sort(), [0, 1, 2]);
    assert.deepEqual(batches[1]!.rows.map((r) => r["value"]).sort(), [3, 4, 5]);
    assert.deepEqual(batches[1]!.rows.map((r) => (r["timestamp"] as Date).getTime()), [1500, 1500, 1500]);
    assert.throws(() => spark.readStream.format("rate-micro-batch").load(), { code: "INVALID_OPTION" });
  });

  it("rate produces rowsPerSecond rows per second of its clock, with timestamp and value columns", async () => {
    const df = spark.readStream.format("rate").option("rowsPerSecond", 10).load();
    assert.deepEqual(df.dtypes, [["timestamp", "timestamp"], ["value", "bigint"]]);
    const q = await df.writeStream.format("memory").queryName("rate_out").start();
    await new Promise((r) => setTimeout(r, 2300));
    await q.stop();
    const values = (await spark.table("rate_out").collect()).map((r) => r["value"] as number).sort((a, b) => a - b);
    assert.ok(values.length >= 10, `expected at least one second of rows, got ${values.length}`);
    assert.deepEqual(values, values.map((_, i) => i));
    await assert.rejects(spark.readStream.format("rate").option("rowsPerSecond", -1).load().writeStream.format("memory").queryName("bad_rate").start(), { code: "INVALID_OPTION" });
  });
});

describe("socket source", () => {
  const spark = testSession();

  it("reads lines from a TCP server, with arrival timestamps when asked", async () => {
    const { createServer } = await import("node:net");
    let client: import("node:net").Socket | undefined;
    const server = createServer((c) => { client = c; });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as import("node:net").AddressInfo).port;
    try {
      const df = spark.readStream.format("socket").option("host", "127.0.0.1").option("port", port).option("includeTimestamp", true).load();
      assert.deepEqual(df.dtypes, [["value", "string"], ["timestamp", "timestamp"]]);
      const q = await df.writeStream.format("memory").queryName("socket_out").start();
      while (client === undefined) await new Promise((r) => setTimeout(r, 5));
      client.write("hello world\nsecond ");
      client.write("line\r\n");
      while ((await spark.table("socket_out").count()) < 2) await new Promise((r) => setTimeout(r, 5));
      await q.stop();
      const rows = await spark.table("socket_out").collect();
      assert.deepEqual(rows.map((r) => r["value"]), ["hello world", "second line"]);
      assert.ok(rows.every((r) => r["timestamp"] instanceof Date));
    } finally {
      client?.destroy();
      server.close();
    }
    await assert.rejects(spark.readStream.format("socket").option("host", "127.0.0.1").option("port", 1).load().writeStream.format("memory").queryName("socket_bad").start(), { code: "IO_ERROR" });
    assert.throws(() => spark.readStream.format("socket").schema("a INT").load(), { code: "INVALID_OPTION" });
  });
});
