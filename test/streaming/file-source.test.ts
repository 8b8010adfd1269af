import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { F } from "../../src/index.js";
import { testSession } from "../support/session.js";
import { StreamTest, assertRows, tempDir } from "../support/stream-test.js";

function drop(dir: string, name: string, lines: readonly string[], mtimeSec?: number): void {
  const p = path.join(dir, name);
  writeFileSync(p, lines.join("\n") + "\n");
  if (mtimeSec !== undefined) utimesSync(p, mtimeSec, mtimeSec);
}

describe("file stream source", () => {
  const spark = testSession();

  it("reads each new file once, honours maxFilesPerTrigger, and resumes after a restart", async () => {
    const landing = tempDir();
    drop(landing, "a.json", ['{"id":1,"name":"x"}', '{"id":2,"name":"y"}'], 1000);
    drop(landing, "b.json", ['{"id":3,"name":"z"}'], 2000);
    const df = spark.readStream.schema("id INT, name STRING").option("maxFilesPerTrigger", 1).json(landing);
    const t = new StreamTest(spark, df.select(F.col("id"), F.upper(F.col("name")).alias("name")));
    await t.start();
    await t.checkAnswer([{ id: 1, name: "X" }, { id: 2, name: "Y" }, { id: 3, name: "Z" }]);
    assert.deepEqual(t.batchIds, [0, 1]);
    await t.stop();
    drop(landing, "c.json", ['{"id":4,"name":"w"}'], 3000);
    await t.start();
    await t.checkAnswer([1, 2, 3, 4].map((id) => ({ id, name: "XYZW"[id - 1]! })));
    assert.deepEqual(t.batchIds, [0, 1, 2]);
    await t.stop();
    const sourceLog = readdirSync(path.join(t.checkpoint, "sources", "0")).sort();
    assert.deepEqual(sourceLog, ["0", "1", "2"]);
  });

  it("takes newest files first with latestFirst", async () => {
    const landing = tempDir();
    drop(landing, "old.json", ['{"id":1}'], 1000);
    drop(landing, "new.json", ['{"id":2}'], 5000);
    const t = new StreamTest(spark, spark.readStream.schema("id INT").option("maxFilesPerTrigger", 1).option("latestFirst", true).json(landing));
    await t.start();
    await t.processAllAvailable();
    await t.stop();
    assert.deepEqual(t.delivered, [{ id: 2 }, { id: 1 }]);
  });

  it("ignores files older than maxFileAge before the newest file already seen", async () => {
    const landing = tempDir();
    drop(landing, "first.json", ['{"id":1}'], 100_000);
    const t = new StreamTest(spark, spark.readStream.schema("id INT").option("maxFileAge", "1 hour").json(landing));
    await t.start();
    await t.checkAnswer([{ id: 1 }]);
    drop(landing, "stale.json", ['{"id":2}'], 100_000 - 7200); // two hours older than the newest seen
    drop(landing, "fresh.json", ['{"id":3}'], 100_000 - 60);
    await t.checkAnswer([{ id: 1 }, { id: 3 }]);
    await t.stop();
  });

  it("requires a schema unless spark.sql.streaming.schemaInference is true", async () => {
    const landing = tempDir();
    drop(landing, "a.json", ['{"id":1,"tags":["a"]}']);
    assert.throws(() => spark.readStream.json(landing), { code: "UNABLE_TO_INFER_SCHEMA" });
    spark.conf.set("spark.sql.streaming.schemaInference", true);
    try {
      const df = spark.readStream.json(landing);
      assert.deepEqual(df.columns, ["id", "tags"]);
      assert.equal(df.schema.fields[0]!.dataType.kind, "long");
    } finally {
      spark.conf.set("spark.sql.streaming.schemaInference", false);
    }
  });

  it("adds partition columns from k=v folders", async () => {
    const landing = tempDir();
    mkdirSync(path.join(landing, "day=1"));
    mkdirSync(path.join(landing, "day=2"));
    drop(path.join(landing, "day=1"), "a.csv", ["x"]);
    drop(path.join(landing, "day=2"), "b.csv", ["y"]);
    const t = new StreamTest(spark, spark.readStream.schema("v STRING, day INT").csv(landing));
    await t.start();
    await t.checkAnswer([{ v: "x", day: 1 }, { v: "y", day: 2 }]);
    await t.stop();
  });

  it("archives or deletes processed files with cleanSource", async () => {
    const landing = tempDir(), archive = tempDir();
    drop(landing, "a.txt", ["one"]);
    const t = new StreamTest(spark, spark.readStream.option("cleanSource", "archive").option("sourceArchiveDir", archive).text(landing));
    await t.start();
    await t.checkAnswer([{ value: "one" }]);
    await t.stop();
    assert.equal(existsSync(path.join(landing, "a.txt")), false);
    assert.equal(existsSync(path.join(archive, landing, "a.txt")), true);

    const landing2 = tempDir();
    drop(landing2, "b.txt", ["two"]);
    const t2 = new StreamTest(spark, spark.readStream.option("cleanSource", "delete").text(landing2));
    await t2.start();
    await t2.checkAnswer([{ value: "two" }]);
    await t2.stop();
    assert.deepEqual(readdirSync(landing2), []);
  });

  it("rejects bad option values when the query starts", async () => {
    const landing = tempDir();
    await assert.rejects(
      spark.readStream.schema("a INT").option("cleanSource", "archive").json(landing).writeStream.format("memory").queryName("bad_archive").start(),
      { code: "INVALID_OPTION", params: { option: "sourceArchiveDir" } },
    );
    await assert.rejects(
      spark.readStream.schema("a INT").option("maxFilesPerTrigger", 0).json(landing).writeStream.format("memory").queryName("bad_max").start(),
      { code: "INVALID_OPTION", params: { option: "maxFilesPerTrigger", value: "0" } },
    );
  });
});

