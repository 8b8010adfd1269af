/**
 * Exact values through stateful streaming: decimal and 64-bit keys and sums survive the state store (in memory and
 * LMDB), a restart from the checkpoint, and the worker-thread tasks, digit for digit.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { Decimal, F, MemoryStream } from "../../src/index.js";
import { testSession } from "../support/session.js";
import { StreamTest, tempDir } from "../support/stream-test.js";

const PROVIDERS = ["default", "lmdb"] as const;

describe("exact decimals and 64-bit integers in streaming state", () => {
  it("a file stream aggregated partially in worker tasks keeps decimals and longs exact", async () => {
    const spark = testSession();
    const dir = tempDir("sluice-exact-files-");
    for (let f = 0; f < 4; f++) {
      writeFileSync(path.join(dir, `${f}.json`), Array.from({ length: 50 }, (_, i) =>
        `{"k": "k${i % 3}", "amount": 12345678901234567890.${String(f * 50 + i).padStart(4, "0")}, "big": ${9007199254740993n + BigInt(i)}}`).join("\n") + "\n");
    }
    const df = spark.readStream.schema("k STRING, amount DECIMAL(38,4), big BIGINT").json(dir)
      .groupBy("k").agg(F.sum("amount").alias("total"), F.min("big").alias("lo"), F.count("*").alias("n"));
    const t = new StreamTest(spark, df, (w) => w.outputMode("complete").trigger({ availableNow: true }));
    await t.start();
    await t.current.awaitTermination();
    assert.match(t.current.explain(), /merging partial aggregates/); // the partial sums were made in worker tasks
    const final = new Map(t.delivered.map((r) => [r["k"], r]));
    // Expected by exact arithmetic: each key's rows i ≡ k (mod 3) in each of the 4 files.
    for (const k of [0, 1, 2]) {
      let total = 0n, n = 0;
      for (let f = 0; f < 4; f++) for (let i = k; i < 50; i += 3) { total += 123456789012345678900000n + BigInt(f * 50 + i); n++; }
      const r = final.get(`k${k}`)!;
      assert.equal(String(r["total"]), `${total / 10000n}.${String(total % 10000n).padStart(4, "0")}`);
      assert.equal(String(r["lo"]), String(9007199254740993n + BigInt(k)));
      assert.equal(r["n"], n);
    }
  });

  for (const provider of PROVIDERS) {
    it(`sums of DECIMAL(38,10) and BIGINT keep every digit across a restart (${provider} state store)`, async () => {
      const spark = testSession();
      if (provider === "lmdb") spark.conf.set("spark.sql.streaming.stateStore.providerClass", "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider");
      try {
      const input = MemoryStream.create(spark, "k DECIMAL(12,2), big BIGINT, amount DECIMAL(38,10)");
      const df = input.toDF().groupBy("k").agg(F.sum("amount").alias("total"), F.sum("big").alias("bigs"), F.max("big").alias("top"));
      const t = new StreamTest(spark, df, (w) => w.outputMode("complete"));
      await t.start();
      input.addData([
        { k: "0.10", big: 9007199254740993n, amount: "1234567890123456789012345678.0123456789" },
        { k: "0.1", big: 1n, amount: "0.0000000001" },
        { k: "2.00", big: -9223372036854775807n, amount: "-0.5" },
      ]);
      await t.processAllAvailable();
      await t.stop();
      input.addData([{ k: "0.10", big: 2n, amount: "0.0000000001" }, { k: "2", big: -1n, amount: "0.25" }]);
      await t.start();
      await t.processAllAvailable();
      await t.stop();
      const last = t.delivered.slice(-2).map((r) => [String(r["k"]), String(r["total"]), String(r["bigs"]), String(r["top"])]).sort();
      assert.deepEqual(last, [
        ["0.10", "1234567890123456789012345678.0123456791", "9007199254740996", "9007199254740993"],
        ["2.00", "-0.2500000000", "-9223372036854775808", "-1"],
      ]);
      assert.ok(t.delivered.every((r) => r["total"] instanceof Decimal && r["k"] instanceof Decimal));
      } finally {
        spark.conf.unset("spark.sql.streaming.stateStore.providerClass");
      }
    });
  }
});
