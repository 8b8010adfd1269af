/**
 * A checkpoint that was damaged, half written, or written by another query is never used silently: a restart either
 * resumes exactly, or fails with CHECKPOINT_CORRUPT / CHECKPOINT_FOREIGN naming what is wrong.
 */
import assert from "node:assert/strict";
import { utimesSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { testSession } from "../support/session.js";
import { StreamTest, assertRows, tempDir } from "../support/stream-test.js";

function drop(dir: string, name: string, lines: readonly string[], mtimeSec: number): string {
  const p = path.join(dir, name);
  writeFileSync(p, lines.join("\n") + "\n");
  utimesSync(p, mtimeSec, mtimeSec);
  return p;
}

describe("file source log entries without an offsets entry", () => {
  const spark = testSession();

  it("an orphaned sources/0/N (written, then a crash before offsets/N) is processed at the next start, also under availableNow", async () => {
    const landing = tempDir();
    drop(landing, "a.json", ['{"id":1}'], 1000);
    const df = spark.readStream.schema("id INT").json(landing);
    const t = new StreamTest(spark, df, (w) => w.trigger({ availableNow: true }));
    await (await t.start()).awaitTermination();
    assertRows(t.delivered, [{ id: 1 }]);
    // The source logged b.json as its entry 1, then the process died before offsets/1 was written.
    const b = drop(landing, "b.json", ['{"id":2}'], 2000);
    writeFileSync(path.join(t.checkpoint, "sources", "0", "1"), `v1\n${JSON.stringify({ path: `file://${b}`, timestamp: 2000_000, batchId: 1 })}`);
    await (await t.start()).awaitTermination();
    assertRows(t.delivered, [{ id: 1 }, { id: 2 }]);
    assert.deepEqual(t.batchIds, [0, 1]);
  });
});
