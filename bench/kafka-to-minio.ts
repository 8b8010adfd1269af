/**
 * Benchmark: the seed pipeline's shape — Kafka (NYC-taxi JSON values) → from_json → Parquet on MinIO, with the
 * checkpoint on MinIO too. Prints rows/s, rows/s per core, and S3 requests per micro-batch counted by Sluice
 * (`sink.metrics.objectStoreRequests`) and by MinIO itself (its Prometheus `minio_s3_requests_total`).
 * `./dev bench kafka-to-minio [records=1000000] [recordsPerBatch=100000]` starts Kafka and MinIO.
 */
import { F, Session } from "../src/index.js";
import { TRIP_DDL, dropTopic, fillTopic } from "./taxi-topic.js";

const records = Number(process.argv[2] ?? 1_000_000);
const perBatch = Number(process.argv[3] ?? 100_000);
const bootstrap = process.env["SLUICE_KAFKA_BOOTSTRAP"] ?? "127.0.0.1:19092";
const minio = `http://127.0.0.1:${process.env["SLUICE_MINIO_PORT"] ?? "19000"}`;
const topic = `bench-minio-${Date.now()}`;

/** MinIO's own count of S3 requests by API (its metrics are refreshed every few seconds: read until stable). */
async function minioRequests(): Promise<Record<string, number>> {
  const read = async (): Promise<Record<string, number>> => {
    const text = await (await fetch(`${minio}/minio/metrics/v3/api/requests`)).text();
    const out: Record<string, number> = {};
    for (const m of text.matchAll(/^minio_api_requests_total\{name="([^"]+)"[^}]*type="s3"\} (\d+)/gm)) out[m[1]!] = Number(m[2]);
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

const base = `s3a://sluice/bench-${Date.now()}`;
const spark = Session.builder().appName("bench-kafka-minio").master("local[2]").config("spark.sql.session.timeZone", "UTC")
  .config("spark.hadoop.fs.s3a.endpoint", minio).config("spark.hadoop.fs.s3a.access.key", "sluice-admin").config("spark.hadoop.fs.s3a.secret.key", "sluice-secret-key")
  .getOrCreate();
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
const batches = q.recentProgress.filter((p) => p.numInputRows > 0);
const rows = batches.reduce((s, p) => s + p.numInputRows, 0);
const steady = batches.slice(1);
const byMinio: Record<string, number> = {};
for (const [api, n] of Object.entries(after)) if (n - (before[api] ?? 0) > 0) byMinio[api] = n - (before[api] ?? 0);
const minioTotal = Object.values(byMinio).reduce((a, b) => a + b, 0);
console.log(JSON.stringify({
  benchmark: "Kafka → from_json → Parquet on MinIO, checkpoint on MinIO", records, recordsPerBatch: perBatch, batches: batches.length,
  rowsPerSecond: Math.round(rows / seconds), rowsPerSecondPerCore: Math.round(rows / seconds / 2),
  s3RequestsPerBatchBySluice: steady.map((p) => Number(p.sink.metrics["objectStoreRequests"])),
  s3RequestsBySluiceTotal: batches.reduce((s, p) => s + Number(p.sink.metrics["objectStoreRequests"] ?? 0), 0),
  s3RequestsByMinioTotal: minioTotal, s3RequestsByMinioPerApi: byMinio,
  s3RequestsPerBatchByMinio: +((byMinio["PutObject"] ?? 0) / batches.length).toFixed(2),
  note: "MinIO's totals include the query's start-up (checkpoint metadata, sink-log listing); in the steady state Sluice only PUTs",
}, null, 2));
await spark.stop();
await dropTopic(bootstrap, topic);
