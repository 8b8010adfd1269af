import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import * as path from "node:path";
import { describe, it } from "node:test";
import { Producer } from "@platformatic/kafka";
import { createTopic, deleteTopic, kafkaBootstrap } from "../support/kafka.js";
import { minioEndpoint, pyarrowS3, s3Prefix } from "../support/minio.js";
import { runPython } from "../support/python.js";

const PIPELINE = path.resolve("dist/test/support/crash-pipeline.js");

function start(args: string[], env: Record<string, string> = {}): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
  const child = spawn(process.execPath, [PIPELINE, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => { out += d.toString(); });
  child.stderr!.on("data", (d: Buffer) => { out += d.toString(); });
  return { child, exited: new Promise((resolve) => child.on("exit", (code) => resolve(code))), output: () => out };
}

/** Ids in the Parquet objects the sink log under `out` commits, read with pyarrow's own S3 client (an independent reader). */
function committedS3Ids(out: string, endpoint = minioEndpoint()): { count: number; distinct: number; digest: string } {
  return runPython(`
import json, hashlib, pyarrow.fs as pafs, pyarrow.parquet as pq
s3 = ${pyarrowS3(endpoint)}
out = ${JSON.stringify(out.replace("s3a://", ""))}
files = []
# Only files the sink log commits count; a killed batch may have left an uncommitted object behind.
for info in sorted(s3.get_file_info(pafs.FileSelector(out + "/_spark_metadata")), key=lambda i: int(i.base_name) if i.base_name.isdigit() else -1):
    if not info.base_name.isdigit(): continue
    with s3.open_input_stream(info.path) as f:
        lines = f.read().decode().split("\\n")
    assert lines[0] == "v1", lines[0]
    files += [json.loads(l)["path"].replace("s3a://", "") for l in lines[1:] if l.strip()]
ids = []
for f in files:
    ids += pq.read_table(f, filesystem=s3).column("id").to_pylist()
print(json.dumps({"count": len(ids), "distinct": len(set(ids)), "digest": hashlib.sha256("\\n".join(str(i) for i in sorted(ids)).encode()).hexdigest()}))
`) as { count: number; distinct: number; digest: string };
}

/** Sends JSON records with consecutive ids into `topic`, remembering the ids the broker acknowledged. */
function feeder(topic: string, bootstrap: string): { producer: Producer; expected: number[]; feed: (n: number) => Promise<void> } {
  const producer = new Producer({ clientId: "test-feeder", bootstrapBrokers: [bootstrap], idempotent: true, retries: 60, retryDelay: 500 });
  const expected: number[] = [];
  let next = 0;
  const feed = async (n: number): Promise<void> => {
    const ids = Array.from({ length: n }, () => next++);
    await producer.send({ messages: ids.map((id) => ({ topic, partition: id % 2, value: Buffer.from(JSON.stringify({ id, payload: `p${id}` })) })) });
    expected.push(...ids);
  };
  return { producer, expected, feed };
}

