import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { F, MemoryStream, type Row, type StreamingQuery } from "../../src/index.js";
import { SluiceError } from "../../src/errors/sluice-error.js";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { registryRequest } from "../../src/schema-registry/registry-client.js";
import { registryConnection } from "../../src/schema-registry/schema-registry.js";
import { createTopic, deleteTopic, kafkaBootstrap, produce } from "../support/kafka.js";
import { consumeWithConfluent, produceWithConfluent, registryAddress } from "../support/schema-registry.js";
import { testSession } from "../support/session.js";
import { assertRows, tempDir } from "../support/stream-test.js";

const V1 = JSON.stringify({ type: "record", name: "Payment", namespace: "shop", fields: [{ name: "id", type: "long" }, { name: "amount", type: "double" }] });
/** v2 adds a field with a default: a backward-compatible change. */
const V2 = JSON.stringify({ type: "record", name: "Payment", namespace: "shop", fields: [{ name: "id", type: "long" }, { name: "amount", type: "double" }, { name: "currency", type: "string", default: "USD" }] });

const isCode = (code: string, pattern?: RegExp) => (e: unknown): boolean => {
  assert.ok(e instanceof SluiceError, `expected a SluiceError, got ${String(e)}`);
  assert.equal(e.code, code, e.message);
  if (pattern !== undefined) assert.match(e.message, pattern);
  return true;
};

