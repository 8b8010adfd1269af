import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Producer } from "@platformatic/kafka";
import { F } from "../../src/index.js";
import { KafkaSink, kafkaSinkOptions } from "../../src/sinks/kafka-sink.js";
import { RecordBatch } from "../../src/columnar/record-batch.js";
import { createTopic, deleteTopic, kafkaBootstrap, produce } from "../support/kafka.js";
import { runPython } from "../support/python.js";
import { testSession } from "../support/session.js";

/**
 * Transactions written by confluent-kafka (librdkafka, an independent client): one transactional producer per entry of
 * `producers`, their transactions interleaved round-robin; each transaction is [commit?, values]. Prints what
 * confluent-kafka's own read_committed consumer reads back.
 */
function produceTransactions(topic: string, producers: readonly (readonly [boolean, readonly string[]])[][]): string[] {
  return runPython(`
import json
from confluent_kafka import Producer, Consumer, TopicPartition
bootstrap, topic = ${JSON.stringify(kafkaBootstrap())}, ${JSON.stringify(topic)}
plans = json.loads(${JSON.stringify(JSON.stringify(producers))})
producers = []
for i in range(len(plans)):
    p = Producer({"bootstrap.servers": bootstrap, "transactional.id": f"{topic}-tx{i}"})
    p.init_transactions(30)
    producers.append(p)
for step in range(max(len(plan) for plan in plans)):
    for p, plan in zip(producers, plans):
        if step >= len(plan): continue
        commit, values = plan[step]
        p.begin_transaction()
        for v in values: p.produce(topic, value=v.encode(), partition=0)
        p.flush(30)
        if commit: p.commit_transaction(30)
        else: p.abort_transaction(30)
c = Consumer({"bootstrap.servers": bootstrap, "group.id": topic + "-check", "isolation.level": "read_committed", "enable.auto.commit": False})
c.assign([TopicPartition(topic, 0, 0)])
got, idle = [], 0
while idle < 5:
    m = c.poll(0.5)
    if m is None: idle += 1; continue
    if m.error(): continue
    got.append(m.value().decode())
c.close()
print(json.dumps(got))
`) as string[];
}