describe("crash recovery of Kafka → Parquet on MinIO (checkpoint on MinIO)", () => {
  it("kill -9 at random points, many times: pyarrow reading the bucket finds every record exactly once", { timeout: 300_000 }, async () => {
    const topic = await createTopic("crash", 2);
    const base = s3Prefix("crash");
    const { producer, expected, feed } = feeder(topic, kafkaBootstrap());
    await feed(400);
    let rng = 2024;
    const random = (): number => { rng = (rng * 1103515245 + 12345) % 2147483648; return rng / 2147483648; };
    const args = [topic, `${base}/out`, `${base}/ckpt`];
    let runsWithBatches = 0;
    for (let k = 0; k < 8; k++) {
      const p = start([...args, "run", "kafka-minio"]);
      let feeding = true;
      const feeder = (async () => { while (feeding) { await feed(60); await new Promise((r) => setTimeout(r, 40)); } })();
      // Once the query is up (its first batch done), kill it at a random point of the stream of batches.
      for (let i = 0; i < 300 && !/batch \d+/.test(p.output()); i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 100 + Math.floor(random() * 1500)));
      p.child.kill("SIGKILL");
      feeding = false;
      await feeder;
      assert.equal(await p.exited, null, `run ${k} should have been killed, output: ${p.output()}`);
      if (/batch \d+/.test(p.output())) runsWithBatches++;
      if (process.env["SLUICE_DEBUG_CRASH"]) console.log(`run ${k}: ${(p.output().match(/batch \d+/g) ?? []).join(", ")}`);
    }
    await producer.close();
    const drain = start([...args, "drain", "kafka-minio"]);
    assert.equal(await drain.exited, 0, drain.output());
    const got = committedS3Ids(`${base}/out`);
    assert.ok(runsWithBatches >= 6, `only ${runsWithBatches} of 8 killed runs committed a batch before the kill`);
    assert.ok(expected.length > 1000, `${expected.length} records`);
    assert.equal(got.distinct, got.count, "no record duplicated");
    assert.equal(got.count, expected.length, "no record lost");
    assert.equal(got.digest, createHash("sha256").update([...expected].sort((a, b) => a - b).join("\n")).digest("hex"));
    await deleteTopic(topic);
  });

  it("restarting the Kafka broker and MinIO mid-run: the query rides it out, nothing lost or duplicated", { timeout: 300_000 }, async () => {
    // Its own broker and MinIO, so restarting them does not disturb tests running beside this one.
    const env = { KAFKA_HOME: ".services/kafka-restart", KAFKA_PORT: "19094", KAFKA_CONTROLLER_PORT: "19095", KAFKA_SASL_PORT: "19097", MINIO_HOME: path.resolve(".services/minio-restart"), MINIO_PORT: "19010" };
    const service = (name: string, op: string): void => { execFileSync(path.resolve(`services/${name}.sh`), [op], { stdio: "ignore", env: { ...process.env, ...env } }); };
    const bootstrap = "127.0.0.1:19094", endpoint = "http://127.0.0.1:19010";
    service("kafka", "start"); service("minio", "start");
    try {
      const topic = await createTopic("restart", 2, bootstrap);
      const base = s3Prefix("restart");
      const { producer, expected, feed } = feeder(topic, bootstrap);
      const args = [topic, `${base}/out`, `${base}/ckpt`];
      const childEnv = { SLUICE_KAFKA_BOOTSTRAP: bootstrap, SLUICE_MINIO_PORT: "19010" };
      const p = start([...args, "run", "kafka-minio"], childEnv);
      const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
      const batchesSeen = () => (p.output().match(/batch \d+/g) ?? []).length;
      for (let i = 0; i < 10; i++) { await feed(100); await pause(100); }
      await pause(2000);
      service("minio", "stop"); await pause(1500); service("minio", "start");
      for (let i = 0; i < 5; i++) { await feed(100); await pause(100); }
      const beforeKafka = batchesSeen();
      service("kafka", "stop"); await pause(1500); service("kafka", "start");
      for (let i = 0; i < 5; i++) { await feed(100); await pause(100); }
      for (let i = 0; i < 60 && batchesSeen() <= beforeKafka; i++) await pause(500);
      await pause(3000);
      assert.equal(p.child.exitCode, null, `the query should still run after the restarts, output: ${p.output().slice(0, 3000)}`);
      assert.ok(batchesSeen() > beforeKafka, "batches ran after the broker came back");
      p.child.kill("SIGKILL");
      await p.exited;
      await producer.close();
      const drain = start([...args, "drain", "kafka-minio"], childEnv);
      assert.equal(await drain.exited, 0, drain.output());
      const got = committedS3Ids(`${base}/out`, endpoint);
      assert.equal(got.distinct, got.count, "no record duplicated");
      assert.equal(got.count, expected.length, "no record lost");
    } finally {
      service("kafka", "stop"); service("minio", "stop");
    }
  });
});
