/**
 * Deterministic crash points (SLUICE_TEST_CRASH_AT), local sinks: the pipeline process is killed (SIGKILL) at a named
 * step of one batch, restarted, and an independent reader counts what the sink committed: every record exactly once.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { dropFile, foreachFileIds, parquetSinkIds, startPipeline, summarize, type IdSummary } from "../support/crash-harness.js";
import { tempDir } from "../support/stream-test.js";

const has = (dir: string, name: string): boolean => existsSync(path.join(dir, name));

/** Runs the pipeline until the armed point kills it, then once more to the end; returns the ids it was fed. */
async function crashThenRecover(landing: string, output: string, checkpoint: string, query: string, point: string, env: Record<string, string>, files: number, rows: number, atKill?: (ckpt: string, output: string) => void): Promise<number[]> {
  const expected: number[] = [];
  for (let s = 0; s < files; s++) expected.push(...dropFile(landing, s, rows));
  const args = [landing, output, checkpoint, "drain", query];
  const crashed = startPipeline(args, { ...env, SLUICE_TEST_CRASH_AT: point });
  const how = await crashed.exited;
  assert.equal(how.signal, "SIGKILL", `the run armed with ${point} should die at it, it ended with ${JSON.stringify(how)}: ${crashed.output()}`);
  atKill?.(checkpoint, output);
  const again = startPipeline(args, env);
  const end = await again.exited;
  assert.equal(end.code, 0, `the restart should drain the input: ${again.output()}`);
  return expected;
}

function assertExactlyOnce(got: IdSummary, expected: readonly number[]): void {
  const want = summarize(expected);
  assert.equal(got.distinct, got.count, "no record duplicated");
  assert.equal(got.count, want.count, "no record lost");
  assert.equal(got.digest, want.digest, "exactly the records fed");
}

/** What the checkpoint must show right after the kill, proving the process died where the point says. */
const atTheKill: Record<string, (ckpt: string, output: string) => void> = {
  "after-source-log@1": (c) => { assert.ok(has(c, "sources/0/1") && !has(c, "offsets/1"), "sources/0/1 logged, offsets/1 not"); },
  "after-offsets@1": (c) => { assert.ok(has(c, "offsets/1") && !has(c, "commits/1"), "offsets/1 written, commits/1 not"); },
  "mid-sink@1": (c, o) => { assert.ok(has(c, "offsets/1") && !has(c, "commits/1") && !has(o, "_spark_metadata/1"), "offsets/1 written, neither the sink log nor commits/1"); },
  "after-sink-commit@1": (c, o) => { assert.ok(has(o, "_spark_metadata/1") && !has(c, "commits/1"), "the sink log has batch 1, commits/1 not"); },
};

