import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { F, MemoryStream, type Row, Timestamp } from "../../src/index.js";
import { testSession } from "../support/session.js";
import { StreamTest, assertRows } from "../support/stream-test.js";

describe("streaming aggregation with a state store", () => {
  const spark = testSession();

  function wordCount(input: MemoryStream) {
    return input.toDF().select(F.explode(F.split(F.col("value"), " ")).alias("word")).groupBy("word").count();
  }

  it("complete mode: emits the whole result each batch, and the state survives a restart", async () => {
    const input = MemoryStream.create(spark, "value STRING");
    const batches: Row[][] = [];
    const t = new StreamTest(spark, wordCount(input), (w) => w.outputMode("complete"));
    await t.start();
    input.addData(["a b a"]);
    await t.processAllAvailable();
    batches.push([...t.delivered]); t.delivered.length = 0;
    input.addData(["b c"]);
    await t.processAllAvailable();
    batches.push([...t.delivered]); t.delivered.length = 0;
    await t.stop();
    input.addData(["a"]);
    await t.start();
    await t.processAllAvailable();
    batches.push([...t.delivered]); t.delivered.length = 0;
    await t.stop();
    assertRows(batches[0]!, [{ word: "a", count: 2 }, { word: "b", count: 1 }]);
    assertRows(batches[1]!, [{ word: "a", count: 2 }, { word: "b", count: 2 }, { word: "c", count: 1 }]);
    assertRows(batches[2]!, [{ word: "a", count: 3 }, { word: "b", count: 2 }, { word: "c", count: 1 }]);
    // Spark's layout: state/<operator>/<partition>/<version>.delta, version N+1 written by batch N.
    const versions = [0, 1].flatMap((p) => (existsSync(path.join(t.checkpoint, "state", "0", String(p))) ? readdirSync(path.join(t.checkpoint, "state", "0", String(p))) : []));
    assert.ok(versions.includes("1.delta") && versions.includes("3.delta"), versions.join(","));
  });

  it("update mode: emits only the groups each batch changed", async () => {
    const input = MemoryStream.create(spark, "k STRING, v INT");
    const t = new StreamTest(spark, input.toDF().groupBy("k").agg(F.sum("v").alias("total"), F.max("v").alias("top")), (w) => w.outputMode("update"));
    await t.start();
    input.addData([{ k: "x", v: 1 }, { k: "y", v: 5 }]);
    await t.processAllAvailable();
    const first = [...t.delivered]; t.delivered.length = 0;
    input.addData([{ k: "x", v: 10 }]);
    await t.processAllAvailable();
    const second = [...t.delivered];
    await t.stop();
    assertRows(first, [{ k: "x", total: 1, top: 1 }, { k: "y", total: 5, top: 5 }]);
    assertRows(second, [{ k: "x", total: 11, top: 10 }]);
    const p = t.current.lastProgress!;
    assert.equal(p.stateOperators.length, 1);
    assert.equal(p.stateOperators[0]!.numRowsTotal, 2);
    assert.equal(p.stateOperators[0]!.numRowsUpdated, 1);
  });

  it("re-runs an uncommitted batch from the previous state version without counting twice", async () => {
    const input = MemoryStream.create(spark, "value STRING");
    const t = new StreamTest(spark, wordCount(input), (w) => w.outputMode("complete"));
    await t.start();
    input.addData(["a"]);
    await t.processAllAvailable();
    input.addData(["a a"]);
    await t.processAllAvailable();
    await t.stop();
    // As if the process died after batch 1 committed its state (version 2) but before commits/1.
    rmSync(path.join(t.checkpoint, "commits", "1"));
    t.delivered.length = 0;
    await t.start();
    await t.processAllAvailable();
    await t.stop();
    assertRows(t.delivered, [{ word: "a", count: 3 }]);
  });

  it("keeps the checkpoint's number of state partitions when the session's changes", async () => {
    const input = MemoryStream.create(spark, "value STRING");
    const t = new StreamTest(spark, wordCount(input), (w) => w.outputMode("complete"));
    await t.start();
    input.addData(["p q r s t u"]);
    await t.processAllAvailable();
    await t.stop();
    spark.conf.set("spark.sql.shuffle.partitions", 7);
    try {
      input.addData(["p"]);
      t.delivered.length = 0;
      await t.start();
      await t.processAllAvailable();
      await t.stop();
    } finally {
      spark.conf.set("spark.sql.shuffle.partitions", 2);
    }
    assert.deepEqual(readdirSync(path.join(t.checkpoint, "state", "0")).filter((n) => /^\d+$/.test(n)).sort(), ["0", "1"]);
    assert.equal(JSON.parse(readFileSync(path.join(t.checkpoint, "offsets", "1"), "utf8").split("\n")[1]!).conf["spark.sql.shuffle.partitions"], "2");
    assertRows(t.delivered.filter((r) => r["word"] === "p"), [{ word: "p", count: 2 }]);
  });

  it("sorts an aggregation in complete mode", async () => {
    const input = MemoryStream.create(spark, "value STRING");
    const t = new StreamTest(spark, wordCount(input).orderBy(F.col("count").desc(), "word"), (w) => w.outputMode("complete"));
    await t.start();
    input.addData(["b a b c b a"]);
    await t.processAllAvailable();
    await t.stop();
    assert.deepEqual(t.delivered, [{ word: "b", count: 3 }, { word: "a", count: 2 }, { word: "c", count: 1 }]);
  });

  it("rejects what Spark rejects for streaming aggregations", async () => {
    const input = MemoryStream.create(spark, "k STRING, v INT");
    const df = input.toDF();
    const start = (d: typeof df, mode: "append" | "update" | "complete") => d.writeStream.outputMode(mode).format("memory").queryName(`rej_${mode}_${Math.random()}`).start();
    await assert.rejects(start(df.groupBy("k").count(), "append"), { code: "STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION", params: { outputMode: "append", operation: "streaming aggregations without watermark" } });
    await assert.rejects(start(df.groupBy("k").agg(F.countDistinct("v")), "update"), { code: "STREAMING_UNSUPPORTED_OPERATION", params: { operation: "distinctAggregate" } });
    await assert.rejects(start(df.groupBy("k").count().groupBy("count").count(), "complete"), { code: "STREAMING_UNSUPPORTED_OPERATION", params: { operation: "multipleStatefulOperators" } });
    await assert.rejects(start(df.groupBy("k").count().orderBy("k"), "update"), { code: "STREAMING_UNSUPPORTED_OPERATION", params: { operation: "sort" } });
  });
});

