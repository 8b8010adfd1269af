/**
 * Benchmark: the seed pipeline's shape — Kafka (NYC-taxi JSON values) → from_json → Parquet on MinIO, with the
 * checkpoint on MinIO too. Prints rows/s, rows/s per core, and S3 requests per micro-batch counted by Sluice
 * (`sink.metrics.objectStoreRequests`) and by MinIO itself (its Prometheus per-bucket `minio_bucket_api_total`, in a
 * bucket of the run's own, so other clients of the MinIO do not count). The default run is 250 batches, so the
 * long-run average includes the checkpoint purges past `minBatchesToRetain` (100: every 10 batches from batch 100).
 * `./dev bench kafka-to-minio [records=250000] [recordsPerBatch=1000] [minBatchesToRetain=100]` starts Kafka and MinIO.
 */
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from "@aws-sdk/client-s3";
import { F, Session } from "../src/index.js";
import type { StreamingQueryProgress } from "../src/streaming/progress.js";
import { TRIP_DDL, dropTopic, fillTopic } from "./taxi-topic.js";

const records = Number(process.argv[2] ?? 250_000);
const perBatch = Number(process.argv[3] ?? 1000);
const retain = Number(process.argv[4] ?? 100);
const bootstrap = process.env["SLUICE_KAFKA_BOOTSTRAP"] ?? "127.0.0.1:19092";
const minio = `http://127.0.0.1:${process.env["SLUICE_MINIO_PORT"] ?? "19000"}`;
const topic = `bench-minio-${Date.now()}`;

const bucket = `bench-${Date.now()}`;

/** MinIO's own count of S3 requests to the run's bucket by API (refreshed every few seconds: read until stable). */
async function minioRequests(): Promise<Record<string, number>> {
  const read = async (): Promise<Record<string, number>> => {
    const text = await (await fetch(`${minio}/minio/metrics/v3/bucket/api/${bucket}`)).text();
    const out: Record<string, number> = {};
    for (const m of text.matchAll(/^minio_bucket_api_total\{([^}]*)\} (\d+)/gm)) {
      const name = /name="([^"]+)"/.exec(m[1]!)?.[1];
      if (name !== undefined && /bucket="([^"]+)"/.exec(m[1]!)?.[1] === bucket && /type="s3"/.test(m[1]!)) out[name] = (out[name] ?? 0) + Number(m[2]);
    }
    return out;
  };
  let last = JSON.stringify(await read());
  for (let i = 0; i < 30; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = JSON.stringify(await read());
    if (now === last && i >= 11) break;
    last = now;
  }
  return JSON.parse(last) as Record<string, number>;
}

await fillTopic(bootstrap, topic, records, 2, "json");

// A versioned bucket of the run's own, as the test bucket (so purges must delete versions, not leave markers).
const admin = new S3Client({ endpoint: minio, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "sluice-admin", secretAccessKey: "sluice-secret-key" } });
await admin.send(new CreateBucketCommand({ Bucket: bucket }));
await admin.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
const base = `s3a://${bucket}/run`;
const spark = Session.builder().appName("bench-kafka-minio").master("local[2]").config("spark.sql.session.timeZone", "UTC")
  .config("spark.sql.streaming.minBatchesToRetain", retain)
  .config("spark.hadoop.fs.s3a.endpoint", minio).config("spark.hadoop.fs.s3a.access.key", "sluice-admin").config("spark.hadoop.fs.s3a.secret.key", "sluice-secret-key")
  .getOrCreate();
// Every batch's progress (recentProgress keeps only the last spark.sql.streaming.numRecentProgressUpdates).
const progress: StreamingQueryProgress[] = [];
spark.streams.addListener({ onQueryProgress: ({ progress: p }) => { progress.push(p); } });
const before = await minioRequests();
const t = performance.now();
const q = await spark.readStream.format("kafka").option("kafka.bootstrap.servers", bootstrap).option("subscribe", topic).option("startingOffsets", "earliest")
  .option("maxOffsetsPerTrigger", perBatch).load()
  .select(F.fromJson(F.col("value").cast("string"), TRIP_DDL).alias("r")).select("r.*")
  .coalesce(1) // one Parquet object per micro-batch: fetch and parse run in parallel tasks, the driver writes
  .writeStream.format("parquet").option("path", `${base}/trips`).option("checkpointLocation", `${base}/checkpoint`).start();
await q.processAllAvailable();
const seconds = (performance.now() - t) / 1000;
await q.stop();
const after = await minioRequests();
const batches = progress.filter((p) => p.numInputRows > 0);
const rows = batches.reduce((s, p) => s + p.numInputRows, 0);
const byMinio: Record<string, number> = {};
for (const [api, n] of Object.entries(after)) if (n - (before[api] ?? 0) > 0) byMinio[api] = n - (before[api] ?? 0);
const minioTotal = Object.values(byMinio).reduce((a, b) => a + b, 0);
const sluiceCounts = batches.map((p) => Number(p.sink.metrics["objectStoreRequests"] ?? 0));
const purgeBatches = batches.filter((p) => p.batchId >= retain && p.batchId % 10 === 0);
const histogram: Record<string, number> = {};
for (const n of sluiceCounts.slice(1)) histogram[n] = (histogram[n] ?? 0) + 1;
console.log(JSON.stringify({
  benchmark: "Kafka → from_json → Parquet on MinIO, checkpoint on MinIO", records, recordsPerBatch: perBatch, batches: batches.length, minBatchesToRetain: retain,
  rowsPerSecond: Math.round(rows / seconds), rowsPerSecondPerCore: Math.round(rows / seconds / 2),
  s3RequestsPerBatchBySluiceHistogram: histogram,
  s3RequestsPerPurgeBatchBySluice: purgeBatches.map((p) => Number(p.sink.metrics["objectStoreRequests"])),
  s3RequestsBySluiceTotal: sluiceCounts.reduce((a, b) => a + b, 0),
  s3RequestsByMinioTotal: minioTotal, s3RequestsByMinioPerApi: byMinio,
  s3RequestsPerBatchByMinio: +(minioTotal / batches.length).toFixed(3),
  note: "MinIO's own count, all APIs, for the run's bucket, start-up included, divided by the batches; purges are one DeleteMultipleObjects each",
}, null, 2));
await spark.stop();
await dropTopic(bootstrap, topic);
