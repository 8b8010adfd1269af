/**
 * The main job in its Kafka + MinIO form (the seed pipeline): a producer registers the NYC-taxi trip schema in the
 * schema registry and sends trips as Confluent-framed Avro (magic byte 0, 4-byte schema id, Avro body) into a Kafka
 * topic; a Sluice query decodes them natively — `from_avro(value)` with the subject and the registry, each record's
 * writer schema by its id — or, without a registry, with `from_avro(substring(value, 6), schema)` as the seed does;
 * cleans them like the file form, and writes Parquet partitioned by pickup date into a MinIO bucket, with its
 * checkpoint in the bucket too. Ctrl-C stops it gracefully; started again it resumes from the checkpoint on MinIO.
 */
import { Admin, Producer } from "@platformatic/kafka";
import { Session, F } from "../index.js";
import { avroCodec } from "../formats/avro-codec.js";
import { registryRequest } from "../schema-registry/registry-client.js";
import { wireFrame } from "../schema-registry/wire-format.js";
import { cleanTrips } from "./taxi-demo.js";
import { taxiTrip } from "./taxi-generator.js";

/** The seed's trip record as an Avro schema (nullable fields, as the NYC data has gaps). */
export const TAXI_AVRO_SCHEMA = JSON.stringify({
  type: "record", name: "taxi_trip", namespace: "nyc", fields: [
    ["VendorID", "int"], ["tpep_pickup_datetime", "string"], ["tpep_dropoff_datetime", "string"], ["passenger_count", "int"],
    ["trip_distance", "double"], ["RatecodeID", "int"], ["store_and_fwd_flag", "string"], ["PULocationID", "int"], ["DOLocationID", "int"],
    ["payment_type", "int"], ["fare_amount", "double"], ["extra", "double"], ["mta_tax", "double"], ["tip_amount", "double"],
    ["tolls_amount", "double"], ["improvement_surcharge", "double"], ["total_amount", "double"],
  ].map(([name, type]) => ({ name, type: ["null", type] })),
});

export interface KafkaDemoOptions {
  readonly bootstrap: string;
  readonly topic: string;
  /** S3 endpoint and credentials (MinIO's by default); the bucket holds the warehouse and the checkpoint. */
  readonly s3: { readonly endpoint: string; readonly accessKey: string; readonly secretKey: string; readonly bucket: string };
  readonly recordsPerSecond: number;
  readonly durationSec: number;
  readonly trigger: string;
  /** The schema registry's URL, or undefined for the seed's fixed framing (schema id 1, stripped with substring). */
  readonly schemaRegistry: string | undefined;
}

/** What a run did: its last batch and the rows it wrote (the file sink's count for this run). */
export interface KafkaDemoResult { readonly lastBatchId: number; readonly rowsWritten: number; readonly warehouse: string }