describe("Kafka transactions against a real broker", () => {
  const spark = testSession();
  const read = async (topic: string, isolation: string) => (await spark.read.format("kafka").option("kafka.bootstrap.servers", kafkaBootstrap()).option("subscribe", topic)
    .option("kafka.isolation.level", isolation).load().select(F.col("value").cast("string").alias("v")).collect()).map((r) => r["v"] as string);

  it("read_committed skips every aborted transaction, several per producer in one fetch, committed ones between", async () => {
    const topic = await createTopic("txn-aborts", 1);
    const one: [boolean, string[]][] = [[false, ["a1", "a2"]], [false, ["b1"]], [true, ["c1", "c2"]], [false, ["d1"]], [true, ["e1"]], [false, ["f1"]], [false, ["g1", "g2"]], [true, ["h1"]]];
    const other: [boolean, string[]][] = [[true, ["x1"]], [false, ["y1"]], [false, ["y2"]], [true, ["z1"]]];
    const byConfluent = produceTransactions(topic, [one, other]);
    const committed = [one, other].flatMap((plan) => plan.filter(([c]) => c).flatMap(([, vs]) => vs)).sort();
    assert.deepEqual([...byConfluent].sort(), committed, "confluent-kafka's own read_committed consumer");
    assert.deepEqual((await read(topic, "read_committed")).sort(), committed);
    assert.equal((await read(topic, "read_uncommitted")).length, [one, other].flat().flatMap(([, vs]) => vs).length);
    // The same records through a streaming query (the worker-thread read path).
    const q = await spark.readStream.format("kafka").option("kafka.bootstrap.servers", kafkaBootstrap()).option("subscribe", topic).option("startingOffsets", "earliest")
      .option("kafka.isolation.level", "read_committed").load().select(F.col("value").cast("string").alias("v"))
      .writeStream.format("memory").queryName(`txn_aborts_${process.pid}`).start();
    await q.processAllAvailable();
    await q.stop();
    assert.deepEqual((await spark.sql(`SELECT v FROM txn_aborts_${process.pid}`).collect()).map((r) => r["v"]).sort(), committed);
    await deleteTopic(topic);
  });

  const schema = spark.createDataFrame([{ value: "x" }], "value STRING").schema;
  const batch = (values: string[]) => [[RecordBatch.fromRows(schema, values.map((v) => [v]))]];

  it("transactional sink: a batch whose transaction aborted twice is written on its re-run, not taken as committed", async () => {
    const topic = await createTopic("txn-sink-abort", 1), markers = await createTopic("txn-sink-abort-markers", 1);
    const queryId = `q-${topic}`;
    // Two runs of batch 0 that aborted (e.g. a failing commit, then a crash before the next try): the marker of each
    // is in the marker topic, in an aborted transaction of the query's transactional id.
    const previous = new Producer({ clientId: "previous-run", bootstrapBrokers: [kafkaBootstrap()], idempotent: true, transactionalId: `sluice-${queryId}` });
    for (let i = 0; i < 2; i++) {
      const txn = await previous.beginTransaction({ producerId: -1n, producerEpoch: -1 });
      await txn.send({ messages: [{ topic, value: Buffer.from(`aborted-${i}`) }, { topic: markers, key: Buffer.from(queryId), value: Buffer.from("0") }] });
      await txn.abort();
    }
    await previous.close();
    const sink = new KafkaSink(kafkaSinkOptions({ "kafka.bootstrap.servers": kafkaBootstrap(), topic, transactional: "true", transactionMarkerTopic: markers }, schema), queryId);
    await sink.addBatch(0, batch(["a"]), schema);
    await sink.addBatch(1, batch(["b"]), schema);
    await sink.stop();
    assert.deepEqual(await read(topic, "read_committed"), ["a", "b"]);
    await deleteTopic(topic); await deleteTopic(markers);
  });

  it("transactional sink: a run that crashed inside a transaction is fenced at once, its batch written exactly once", { timeout: 120_000 }, async () => {
    const topic = await createTopic("txn-sink-crash", 1), markers = await createTopic("txn-sink-crash-markers", 1);
    const queryId = `q-${topic}`;
    const options = { "kafka.bootstrap.servers": kafkaBootstrap(), topic, transactional: "true", transactionMarkerTopic: markers };
    const first = new KafkaSink(kafkaSinkOptions(options, schema), queryId);
    await first.addBatch(0, batch(["a"]), schema);
    await first.stop();
    // The next run died with batch 1's transaction open (records and marker sent, no commit): a minute's timeout.
    const crashed = new Producer({ clientId: "crashed-run", bootstrapBrokers: [kafkaBootstrap()], idempotent: true, transactionalId: `sluice-${queryId}`, timeout: 60_000 });
    const txn = await crashed.beginTransaction({ producerId: -1n, producerEpoch: -1 });
    await txn.send({ messages: [{ topic, value: Buffer.from("b") }, { topic: markers, key: Buffer.from(queryId), value: Buffer.from("1") }] });
    const restarted = new KafkaSink(kafkaSinkOptions(options, schema), queryId);
    const started = Date.now();
    await restarted.addBatch(1, batch(["b"]), schema);
    assert.ok(Date.now() - started < 15_000, `the re-run waited ${Date.now() - started} ms for the crashed transaction`);
    await restarted.addBatch(2, batch(["c"]), schema);
    await restarted.stop();
    await crashed.close(true).catch(() => undefined);
    assert.deepEqual(await read(topic, "read_committed"), ["a", "b", "c"]);
    await deleteTopic(topic); await deleteTopic(markers);
  });

  it("transactional sink: a re-run of a committed batch sends nothing, whatever else a shared marker topic holds", async () => {
    const topic = await createTopic("txn-sink-shared", 1), markers = await createTopic("txn-sink-shared-markers", 1);
    const options = { "kafka.bootstrap.servers": kafkaBootstrap(), topic, transactional: "true", transactionMarkerTopic: markers };
    const queryId = `q-${topic}`;
    const first = new KafkaSink(kafkaSinkOptions(options, schema), queryId);
    await first.addBatch(0, batch(["a"]), schema);
    await first.addBatch(1, batch(["b"]), schema);
    await first.stop();
    // Other queries share the marker topic: many markers of theirs follow this query's last one.
    await produce(markers, Array.from({ length: 300 }, (_, i) => ({ key: `other-query-${i % 3}`, value: String(i) })));
    const other = new KafkaSink(kafkaSinkOptions({ ...options, topic: `${topic}` }, schema), `other-${queryId}`);
    for (let b = 0; b < 3; b++) await other.addBatch(b, batch([]), schema);
    await other.stop();
    // The query crashed after batch 1's transaction committed but before its commit log entry: batch 1 runs again.
    const restarted = new KafkaSink(kafkaSinkOptions(options, schema), queryId);
    await restarted.addBatch(1, batch(["b"]), schema);
    await restarted.addBatch(2, batch(["c"]), schema);
    await restarted.stop();
    assert.deepEqual(await read(topic, "read_committed"), ["a", "b", "c"]);
    await deleteTopic(topic); await deleteTopic(markers);
  });
});
