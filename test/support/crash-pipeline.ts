/**
 * A pipeline process for crash tests. argv: landing output checkpoint mode(run|drain|graceful) [query]
 * - stateless (default): JSON files → filter/project → Parquet file sink.
 * - aggregate: JSON files → count and sum per key (complete mode) → foreachBatch writing `<output>/<batchId>.json`.
 * - join: two JSON streams (`<landing>/left`, `<landing>/right`) joined on id → Parquet file sink.
 *   With env SLUICE_CRASH_SINK, the stateless query writes elsewhere (`output` names the target):
 *   `parquet` (default; an `s3a://` output goes to MinIO at SLUICE_MINIO_PORT), `kafka` (topic `output`, JSON values;
 *   `kafka-txn`: option transactional), `jdbc` (foreachBatch → PostgreSQL table `output` with the batchId idempotence
 *   helper, SLUICE_PG_PORT), `foreach-files` (foreachBatch writing `<output>/<batchId>-a.json` and `-b.json`, each
 *   replaced atomically: idempotent per batch id; the crash point `mid-sink` fires between the two).
 * - kafka-minio: Kafka topic `<landing>` (JSON values) → Parquet on MinIO at `<output>`, checkpoint `<checkpoint>` on
 *   MinIO too (SLUICE_KAFKA_BOOTSTRAP, SLUICE_MINIO_PORT).
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { F, Session } from "../../src/index.js";
import { crashPoint } from "../../src/streaming/crash-points.js";
import { s3aConf } from "./minio.js";
import { pgProps, pgUrl } from "./postgres.js";

const [landing, output, checkpoint, mode, query = "stateless"] = process.argv.slice(2) as [string, string, string, string, string?];
const spark = Session.builder().appName("crash-pipeline").master("local[2]")
  .config("spark.sql.session.timeZone", "UTC")
  .config("spark.sql.shuffle.partitions", 2)
  .config("spark.streaming.stopGracefullyOnShutdown", mode === "graceful")
  .config("spark.sql.streaming.pollingDelay", "5ms")
  .config("spark.sql.streaming.minBatchesToRetain", Number(process.env["SLUICE_MIN_BATCHES_TO_RETAIN"] ?? 100))
  .config("spark.sql.streaming.stateStore.providerClass", process.env["SLUICE_STATE_STORE"] ?? "memory")
  .getOrCreate();
if (output.startsWith("s3a://") || checkpoint.startsWith("s3a://")) for (const [k, v] of Object.entries(s3aConf())) spark.conf.set(k, v);
const maxFiles = Number(process.env["SLUICE_MAX_FILES_PER_TRIGGER"] ?? 3);
const sinkKind = process.env["SLUICE_CRASH_SINK"] ?? "parquet";
const json = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x));
/** Writes a file whole or not at all (a temp file renamed over it). */
const replaceFile = (file: string, text: string): void => { writeFileSync(`${file}.tmp`, text); renameSync(`${file}.tmp`, file); };
const trigger = mode === "drain" ? { availableNow: true as const } : { processingTime: "20 milliseconds" };

let started;
if (query === "aggregate") {
  mkdirSync(output, { recursive: true });
  started = spark.readStream.schema("id BIGINT, payload STRING").option("maxFilesPerTrigger", maxFiles).json(landing)
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
  const rows = spark.readStream.schema("id BIGINT, payload STRING").option("maxFilesPerTrigger", maxFiles).json(landing)
    .filter("id >= 0")
    .select(F.col("id"), F.upper(F.col("payload")).alias("payload"));
  const w = rows.writeStream.option("checkpointLocation", checkpoint).trigger(trigger);
  if (sinkKind === "kafka" || sinkKind === "kafka-txn") {
    started = rows.select(F.toJson(F.struct("id", "payload")).alias("value")).writeStream.option("checkpointLocation", checkpoint).trigger(trigger)
      .format("kafka").option("kafka.bootstrap.servers", process.env["SLUICE_KAFKA_BOOTSTRAP"]!).option("topic", output)
      .option("transactional", String(sinkKind === "kafka-txn")).start();
  } else if (sinkKind === "jdbc") {
    started = w.foreachBatch(async (df, batchId) => { await df.write.jdbc(pgUrl(), output, "append", { ...pgProps, batchId }); }).start();
  } else if (sinkKind === "foreach-files") {
    mkdirSync(output, { recursive: true });
    started = w.foreachBatch(async (df, batchId) => {
      const ids = (await df.collect()).map((r) => (r as unknown as { id: bigint | number }).id);
      const half = Math.ceil(ids.length / 2), name = String(batchId).padStart(6, "0");
      replaceFile(path.join(output, `${name}-a.json`), json(ids.slice(0, half)));
      crashPoint("mid-sink", batchId); // user code's own step between its two writes
      replaceFile(path.join(output, `${name}-b.json`), json(ids.slice(half)));
    }).start();
  } else {
    started = w.format("parquet").option("path", output).start();
  }
}
const q = await started;
spark.streams.addListener({ onQueryProgress: ({ progress }) => { process.stdout.write(`batch ${progress.batchId}\n`); } });
try {
  await q.awaitTermination();
} catch (e) {
  // A failed query reports its error's code chain (the query's, then its causes') as one JSON line, for the tests.
  const codes: unknown[] = [];
  for (let c: unknown = e; c instanceof Error; c = c.cause) codes.push({ code: (c as { code?: unknown }).code, params: (c as { params?: unknown }).params, message: c.message.slice(0, 300) });
  process.stdout.write(`query failed ${JSON.stringify(codes)}\n`);
  process.exit(1);
}
// Reached on a graceful stop: the program's own code after awaitTermination still runs, asynchronous work included
// (closing clients, a final report).
await new Promise((r) => setTimeout(r, 200));
process.stdout.write(`terminated after batch ${q.lastProgress?.batchId ?? -1}\n`);
