import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { F, MemoryStream, type Row } from "../../src/index.js";
import { testSession } from "../support/session.js";
import { StreamTest } from "../support/stream-test.js";

const hhmm = (d: unknown): string => (d as Date).toISOString().slice(11, 16);
const sessions = (rows: readonly Row[], key?: string): unknown[][] =>
  rows.map((r) => {
    const w = r["session_window"] as { start: Date; end: Date };
    return [...(key ? [r[key]] : []), hhmm(w.start), hhmm(w.end), ...Object.entries(r).filter(([k]) => k !== "session_window" && k !== key).map(([, v]) => v)];
  }).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

describe("session windows", () => {
  const spark = testSession();
  // The same data and queries in PySpark 4.3 give the expected rows below.
  const df = spark.createDataFrame([
    ["a", "2024-01-01 10:00:00", 1], ["a", "2024-01-01 10:05:00", 2], ["a", "2024-01-01 10:15:00", 3], ["a", "2024-01-01 10:40:00", 4],
    ["b", "2024-01-01 10:01:00", 5], [null, "2024-01-01 10:02:00", 6], ["a", null, 7],
  ], "k STRING, t STRING, v INT").withColumn("ts", F.toTimestamp("t"));

  it("merges events less than a gap apart (a start at the previous end joins it), as Spark", async () => {
    const r = df.groupBy("k", F.sessionWindow("ts", "10 minutes")).agg(F.sum("v").alias("s"), F.count("*").alias("n"));
    assert.deepEqual(r.columns, ["k", "session_window", "s", "n"]);
    assert.equal(r.schema.fields[1]!.nullable, false);
    assert.deepEqual(sessions(await r.collect(), "k"), [["a", "10:00", "10:25", 6, 3], ["a", "10:40", "10:50", 4, 1], ["b", "10:01", "10:11", 5, 1], [null, "10:02", "10:12", 6, 1]]);
  });

  it("takes the gap from an expression per row", async () => {
    const gap = F.when(F.col("k").eq("b"), "30 minutes").otherwise("10 minutes");
    const r = df.groupBy(F.sessionWindow("ts", gap)).agg(F.sum("v").alias("s"));
    assert.deepEqual(sessions(await r.collect()), [["10:00", "10:31", 17], ["10:40", "10:50", 4]]);
  });

  it("keeps open sessions in state and emits them once closed by the watermark (append mode), across a restart", async () => {
    const input = MemoryStream.create(spark, "user STRING, ts TIMESTAMP");
    const at = (s: string): Date => new Date(`2024-01-01T${s}:00Z`);
    const q = input.toDF().withWatermark("ts", "5 minutes").groupBy("user", F.sessionWindow("ts", "10 minutes")).count();
    const t = new StreamTest(spark, q, (w) => w.outputMode("append"));
    await t.start();
    input.addData([{ user: "u", ts: at("10:00") }, { user: "u", ts: at("10:08") }]);
    await t.processAllAvailable();
    await t.stop();
    input.addData([{ user: "u", ts: at("10:15") }, { user: "v", ts: at("10:20") }]); // extends u's session to 10:25
    await t.start();
    await t.processAllAvailable();
    assert.deepEqual(t.delivered, []); // watermark 10:15: nothing closed yet
    input.addData([{ user: "w", ts: at("11:00") }]); // watermark -> 10:55 closes u and v
    await t.processAllAvailable();
    await t.stop();
    assert.deepEqual(sessions(t.delivered, "user"), [["u", "10:00", "10:25", 3], ["v", "10:20", "10:30", 1]]);
  });
});
