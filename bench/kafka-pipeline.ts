/**
 * Benchmark: raw consume rate of the Kafka client, then Sluice's Kafka → parse → Parquet pipeline, on the project's
 * broker (services/kafka.sh; `./dev bench kafka-pipeline` starts it, and the schema registry). Prints records/s, MB/s,
 * rows/s per core. Values: `json` (from_json), `avro` (Confluent-framed, the seed's `from_avro(substring(value, 6))`)
 * or `avro-registry` (Confluent-framed, schema registered and decoded natively through the registry).
 * Usage: ./dev bench kafka-pipeline [records=1000000] [partitions=2] [json|avro|avro-registry]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { F, Session, type Column } from "../src/index.js";
import { KafkaClient } from "../src/sources/kafka/kafka-client.js";
import { TRIP_AVRO, TRIP_DDL, dropTopic, fillTopic, type ValueFormat } from "./taxi-topic.js";

const records = Number(process.argv[2] ?? 1_000_000);
const partitions = Number(process.argv[3] ?? 2);
const format = (process.argv[4] ?? "json") as ValueFormat;
if (!["json", "avro", "avro-registry"].includes(format)) throw new Error(`unknown value format ${format}: json, avro or avro-registry`);
const bootstrap = process.env["SLUICE_KAFKA_BOOTSTRAP"] ?? "127.0.0.1:19092";
const registry = process.env["SLUICE_SCHEMA_REGISTRY"] ?? "http://127.0.0.1:18081";
const topic = `bench-${Date.now()}`;

const produced = await fillTopic(bootstrap, topic, records, partitions, format, registry);

// Raw consume: the client alone, one partition after another, as one source task reads.
const client = new KafkaClient([bootstrap], {});
let t = performance.now();
let consumed = 0;
for (let p = 0; p < partitions; p++) {
  const end = (await client.offsets([{ topic, partition: p }], "latest")).get(`${topic}/${p}`)!;
  for (let from = 0; from < end; from += 100_000) consumed += (await client.fetch({ topic, partition: p }, from, Math.min(end, from + 100_000), () => undefined)).length;
}
const consumeSeconds = (performance.now() - t) / 1000;
await client.close();

// The pipeline: Kafka → parse → Parquet files, with a checkpoint.
const root = mkdtempSync(path.join(tmpdir(), "sluice-bench-kafka-"));
const spark = Session.builder().appName("bench-kafka").master("local[2]").config("spark.sql.session.timeZone", "UTC").getOrCreate();
const parsed: Column = format === "json" ? F.fromJson(F.col("value").cast("string"), TRIP_DDL)
  : format === "avro" ? F.fromAvro(F.expr("substring(value, 6)"), TRIP_AVRO) : F.fromAvro(F.col("value"), undefined, {}, `${topic}-value`, registry);
t = performance.now();
const q = await spark.readStream.format("kafka").option("kafka.bootstrap.servers", bootstrap).option("subscribe", topic).option("startingOffsets", "earliest")
  .option("maxOffsetsPerTrigger", 200_000).load()
  .select(parsed.alias("r")).select("r.*")
  .writeStream.format("parquet").option("path", path.join(root, "out")).option("checkpointLocation", path.join(root, "ckpt")).start();
await q.processAllAvailable();
const pipelineSeconds = (performance.now() - t) / 1000;
await q.stop();
const rows = q.recentProgress.reduce((s, p) => s + p.numInputRows, 0);
console.log(JSON.stringify({
  benchmark: `Kafka → ${format === "json" ? "from_json" : format === "avro" ? "from_avro(substring(value, 6))" : "from_avro via the schema registry"} → Parquet (local files)`,
  records, partitions, valueBytes: Math.round(produced.bytes / records),
  produceRecordsPerSecond: Math.round(records / produced.seconds),
  rawConsumeRecordsPerSecond: Math.round(consumed / consumeSeconds), rawConsumeMBPerSecond: +(produced.bytes / consumeSeconds / 1e6).toFixed(1),
  pipelineRowsPerSecond: Math.round(rows / pipelineSeconds), pipelineRowsPerSecondPerCore: Math.round(rows / pipelineSeconds / 2),
  batches: q.recentProgress.length, rows,
}, null, 2));
await spark.stop();
await dropTopic(bootstrap, topic);
rmSync(root, { recursive: true, force: true });