describe("parallel tasks (local[N] worker threads)", () => {
  const spark = testSession();

  it("produce exactly the output of in-driver execution, for every sink kind", async () => {
    const landing = tempDir();
    for (let f = 0; f < 7; f++) {
      writeFileSync(path.join(landing, `f${f}.json`), Array.from({ length: 50 }, (_, i) => JSON.stringify({ id: f * 50 + i, tags: `a b${i % 3}`, bad: i === 7 ? "x" : i })).join("\n") + "\n");
    }
    const run = async (parallel: boolean): Promise<{ rows: unknown[]; files: unknown[] }> => {
      spark.conf.set("spark.sluice.parallelTasks", parallel);
      try {
        const df = spark.readStream.schema("id INT, tags STRING, bad INT, _corrupt_record STRING").option("maxFilesPerTrigger", 3).json(landing)
          .select(F.col("id"), F.explode(F.split(F.col("tags"), " ")).alias("tag"), F.col("_corrupt_record").isNotNull().alias("corrupt"))
          .filter("id % 2 = 0");
        const t = new StreamTest(spark, df);
        await t.start();
        await t.processAllAvailable();
        await t.stop();
        const out = path.join(tempDir(), "out");
        const q = await df.writeStream.format("parquet").option("path", out).option("checkpointLocation", tempDir()).trigger({ availableNow: true }).start();
        await q.awaitTermination();
        return { rows: t.delivered, files: await spark.read.parquet(out).collect() };
      } finally {
        spark.conf.unset("spark.sluice.parallelTasks");
      }
    };
    const inDriver = await run(false), inWorkers = await run(true);
    assert.equal(inDriver.rows.length, 7 * 25 * 2);
    assertRows(inWorkers.rows as never, inDriver.rows as never);
    assertRows(inWorkers.files as never, inDriver.files as never);
    assertRows(inDriver.files as never, inDriver.rows as never);
  });
});