export async function runTaxiKafkaDemo(o: KafkaDemoOptions): Promise<KafkaDemoResult> {
  const admin = new Admin({ clientId: "sluice-demo", bootstrapBrokers: [o.bootstrap] });
  if (!(await admin.listTopics()).includes(o.topic)) await admin.createTopics({ topics: [o.topic], partitions: 2, replicas: 1 });
  await admin.close();

  // The producer: Confluent-framed Avro, with the id the registry gives the schema (1 without a registry).
  const subject = `${o.topic}-value`;
  let schemaId = 1;
  if (o.schemaRegistry !== undefined) {
    const r = await registryRequest({ address: o.schemaRegistry }, { op: "register", subject, schema: TAXI_AVRO_SCHEMA });
    if (!r.ok) throw new Error(`registering the trip schema under ${subject} at ${o.schemaRegistry} failed: ${r.message}`);
    schemaId = r.id;
  }
  const codec = avroCodec(TAXI_AVRO_SCHEMA);
  const fields = (JSON.parse(TAXI_AVRO_SCHEMA) as { fields: { name: string }[] }).fields.map((f) => f.name);
  const producer = new Producer({ clientId: "sluice-demo-producer", bootstrapBrokers: [o.bootstrap], idempotent: true });
  let seq = 0, rand = 0x2545f491;
  const random = (): number => { rand = (Math.imul(rand, 1103515245) + 12345) >>> 0; return rand / 4294967296; };
  const tick = setInterval(() => {
    const n = Math.max(1, Math.round(o.recordsPerSecond / 4));
    const messages = Array.from({ length: n }, () => {
      const trip = taxiTrip(random, Date.UTC(2024, 0, 1) + (seq++) * 1000);
      const body = codec.avroType.toBuffer(codec.toAvro(fields.map((f) => trip[f] ?? null)));
      return { topic: o.topic, value: Buffer.from(wireFrame(schemaId, body)) };
    });
    producer.send({ messages }).catch((e: unknown) => process.stderr.write(`producer: ${(e as Error).message}\n`));
  }, 250);

  // The table and checkpoint are named after the topic (`taxi-trips-avro` → warehouse/taxi_trips_avro), so each form keeps its own.
  const name = o.topic.replace(/[^A-Za-z0-9]+/g, "_");
  const base = `s3a://${o.s3.bucket}`;
  const spark = Session.builder().appName("Sluice taxi trips (Kafka + MinIO)").master("local[2]")
    .config("spark.sql.session.timeZone", "UTC").config("spark.streaming.stopGracefullyOnShutdown", true)
    .config("spark.hadoop.fs.s3a.endpoint", o.s3.endpoint).config("spark.hadoop.fs.s3a.access.key", o.s3.accessKey)
    .config("spark.hadoop.fs.s3a.secret.key", o.s3.secretKey).config("spark.hadoop.fs.s3a.path.style.access", "true")
    .getOrCreate();
  const trips = cleanTrips(spark.readStream.format("kafka").option("kafka.bootstrap.servers", o.bootstrap).option("subscribe", o.topic)
    .option("startingOffsets", "earliest").load()
    .select((o.schemaRegistry !== undefined ? F.fromAvro(F.col("value"), undefined, {}, subject, o.schemaRegistry) : F.fromAvro(F.expr("substring(value, 6)"), TAXI_AVRO_SCHEMA)).alias("trip"))
    .select("trip.*"));
  spark.streams.addListener({
    onQueryProgress: ({ progress: p }) => {
      process.stdout.write(`batch ${p.batchId}: ${p.numInputRows} records in ${p.batchDuration} ms (${Math.round(p.processedRowsPerSecond)} rows/s), ` +
        `S3 requests: ${p.sink.metrics["objectStoreRequests"] ?? "?"}, rows written by this run: ${p.sink.metrics["numOutputRows"] ?? "?"}\n`);
    },
  });
  const query = await trips.coalesce(1).writeStream.format("parquet").queryName("taxi_trips_kafka").partitionBy("pickup_date")
    .option("path", `${base}/warehouse/${name}`).option("checkpointLocation", `${base}/checkpoints/${name}`)
    .trigger({ processingTime: o.trigger }).start();
  process.stdout.write(`Sluice taxi demo (Kafka + MinIO): query ${query.id}\n  topic:      ${o.topic} at ${o.bootstrap}\n` +
    `  schemas:    ${o.schemaRegistry === undefined ? "fixed (no registry)" : `subject ${subject} (id ${schemaId}) at ${o.schemaRegistry}`}\n` +
    `  warehouse:  ${base}/warehouse/${name}\n  checkpoint: ${base}/checkpoints/${name}\n  trigger:    ${o.trigger}\nPress Ctrl-C to stop gracefully; run again to resume.\n`);
  const stopAll = (): void => clearInterval(tick);
  process.once("SIGINT", stopAll);
  process.once("SIGTERM", stopAll);
  if (o.durationSec > 0) setTimeout(() => { stopAll(); void query.stop(); }, o.durationSec * 1000);
  try {
    await query.awaitTermination();
  } finally {
    clearInterval(tick);
    await producer.close();
  }
  process.stdout.write(`stopped after batch ${query.lastProgress?.batchId ?? "-"}\n`);
  return { lastBatchId: query.lastProgress?.batchId ?? -1, rowsWritten: Number(query.lastProgress?.sink.metrics["numOutputRows"] ?? 0), warehouse: `${base}/warehouse/${name}` };
}
