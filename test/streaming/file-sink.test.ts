import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { F, MemoryStream } from "../../src/index.js";
import { testSession } from "../support/session.js";
import { assertRows, tempDir } from "../support/stream-test.js";
import { outputFilePath } from "../../src/sinks/file-sink.js";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe("file sink", () => {
  const spark = testSession();

  for (const format of ["json", "csv", "parquet"] as const) {
    it(`writes ${format} with a sink log that Sluice's batch reader honours, exactly once across restarts`, async () => {
      const out = tempDir(), ckpt = tempDir();
      const input = MemoryStream.create(spark, "id INT, name STRING, amount DOUBLE");
      const start = (): Promise<import("../../src/index.js").StreamingQuery> => input.toDF().writeStream.format(format)
        .option("path", out).option("checkpointLocation", ckpt).start();
      let q = await start();
      input.addData([{ id: 1, name: "a", amount: 1.5 }, { id: 2, name: "b,c", amount: null }]);
      await q.processAllAvailable();
      await q.stop();
      // A stray file from a batch that crashed before its log entry must stay invisible.
      writeFileSync(path.join(out, `part-99999-orphan.c000.${format === "parquet" ? "snappy.parquet" : format}`), format === "parquet" ? "" : "9,zz,9.0\n");
      q = await start();
      input.addData([{ id: 3, name: "d", amount: 3 }]);
      await q.processAllAvailable();
      await q.stop();
      assert.deepEqual(readdirSync(path.join(out, "_spark_metadata")).sort(), ["0", "1"]);
      const back = spark.read.schema("id INT, name STRING, amount DOUBLE").format(format).load(out);
      assertRows(await back.collect(), [{ id: 1, name: "a", amount: 1.5 }, { id: 2, name: "b,c", amount: null }, { id: 3, name: "d", amount: 3 }]);
    });
  }

  it("does not write a re-run batch twice when its sink log entry exists", async () => {
    const out = tempDir(), ckpt = tempDir();
    const input = MemoryStream.create(spark, "id INT");
    let q = await input.toDF().writeStream.format("json").option("path", out).option("checkpointLocation", ckpt).start();
    input.addData([1, 2]);
    await q.processAllAvailable();
    await q.stop();
    // Simulate a crash after the sink committed but before the commit log: remove commits/0.
    const { rmSync } = await import("node:fs");
    rmSync(path.join(ckpt, "commits", "0"));
    q = await input.toDF().writeStream.format("json").option("path", out).option("checkpointLocation", ckpt).start();
    await q.processAllAvailable();
    await q.stop();
    const files = readdirSync(out).filter((f) => f.startsWith("part-"));
    assert.equal(files.length, 1);
    assertRows(await spark.read.schema("id INT").json(out).collect(), [{ id: 1 }, { id: 2 }]);
  });

  it("coalesce(n) / repartition(n) set how many files each micro-batch writes, rows unchanged", async () => {
    const landing = tempDir();
    for (let f = 0; f < 6; f++) writeFileSync(path.join(landing, `f${f}.json`), Array.from({ length: 10 }, (_, i) => JSON.stringify({ id: f * 10 + i })).join("\n") + "\n");
    const filesPerBatch = async (shape: (df: ReturnType<typeof input>) => ReturnType<typeof input>): Promise<{ files: number[]; ids: number[] }> => {
      const out = tempDir();
      const q = await shape(input()).writeStream.format("json").option("path", out).option("checkpointLocation", tempDir()).trigger({ availableNow: true }).start();
      await q.awaitTermination();
      const log = path.join(out, "_spark_metadata");
      const files = readdirSync(log).filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(a) - Number(b)).map((n) => readFileSync(path.join(log, n), "utf8").trim().split("\n").length - 1);
      const ids = (await spark.read.json(out).collect()).map((r) => r["id"] as number).sort((a, b) => a - b);
      return { files, ids };
    };
    const input = () => spark.readStream.schema("id INT").option("maxFilesPerTrigger", 3).json(landing);
    const all = Array.from({ length: 60 }, (_, i) => i);
    assert.deepEqual(await filesPerBatch((df) => df), { files: [2, 2], ids: all }); // local[2]: one file per task
    assert.deepEqual(await filesPerBatch((df) => df.coalesce(1)), { files: [1, 1], ids: all });
    assert.deepEqual(await filesPerBatch((df) => df.repartition(3)), { files: [3, 3], ids: all });
    assert.throws(() => input().coalesce(0), { code: "INVALID_OPTION" });
  });

  it("partitions output folders with partitionBy", async () => {
    const out = tempDir(), ckpt = tempDir();
    const input = MemoryStream.create(spark, "day STRING, v INT");
    const q = await input.toDF().writeStream.format("parquet").partitionBy("day").option("path", out).option("checkpointLocation", ckpt).start();
    input.addData([{ day: "mon", v: 1 }, { day: "tue", v: 2 }, { day: "mon", v: 3 }]);
    await q.processAllAvailable();
    await q.stop();
    assert.ok(existsSync(path.join(out, "day=mon")));
    assert.ok(existsSync(path.join(out, "day=tue")));
    const back = spark.read.parquet(out);
    assert.deepEqual(back.columns, ["v", "day"]);
    assertRows(await back.collect(), [{ v: 1, day: "mon" }, { v: 3, day: "mon" }, { v: 2, day: "tue" }]);
  });

  it("requires a checkpointLocation and append mode", async () => {
    const input = MemoryStream.create(spark, "id INT");
    await assert.rejects(input.toDF().writeStream.format("json").option("path", tempDir()).start(), { code: "INVALID_OPTION", params: { option: "checkpointLocation" } });
    await assert.rejects(input.toDF().writeStream.format("json").outputMode("update").option("path", tempDir()).option("checkpointLocation", tempDir()).start(), { code: "STREAMING_UNSUPPORTED_OPERATION" });
  });

  it("records sink log entries in Spark's format", async () => {
    const out = tempDir(), ckpt = tempDir();
    const input = MemoryStream.create(spark, "id INT");
    const q = await input.toDF().select(F.col("id")).writeStream.format("json").option("path", out).option("checkpointLocation", ckpt).start();
    input.addData([1]);
    await q.processAllAvailable();
    await q.stop();
    const [version, entry] = readFileSync(path.join(out, "_spark_metadata", "0"), "utf8").split("\n");
    assert.equal(version, "v1");
    const e = JSON.parse(entry!);
    assert.equal(e.action, "add");
    assert.match(e.path, /^file:\/\/.*part-00000-.*\.c000\.json$/);
    assert.equal(e.size, readFileSync(e.path.slice(7)).length);
  });

  it("never writes outside the output path, whatever partition column names and values say (stream and batch); names round-trip", async () => {
    const root = tempDir();
    const out = path.join(root, "a", "b", "out");
    const cols = ["../../x", "..", "/", "x=y", "a/b"];
    const ddl = `id INT, ${cols.map((c) => `\`${c}\` STRING`).join(", ")}`;
    const values = ["../../etc", "..", ".", "/abs", "a/../../b", "..\\..\\x", "%2e%2e", "x=../y", ""];
    const rows = values.map((v, id) => ({ id, ...Object.fromEntries(cols.map((c) => [c, v])) }));
    await spark.createDataFrame(rows, ddl).write.partitionBy(...cols).json(path.join(out, "batch"));
    const input = MemoryStream.create(spark, ddl);
    const q = await input.toDF().writeStream.format("json").partitionBy(...cols)
      .option("path", path.join(out, "stream")).option("checkpointLocation", path.join(root, "ckpt")).start();
    input.addData(rows);
    await q.processAllAvailable();
    await q.stop();
    const outside = filesUnder(root).filter((f) => !f.startsWith(out + path.sep) && !f.startsWith(path.join(root, "ckpt") + path.sep));
    assert.deepEqual(outside, []);
    // Spark reads "" back as null (the default partition); everything else exactly as written. The stream's output is
    // read through its sink log; a plain listing (the batch output) skips folders named ".…" as hidden, as Spark does.
    const expected = (names: readonly string[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k === "id" || names.includes(k)).map(([k, v]) => [k, (v as unknown) === "" ? null : v])));
    const back = spark.read.json(path.join(out, "stream"));
    assert.deepEqual(back.columns, ["id", ...cols]);
    assertRows(await back.collect(), expected(cols));
    assert.throws(() => spark.read.json(path.join(out, "batch")), { code: "UNABLE_TO_INFER_SCHEMA" });
    const visible = cols.filter((c) => !c.startsWith("."));
    await spark.createDataFrame(rows, ddl).select("id", ...visible).write.partitionBy(...visible).json(path.join(out, "batch-visible"));
    const batch = spark.read.json(path.join(out, "batch-visible"));
    assert.deepEqual(batch.columns, ["id", ...visible]);
    assertRows(await batch.collect(), expected(visible));
    assert.throws(() => outputFilePath(out, "../x=1", "f.json"), { code: "INTERNAL_ERROR" });
    assert.throws(() => outputFilePath(out, "..", "f.json"), { code: "INTERNAL_ERROR" });
  });
});