describe("parallel input stage of stateful queries", () => {
  const spark = testSession();

  it("runs the partition-local part in tasks and the stateful rest in the driver, with the in-driver answers, across a restart", async () => {
    const landing = tempDir();
    const drop5 = (from: number): void => {
      for (let f = from; f < from + 5; f++) {
        // Rows out of event-time order across files, duplicate ids across files, keys spread over files.
        writeFileSync(path.join(landing, `f${String(f).padStart(2, "0")}.json`), Array.from({ length: 40 }, (_, i) => JSON.stringify({
          id: (f * 40 + i) % 150, key: `k${i % 7}`, v: i, ts: `2026-01-01T00:${String((f * 3 + (i % 5)) % 60).padStart(2, "0")}:00Z`, junk: "x".repeat(i),
        })).join("\n") + "\n");
      }
    };
    drop5(0);
    const dims = spark.createDataFrame([{ key: "k1", label: "one" }, { key: "k3", label: "three" }, { key: "k5", label: "five" }]);
    const queries = {
      windowed: (df: ReturnType<typeof input>) => df.withWatermark("ts", "5 minutes").groupBy(F.window("ts", "10 minutes"), "key")
        .agg(F.count("*").alias("n"), F.sum("v").alias("s"), F.max("id").alias("m"), F.avg("v").alias("a"), F.first("id").alias("f"),
          F.sortArray(F.collectSet("v")).alias("vs"), F.approxCountDistinct("id").alias("d")),
      dedup: (df: ReturnType<typeof input>) => df.dropDuplicates(["id"]).select("id"),
      joined: (df: ReturnType<typeof input>) => df.filter("v % 2 = 0").join(dims, "key").groupBy("label").count(),
    };
    const input = () => spark.readStream.schema("id INT, key STRING, v INT, ts TIMESTAMP, junk STRING").option("maxFilesPerTrigger", 4).json(landing);
    const results = new Map<string, unknown[]>();
    const watermarks = new Map<string, unknown>();
    const ckpts = new Map<string, string>();
    const run = async (parallel: boolean, round: number): Promise<void> => {
      spark.conf.set("spark.sluice.parallelTasks", parallel);
      try {
        for (const [name, build] of Object.entries(queries)) {
          const id = `${name}_${String(parallel)}`;
          if (!ckpts.has(id)) ckpts.set(id, tempDir());
          const q = await build(input()).writeStream.outputMode(name === "dedup" ? "append" : "update").option("checkpointLocation", ckpts.get(id)!)
            .foreachBatch(async (b) => { results.set(id, [...(results.get(id) ?? []), ...(await b.collect())]); }).trigger({ availableNow: true }).start();
          await q.awaitTermination();
          if (round === 0) assert.equal(q.explain().includes("via parallel tasks"), parallel, q.explain());
          if (round === 0 && name !== "dedup") assert.equal(q.explain().includes("merging partial aggregates"), parallel && name === "windowed", q.explain());
          if (name === "windowed") watermarks.set(id, q.lastProgress!.eventTime);
        }
      } finally {
        spark.conf.unset("spark.sluice.parallelTasks");
      }
    };
    await run(false, 0); await run(true, 0);
    drop5(5); // a restart from the checkpoint: state restored in both
    await run(false, 1); await run(true, 1);
    for (const name of Object.keys(queries)) {
      const inDriver = results.get(`${name}_false`)!, inTasks = results.get(`${name}_true`)!;
      assert.ok(inDriver.length > 10, `${name}: ${inDriver.length} rows`);
      assertRows(inTasks as never, inDriver as never);
    }
    assert.deepEqual(watermarks.get("windowed_true"), watermarks.get("windowed_false"));
  });
});

describe("column pruning in parallel tasks", () => {
  const spark = testSession();

  it("reads only the needed JSON fields without changing any result", async () => {
    const landing = tempDir();
    writeFileSync(path.join(landing, "a.json"), ['{"a": 1, "b": "x", "c": 2.5, "d": "bad-int"}', '{"a": 2, "b": "y", "c": null, "d": 4}', '{"a": "oops", "b": "z"}'].join("\n") + "\n");
    const query = (parallel: boolean) => async (): Promise<unknown[]> => {
      spark.conf.set("spark.sluice.parallelTasks", parallel);
      try {
        const df = spark.readStream.schema("a INT, b STRING, c DOUBLE, d INT").json(landing).filter("b != 'q'").select(F.upper(F.col("b")).alias("B"), F.col("a"));
        const q = await df.writeStream.format("memory").queryName(`pruned_${String(parallel)}`).trigger({ availableNow: true }).start();
        await q.awaitTermination();
        return spark.table(`pruned_${String(parallel)}`).collect();
      } finally {
        spark.conf.unset("spark.sluice.parallelTasks");
      }
    };
    const expected = [{ B: "X", a: 1 }, { B: "Y", a: 2 }, { B: "Z", a: null }];
    assertRows(await query(false)() as never, expected);
    assertRows(await query(true)() as never, expected);
  });

  it("keeps every column of the scan where pruning could change results", async () => {
    const { pruneColumns } = await import("../../src/optimizer/column-pruning.js");
    const input = spark.readStream.schema("a INT, b STRING, c DOUBLE").json(tempDir());
    const pruned = pruneColumns(input.select(F.col("c").plus(1).alias("c1")).filter("c1 > 0").plan);
    const leaf = (p: import("../../src/plan/logical-plan.js").LogicalPlan): import("../../src/plan/logical-plan.js").LogicalPlan => ("child" in p ? leaf(p.child) : p);
    assert.deepEqual(leaf(pruned).output.map((a) => a.name), ["c"]);
    const distinctPlan = pruneColumns(input.distinct().select("a").plan);
    assert.deepEqual(leaf(distinctPlan).output.map((a) => a.name), ["a", "b", "c"]);
  });
});
