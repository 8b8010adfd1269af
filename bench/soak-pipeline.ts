/**
 * The soak benchmark's query, run as a child process by bench/soak.ts (which kills it with SIGKILL and restarts it):
 * Kafka topic (JSON `{id, ts}`) → 10-second tumbling windows with a 20-second watermark, count and sum(id) per window
 * (append mode) → Parquet on MinIO, checkpoint on MinIO. argv: topic base mode(run|drain).
 * Prints one line per batch: `progress <json>` with the batch id, rows, duration, S3 requests and the process's RSS.
 */
import { F, Session } from "../src/index.js";

const [topic, base, mode] = process.argv.slice(2) as [string, string, string];
const minio = `http://127.0.0.1:${process.env["SLUICE_MINIO_PORT"] ?? "19000"}`;
const spark = Session.builder().appName("soak").master("local[2]").config("spark.sql.session.timeZone", "UTC")
  .config("spark.sql.shuffle.partitions", 2)
  .config("spark.hadoop.fs.s3a.endpoint", minio).config("spark.hadoop.fs.s3a.access.key", "sluice-admin").config("spark.hadoop.fs.s3a.secret.key", "sluice-secret-key")
  .getOrCreate();
const q = await spark.readStream.format("kafka").option("kafka.bootstrap.servers", process.env["SLUICE_KAFKA_BOOTSTRAP"] ?? "127.0.0.1:19092")
  .option("subscribe", topic).option("startingOffsets", "earliest").option("maxOffsetsPerTrigger", Number(process.env["SOAK_MAX_OFFSETS"] ?? 20000)).load()
  .select(F.fromJson(F.col("value").cast("string"), "id BIGINT, ts TIMESTAMP").alias("r")).select("r.*")
  .withWatermark("ts", "20 seconds")
  .groupBy(F.window(F.col("ts"), "10 seconds")).agg(F.count("*").alias("n"), F.sum("id").alias("ids"))
  .select(F.col("window.start").alias("window_start"), F.col("n"), F.col("ids"))
  .coalesce(1)
  .writeStream.format("parquet").outputMode("append").option("path", `${base}/out`).option("checkpointLocation", `${base}/ckpt`)
  .trigger(mode === "drain" ? { availableNow: true } : { processingTime: "500 milliseconds" }).start();
spark.streams.addListener({
  onQueryProgress: ({ progress: p }) => {
    process.stdout.write(`progress ${JSON.stringify({ batchId: p.batchId, rows: p.numInputRows, ms: p.durationMs["triggerExecution"] ?? 0, s3: Number(p.sink.metrics["objectStoreRequests"] ?? 0), rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed, at: Date.now() })}\n`);
  },
});
await q.awaitTermination();
