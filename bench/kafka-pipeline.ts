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
import { Admin, Producer } from "@platformatic/kafka";
import { F, Session, type Column } from "../src/index.js";
import { avroCodec } from "../src/formats/avro-codec.js";
import { registryRequest } from "../src/schema-registry/registry-client.js";
import { wireFrame } from "../src/schema-registry/wire-format.js";
import { KafkaClient } from "../src/sources/kafka/kafka-client.js";

const records = Number(process.argv[2] ?? 1_000_000);
const partitions = Number(process.argv[3] ?? 2);
const bootstrap = process.env["SLUICE_KAFKA_BOOTSTRAP"] ?? "127.0.0.1:19092";
const format = process.argv[4] ?? "json";
if (!["json", "avro", "avro-registry"].includes(format)) throw new Error(`unknown value format ${format}: json, avro or avro-registry`);
const registry = process.env["SLUICE_SCHEMA_REGISTRY"] ?? "http://127.0.0.1:18081";
const topic = `bench-${Date.now()}`;

// NYC-taxi-shaped trips: JSON values ~230 bytes each, Avro ~80.
const trip = (i: number) => ({
  VendorID: 1 + (i % 2), tpep_pickup_datetime: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), tpep_dropoff_datetime: new Date(Date.UTC(2026, 0, 1) + i * 1000 + 600_000).toISOString(),
  passenger_count: 1 + (i % 4), trip_distance: (i % 300) / 10, PULocationID: i % 265, DOLocationID: (i * 7) % 265, payment_type: 1 + (i % 3),
  fare_amount: 5 + (i % 50), tip_amount: (i % 9) / 2, total_amount: 8 + (i % 60),
});
const AVRO = JSON.stringify({ type: "record", name: "trip", fields: Object.entries(trip(0)).map(([name, v]) => ({ name, type: typeof v === "string" ? "string" : Number.isInteger(v) && !name.endsWith("amount") && name !== "trip_distance" ? "int" : "double" })) });
let schemaId = 1;
if (format === "avro-registry") {
  const r = await registryRequest({ address: registry }, { op: "register", subject: `${topic}-value`, schema: AVRO });
  if (!r.ok) throw new Error(r.message);
  schemaId = r.id;
}
const codec = avroCodec(AVRO);
const value = (i: number): Buffer => format === "json" ? Buffer.from(JSON.stringify(trip(i)))
  : Buffer.from(wireFrame(schemaId, codec.avroType.toBuffer(trip(i))));

const admin = new Admin({ clientId: "bench", bootstrapBrokers: [bootstrap] });
await admin.createTopics({ topics: [topic], partitions, replicas: 1 });
await new Promise((r) => setTimeout(r, 500));
const producer = new Producer({ clientId: "bench", bootstrapBrokers: [bootstrap], idempotent: true });
let bytes = 0;
let t = performance.now();
for (let i = 0; i < records; i += 2_000) {
  const messages = [];
  for (let j = i; j < Math.min(records, i + 2_000); j++) { const v = value(j); bytes += v.length; messages.push({ topic, partition: j % partitions, value: v }); }
  await producer.send({ messages });
}
const produceSeconds = (performance.now() - t) / 1000;
await producer.close();

// Raw consume: the client alone, one partition after another, as one source task reads.
const client = new KafkaClient([bootstrap], {});
t = performance.now();
let consumed = 0;
for (let p = 0; p < partitions; p++) {
  const end = (await client.offsets([{ topic, partition: p }], "latest")).get(`${topic}/${p}`)!;
  for (let from = 0; from < end; from += 100_000) consumed += (await client.fetch({ topic, partition: p }, from, Math.min(end, from + 100_000), () => undefined)).length;
}
const consumeSeconds = (performance.now() - t) / 1000;
await client.close();

// The pipeline: Kafka → from_json → Parquet files, with a checkpoint.
const root = mkdtempSync(path.join(tmpdir(), "sluice-bench-kafka-"));
const spark = Session.builder().appName("bench-kafka").master("local[2]").config("spark.sql.session.timeZone", "UTC").getOrCreate();
const parsed: Column = format === "json" ? F.fromJson(F.col("value").cast("string"), "VendorID INT, tpep_pickup_datetime TIMESTAMP, tpep_dropoff_datetime TIMESTAMP, passenger_count INT, trip_distance DOUBLE, PULocationID INT, DOLocationID INT, payment_type INT, fare_amount DOUBLE, tip_amount DOUBLE, total_amount DOUBLE")
  : format === "avro" ? F.fromAvro(F.expr("substring(value, 6)"), AVRO) : F.fromAvro(F.col("value"), undefined, {}, `${topic}-value`, registry);
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
  benchmark: `Kafka → ${format === "json" ? "from_json" : format === "avro" ? "from_avro(substring(value, 6))" : "from_avro via the schema registry"} → Parquet (local files)`, records, partitions, valueBytes: Math.round(bytes / records),
  produceRecordsPerSecond: Math.round(records / produceSeconds),
  rawConsumeRecordsPerSecond: Math.round(consumed / consumeSeconds), rawConsumeMBPerSecond: +(bytes / consumeSeconds / 1e6).toFixed(1),
  pipelineRowsPerSecond: Math.round(rows / pipelineSeconds), pipelineRowsPerSecondPerCore: Math.round(rows / pipelineSeconds / 2),
  batches: q.recentProgress.length, rows,
}, null, 2));
await spark.stop();
await admin.deleteTopics({ topics: [topic] });
await admin.close();
rmSync(root, { recursive: true, force: true });
