/** Timestamps in rows: a `Date` subclass that carries the exact microseconds, in and out of Sluice. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { F, MemoryStream, SluiceError, T, Timestamp } from "../../src/index.js";
import { testSession } from "../support/session.js";

describe("Timestamp", () => {
  const spark = testSession();

  it("is a Date whose own time is the floor of its microseconds, and prints them", () => {
    const t = new Timestamp(1_704_450_600_123_456);
    assert.ok(t instanceof Date);
    assert.ok(new T.Timestamp(0) instanceof Timestamp);
    assert.equal(t.epochMicros, 1_704_450_600_123_456);
    assert.equal(t.getTime(), 1_704_450_600_123);
    assert.equal(t.toISOString(), "2024-01-05T10:30:00.123456Z");
    assert.equal(String(t), "2024-01-05T10:30:00.123456Z");
    assert.equal(JSON.stringify({ t }), '{"t":"2024-01-05T10:30:00.123456Z"}');
    const before = Timestamp.fromEpochMicros(-1);
    assert.equal(before.getTime(), -1);
    assert.equal(before.toISOString(), "1969-12-31T23:59:59.999999Z");
    assert.equal(new Timestamp(1_000).toISOString(), new Date(1).toISOString());
  });

  it("follows its Date when a setter changes it", () => {
    const t = new Timestamp(1_704_450_600_123_456);
    t.setTime(5);
    assert.equal(t.epochMicros, 5_000);
  });

  it("keeps microseconds through createDataFrame and collect, from Timestamps and from text", async () => {
    const df = spark.createDataFrame([
      { ts: new Timestamp(1_704_450_600_123_456), ntz: new Timestamp(-1) },
      { ts: "2024-01-05T10:30:00.654321Z", ntz: "1969-12-31 23:59:59.999999" },
      { ts: new Date(1_704_450_600_123), ntz: null },
    ], "ts TIMESTAMP, ntz TIMESTAMP_NTZ");
    const rows = await df.collect();
    assert.ok(rows.every((r) => r["ts"] instanceof Timestamp));
    assert.deepEqual(rows.map((r) => (r["ts"] as Timestamp).epochMicros), [1_704_450_600_123_456, 1_704_450_600_654_321, 1_704_450_600_123_000]);
    assert.deepEqual(rows.map((r) => (r["ntz"] as Timestamp | null)?.epochMicros ?? null), [-1, -1, null]);
    const [formatted] = await df.selectExpr("CAST(ts AS STRING) AS s").collect();
    assert.equal(formatted!["s"], "2024-01-05 10:30:00.123456");
  });

  it("keeps microseconds in F.lit", async () => {
    const [row] = await spark.createDataFrame([{ x: 1 }]).select(F.lit(new Timestamp(1_704_450_600_123_457)).alias("t")).collect();
    assert.equal((row!["t"] as Timestamp).epochMicros, 1_704_450_600_123_457);
  });

  it("keeps microseconds through a MemoryStream and the memory sink", async () => {
    const input = MemoryStream.create(spark, "ts TIMESTAMP");
    const q = await input.toDF().writeStream.format("memory").queryName("timestamp_micros_q").outputMode("append").start();
    try {
      input.addData([{ ts: new Timestamp(1_704_450_600_000_001) }, { ts: "2024-01-05T10:30:00.000002Z" }]);
      await q.processAllAvailable();
      const rows = await spark.sql("SELECT ts FROM timestamp_micros_q").collect();
      assert.deepEqual(rows.map((r) => (r["ts"] as Timestamp).epochMicros).sort(), [1_704_450_600_000_001, 1_704_450_600_000_002]);
    } finally {
      await q.stop();
    }
  });

  it("keeps its microseconds in a stateful processor's state across restarts", async () => {
    const { decodeState, encodeState } = await import("../../src/state/state-codec.js");
    const back = decodeState(encodeState({ seen: new Timestamp(1_704_450_600_123_457), at: new Date(5) })) as { seen: Timestamp; at: Date };
    assert.ok(back.seen instanceof Timestamp);
    assert.equal(back.seen.epochMicros, 1_704_450_600_123_457);
    assert.ok(!(back.at instanceof Timestamp) && back.at.getTime() === 5);
  });

  it("refuses an invalid Date or text instead of storing an invalid timestamp", () => {
    for (const bad of [new Date(Number.NaN), "not a time"]) {
      assert.throws(() => spark.createDataFrame([{ ts: bad }], "ts TIMESTAMP"), (e: unknown) => e instanceof SluiceError && e.code === "CAST_INVALID_INPUT");
    }
  });
});