describe("crash points: file source → Parquet file sink (local), pyarrow reads the sink log", () => {
  for (const [point, check] of Object.entries(atTheKill)) {
    it(`killed at ${point} (the checkpoint shows it): the restart commits every record exactly once`, { timeout: 60_000 }, async () => {
      const landing = tempDir(), output = path.join(tempDir(), "out"), checkpoint = tempDir();
      const expected = await crashThenRecover(landing, output, checkpoint, "stateless", point, {}, 9, 200, check);
      assertExactlyOnce(parquetSinkIds(output), expected);
    });
  }

  // Batch 9 is the sink log's compaction batch (spark.sql.streaming.fileSink.log.compactInterval 10: `9.compact`).
  for (const point of ["mid-sink@9", "after-sink-commit@9"]) {
    it(`killed at ${point}, the sink log's compaction batch: every record exactly once`, { timeout: 60_000 }, async () => {
      const landing = tempDir(), output = path.join(tempDir(), "out"), checkpoint = tempDir();
      const expected = await crashThenRecover(landing, output, checkpoint, "stateless", point, { SLUICE_MAX_FILES_PER_TRIGGER: "1" }, 12, 50);
      assertExactlyOnce(parquetSinkIds(output), expected);
    });
  }

  it("killed at mid-purge (minBatchesToRetain 3, batch 10), then the purge half applied (offsets purged, commits not): the restart is exact", { timeout: 60_000 }, async () => {
    const landing = tempDir(), output = path.join(tempDir(), "out"), checkpoint = tempDir();
    const env = { SLUICE_MIN_BATCHES_TO_RETAIN: "3", SLUICE_MAX_FILES_PER_TRIGGER: "1" };
    const expected: number[] = [];
    for (let s = 0; s < 13; s++) expected.push(...dropFile(landing, s, 40));
    const args = [landing, output, checkpoint, "drain"];
    const crashed = startPipeline(args, { ...env, SLUICE_TEST_CRASH_AT: "mid-purge@10" });
    assert.equal((await crashed.exited).signal, "SIGKILL", crashed.output());
    const numeric = (d: string): number[] => readdirSync(path.join(checkpoint, d)).filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
    // The purge is one multi-object delete, killed before it ran; a store that applied it in part (a local disk
    // deleting file by file) leaves the old offsets gone and the old commits there: make it so.
    assert.equal(numeric("offsets")[0], 0, "killed before the purge deleted anything");
    for (const id of numeric("offsets").filter((id) => id < 8)) rmSync(path.join(checkpoint, "offsets", String(id)));
    assert.deepEqual(numeric("offsets"), [8, 9, 10]);
    assert.equal(numeric("commits")[0], 0, "the commit log not purged yet");
    const again = startPipeline(args, env);
    assert.equal((await again.exited).code, 0, again.output());
    assertExactlyOnce(parquetSinkIds(output), expected);
  });
});

describe("crash points: foreachBatch writing idempotent files, Python reads them", () => {
  for (const point of ["after-offsets@1", "mid-sink@1", "after-sink-commit@1"]) {
    it(`killed at ${point}: every record exactly once`, { timeout: 60_000 }, async () => {
      const landing = tempDir(), output = path.join(tempDir(), "out"), checkpoint = tempDir();
      const expected = await crashThenRecover(landing, output, checkpoint, "stateless", point, { SLUICE_CRASH_SINK: "foreach-files" }, 9, 100);
      assertExactlyOnce(foreachFileIds(output), expected);
    });
  }
});

describe("crash points: aggregation state (count and sum per key, complete mode, foreachBatch)", () => {
  // mid-purge: minBatchesToRetain 3 and one file a batch, so batch 10 purges the logs (and old state versions).
  const purge = { SLUICE_MIN_BATCHES_TO_RETAIN: "3", SLUICE_MAX_FILES_PER_TRIGGER: "1" };
  for (const [store, point, env, files] of [["memory", "mid-state-commit@1", {}, 9], ["lmdb", "mid-state-commit@1", {}, 9], ["memory", "after-sink-commit@1", {}, 9], ["lmdb", "after-offsets@2", {}, 9],
    ["memory", "mid-purge@10", purge, 13], ["lmdb", "mid-purge@10", purge, 13]] as const) {
    it(`${store} store killed at ${point}: the final counts and sums hold every record exactly once`, { timeout: 60_000 }, async () => {
      const landing = tempDir(), output = path.join(tempDir(), "out"), checkpoint = tempDir();
      const expected = await crashThenRecover(landing, output, checkpoint, "aggregate", point, { SLUICE_STATE_STORE: store, ...env }, files, 100);
      const last = readdirSync(output).filter((f) => f.endsWith(".json")).sort().at(-1)!;
      const rows = JSON.parse(readFileSync(path.join(output, last), "utf8")) as { bucket: number; n: number; total: string | number }[];
      const want = new Map<number, { n: number; total: bigint }>();
      for (const id of expected) {
        const b = id % 7, w = want.get(b) ?? { n: 0, total: 0n };
        want.set(b, { n: w.n + 1, total: w.total + BigInt(id) });
      }
      assert.deepEqual(rows.map((r) => [Number(r.bucket), Number(r.n), String(r.total)]).sort((a, b) => Number(a[0]) - Number(b[0])),
        [...want].sort((a, b) => a[0] - b[0]).map(([b, w]) => [b, w.n, w.total.toString()]));
    });
  }
});
