/**
 * A pipeline process for crash tests. argv: landing output checkpoint mode(run|drain|graceful) [query]
 * - stateless (default): JSON files → filter/project → Parquet file sink.
 * - aggregate: JSON files → count and sum per key (complete mode) → foreachBatch writing `<output>/<batchId>.json`.
 * - join: two JSON streams (`<landing>/left`, `<landing>/right`) joined on id → Parquet file sink.
 * - kafka-minio: Kafka topic `<landing>` (JSON values) → Parquet on MinIO at `<output>`, checkpoint `<checkpoint>` on
 *   MinIO too (SLUICE_KAFKA_BOOTSTRAP, SLUICE_MINIO_PORT).
 */
import { writeFileSync, mkdirSync } from "node:fs";
import * as path from "node:path";
import { F, Session } from "../../src/index.js";

const [landing, output, checkpoint, mode, query = "stateless"] = process.argv.slice(2) as [string, string, string, string, string?];
const spark = Session.builder().appName("crash-pipeline").master("local[2]")
  .config("spark.sql.session.timeZone", "UTC")
  .config("spark.sql.shuffle.partitions", 2)
  .config("spark.streaming.stopGracefullyOnShutdown", mode === "graceful")
  .config("spark.sql.streaming.pollingDelay", "5ms")
  .getOrCreate();
const trigger = mode === "drain" ? { availableNow: true as const } : { processingTime: "20 milliseconds" };

let started;
if (query === "aggregate") {
  mkdirSync(output, { recursive: true });
  started = spark.readStream.schema("id BIGINT, payload STRING").option("maxFilesPerTrigger", 3).json(landing)
    .withColumn("bucket", F.col("id").mod(7))
    .groupBy("bucket").agg(F.count("*").alias("n"), F.sum("id").alias("total"))
    .writeStream.outputMode("complete").option("checkpointLocation", checkpoint).trigger(trigger)
    .foreachBatch(async (df, batchId) => {
      // Idempotent per batch id: a re-run batch rewrites the same file.
      writeFileSync(path.join(output, `${String(batchId).padStart(6, "0")}.json`), JSON.stringify(await df.collect(), (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));
    }).start();
} else if (query === "kafka-minio") {
  for (const [k, v] of Object.entries({
    "spark.hadoop.fs.s3a.endpoint": `http://127.0.0.1:${process.env["SLUICE_MINIO_PORT"]}`, "spark.hadoop.fs.s3a.access.key": "sluice-admin", "spark.hadoop.fs.s3a.secret.key": "sluice-secret-key",
  })) spark.conf.set(k, v);
  started = spark.readStream.format("kafka").option("kafka.bootstrap.servers", process.env["SLUICE_KAFKA_BOOTSTRAP"]!).option("subscribe", landing)
    .option("startingOffsets", "earliest").option("maxOffsetsPerTrigger", 150).load()
    .select(F.fromJson(F.col("value").cast("string"), "id BIGINT, payload STRING").alias("r")).select("r.id", "r.payload")
    .coalesce(1)
    .writeStream.format("parquet").option("path", output).option("checkpointLocation", checkpoint).trigger(trigger).start();
} else if (query === "join") {
  const left = spark.readStream.schema("id BIGINT, l STRING").option("maxFilesPerTrigger", 2).json(path.join(landing, "left"));
  const right = spark.readStream.schema("id BIGINT, r STRING").option("maxFilesPerTrigger", 2).json(path.join(landing, "right"));
  started = left.join(right, "id").writeStream.format("parquet").option("path", output).option("checkpointLocation", checkpoint).trigger(trigger).start();
} else {
  started = spark.readStream.schema("id BIGINT, payload STRING").option("maxFilesPerTrigger", 3).json(landing)
    .filter("id >= 0")
    .select(F.col("id"), F.upper(F.col("payload")).alias("payload"))
    .writeStream.format("parquet").option("path", output).option("checkpointLocation", checkpoint).trigger(trigger).start();
}
const q = await started;
spark.streams.addListener({ onQueryProgress: ({ progress }) => { process.stdout.write(`batch ${progress.batchId}\n`); } });
await q.awaitTermination();
// Reached on a graceful stop: the program's own code after awaitTermination still runs, asynchronous work included
// (closing clients, a final report).
await new Promise((r) => setTimeout(r, 200));
process.stdout.write(`terminated after batch ${q.lastProgress?.batchId ?? -1}\n`);