describe("state schema on restart", () => {
  const spark = testSession();

  it("fails clearly when a restarted query's keys or aggregates no longer match its state", async () => {
    const input = MemoryStream.create(spark, "k STRING, j STRING, v INT");
    const first = new StreamTest(spark, input.toDF().groupBy("k").agg(F.sum("v")), (w) => w.outputMode("update"));
    await first.start();
    input.addData([{ k: "a", j: "x", v: 1 }]);
    await first.processAllAvailable();
    await first.stop();
    const schemaFile = readFileSync(path.join(first.checkpoint, "state", "0", "_metadata", "schema"), "utf8");
    assert.equal(schemaFile, '{"keySchema":"struct<k:string>","valueSchema":"struct<sum(v):bigint>"}\n');
    const restart = async (df: ReturnType<typeof input.toDF>): Promise<string | undefined> => {
      const q = await df.writeStream.outputMode("update").format("memory").queryName(`schema_${Math.random()}`).option("checkpointLocation", first.checkpoint).start();
      input.addData([{ k: "b", j: "y", v: 2 }]);
      await assert.rejects(q.awaitTermination());
      return (q.exception()!.cause as { code?: string }).code;
    };
    assert.equal(await restart(input.toDF().groupBy("j").agg(F.sum("v"))), "STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE");
    assert.equal(await restart(input.toDF().groupBy("k").agg(F.max("v"))), "STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE");
  });
});

