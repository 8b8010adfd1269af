/**
 * Deterministic crash points for the sinks on real servers: Parquet on MinIO (checkpoint on MinIO too), Kafka plain
 * (at least once) and transactional (exactly once for read_committed), PostgreSQL through foreachBatch with the
 * batchId idempotence helper. Each run is killed at the point, restarted, and an independent reader counts: pyarrow's
 * S3 client, Confluent's Python consumer, a direct `pg` query.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { dropFile, parquetSinkIds, startPipeline, summarize, type IdSummary } from "../support/crash-harness.js";
import { createTopic, deleteTopic, kafkaBootstrap } from "../support/kafka.js";
import { s3Prefix } from "../support/minio.js";
import { sql, tableName } from "../support/postgres.js";
import { runPython } from "../support/python.js";
import { tempDir } from "../support/stream-test.js";

async function crashThenRecover(output: string, checkpoint: string, point: string, env: Record<string, string>, files = 9): Promise<number[]> {
  const landing = tempDir();
  const expected: number[] = [];
  for (let s = 0; s < files; s++) expected.push(...dropFile(landing, s, 100));
  const args = [landing, output, checkpoint, "drain"];
  const crashed = startPipeline(args, { ...env, SLUICE_TEST_CRASH_AT: point });
  const how = await crashed.exited;
  assert.equal(how.signal, "SIGKILL", `the run armed with ${point} should die at it, it ended with ${JSON.stringify(how)}: ${crashed.output()}`);
  const again = startPipeline(args, env);
  assert.equal((await again.exited).code, 0, `the restart should drain the input: ${again.output()}`);
  return expected;
}

function assertExactlyOnce(got: IdSummary, expected: readonly number[]): void {
  const want = summarize(expected);
  assert.equal(got.distinct, got.count, "no record duplicated");
  assert.equal(got.count, want.count, "no record lost");
  assert.equal(got.digest, want.digest, "exactly the records fed");
}

/** Every id in `topic`, read to its end by Confluent's Python consumer (librdkafka) with the given isolation level. */
function kafkaIds(topic: string, isolation: "read_committed" | "read_uncommitted"): number[] {
  return runPython(`
import json, time, uuid
from confluent_kafka import Consumer, KafkaError, TopicPartition, OFFSET_BEGINNING
c = Consumer({"bootstrap.servers": ${JSON.stringify(kafkaBootstrap())}, "group.id": "reader-" + uuid.uuid4().hex, "enable.auto.commit": False,
              "isolation.level": ${JSON.stringify(isolation)}, "enable.partition.eof": True})
topic = ${JSON.stringify(topic)}
parts = list(c.list_topics(topic, timeout=10).topics[topic].partitions)
c.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in parts])
eof, ids, deadline = set(), [], time.time() + 60
while len(eof) < len(parts) and time.time() < deadline:
    m = c.poll(0.5)
    if m is None: continue
    if m.error():
        if m.error().code() == KafkaError._PARTITION_EOF: eof.add(m.partition()); continue
        raise Exception(str(m.error()))
    ids.append(json.loads(m.value())["id"])
c.close()
assert len(eof) == len(parts), "did not reach the end of every partition"
print(json.dumps(ids))
`) as number[];
}

describe("crash points: Parquet on MinIO, checkpoint on MinIO (pyarrow's S3 client reads the sink log)", () => {
  const purge = { SLUICE_MIN_BATCHES_TO_RETAIN: "3", SLUICE_MAX_FILES_PER_TRIGGER: "1" };
  for (const [point, env, files] of [["after-source-log@1", {}, 9], ["mid-sink@1", {}, 9], ["after-sink-commit@1", {}, 9], ["mid-purge@10", purge, 13]] as const) {
    it(`killed at ${point}: every record exactly once`, { timeout: 90_000 }, async () => {
      const base = s3Prefix("sink-crash");
      const expected = await crashThenRecover(`${base}/out`, `${base}/ckpt`, point, env, files);
      assertExactlyOnce(parquetSinkIds(`${base}/out`), expected);
    });
  }
});

describe("crash points: Kafka sink", () => {
  for (const point of ["mid-sink@1", "after-sink-commit@1"]) {
    it(`transactional, killed at ${point}: a read_committed consumer sees every record exactly once`, { timeout: 120_000 }, async () => {
      const topic = await createTopic("sink-crash-txn", 2);
      const expected = await crashThenRecover(topic, tempDir(), point, { SLUICE_CRASH_SINK: "kafka-txn" });
      assertExactlyOnce(summarize(kafkaIds(topic, "read_committed")), expected);
      await deleteTopic(topic);
    });

    it(`plain, killed at ${point}: every record at least once (Spark's guarantee), the re-run batch at most once more`, { timeout: 120_000 }, async () => {
      const topic = await createTopic("sink-crash-plain", 2);
      const expected = await crashThenRecover(topic, tempDir(), point, { SLUICE_CRASH_SINK: "kafka" });
      const ids = kafkaIds(topic, "read_uncommitted");
      assert.deepEqual([...new Set(ids)].sort((a, b) => a - b), [...expected].sort((a, b) => a - b), "every record, none foreign");
      // Batch 1 (files 3-5) was produced whole before the kill, so its re-run writes it again; nothing else repeats.
      const counts = new Map<number, number>();
      for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
      const twice = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
      assert.ok(twice.every((id) => id >= 3000 && id < 6000 && counts.get(id) === 2), `only batch 1 repeats, once: ${twice.slice(0, 5).join(", ")}`);
      assert.equal(twice.length, 300, "the killed batch was produced whole before the kill, so the re-run repeats all of it");
      await deleteTopic(topic);
    });
  }
});

describe("crash points: PostgreSQL through foreachBatch with batchId idempotence", () => {
  for (const point of ["mid-sink@1", "after-sink-commit@1"]) {
    it(`killed at ${point}: a direct query finds every row exactly once`, { timeout: 90_000 }, async () => {
      const table = tableName("sink_crash");
      const expected = await crashThenRecover(table, path.join(tempDir(), "ckpt"), point, { SLUICE_CRASH_SINK: "jdbc" });
      const ids = (await sql(`SELECT id FROM ${table}`)).map((r) => Number(r["id"]));
      assertExactlyOnce(summarize(ids), expected);
      await sql(`DROP TABLE ${table}`);
    });
  }
});
