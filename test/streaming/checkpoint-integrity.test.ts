/**
 * A checkpoint that was damaged, half written, or written by another query is never used silently: a restart either
 * resumes exactly, or fails with CHECKPOINT_CORRUPT / CHECKPOINT_FOREIGN naming what is wrong.
 */
import assert from "node:assert/strict";
import { readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import type { DataFrame, Session, StreamingQuery } from "../../src/index.js";
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

/** Starts `df` on `checkpoint` into foreachBatch; the error code if start() or the run fails, else undefined. */
async function runOn(df: DataFrame, checkpoint: string, until: (q: StreamingQuery) => boolean): Promise<string | undefined> {
  let q: StreamingQuery;
  try {
    q = await df.writeStream.option("checkpointLocation", checkpoint).foreachBatch(() => undefined).start();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  for (let i = 0; i < 400 && q.isActive && !until(q); i++) await new Promise((r) => setTimeout(r, 10));
  await q.stop();
  const e = q.exception();
  return e === null ? undefined : (e.cause as { code?: string }).code;
}

const hasBatch = (q: StreamingQuery): boolean => q.recentProgress.some((p) => p.numInputRows > 0);
const idle = (q: StreamingQuery): boolean => q.status.message === "Waiting for data to arrive";

describe("damaged or foreign checkpoints fail loudly", () => {
  const spark: Session = testSession();
  const rate = (): DataFrame => spark.readStream.format("rate").option("rowsPerSecond", 5).load();

  /** A file query's checkpoint after one committed batch, and its landing folder. */
  async function fileCheckpoint(): Promise<{ checkpoint: string; df: DataFrame }> {
    const landing = tempDir();
    drop(landing, "a.json", ['{"id":1}'], 1000);
    const df = spark.readStream.schema("id INT").json(landing);
    const checkpoint = tempDir();
    assert.equal(await runOn(df, checkpoint, hasBatch), undefined);
    drop(landing, "b.json", ['{"id":2}'], 2000);
    return { checkpoint, df };
  }

  async function rateCheckpoint(): Promise<string> {
    const checkpoint = tempDir();
    assert.equal(await runOn(rate(), checkpoint, hasBatch), undefined);
    return checkpoint;
  }

  it("an undamaged checkpoint restarts (the control case)", async () => {
    const { checkpoint, df } = await fileCheckpoint();
    assert.equal(await runOn(df, checkpoint, (q) => hasBatch(q)), undefined);
  });

  it("offsets/N replaced by valid JSON of another shape: CHECKPOINT_CORRUPT", async () => {
    const { checkpoint, df } = await fileCheckpoint();
    const file = path.join(checkpoint, "offsets", "0");
    const [version, meta] = readFileSync(file, "utf8").split("\n");
    writeFileSync(file, [version, meta, JSON.stringify({ offset: 3 })].join("\n"));
    assert.equal(await runOn(df, checkpoint, idle), "CHECKPOINT_CORRUPT");
    writeFileSync(file, [version, JSON.stringify({ watermark: 0 }), JSON.stringify({ logOffset: 0 })].join("\n"));
    assert.equal(await runOn(df, checkpoint, idle), "CHECKPOINT_CORRUPT");
  });

  it("commits/N of another shape: CHECKPOINT_CORRUPT", async () => {
    const { checkpoint, df } = await fileCheckpoint();
    writeFileSync(path.join(checkpoint, "commits", "0"), "v1\n[1,2]");
    assert.equal(await runOn(df, checkpoint, idle), "CHECKPOINT_CORRUPT");
  });

  it("offsets/N deleted while commits/N exists: CHECKPOINT_CORRUPT", async () => {
    const { checkpoint, df } = await fileCheckpoint();
    unlinkSync(path.join(checkpoint, "offsets", "0"));
    assert.equal(await runOn(df, checkpoint, idle), "CHECKPOINT_CORRUPT");
  });

  it("commits/ deleted after several batches: CHECKPOINT_CORRUPT", async () => {
    const { checkpoint, df } = await fileCheckpoint();
    assert.equal(await runOn(df, checkpoint, hasBatch), undefined); // batch 1 reads b.json
    rmSync(path.join(checkpoint, "commits"), { recursive: true });
    assert.equal(await runOn(df, checkpoint, idle), "CHECKPOINT_CORRUPT");
  });

  it("sources/ deleted: CHECKPOINT_CORRUPT, for a file query and for a rate query", async () => {
    const { checkpoint, df } = await fileCheckpoint();
    rmSync(path.join(checkpoint, "sources"), { recursive: true });
    assert.equal(await runOn(df, checkpoint, idle), "CHECKPOINT_CORRUPT");
    const rateCkpt = await rateCheckpoint();
    rmSync(path.join(rateCkpt, "sources"), { recursive: true });
    assert.equal(await runOn(rate(), rateCkpt, hasBatch), "CHECKPOINT_CORRUPT");
  });

  it("a rate query's checkpoint used by a file query, and the reverse: CHECKPOINT_FOREIGN", async () => {
    const { checkpoint, df } = await fileCheckpoint();
    assert.equal(await runOn(rate(), checkpoint, hasBatch), "CHECKPOINT_FOREIGN");
    const rateCkpt = await rateCheckpoint();
    assert.equal(await runOn(df, rateCkpt, hasBatch), "CHECKPOINT_FOREIGN");
  });

  it("the same, on checkpoints whose metadata is Spark's (id only): the offsets' form gives CHECKPOINT_CORRUPT", async () => {
    const sparkMetadata = (c: string): void => writeFileSync(path.join(c, "metadata"), JSON.stringify({ id: JSON.parse(readFileSync(path.join(c, "metadata"), "utf8")).id }) + "\n");
    const { checkpoint, df } = await fileCheckpoint();
    sparkMetadata(checkpoint);
    assert.equal(await runOn(rate(), checkpoint, hasBatch), "CHECKPOINT_CORRUPT");
    const rateCkpt = await rateCheckpoint();
    sparkMetadata(rateCkpt);
    assert.equal(await runOn(df, rateCkpt, hasBatch), "CHECKPOINT_CORRUPT");
  });
});