describe("state reader", () => {
  const spark = testSession();

  it("reads a checkpoint's state at the last committed version, from the API and the CLI", async () => {
    const { readState } = await import("../../src/state/state-reader.js");
    const { LocalFileSystem } = await import("../../src/fs/local-file-system.js");
    const { execFileSync } = await import("node:child_process");
    const input = MemoryStream.create(spark, "value STRING");
    const t = new StreamTest(spark, input.toDF().groupBy("value").count(), (w) => w.outputMode("update"));
    await t.start();
    input.addData(["a", "b", "a"]);
    await t.processAllAvailable();
    await t.stop();
    const { version, rows } = await readState(new LocalFileSystem(), t.checkpoint);
    assert.equal(version, 1);
    assert.deepEqual(rows.map((r) => [r.operatorId, r.key, (r.value as unknown[])[0]]).sort(), [[0, ["a"], 2], [0, ["b"], 1]]);
    const cli = execFileSync(process.execPath, [path.resolve("dist/src/cli/main.js"), "state", t.checkpoint], { encoding: "utf8" });
    assert.match(cli, /^# state version 1: 2 keys\n/);
    assert.equal(cli.trim().split("\n").length, 3);
  });
});

describe("disk-backed state store (LMDB)", () => {
  const spark = testSession();

  it("gives the memory provider's results, and rebuilds its working copy from the checkpoint after a restart", async () => {
    const { rmSync: rm } = await import("node:fs");
    const { tempDir } = await import("../support/stream-test.js");
    const run = async (provider: string, localDir: string): Promise<Row[]> => {
      spark.conf.set("spark.sql.streaming.stateStore.providerClass", provider);
      spark.conf.set("spark.sluice.stateStore.lmdb.localDir", localDir);
      try {
        const input = MemoryStream.create(spark, "k STRING, v INT");
        const t = new StreamTest(spark, input.toDF().groupBy("k").agg(F.sum("v").alias("s"), F.count("*").alias("n")), (w) => w.outputMode("complete"));
        await t.start();
        input.addData([{ k: "a", v: 1 }, { k: "b", v: 2 }, { k: "a", v: 3 }]);
        await t.processAllAvailable();
        await t.stop();
        rm(localDir, { recursive: true, force: true }); // the machine lost its local disk: rebuild from the checkpoint
        input.addData([{ k: "b", v: 10 }, { k: "c", v: 5 }]);
        t.delivered.length = 0;
        await t.start();
        await t.processAllAvailable();
        await t.stop();
        return t.delivered;
      } finally {
        spark.conf.unset("spark.sql.streaming.stateStore.providerClass");
        spark.conf.unset("spark.sluice.stateStore.lmdb.localDir");
      }
    };
    const expected = [{ k: "a", s: 4, n: 2 }, { k: "b", s: 12, n: 2 }, { k: "c", s: 5, n: 1 }];
    assertRows(await run("org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider", tempDir()), expected);
    assertRows(await run("memory", tempDir()), expected);
    const input = MemoryStream.create(spark, "k STRING");
    spark.conf.set("spark.sql.streaming.stateStore.providerClass", "leveldb");
    try {
      await assert.rejects(input.toDF().groupBy("k").count().writeStream.outputMode("update").format("memory").queryName("bad_provider").start(), { code: "INVALID_OPTION" });
    } finally {
      spark.conf.unset("spark.sql.streaming.stateStore.providerClass");
    }
  });
});

describe("state memory bound (spark.sluice.stateStore.maxMemoryMB)", () => {
  const spark = testSession();

  it("fails the batch that would go above it, before it commits; the query then resumes on the disk-backed provider with nothing lost", async () => {
    const { tempDir } = await import("../support/stream-test.js");
    const input = MemoryStream.create(spark, "k STRING, v INT");
    const query = input.toDF().groupBy("k").agg(F.sum("v").alias("s"));
    const ckpt = tempDir();
    const conf = (settings: Record<string, string>): StreamTest => {
      for (const key of ["spark.sql.streaming.stateStore.providerClass", "spark.sluice.stateStore.maxMemoryMB", "spark.sluice.stateStore.lmdb.localDir"]) spark.conf.unset(key);
      for (const [key, v] of Object.entries(settings)) spark.conf.set(key, v);
      return new StreamTest(spark, query, (w) => w.outputMode("update").option("checkpointLocation", ckpt));
    };
    try {
      // About 160 bytes of heap per key: 20 keys fit in 0.005 MB (5,243 bytes), 200 do not.
      const bounded = conf({ "spark.sluice.stateStore.maxMemoryMB": "0.005" });
      await bounded.start();
      input.addData(Array.from({ length: 20 }, (_, i) => ({ k: `key-${i}`, v: 1 })));
      await bounded.processAllAvailable();
      input.addData(Array.from({ length: 200 }, (_, i) => ({ k: `key-${i}`, v: 10 })));
      const e = await bounded.expectFailure();
      assert.equal((e.cause as { code?: string }).code, "STATE_STORE_MEMORY_LIMIT_EXCEEDED", e.message);
      assert.match(e.message, /providerClass=lmdb/);
      // The same bound on the disk-backed provider counts only a batch's changes: 200 changed keys still do not fit...
      const lmdbBounded = conf({ "spark.sql.streaming.stateStore.providerClass": "lmdb", "spark.sluice.stateStore.lmdb.localDir": tempDir(), "spark.sluice.stateStore.maxMemoryMB": "0.005" });
      await lmdbBounded.start();
      assert.equal((((await lmdbBounded.expectFailure()).cause) as { code?: string }).code, "STATE_STORE_MEMORY_LIMIT_EXCEEDED");
      // ...with a larger bound they do, and the state holds every row exactly once.
      const resumed = conf({ "spark.sql.streaming.stateStore.providerClass": "lmdb", "spark.sluice.stateStore.lmdb.localDir": tempDir(), "spark.sluice.stateStore.maxMemoryMB": "1" });
      await resumed.start();
      await resumed.processAllAvailable();
      await resumed.stop();
      assertRows(resumed.delivered, Array.from({ length: 200 }, (_, i) => ({ k: `key-${i}`, s: i < 20 ? 11 : 10 })));
      await assert.rejects(conf({ "spark.sluice.stateStore.maxMemoryMB": "lots" }).start(), { code: "INVALID_OPTION" });
    } finally {
      for (const key of ["spark.sql.streaming.stateStore.providerClass", "spark.sluice.stateStore.maxMemoryMB", "spark.sluice.stateStore.lmdb.localDir"]) spark.conf.unset(key);
    }
  });
});

describe("limit and window_time on streams", () => {
  const spark = testSession();

  it("limits a stream globally across batches and restarts (append mode), rejects it in update mode", async () => {
    const input = MemoryStream.create(spark, "v INT");
    const t = new StreamTest(spark, input.toDF().limit(3));
    await t.start();
    input.addData([1, 2]);
    await t.processAllAvailable();
    await t.stop();
    input.addData([3, 4]);
    await t.start();
    await t.processAllAvailable();
    input.addData([5]);
    await t.processAllAvailable();
    await t.stop();
    assert.deepEqual(t.delivered, [{ v: 1 }, { v: 2 }, { v: 3 }]);
    await assert.rejects(input.toDF().limit(1).writeStream.outputMode("update").format("memory").queryName("lim_upd").start(), { code: "STREAMING_UNSUPPORTED_OPERATION" });
  });

  it("gives a window's event time with window_time", async () => {
    const df = spark.createDataFrame([[new Date("2024-01-01T10:03:00Z")]], "ts TIMESTAMP").groupBy(F.window("ts", "5 minutes")).count()
      .select(F.windowTime("window").alias("wt"));
    assert.deepEqual(await df.collect(), [{ wt: new Timestamp(Date.parse("2024-01-01T10:04:59.999Z") * 1000 + 999) }]);
  });
});
