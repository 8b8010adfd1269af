import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { MemoryStream } from "../../src/index.js";
import { OffsetLog } from "../../src/checkpoint/offset-log.js";
import { MetadataLog } from "../../src/checkpoint/metadata-log.js";
import { LocalFileSystem } from "../../src/fs/local-file-system.js";
import { testSession } from "../support/session.js";
import { StreamTest, tempDir } from "../support/stream-test.js";

describe("checkpoint logs", () => {
  const spark = testSession();
  const fs = new LocalFileSystem();

  it("round-trips an offset sequence and detects a second writer with other content", async () => {
    const dir = tempDir();
    const log = new OffsetLog(fs, dir);
    const seq = { metadata: { batchWatermarkMs: 0, batchTimestampMs: 1700000000000, conf: { a: "1" } }, offsets: [{ logOffset: 3 }, null, 7] };
    await log.add(0, seq);
    assert.deepEqual(await log.get(0), seq);
    await log.add(0, seq); // the same entry again is fine (a restarted run)
    await assert.rejects(log.add(0, { ...seq, offsets: [{ logOffset: 4 }, null, 7] }), { code: "CHECKPOINT_CONCURRENT_WRITER" });
  });

  it("purges old entries past the retention point", async () => {
    const dir = tempDir();
    const log = new MetadataLog(fs, dir, "test");
    for (let i = 0; i < 5; i++) await log.add(i, String(i));
    await log.purge(3);
    assert.deepEqual(await log.batchIds(), [3, 4]);
  });

  /**
   * Runs one batch, damages the checkpoint with `damage`, restarts, and returns the error code: from `start()` when the
   * damage is found while starting, or from the query's failure when it is found by the running query.
   */
  async function failureAfter(damage: (checkpoint: string) => void): Promise<string | undefined> {
    const input = MemoryStream.create(spark, "value INT");
    const t = new StreamTest(spark, input.toDF());
    await t.start();
    input.addData([1]);
    await t.processAllAvailable();
    await t.stop();
    damage(t.checkpoint);
    try {
      await t.start();
    } catch (e) {
      return (e as { code?: string }).code;
    }
    const e = await t.expectFailure();
    return (e.cause as { code?: string }).code;
  }

  it("refuses a corrupt offset file with CHECKPOINT_CORRUPT instead of reprocessing", async () => {
    assert.equal(await failureAfter((c) => writeFileSync(path.join(c, "offsets", "1"), "garbage\n{")), "CHECKPOINT_CORRUPT");
  });

  it("refuses a checkpoint written by a newer version", async () => {
    const newer = 'v9\n{"batchWatermarkMs":0,"batchTimestampMs":0,"conf":{}}\n0';
    assert.equal(await failureAfter((c) => writeFileSync(path.join(c, "offsets", "0"), newer)), "CHECKPOINT_UNSUPPORTED_VERSION");
  });

  it("refuses a foreign, non-empty folder as a checkpoint", async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, "photos"));
    const input = MemoryStream.create(spark, "value INT");
    await assert.rejects(input.toDF().writeStream.format("memory").queryName("foreign").option("checkpointLocation", dir).start(), { code: "CHECKPOINT_FOREIGN" });
  });

  it("refuses a checkpoint of a query with a different number of sources", async () => {
    const a = MemoryStream.create(spark, "value INT"), b = MemoryStream.create(spark, "value INT");
    const t = new StreamTest(spark, a.toDF());
    await t.start();
    a.addData([1]);
    await t.processAllAvailable();
    await t.stop();
    // The checkpoint's metadata records its sources, so start() refuses it.
    await assert.rejects(a.toDF().union(b.toDF()).writeStream.format("memory").queryName("two_sources").option("checkpointLocation", t.checkpoint).start(), { code: "CHECKPOINT_FOREIGN" });
  });
});
