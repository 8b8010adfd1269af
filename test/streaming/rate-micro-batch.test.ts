import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { testSession } from "../support/session.js";
import { tempDir } from "../support/stream-test.js";

// Expected values are what PySpark 4.3 gives for the same query: rate-micro-batch (rowsPerBatch=3,
// startTimestamp=1000) with Trigger.AvailableNow runs exactly one micro-batch per start, then terminates:
// run 0 -> batch 0: values 0..2 at 1970-01-01 00:00:01; run 1 (same checkpoint) -> batch 1: values 3..5 at 00:00:02.
describe("rate-micro-batch with availableNow", () => {
  it("runs the one micro-batch after the committed offset and terminates, on each start", async () => {
    const spark = testSession();
    const checkpoint = tempDir();
    const runs: { id: number; values: number[]; times: number[] }[][] = [];
    for (let run = 0; run < 2; run++) {
      const seen: { id: number; values: number[]; times: number[] }[] = [];
      const q = await spark.readStream.format("rate-micro-batch").option("rowsPerBatch", 3).option("startTimestamp", 1000).load()
        .writeStream.option("checkpointLocation", checkpoint).trigger({ availableNow: true })
        .foreachBatch(async (df, id) => {
          const rows = await df.collect();
          seen.push({ id, values: rows.map((r) => Number(r["value"])).sort(), times: rows.map((r) => (r["timestamp"] as Date).getTime()) });
        }).start();
      const ended = await Promise.race([q.awaitTermination().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
      if (!ended) await q.stop();
      assert.ok(ended, `run ${run} did not terminate`);
      runs.push(seen);
    }
    assert.deepEqual(runs, [[{ id: 0, values: [0, 1, 2], times: [1000, 1000, 1000] }], [{ id: 1, values: [3, 4, 5], times: [2000, 2000, 2000] }]]);
  });
});