describe("Confluent-framed Avro with a schema registry (Conduit's registry; Confluent's own Python client beside Sluice)", () => {
  const spark = testSession();
  const kafka = (topic: string) => spark.readStream.format("kafka").option("kafka.bootstrap.servers", kafkaBootstrap()).option("subscribe", topic).option("startingOffsets", "earliest").load();

  /** A query from the topic into `delivered`, defined afresh (reader schema read now), on the given checkpoint. */
  const run = (topic: string, checkpoint: string, delivered: Row[], options: Record<string, string> = {}): Promise<StreamingQuery> =>
    kafka(topic).select(F.fromAvro(F.col("value"), undefined, options, `${topic}-value`, registryAddress()).alias("p")).select("p.*")
      .writeStream.option("checkpointLocation", checkpoint).foreachBatch(async (b) => { delivered.push(...(await b.collect())); }).start();

  it("reads records written by Confluent's serializer, each writer schema by its id, evolved to the reader schema; a restart reads with the subject's latest", async () => {
    const topic = await createTopic("sr-pay", 2);
    const ids = [produceWithConfluent(kafkaBootstrap(), topic, V1, [{ id: 1, amount: 1.5 }, { id: 2, amount: 2.5 }])];
    const checkpoint = tempDir(), delivered: Row[] = [];
    let q = await run(topic, checkpoint, delivered);
    await q.processAllAvailable();
    assertRows(delivered, [{ id: 1, amount: 1.5 }, { id: 2, amount: 2.5 }]);
    // The producer moves to v2; the running query keeps its reader schema (v1): the new field is dropped.
    ids.push(produceWithConfluent(kafkaBootstrap(), topic, V2, [{ id: 3, amount: 3.5, currency: "EUR" }]));
    assert.notEqual(ids[0], ids[1], "v2 has its own schema id");
    await q.processAllAvailable();
    assertRows(delivered, [{ id: 1, amount: 1.5 }, { id: 2, amount: 2.5 }, { id: 3, amount: 3.5 }]);
    await q.stop();
    // The program restarts: the reader is now the latest version (v2), and the query resumes where it stopped.
    produceWithConfluent(kafkaBootstrap(), topic, V2, [{ id: 4, amount: 4.5, currency: "GBP" }]);
    q = await run(topic, checkpoint, delivered);
    await q.processAllAvailable();
    await q.stop();
    assertRows(delivered.slice(3), [{ id: 4, amount: 4.5, currency: "GBP" }]);
    // v1 records read with the v2 reader get its default; a batch read resolves both writers.
    const all = await spark.read.format("kafka").option("kafka.bootstrap.servers", kafkaBootstrap()).option("subscribe", topic).load()
      .select(F.fromAvro(F.col("value"), undefined, {}, `${topic}-value`, registryAddress()).alias("p")).select("p.*").collect();
    assertRows(all, [{ id: 1, amount: 1.5, currency: "USD" }, { id: 2, amount: 2.5, currency: "USD" }, { id: 3, amount: 3.5, currency: "EUR" }, { id: 4, amount: 4.5, currency: "GBP" }]);
    await deleteTopic(topic);
  });

  it("avroSchemaEvolutionMode 'restart' fails the query when records with new fields arrive; restarted, it reads them with the new schema", async () => {
    const topic = await createTopic("sr-restart", 1);
    produceWithConfluent(kafkaBootstrap(), topic, V1, [{ id: 1, amount: 1 }]);
    const checkpoint = tempDir(), delivered: Row[] = [];
    let q = await run(topic, checkpoint, delivered, { avroSchemaEvolutionMode: "restart" });
    await q.processAllAvailable();
    produceWithConfluent(kafkaBootstrap(), topic, V2, [{ id: 2, amount: 2, currency: "EUR" }]);
    await assert.rejects(q.awaitTermination());
    assert.ok(isCode("UNKNOWN_FIELD_EXCEPTION", /'currency'.*restart the query/)(q.exception()?.cause ?? q.exception()));
    q = await run(topic, checkpoint, delivered, { avroSchemaEvolutionMode: "restart" });
    await q.processAllAvailable();
    await q.stop();
    assertRows(delivered, [{ id: 1, amount: 1 }, { id: 2, amount: 2, currency: "EUR" }]);
    await deleteTopic(topic);
  });

  it("a value without the wire header or with an unknown schema id is malformed (FAILFAST names it, PERMISSIVE reads null); registry problems fail clearly", async () => {
    const topic = await createTopic("sr-bad", 1);
    const v1 = produceWithConfluent(kafkaBootstrap(), topic, V1, [{ id: 7, amount: 0.5 }]);
    assert.ok(v1 < 128, "the id fits one byte of this test's hand-made values");
    // Schema id 999999 (00 0f 42 3f) with a v1 body (id 1, amount 0.0); a plain JSON value; v1's id with a truncated body.
    await produce(topic, [{ value: "\0\0\x0f\x42\x3f\x02\0\0\0\0\0\0\0\0" }, { value: "{\"id\": 1}" }, { value: `\0\0\0\0${String.fromCharCode(v1)}\x02\0\0` }]);
    const kafkaDf = () => spark.read.format("kafka").option("kafka.bootstrap.servers", kafkaBootstrap()).option("subscribe", topic).load();
    const read = (options: Record<string, string>) => kafkaDf().select(F.fromAvro(F.col("value"), undefined, options, `${topic}-value`, registryAddress()).alias("p")).collect();
    assert.deepEqual((await read({ mode: "PERMISSIVE" })).map((r) => r["p"]), [{ id: 7, amount: 0.5 }, null, null, null]);
    await assert.rejects(read({}), isCode("MALFORMED_RECORD_IN_PARSING", /schema id 999999 is not in the schema registry/));
    // The same in SQL: the registry options go in from_avro's options map.
    const sql = `from_avro(value, '${V1}', map('schemaRegistryAddress', '${registryAddress()}', 'subject', '${topic}-value', 'mode', 'PERMISSIVE')) AS p`;
    assert.deepEqual((await kafkaDf().selectExpr(sql).collect()).map((r) => r["p"]), [{ id: 7, amount: 0.5 }, null, null, null]);
    await assert.rejects(spark.read.format("kafka").option("kafka.bootstrap.servers", kafkaBootstrap()).option("subscribe", topic).option("startingOffsets", "{\"" + topic + "\":{\"0\":2}}").load()
      .select(F.fromAvro(F.col("value"), undefined, {}, `${topic}-value`, registryAddress())).collect(), isCode("MALFORMED_RECORD_IN_PARSING", /magic byte 123/));
    // A wrong base URL answers 404 too, but not the registry's "schema not found": an error even in PERMISSIVE mode, never nulls.
    await assert.rejects(kafkaDf().select(F.fromAvro(F.col("value"), V1, { mode: "PERMISSIVE" }, `${topic}-value`, `${registryAddress()}/wrong/base`)).collect(), isCode("SCHEMA_REGISTRY_ERROR", /Check schemaRegistryAddress/));
    assert.throws(() => F.fromAvro(F.col("value"), undefined, {}, `${topic}-nothing`, registryAddress()), isCode("SCHEMA_REGISTRY_ERROR", /subject '.*-nothing'/));
    assert.throws(() => F.fromAvro(F.col("value"), undefined, {}, `${topic}-value`, "http://127.0.0.1:1"), isCode("SCHEMA_REGISTRY_ERROR", /did not answer/));
    await deleteTopic(topic);
  });

  it("to_avro registers Spark's derived schema under the subject and frames each value; Confluent's deserializer and Sluice read them back", async () => {
    const topic = await createTopic("sr-out", 1);
    const input = MemoryStream.create(spark, "id BIGINT, name STRING, amount DOUBLE");
    const q = await input.toDF().select(F.toAvro(F.struct("id", "name", "amount"), undefined, `${topic}-value`, registryAddress()).alias("value"))
      .writeStream.format("kafka").option("kafka.bootstrap.servers", kafkaBootstrap()).option("topic", topic).option("checkpointLocation", tempDir()).start();
    input.addData([{ id: 1, name: "a", amount: 1.5 }, { id: 2, name: null, amount: null }]);
    await q.processAllAvailable();
    await q.stop();
    assert.deepEqual(consumeWithConfluent(kafkaBootstrap(), topic, 2), [{ id: 1, name: "a", amount: 1.5 }, { id: 2, name: null, amount: null }]);
    const back = await spark.read.format("kafka").option("kafka.bootstrap.servers", kafkaBootstrap()).option("subscribe", topic).load()
      .select(F.fromAvro(F.col("value"), undefined, {}, `${topic}-value`, registryAddress()).alias("p")).select("p.*").collect();
    assertRows(back, [{ id: 1, name: "a", amount: 1.5 }, { id: 2, name: null, amount: null }]);
    await deleteTopic(topic);
  });

  it("registry credentials, as options or in the URL, go in the Authorization header and never reach explain()", async () => {
    const bytes = spark.createDataFrame([{ value: "" }], "value STRING").select(F.col("value").cast("binary").alias("value"));
    const plan = bytes.select(F.fromAvro(F.col("value"), V1, { "confluent.schema.registry.basic.auth.credentials.source": "USER_INFO", "confluent.schema.registry.basic.auth.user.info": "sluice:hunter2" }, "x-value", registryAddress())).explain(true);
    assert.match(plan, /schemaRegistryAddress/);
    assert.doesNotMatch(plan, /hunter2/);
    const withUrlCredentials = registryAddress().replace("//", "//sluice:hunter3@");
    assert.deepEqual(registryConnection(withUrlCredentials, {}), { address: registryAddress(), userInfo: "sluice:hunter3" });
    // What the client sends: Confluent's content type and HTTP basic auth (seen by a bare HTTP listener).
    const seen: Record<string, string | undefined>[] = [];
    const listener = createServer((req, res) => { seen.push({ url: req.url, auth: req.headers.authorization, accept: req.headers.accept }); res.writeHead(404).end('{"error_code":40403,"message":"Schema 5 not found"}'); });
    await new Promise<void>((r) => listener.listen(0, "127.0.0.1", r));
    const port = (listener.address() as AddressInfo).port;
    assert.deepEqual(await registryRequest(registryConnection(`http://sluice:hunter3@127.0.0.1:${port}`, {}), { op: "schemaById", id: 5 }), { ok: false, status: 404, errorCode: 40403, message: "Schema 5 not found" });
    listener.close();
    assert.deepEqual(seen, [{ url: "/schemas/ids/5", auth: `Basic ${Buffer.from("sluice:hunter3").toString("base64")}`, accept: "application/vnd.schemaregistry.v1+json, application/json" }]);
    // This registry ignores the header; the query still reads through it, and the plan hides the password.
    const topic = await createTopic("sr-auth", 1);
    produceWithConfluent(kafkaBootstrap(), topic, V1, [{ id: 1, amount: 2 }]);
    const df = spark.read.format("kafka").option("kafka.bootstrap.servers", kafkaBootstrap()).option("subscribe", topic).load()
      .select(F.fromAvro(F.col("value"), undefined, {}, `${topic}-value`, withUrlCredentials).alias("p"));
    assert.deepEqual((await df.collect()).map((r) => r["p"]), [{ id: 1, amount: 2 }]);
    assert.doesNotMatch(df.explain(true), /hunter3/);
    await deleteTopic(topic);
  });
});
