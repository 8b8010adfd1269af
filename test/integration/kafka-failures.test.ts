import assert from "node:assert/strict";
import { codedError, closedPort } from "../support/fault-errors.js";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, it, type TestContext } from "node:test";
import { F, MemoryStream } from "../../src/index.js";
import { SluiceError } from "../../src/errors/sluice-error.js";
import { createTopic, deleteTopic, kafkaBootstrap, kafkaSaslBootstrap, produce } from "../support/kafka.js";
import { testSession } from "../support/session.js";
import { StreamTest, tempDir } from "../support/stream-test.js";

/** A "broker" that accepts connections and never answers (a stalled dependency). */
async function silentServer(): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const s: Server = createServer((socket) => { sockets.push(socket); socket.on("error", () => undefined); });
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  return {
    endpoint: `127.0.0.1:${(s.address() as { port: number }).port}`,
    close: async () => { for (const x of sockets) x.destroy(); await new Promise((r) => s.close(r)); },
  };
}

const retryLines = (t: TestContext, warn: { mock: { calls: { arguments: unknown[] }[] } }): string[] => {
  void t;
  return warn.mock.calls.map((c) => String(c.arguments[0])).filter((l) => /Kafka .* retry \d+ in \d+ ms/.test(l));
};

describe("Kafka failures against real and broken brokers", () => {
  const spark = testSession();
  const stream = (bootstrap: string, extra: Record<string, string>) => {
    let r = spark.readStream.format("kafka").option("kafka.bootstrap.servers", bootstrap);
    for (const [k, v] of Object.entries(extra)) r = r.option(k, v);
    return r.load().select(F.col("value").cast("string").alias("v"));
  };
  /** Starts the query and waits for its failure (at start, or in a batch). */
  const failure = async (df: ReturnType<typeof stream>): Promise<{ error: SluiceError; ms: number }> => {
    const t = new StreamTest(spark, df);
    const started = Date.now();
    const e = await t.start().then(async () => t.expectFailure(), (err: unknown) => err as Error);
    return { error: codedError(e, "KAFKA_"), ms: Date.now() - started };
  };

  it("a sink to a missing topic fails the batch after kafka.max.block.ms with KAFKA_TIMEOUT; stop() returns", { timeout: 60_000 }, async () => {
    const topic = `missing-${process.pid}-${Date.now()}`; // the test broker has auto.create.topics.enable=false
    const input = MemoryStream.create(spark, "value STRING");
    const q = await input.toDF().writeStream.format("kafka").option("kafka.bootstrap.servers", kafkaBootstrap()).option("topic", topic)
      .option("kafka.max.block.ms", "2000").option("checkpointLocation", tempDir()).start();
    input.addData(["x"]);
    const started = Date.now();
    await assert.rejects(q.awaitTermination());
    const e = codedError(q.exception(), "KAFKA_");
    assert.equal(e.code, "KAFKA_TIMEOUT");
    assert.equal(e.params["endpoint"], kafkaBootstrap());
    assert.equal(e.params["topic"], topic);
    assert.equal(e.retryable, true);
    assert.ok(Date.now() - started < 15_000, `failed after ${Date.now() - started} ms`);
    // A stop while the batch is stuck returns within the bound too (a fresh query, stopped mid-batch).
    const again = await input.toDF().writeStream.format("kafka").option("kafka.bootstrap.servers", kafkaBootstrap()).option("topic", topic)
      .option("kafka.max.block.ms", "2000").option("checkpointLocation", tempDir()).start();
    input.addData(["y"]);
    await new Promise((r) => setTimeout(r, 300));
    const stopping = Date.now();
    await again.stop();
    assert.ok(Date.now() - stopping < 15_000, `stop took ${Date.now() - stopping} ms`);
  });

  it("a transactional sink to a missing topic: KAFKA_TIMEOUT after kafka.max.block.ms, the transaction aborted", { timeout: 60_000 }, async (t) => {
    t.mock.method(console, "warn", () => undefined);
    const { KafkaSink, kafkaSinkOptions } = await import("../../src/sinks/kafka-sink.js");
    const { RecordBatch } = await import("../../src/columnar/record-batch.js");
    const markers = await createTopic("missing-txn-markers", 1);
    const topic = `missing-txn-${process.pid}-${Date.now()}`;
    const schema = spark.createDataFrame([{ value: "x" }], "value STRING").schema;
    const sink = new KafkaSink(kafkaSinkOptions({ "kafka.bootstrap.servers": kafkaBootstrap(), topic, transactional: "true", transactionMarkerTopic: markers, "kafka.max.block.ms": "2000" }, schema), `q-${topic}`);
    const started = Date.now();
    const e = await sink.addBatch(0, [[RecordBatch.fromRows(schema, [["x"]])]], schema).then(() => assert.fail("the batch should fail"), (err: unknown) => codedError(err, "KAFKA_"));
    assert.equal(e.code, "KAFKA_TIMEOUT", e.message);
    assert.equal(e.params["endpoint"], kafkaBootstrap());
    assert.ok(Date.now() - started < 15_000, `failed after ${Date.now() - started} ms`);
    const stopping = Date.now();
    await sink.stop();
    assert.ok(Date.now() - stopping < 10_000);
    // Nothing of the batch became visible: its marker was aborted with it.
    const seen = (await spark.read.format("kafka").option("kafka.bootstrap.servers", kafkaBootstrap()).option("subscribe", markers).option("kafka.isolation.level", "read_committed").load().collect()).length;
    assert.equal(seen, 0);
    await deleteTopic(markers);
  });

  it("an unreachable broker: KAFKA_UNREACHABLE naming the endpoint after kafka.default.api.timeout.ms, retried with backoff and logged", { timeout: 60_000 }, async (t) => {
    const warn = t.mock.method(console, "warn", () => undefined);
    const endpoint = `127.0.0.1:${await closedPort()}`;
    const { error, ms } = await failure(stream(endpoint, { subscribe: "t", "kafka.default.api.timeout.ms": "3000" }));
    warn.mock.restore();
    assert.equal(error.code, "KAFKA_UNREACHABLE", error.message);
    assert.equal(error.params["endpoint"], endpoint);
    assert.match(String(error.params["reason"]), /ECONNREFUSED/);
    assert.equal(error.retryable, true);
    assert.ok(ms >= 1500 && ms < 15_000, `failed after ${ms} ms`); // the budget, less at most one backoff (1 s)
    assert.ok(Number(error.params["attempts"]) > 2, `attempts ${error.params["attempts"]}`);
    assert.ok(retryLines(t, warn).length > 2, "each retry is logged");
  });

  it("a stalled broker (accepts, never answers): KAFKA_TIMEOUT naming the endpoint after the configured time", { timeout: 60_000 }, async (t) => {
    t.mock.method(console, "warn", () => undefined);
    const silent = await silentServer();
    try {
      const { error, ms } = await failure(stream(silent.endpoint, { subscribe: "t", "kafka.request.timeout.ms": "1000", "kafka.default.api.timeout.ms": "3000" }));
      assert.equal(error.code, "KAFKA_TIMEOUT", error.message);
      assert.equal(error.params["endpoint"], silent.endpoint);
      assert.ok(ms >= 2500 && ms < 15_000, `failed after ${ms} ms`);
    } finally { await silent.close(); }
  });

  it("a wrong SASL password: KAFKA_AUTHENTICATION_FAILED at once, not retried, no secret shown", { timeout: 60_000 }, async (t) => {
    const warn = t.mock.method(console, "warn", () => undefined);
    const { error, ms } = await failure(stream(kafkaSaslBootstrap(), {
      subscribe: "t", "kafka.security.protocol": "SASL_PLAINTEXT", "kafka.sasl.mechanism": "PLAIN",
      "kafka.sasl.jaas.config": 'org.apache.kafka.common.security.plain.PlainLoginModule required username="sluice" password="wrong-password";',
    }));
    warn.mock.restore();
    assert.equal(error.code, "KAFKA_AUTHENTICATION_FAILED", error.message);
    assert.equal(error.params["endpoint"], kafkaSaslBootstrap());
    assert.equal(error.retryable, false);
    assert.equal(error.params["attempts"], 1);
    assert.deepEqual(retryLines(t, warn), []);
    assert.ok(ms < 10_000, `failed after ${ms} ms`);
    assert.doesNotMatch(JSON.stringify(error.params) + error.message, /wrong-password/);
  });

  it("a broker restart: the query retries with backoff (logged, counted in progress) and goes on, nothing lost", { timeout: 240_000 }, async (t) => {
    // A broker of its own (not the shared one), restarted mid-run.
    const home = mkdtempSync(path.join(tmpdir(), "sluice-kafka-restart-"));
    const ports = { KAFKA_PORT: "19084", KAFKA_CONTROLLER_PORT: "19085", KAFKA_SASL_PORT: "19086" };
    const service = (op: string): void => { execFileSync(path.resolve("services/kafka.sh"), [op], { stdio: "ignore", env: { ...process.env, ...ports, KAFKA_HOME: home } }); };
    const bootstrap = `127.0.0.1:${ports.KAFKA_PORT}`;
    service("start");
    try {
      const topic = await createTopic("restart", 1, bootstrap);
      const send = async (values: string[]): Promise<void> => {
        const { Producer } = await import("@platformatic/kafka");
        const p = new Producer({ clientId: "sluice-tests", bootstrapBrokers: [bootstrap], idempotent: true, retries: 60, retryDelay: 500 });
        try { await p.send({ messages: values.map((v) => ({ topic, value: Buffer.from(v) })) }); } finally { await p.close(); }
      };
      await send(["a", "b"]);
      const warn = t.mock.method(console, "warn", () => undefined);
      const q = new StreamTest(spark, stream(bootstrap, { subscribe: topic, startingOffsets: "earliest" }));
      await q.start();
      await q.processAllAvailable();
      service("stop");
      await new Promise((r) => setTimeout(r, 1500));
      service("start");
      await send(["c"]);
      for (let i = 0; i < 200 && q.delivered.length < 3; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(q.current.isActive, true, String(q.current.exception()?.message));
      assert.deepEqual(q.delivered.map((r) => r["v"]).sort(), ["a", "b", "c"]);
      assert.ok(retryLines(t, warn).some((l) => l.includes(bootstrap)), "the retries are logged");
      const retried = (): number[] => q.current.recentProgress.map((p) => Number(p.sources[0]?.metrics?.["kafkaRetries"] ?? 0));
      // The batch that read "c" reports its progress just after its rows were delivered.
      for (let i = 0; i < 100 && Math.max(0, ...retried()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(Math.max(0, ...retried()) > 0, `kafkaRetries in progress: ${retried().join(",")}`);
      await q.stop();
      warn.mock.restore();
    } finally {
      service("stop");
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("the source and the sink on the real broker still work with the deadlines (exactly the records sent)", async () => {
    const topic = await createTopic("deadline-ok", 1);
    await produce(topic, [{ value: "one" }, { value: "two" }]);
    const t = new StreamTest(spark, stream(kafkaBootstrap(), { subscribe: topic, startingOffsets: "earliest", "kafka.request.timeout.ms": "5000", "kafka.default.api.timeout.ms": "10000" }));
    await t.start();
    await t.checkAnswer([{ v: "one" }, { v: "two" }]);
    await t.stop();
    await deleteTopic(topic);
  });
});
