import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import * as path from "node:path";
import { describe, it } from "node:test";
import { Producer } from "@platformatic/kafka";
import { createTopic, deleteTopic, kafkaBootstrap } from "../support/kafka.js";
import { minioAccessKey, minioEndpoint, minioSecretKey, s3Prefix } from "../support/minio.js";
import { runPython } from "../support/python.js";

const PIPELINE = path.resolve("dist/test/support/crash-pipeline.js");

function start(args: string[]): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
  const child = spawn(process.execPath, [PIPELINE, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => { out += d.toString(); });
  child.stderr!.on("data", (d: Buffer) => { out += d.toString(); });
  return { child, exited: new Promise((resolve) => child.on("exit", (code) => resolve(code))), output: () => out };
}

describe("crash recovery of Kafka → Parquet on MinIO (checkpoint on MinIO)", () => {
  it("kill -9 at random points, many times: pyarrow reading the bucket finds every record exactly once", { timeout: 300_000 }, async () => {
    const topic = await createTopic("crash", 2);
    const base = s3Prefix("crash");
    const producer = new Producer({ clientId: "crash-feeder", bootstrapBrokers: [kafkaBootstrap()], idempotent: true });
    const expected: number[] = [];
    let next = 0;
    const feed = async (n: number): Promise<void> => {
      const ids = Array.from({ length: n }, () => next++);
      await producer.send({ messages: ids.map((id) => ({ topic, partition: id % 2, value: Buffer.from(JSON.stringify({ id, payload: `p${id}` })) })) });
      expected.push(...ids);
    };
    await feed(400);
    let rng = 2024;
    const random = (): number => { rng = (rng * 1103515245 + 12345) % 2147483648; return rng / 2147483648; };
    const args = [topic, `${base}/out`, `${base}/ckpt`];
    let runsWithBatches = 0;
    for (let k = 0; k < 8; k++) {
      const p = start([...args, "run", "kafka-minio"]);
      let feeding = true;
      const feeder = (async () => { while (feeding) { await feed(60); await new Promise((r) => setTimeout(r, 40)); } })();
      await new Promise((r) => setTimeout(r, 1500 + Math.floor(random() * 2500)));
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
    const got = runPython(`
import json, hashlib, pyarrow.fs as pafs, pyarrow.parquet as pq
s3 = pafs.S3FileSystem(access_key=${JSON.stringify(minioAccessKey)}, secret_key=${JSON.stringify(minioSecretKey)}, endpoint_override=${JSON.stringify(minioEndpoint())}, scheme="http")
out = ${JSON.stringify(`${base}/out`.replace("s3a://", ""))}
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
    assert.ok(runsWithBatches >= 4, `only ${runsWithBatches} of 8 killed runs committed a batch before the kill`);
    assert.ok(expected.length > 1000, `${expected.length} records`);
    assert.equal(got.distinct, got.count, "no record duplicated");
    assert.equal(got.count, expected.length, "no record lost");
    assert.equal(got.digest, createHash("sha256").update([...expected].sort((a, b) => a - b).join("\n")).digest("hex"));
    await deleteTopic(topic);
  });
});
