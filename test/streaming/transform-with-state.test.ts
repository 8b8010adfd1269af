import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  MemoryStream, type ListState, type MapState, type Row, type StatefulProcessor, type StatefulProcessorHandle, type TimerValues, type ValueState,
} from "../../src/index.js";
import { testSession } from "../support/session.js";
import { StreamTest, assertRows } from "../support/stream-test.js";

/** Counts events per user, remembers the last three pages and page counts, and reports idle users by event-time timer. */
class Activity implements StatefulProcessor {
  private count!: ValueState<number>;
  private recent!: ListState<string>;
  private pages!: MapState<string, number>;
  private handle!: StatefulProcessorHandle;
  init(handle: StatefulProcessorHandle): void {
    this.handle = handle;
    this.count = handle.getValueState<number>("count");
    this.recent = handle.getListState<string>("recent");
    this.pages = handle.getMapState<string, number>("pages");
  }
  *handleInputRows(key: Row, rows: Iterable<Row>): Iterable<Row> {
    let n = this.count.get() ?? 0;
    let latest = 0;
    for (const r of rows) {
      n++;
      const page = r["page"] as string;
      this.pages.updateValue(page, (this.pages.getValue(page) ?? 0) + 1);
      this.recent.put([...this.recent.get(), page].slice(-3));
      latest = Math.max(latest, (r["ts"] as Date).getTime());
    }
    this.count.update(n);
    for (const t of this.handle.listTimers()) this.handle.deleteTimer(t);
    this.handle.registerTimer(latest + 10 * 60_000); // idle after 10 minutes of event time
    yield { user: key["user"], event: "seen", n, recent: this.recent.get().join(","), top: [...this.pages.iterator()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0] };
  }
  *handleExpiredTimer(key: Row, timers: TimerValues): Iterable<Row> {
    yield { user: key["user"], event: `idle@${new Date(timers.getCurrentWatermarkInMs()).toISOString().slice(11, 16)}`, n: this.count.get() ?? 0, recent: "", top: "" };
    this.count.clear(); this.recent.clear(); this.pages.clear();
  }
}

describe("transformWithState", () => {
  const spark = testSession();
  const at = (s: string): Date => new Date(`2024-01-01T${s}:00Z`);

  it("keeps value, list and map state per key across batches and a restart, and fires event-time timers", async () => {
    const input = MemoryStream.create(spark, "user STRING, page STRING, ts TIMESTAMP");
    const df = input.toDF().withWatermark("ts", "1 minute").groupBy("user")
      .transformWithState(new Activity(), "user STRING, event STRING, n INT, recent STRING, top STRING", "update", "EventTime");
    const t = new StreamTest(spark, df, (w) => w.outputMode("update"));
    await t.start();
    input.addData([{ user: "u", page: "home", ts: at("10:00") }, { user: "u", page: "cart", ts: at("10:01") }, { user: "v", page: "home", ts: at("10:02") }]);
    await t.processAllAvailable();
    await t.stop();
    input.addData([{ user: "u", page: "home", ts: at("10:05") }, { user: "u", page: "pay", ts: at("10:06") }]);
    await t.start();
    await t.processAllAvailable();
    input.addData([{ user: "w", page: "home", ts: at("10:30") }]); // watermark -> 10:29: v (timer 10:12) and u (10:16) go idle
    await t.processAllAvailable();
    await t.stop();
    assertRows(t.delivered, [
      { user: "u", event: "seen", n: 2, recent: "home,cart", top: "cart" },
      { user: "v", event: "seen", n: 1, recent: "home", top: "home" },
      { user: "u", event: "seen", n: 4, recent: "cart,home,pay", top: "home" },
      { user: "w", event: "seen", n: 1, recent: "home", top: "home" },
      { user: "v", event: "idle@10:29", n: 1, recent: "", top: "" },
      { user: "u", event: "idle@10:29", n: 4, recent: "", top: "" },
    ]);
  });

  it("expires state by TTL in processing time", async () => {
    class Last implements StatefulProcessor {
      private last!: ValueState<string>;
      init(h: StatefulProcessorHandle): void { this.last = h.getValueState<string>("last", { ttlDurationMs: 50 }); }
      *handleInputRows(key: Row, rows: Iterable<Row>): Iterable<Row> {
        const previous = this.last.get() ?? "none";
        for (const r of rows) this.last.update(r["v"] as string);
        yield { k: key["k"], previous };
      }
    }
    const input = MemoryStream.create(spark, "k STRING, v STRING");
    const t = new StreamTest(spark, input.toDF().groupBy("k").transformWithState(new Last(), "k STRING, previous STRING", "append", "ProcessingTime"));
    await t.start();
    input.addData([{ k: "a", v: "1" }]);
    await t.processAllAvailable();
    input.addData([{ k: "a", v: "2" }]);
    await t.processAllAvailable();
    await new Promise((r) => setTimeout(r, 120));
    input.addData([{ k: "a", v: "3" }]);
    await t.processAllAvailable();
    await t.stop();
    assert.deepEqual(t.delivered, [{ k: "a", previous: "none" }, { k: "a", previous: "1" }, { k: "a", previous: "none" }]);
  });

  it("rejects complete mode", async () => {
    const input = MemoryStream.create(spark, "k STRING");
    const df = input.toDF().groupBy("k").transformWithState(new Activity(), "user STRING", "update");
    await assert.rejects(df.writeStream.outputMode("complete").format("memory").queryName("tws_complete").start(), { code: "STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION", params: { outputMode: "complete", operation: "no streaming aggregations" } });
    assert.throws(() => input.toDF().groupBy("k").transformWithState(new Activity(), "user STRING", "update", "later"), { code: "INVALID_OPTION" });
  });
});

describe("processing-time timers", () => {
  const spark = testSession();

  it("fire when due even without new data", async () => {
    class Reminder implements StatefulProcessor {
      private handle!: StatefulProcessorHandle;
      init(h: StatefulProcessorHandle): void { this.handle = h; }
      *handleInputRows(key: Row, _rows: Iterable<Row>, timers: TimerValues): Iterable<Row> {
        this.handle.registerTimer(timers.getCurrentProcessingTimeInMs() + 30);
        yield { k: key["k"], event: "seen" };
      }
      *handleExpiredTimer(key: Row): Iterable<Row> { yield { k: key["k"], event: "reminder" }; }
    }
    const input = MemoryStream.create(spark, "k STRING");
    const q = await input.toDF().groupBy("k").transformWithState(new Reminder(), "k STRING, event STRING", "append", "ProcessingTime")
      .writeStream.format("memory").queryName("reminders").start();
    input.addData(["a"]);
    const deadline = Date.now() + 5000;
    while ((await spark.table("reminders").count()) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await q.stop();
    assert.deepEqual((await spark.table("reminders").collect()).map((r) => r["event"]), ["seen", "reminder"]);
  });
});
