import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { F } from "../../src/index.js";
import { simpleString } from "../../src/types/data-type.js";
import { createTopic, deleteTopic, kafkaBootstrap, kafkaSaslBootstrap, produce } from "../support/kafka.js";
import { testSession } from "../support/session.js";
import { StreamTest } from "../support/stream-test.js";

describe("Kafka source against a real broker", () => {
  const spark = testSession();
  const kafka = (extra: Record<string, string>) => {
    let r = spark.readStream.format("kafka").option("kafka.bootstrap.servers", kafkaBootstrap());
    for (const [k, v] of Object.entries(extra)) r = r.option(k, v);
    return r.load();
  };
  const values = (df: ReturnType<typeof kafka>) => df.select(F.col("value").cast("string").alias("v"), "partition", "offset");

  it("reads from earliest with Spark's row schema, exactly once across a restart from the checkpoint", async () => {
    const topic = await createTopic("src", 2);
    await produce(topic, [0, 1, 2, 3].map((i) => ({ key: `k${i}`, value: `v${i}`, partition: i % 2 })));
    const df = kafka({ subscribe: topic, startingOffsets: "earliest" });
    assert.equal(simpleString(df.schema), "struct<key:binary,value:binary,topic:string,partition:int,offset:bigint,timestamp:timestamp,timestampType:int>");
    const t = new StreamTest(spark, df.select(F.col("key").cast("string").alias("k"), F.col("value").cast("string").alias("v"), "topic", "partition", "offset", "timestampType"));
    await t.start();
    await t.checkAnswer([0, 1, 2, 3].map((i) => ({ k: `k${i}`, v: `v${i}`, topic, partition: i % 2, offset: Math.floor(i / 2), timestampType: 0 })));
    await t.stop();
    await produce(topic, [{ key: "k4", value: "v4", partition: 1 }]);
    await t.start();
    await t.checkAnswer([0, 1, 2, 3, 4].map((i) => ({ k: `k${i}`, v: `v${i}`, topic, partition: i === 4 ? 1 : i % 2, offset: i === 4 ? 2 : Math.floor(i / 2), timestampType: 0 })));
    await t.stop();
    await deleteTopic(topic);
  });

  it("starts at latest by default, or at per-partition offsets (-2 earliest, -1 latest)", async () => {
    const topic = await createTopic("start", 2);
    await produce(topic, [{ value: "old0", partition: 0 }, { value: "old1", partition: 1 }, { value: "old2", partition: 1 }]);
    const latest = new StreamTest(spark, values(kafka({ subscribe: topic })));
    await latest.start();
    await latest.processAllAvailable();
    await produce(topic, [{ value: "new", partition: 0 }]);
    await latest.checkAnswer([{ v: "new", partition: 0, offset: 1 }]);
    await latest.stop();
    const specific = new StreamTest(spark, values(kafka({ subscribe: topic, startingOffsets: JSON.stringify({ [topic]: { "0": -1, "1": 1 } }) })));
    await specific.start();
    await specific.checkAnswer([{ v: "old2", partition: 1, offset: 1 }]);
    await specific.stop();
    await deleteTopic(topic);
  });

  it("honours maxOffsetsPerTrigger, split across partitions by what each has (Spark's rounding)", async () => {
    const topic = await createTopic("limit", 2);
    await produce(topic, Array.from({ length: 30 }, (_, i) => ({ value: `m${i}`, partition: i < 20 ? 0 : 1 })));
    const t = new StreamTest(spark, values(kafka({ subscribe: topic, startingOffsets: "earliest", maxOffsetsPerTrigger: "10" })));
    await t.start();
    await t.processAllAvailable();
    const q = t.current;
    const sizes = q.recentProgress.filter((p) => p.numInputRows > 0).map((p) => p.numInputRows);
    // Spark prorates the limit by each partition's share and rounds down: 6 + 3, three times, then the last 3.
    assert.deepEqual(sizes, [9, 9, 9, 3]);
    const first = q.recentProgress.find((p) => p.numInputRows > 0)!;
    assert.deepEqual(first.sources[0]!.endOffset, { [topic]: { "0": 6, "1": 3 } }); // 10 x 20/30 = 6.67 -> 6, 10 x 10/30 -> 3
    assert.equal(t.delivered.length, 30);
    await t.stop();
    await deleteTopic(topic);
  });

  it("assign and subscribePattern pick their partitions; includeHeaders adds headers", async () => {
    const a = await createTopic("pat-a", 2), b = await createTopic("pat-b", 1);
    await produce(a, [{ value: "a0", partition: 0, headers: { h: "x" } }, { value: "a1", partition: 1 }]);
    await produce(b, [{ value: "b0" }]);
    const assigned = new StreamTest(spark, values(kafka({ assign: JSON.stringify({ [a]: [1] }), startingOffsets: "earliest" })));
    await assigned.start();
    await assigned.checkAnswer([{ v: "a1", partition: 1, offset: 0 }]);
    await assigned.stop();
    const pattern = new StreamTest(spark, kafka({ subscribePattern: `pat-[ab]-${process.pid}-.*`, startingOffsets: "earliest", includeHeaders: "true" })
      .select(F.col("value").cast("string").alias("v"), F.col("headers")));
    await pattern.start();
    await pattern.processAllAvailable();
    assert.deepEqual(pattern.delivered.map((r) => r["v"]).sort(), ["a0", "a1", "b0"]);
    const a0 = pattern.delivered.find((r) => r["v"] === "a0")!;
    assert.deepEqual((a0["headers"] as { key: string; value: Uint8Array }[]).map((h) => [h.key, Buffer.from(h.value).toString()]), [["h", "x"]]);
    await pattern.stop();
    await deleteTopic(a); await deleteTopic(b);
  });

  it("batch reads between startingOffsets and endingOffsets", async () => {
    const topic = await createTopic("batch", 2);
    await produce(topic, [0, 1, 2, 3, 4].map((i) => ({ value: `b${i}`, partition: i % 2 })));
    const read = (extra: Record<string, string>) => {
      let r = spark.read.format("kafka").option("kafka.bootstrap.servers", kafkaBootstrap()).option("subscribe", topic);
      for (const [k, v] of Object.entries(extra)) r = r.option(k, v);
      return r.load().select(F.col("value").cast("string").alias("v"), "partition", "offset").collect();
    };
    const all = await read({});
    assert.deepEqual(all.map((r) => r["v"]).sort(), ["b0", "b1", "b2", "b3", "b4"]);
    const some = await read({ startingOffsets: JSON.stringify({ [topic]: { "0": 1, "1": -2 } }), endingOffsets: JSON.stringify({ [topic]: { "0": 2, "1": -1 } }) });
    assert.deepEqual(some.map((r) => r["v"]).sort(), ["b1", "b2", "b3"]);
    assert.throws(() => spark.read.format("kafka").option("kafka.bootstrap.servers", kafkaBootstrap()).option("subscribe", topic).option("startingOffsets", "latest").load(), { message: /starting offset can't be latest for batch queries/ });
    assert.throws(() => spark.read.format("kafka").option("kafka.bootstrap.servers", kafkaBootstrap()).option("subscribe", topic).option("endingOffsets", "earliest").load(), { message: /ending offset can't be earliest/ });
    await deleteTopic(topic);
  });

  it("minOffsetsPerTrigger waits for enough records, at most maxTriggerDelay", async () => {
    const topic = await createTopic("min", 1);
    await produce(topic, [{ value: "a" }]);
    const t = new StreamTest(spark, values(kafka({ subscribe: topic, startingOffsets: "earliest", minOffsetsPerTrigger: "3", maxTriggerDelay: "1500ms" })));
    await t.start();
    await t.processAllAvailable(); // the first batch always runs
    assert.equal(t.delivered.length, 1);
    await produce(topic, [{ value: "b" }, { value: "c" }]);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(t.delivered.length, 1, "2 records < minOffsetsPerTrigger: no batch yet");
    await produce(topic, [{ value: "d" }]);
    for (let i = 0; i < 40 && t.delivered.length < 4; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(t.delivered.length, 4, "3 records: the batch runs");
    await produce(topic, [{ value: "e" }]);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(t.delivered.length, 4);
    for (let i = 0; i < 80 && t.delivered.length < 5; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(t.delivered.length, 5, "after maxTriggerDelay one record is enough");
    await t.stop();
    assert.throws(() => kafka({ subscribe: topic, minOffsetsPerTrigger: "10", maxOffsetsPerTrigger: "5" }), { message: /higher than the maxOffsetsPerTrigger/ });
    await deleteTopic(topic);
  });

  it("startingTimestamp / startingOffsetsByTimestamp start at the first record at or after a time", async () => {
    const topic = await createTopic("time", 2);
    await produce(topic, [{ value: "old0", partition: 0 }, { value: "old1", partition: 1 }]);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, 50));
    await produce(topic, [{ value: "new0", partition: 0 }, { value: "new1", partition: 1 }]);
    const all = new StreamTest(spark, values(kafka({ subscribe: topic, startingTimestamp: String(t0) })));
    await all.start();
    await all.checkAnswer([{ v: "new0", partition: 0, offset: 1 }, { v: "new1", partition: 1, offset: 1 }]);
    await all.stop();
    const per = new StreamTest(spark, values(kafka({ subscribe: topic, startingOffsetsByTimestamp: JSON.stringify({ [topic]: { "0": 0, "1": t0 } }) })));
    await per.start();
    await per.checkAnswer([{ v: "old0", partition: 0, offset: 0 }, { v: "new0", partition: 0, offset: 1 }, { v: "new1", partition: 1, offset: 1 }]);
    await per.stop();
    const future = String(Date.now() + 3_600_000);
    await assert.rejects(values(kafka({ subscribe: topic, startingTimestamp: future })).writeStream.format("memory").queryName("future_ts").start(), { message: /No offset matched from request of topic-partition/ });
    const latest = new StreamTest(spark, values(kafka({ subscribe: topic, startingTimestamp: future, startingOffsetsByTimestampStrategy: "latest" })));
    await latest.start();
    await latest.checkAnswer([]);
    await latest.stop();
    await deleteTopic(topic);
  });

  it("progressGroupId publishes each committed batch's offsets to a consumer group, for lag monitoring", async () => {
    const topic = await createTopic("lag", 2);
    await produce(topic, [0, 1, 2, 3, 4].map((i) => ({ value: `v${i}`, partition: i % 2 })));
    const group = `sluice-lag-${topic}`;
    const t = new StreamTest(spark, values(kafka({ subscribe: topic, startingOffsets: "earliest", progressGroupId: group })));
    await t.start();
    await t.processAllAvailable();
    await t.stop();
    const { Admin } = await import("@platformatic/kafka");
    const admin = new Admin({ clientId: "sluice-tests", bootstrapBrokers: [kafkaBootstrap()] });
    const groups = await admin.listConsumerGroupOffsets({ groups: [group] });
    await admin.close();
    const committed = groups[0]!.topics.find((x) => x.name === topic)!.partitions.map((p) => [p.partitionIndex, Number(p.committedOffset)]).sort();
    assert.deepEqual(committed, [[0, 3], [1, 2]]);
    await deleteTopic(topic);
  });

  it("the seed's trades example: JSON trades from Kafka, 15-minute windows, 30-minute watermark, append mode", async () => {
    const topic = await createTopic("trades", 2);
    const at = (min: number): string => new Date(Date.UTC(2026, 0, 5, 9, 0) + min * 60_000).toISOString();
    const trade = (symbol: string, price: number, volume: number, min: number) => ({ value: JSON.stringify({ symbol, price, volume, ts: at(min) }), key: symbol });
    const trades = kafka({ subscribe: topic, startingOffsets: "earliest" })
      .select(F.fromJson(F.col("value").cast("string"), "symbol STRING, price DOUBLE, volume LONG, ts TIMESTAMP").alias("t")).select("t.*")
      .withWatermark("ts", "30 minutes")
      .groupBy(F.window("ts", "15 minutes"), "symbol")
      .agg(F.sum("volume").alias("volume"), F.round(F.avg("price"), 2).alias("avg_price"), F.count("*").alias("trades"));
    const t = new StreamTest(spark, trades.select(F.col("window.start").cast("string").alias("start"), "symbol", "volume", "avg_price", "trades"), (w) => w.outputMode("append"));
    await t.start();
    await produce(topic, [trade("ACME", 10, 100, 1), trade("ACME", 12, 50, 14), trade("INIT", 5, 10, 3)]);
    await t.processAllAvailable();
    assert.deepEqual(t.delivered, [], "no window is final before the watermark passes its end");
    // 9:50 moves the watermark to 9:20: the 9:00-9:15 windows are final; a late 9:02 trade after that is dropped.
    await produce(topic, [trade("ACME", 11, 70, 50)]);
    await t.processAllAvailable();
    await produce(topic, [trade("ACME", 99, 1, 2)]);
    await t.processAllAvailable();
    assert.deepEqual(t.delivered.map((r) => [r["start"], r["symbol"], r["volume"], r["avg_price"], r["trades"]]).sort(),
      [["2026-01-05 09:00:00", "ACME", 150, 11, 2], ["2026-01-05 09:00:00", "INIT", 10, 5, 1]]);
    const dropped = t.current.recentProgress.reduce((s, p) => s + (p.stateOperators[0]?.numRowsDroppedByWatermark ?? 0), 0);
    assert.equal(dropped, 1);
    await t.stop();
    await deleteTopic(topic);
  });

  it("passes kafka.* security settings to the client: SASL/PLAIN with a JAAS config, secrets never shown", async () => {
    const topic = await createTopic("sasl", 1);
    await produce(topic, [{ value: "secured" }]);
    const sasl = (password: string) => ({
      subscribe: topic, startingOffsets: "earliest", "kafka.security.protocol": "SASL_PLAINTEXT", "kafka.sasl.mechanism": "PLAIN",
      "kafka.sasl.jaas.config": `org.apache.kafka.common.security.plain.PlainLoginModule required username="sluice" password="${password}";`,
    });
    const viaSasl = (extra: Record<string, string>) => {
      let r = spark.readStream.format("kafka").option("kafka.bootstrap.servers", kafkaSaslBootstrap());
      for (const [k, v] of Object.entries(extra)) r = r.option(k, v);
      return r.load().select(F.col("value").cast("string").alias("v"));
    };
    const t = new StreamTest(spark, viaSasl(sasl("sluice-secret")));
    await t.start();
    await t.checkAnswer([{ v: "secured" }]);
    const shown = JSON.stringify(t.current.recentProgress) + t.current.explain();
    assert.doesNotMatch(shown, /sluice-secret/);
    await t.stop();
    // A wrong password fails the query (authentication), naming no secret.
    const bad = new StreamTest(spark, viaSasl({ ...sasl("wrong-password"), "kafka.retries": "1", "kafka.retry.backoff.ms": "100" }));
    const e = await bad.start().then(async () => bad.expectFailure(), (err: unknown) => err as Error);
    assert.doesNotMatch(String((e as Error).message), /wrong-password/);
    await deleteTopic(topic);
  });

  it("rejects what Spark rejects, with Spark's messages", () => {
    assert.throws(() => kafka({}), { code: "INVALID_OPTION", message: /One of the following options must be specified for Kafka source: assign, subscribe, subscribePattern/ });
    assert.throws(() => kafka({ subscribe: "t", assign: "{\"t\":[0]}" }), { message: /Only one of the following options can be specified/ });
    assert.throws(() => kafka({ subscribe: "t", "kafka.auto.offset.reset": "earliest" }), { message: /Kafka option 'auto.offset.reset' is not supported. Instead set the source option 'startingoffsets'/ });
    assert.throws(() => kafka({ subscribe: "t", "kafka.group.id": "g" }), { message: /Kafka option 'group.id' is not supported/ });
    assert.throws(() => kafka({ subscribe: "t", "kafka.enable.auto.commit": "true" }), { message: /'enable.auto.commit' is not supported/ });
    assert.throws(() => kafka({ subscribe: "t", "kafka.value.deserializer": "x" }), { message: /values are deserialized as byte arrays/ });
    assert.throws(() => kafka({ subscribe: "t", startingOffsets: "{bad" }), { code: "INVALID_OPTION" });
    assert.throws(() => kafka({ subscribe: "t", maxOffsetsPerTrigger: "0" }), { code: "INVALID_OPTION" });
    assert.throws(() => kafka({ subscribe: "t", endingOffsets: "latest" }), { message: /Ending offset not valid in streaming queries/ });
    assert.throws(() => spark.readStream.format("kafka").option("subscribe", "t").load(), { message: /Option 'kafka.bootstrap.servers' must be specified/ });
  });

  it("failOnDataLoss: a deleted topic fails the query clearly; with false the query goes on", async () => {
    const run = async (failOnDataLoss: string): Promise<StreamTest> => {
      const topic = await createTopic("loss", 1);
      await produce(topic, [{ value: "x" }]);
      const t = new StreamTest(spark, values(kafka({ subscribe: topic, startingOffsets: "earliest", failOnDataLoss })));
      await t.start();
      await t.checkAnswer([{ v: "x", partition: 0, offset: 0 }]);
      await deleteTopic(topic);
      await new Promise((r) => setTimeout(r, 300));
      return t;
    };
    const strict = await run("true");
    const e = await strict.expectFailure();
    assert.equal((e.cause as { code?: string }).code, "KAFKA_DATA_LOSS", e.message);
    assert.match(e.message, /set the source option 'failOnDataLoss' to 'false'/);
    const lenient = await run("false");
    await lenient.processAllAvailable();
    assert.equal(lenient.current.isActive, true);
    await lenient.stop();
  });
});
