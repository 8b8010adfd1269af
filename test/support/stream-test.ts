/** A StreamTest-style harness: add data, process, check the answer, stop, restart from the checkpoint, check again. */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { DataFrame, Row, Session, StreamingQuery } from "../../src/index.js";
import type { DataStreamWriter } from "../../src/api/data-stream-writer.js";

export function tempDir(prefix = "sluice-test-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Rows as sorted JSON strings, so answers compare regardless of order. */
export function normalize(rows: readonly Row[]): string[] {
  return rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v instanceof Date ? v.toISOString() : v instanceof Map ? Object.fromEntries(v) : v))).sort();
}

export function assertRows(actual: readonly Row[], expected: readonly Row[], message?: string): void {
  if (message === undefined) assert.deepEqual(normalize(actual), normalize(expected));
  else assert.deepEqual(normalize(actual), normalize(expected), message);
}

/**
 * Runs a streaming DataFrame into a memory sink with a checkpoint, so a test can stop and restart it.
 *
 * @example
 * const t = new StreamTest(spark, df); await t.start(); input.addData([1]); await t.checkAnswer([{ value: 1 }]);
 */
export class StreamTest {
  readonly checkpoint = tempDir("sluice-ckpt-");
  private query: StreamingQuery | undefined;
  /** Rows from every batch seen so far, across restarts (what a downstream consumer has received). */
  readonly delivered: Row[] = [];
  readonly batchIds: number[] = [];

  constructor(readonly spark: Session, readonly df: DataFrame, readonly configure: (w: DataStreamWriter) => DataStreamWriter = (w) => w) {}

  get current(): StreamingQuery {
    assert.ok(this.query, "the stream is not started");
    return this.query;
  }

  async start(): Promise<StreamingQuery> {
    this.query = await this.configure(this.df.writeStream)
      .option("checkpointLocation", this.checkpoint)
      .foreachBatch(async (batch, id) => {
        this.batchIds.push(id);
        this.delivered.push(...(await batch.collect()));
      })
      .start();
    return this.query;
  }

  async processAllAvailable(): Promise<void> { await this.current.processAllAvailable(); }

  /** Processes what is available, then checks every row delivered since the query first started. */
  async checkAnswer(expected: readonly Row[]): Promise<void> {
    await this.processAllAvailable();
    assertRows(this.delivered, expected);
  }

  async stop(): Promise<void> {
    await this.current.stop();
  }

  /** Waits for the query to fail and returns its exception. */
  async expectFailure(): Promise<Error> {
    await assert.rejects(this.current.awaitTermination());
    const e = this.current.exception();
    assert.ok(e, "the query should have failed");
    return e;
  }
}
