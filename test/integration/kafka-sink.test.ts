import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { F, MemoryStream } from "../../src/index.js";
import { createTopic, deleteTopic, kafkaBootstrap } from "../support/kafka.js";
import { testSession } from "../support/session.js";
import { tempDir } from "../support/stream-test.js";

describe("Kafka sink against a real broker", () => {
  const spark = testSession();
  const readBack = async (topic: string) => (await spark.read.format("kafka").option("kafka.bootstrap.servers", kafkaBootstrap()).option("subscribe", topic).option("includeHeaders", "true").load()
    .select(F.col("key").cast("string").alias("k"), F.col("value").cast("string").alias("v"), "partition", "headers").collect());

  it("writes value, key, partition and headers per row, to the topic option or the topic column, in every output mode", async () => {
    const a = await createTopic("sink-a", 2), b = await createTopic("sink-b", 1);
    const input = MemoryStream.create(spark, "id INT, name STRING");
    const rows = input.toDF().select(
      F.col("name").alias("key"), F.toJson(F.struct(F.col("id"), F.col("name"))).alias("value"), F.when(F.col("id").mod(2).eq(0), a).otherwise(b).alias("topic"),
      F.when(F.col("id").mod(2).eq(0), F.col("id").mod(4).divide(2).cast("int")).alias("partition"),
      F.array(F.struct(F.lit("source").alias("key"), F.lit("test").cast("binary").alias("value"))).alias("headers"));
    const q = await rows.writeStream.format("kafka").option("kafka.bootstrap.servers", kafkaBootstrap()).option("checkpointLocation", tempDir()).start();
    input.addData([{ id: 0, name: "zero" }, { id: 1, name: "one" }, { id: 2, name: "two" }]);
    await q.processAllAvailable();
    input.addData([{ id: 3, name: "three" }]);
    await q.processAllAvailable();
    await q.stop();
    const inA = await readBack(a), inB = await readBack(b);
    assert.deepEqual(inA.map((r) => [r["k"], r["v"], r["partition"]]).sort(), [["two", "{\"id\":2,\"name\":\"two\"}", 1], ["zero", "{\"id\":0,\"name\":\"zero\"}", 0]]);
    assert.deepEqual(inB.map((r) => r["k"]).sort(), ["one", "three"]);
    assert.deepEqual((inB[0]!["headers"] as { key: string; value: Uint8Array }[]).map((h) => [h.key, Buffer.from(h.value).toString()]), [["source", "test"]]);
    // The topic option overrides the column; complete mode rewrites the whole result each trigger (at least once).
    const counts = MemoryStream.create(spark, "w STRING");
    const c = await counts.toDF().groupBy("w").count().select(F.col("w").alias("key"), F.col("count").cast("string").alias("value"), F.lit("ignored").alias("topic"))
      .writeStream.outputMode("complete").format("kafka").option("kafka.bootstrap.servers", kafkaBootstrap()).option("topic", b).option("checkpointLocation", tempDir()).start();
    counts.addData(["x", "y", "x"]);
    await c.processAllAvailable();
    await c.stop();
    assert.deepEqual((await readBack(b)).map((r) => [r["k"], r["v"]]).filter(([k]) => k === "x" || k === "y").sort(), [["x", "2"], ["y", "1"]]);
    await deleteTopic(a); await deleteTopic(b);
  });

  it("transactional mode: exactly once per batch for read_committed consumers, also when a batch is re-run", async () => {
    const { KafkaSink, kafkaSinkOptions } = await import("../../src/sinks/kafka-sink.js");
    const { RecordBatch } = await import("../../src/columnar/record-batch.js");
    const topic = await createTopic("txn", 1);
    const schema = spark.createDataFrame([{ value: "x" }], "value STRING").schema;
    const batch = (values: string[]) => [[RecordBatch.fromRows(schema, values.map((v) => [v]))]];
    const options = { "kafka.bootstrap.servers": kafkaBootstrap(), topic, transactional: "true", transactionMarkerTopic: `${topic}-commits` };
    const queryId = `q-${topic}`;
    const first = new KafkaSink(kafkaSinkOptions(options, schema), queryId);
    await first.addBatch(0, batch(["a", "b"]), schema);
    await first.addBatch(1, batch(["c"]), schema);
    await first.stop();
    // The query crashed after batch 1's transaction committed but before its commit log entry: batch 1 runs again.
    const restarted = new KafkaSink(kafkaSinkOptions(options, schema), queryId);
    await restarted.addBatch(1, batch(["c"]), schema);
    await restarted.addBatch(2, batch(["d"]), schema);
    await restarted.stop();
    // An aborted transaction: read_committed readers never see it, read_uncommitted ones do (Kafka's semantics).
    const { Producer } = await import("@platformatic/kafka");
    const zombie = new Producer({ clientId: "zombie", bootstrapBrokers: [kafkaBootstrap()], idempotent: true, transactionalId: `zombie-${topic}` });
    const txn = await zombie.beginTransaction();
    await txn.send({ messages: [{ topic, value: Buffer.from("aborted") }] });
    await txn.abort();
    await zombie.close();
    const read = async (isolation: string) => (await spark.read.format("kafka").option("kafka.bootstrap.servers", kafkaBootstrap()).option("subscribe", topic)
      .option("kafka.isolation.level", isolation).load().select(F.col("value").cast("string").alias("v")).collect()).map((r) => r["v"]);
    assert.deepEqual(await read("read_committed"), ["a", "b", "c", "d"]);
    assert.deepEqual(await read("read_uncommitted"), ["a", "b", "c", "d", "aborted"]);
    await deleteTopic(topic); await deleteTopic(`${topic}-commits`);
  });

  it("rejects what Spark's KafkaWriter rejects", async () => {
    const df = MemoryStream.create(spark, "value STRING, n INT").toDF();
    const start = (d: typeof df, extra: Record<string, string>) => {
      let w = d.writeStream.format("kafka").option("checkpointLocation", tempDir());
      for (const [k, v] of Object.entries(extra)) w = w.option(k, v);
      return w.start();
    };
    const servers = { "kafka.bootstrap.servers": kafkaBootstrap() };
    await assert.rejects(start(df, servers), { message: /topic option required when no 'topic' attribute is present/ });
    await assert.rejects(start(df.select("n"), { ...servers, topic: "t" }), { message: /Required attribute 'value' not found/ });
    await assert.rejects(start(df.select(F.col("n").alias("value")), { ...servers, topic: "t" }), { message: /value attribute type must be a StringType or BinaryType/ });
    await assert.rejects(start(df.select("value", F.col("value").alias("partition")), { ...servers, topic: "t" }), { message: /partition attribute type must be an IntegerType/ });
    await assert.rejects(start(df, { topic: "t" }), { message: /Option 'kafka.bootstrap.servers' must be specified for configuring Kafka producer/ });
    await assert.rejects(start(df, { ...servers, topic: "t", "kafka.value.serializer": "x" }), { message: /'value.serializer' is not supported/ });
  });
});
