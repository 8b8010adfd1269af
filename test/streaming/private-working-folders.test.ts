/**
 * Local working folders hold no state another local user can read or plant: the disk-backed state store works in a
 * private (0700), unpredictably named folder of each run, deleted when the query stops; a temporary checkpoint (a sink
 * without checkpointLocation) is deleted when the query stops, as Spark does, and kept when it failed.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { F, MemoryStream } from "../../src/index.js";
import { testSession } from "../support/session.js";
import { StreamTest, tempDir } from "../support/stream-test.js";

/** Every folder under `root`, recursively, with its permission bits. */
function folders(root: string): { path: string; mode: number }[] {
  const out: { path: string; mode: number }[] = [];
  for (const e of readdirSync(root, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    const p = path.join(root, e.name);
    out.push({ path: p, mode: statSync(p).mode & 0o777 }, ...folders(p));
  }
  return out;
}

describe("private working folders", () => {
  const spark = testSession();

  it("LMDB state lives in a 0700 folder with a fresh random name per run, deleted on stop", async () => {
    const localRoot = tempDir();
    spark.conf.set("spark.sql.streaming.stateStore.providerClass", "lmdb");
    spark.conf.set("spark.sluice.stateStore.lmdb.localDir", localRoot);
    try {
      const input = MemoryStream.create(spark, "k STRING");
      const t = new StreamTest(spark, input.toDF().groupBy("k").agg(F.count("*").alias("n")), (w) => w.outputMode("update"));
      const names: string[] = [];
      for (const k of ["a", "b"]) {
        await t.start();
        input.addData([{ k }]);
        await t.processAllAvailable();
        const top = readdirSync(localRoot);
        assert.equal(top.length, 1, "one working folder for the running query");
        names.push(top[0]!);
        // The run's own folder is private; nothing a user could guess from the checkpoint path.
        assert.equal(statSync(path.join(localRoot, top[0]!)).mode & 0o777, 0o700);
        for (const f of folders(path.join(localRoot, top[0]!))) assert.equal(f.mode & 0o077, 0, `${f.path} is readable by others`);
        await t.stop();
        assert.deepEqual(readdirSync(localRoot), [], "the working folder is deleted when the query stops");
      }
      assert.notEqual(names[0], names[1], "each run gets an unpredictable new folder");
      assert.deepEqual(t.delivered, [{ k: "a", n: 1 }, { k: "b", n: 1 }]);
    } finally {
      spark.conf.unset("spark.sql.streaming.stateStore.providerClass");
      spark.conf.unset("spark.sluice.stateStore.lmdb.localDir");
    }
  });

  it("a temporary checkpoint is deleted when its query stops, and kept when the query failed", async () => {
    const input = MemoryStream.create(spark, "v INT");
    const q = await input.toDF().writeStream.format("memory").queryName("temp_ckpt").start();
    const dir = q.execution.config.checkpointDir;
    input.addData([1]);
    await q.processAllAvailable();
    assert.ok(existsSync(path.join(dir, "offsets", "0")));
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    await q.stop();
    assert.equal(existsSync(dir), false);

    const failing = await input.toDF().writeStream.foreachBatch(() => { throw new Error("boom"); }).start();
    await assert.rejects(failing.awaitTermination());
    assert.equal(existsSync(failing.execution.config.checkpointDir), true, "a failed query's temporary checkpoint is kept for inspection");
  });
});
