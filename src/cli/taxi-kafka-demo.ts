/**
 * The main job in its Kafka + MinIO form (the seed pipeline): a producer sends NYC-taxi-shaped trips as
 * Confluent-framed Avro (magic byte 0, 4-byte schema id, Avro body) into a Kafka topic; a Sluice query decodes them
 * with `from_avro(substring(value, 6), schema)` as the seed does, cleans them like the file form, and writes Parquet
 * partitioned by pickup date into a MinIO bucket, with its checkpoint in the bucket too. Ctrl-C stops it gracefully;
 * started again it resumes from the checkpoint on MinIO.
 */
import { Admin, Producer } from "@platformatic/kafka";
import { Session, F } from "../index.js";
import { avroCodec } from "../formats/avro-codec.js";
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
}

export async function runTaxiKafkaDemo(o: KafkaDemoOptions): Promise<void> {
  const admin = new Admin({ clientId: "sluice-demo", bootstrapBrokers: [o.bootstrap] });
  if (!(await admin.listTopics()).includes(o.topic)) await admin.createTopics({ topics: [o.topic], partitions: 2, replicas: 1 });
  await admin.close();

  // The producer: Confluent-framed Avro, schema id 1.
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
      return { topic: o.topic, value: Buffer.concat([Buffer.from([0, 0, 0, 0, 1]), body]) };
    });
    producer.send({ messages }).catch((e: unknown) => process.stderr.write(`producer: ${(e as Error).message}\n`));
  }, 250);

  const base = `s3a://${o.s3.bucket}`;
  const spark = Session.builder().appName("Sluice taxi trips (Kafka + MinIO)").master("local[2]")
    .config("spark.sql.session.timeZone", "UTC").config("spark.streaming.stopGracefullyOnShutdown", true)
    .config("spark.hadoop.fs.s3a.endpoint", o.s3.endpoint).config("spark.hadoop.fs.s3a.access.key", o.s3.accessKey)
    .config("spark.hadoop.fs.s3a.secret.key", o.s3.secretKey).config("spark.hadoop.fs.s3a.path.style.access", "true")
    .getOrCreate();
  const trips = cleanTrips(spark.readStream.format("kafka").option("kafka.bootstrap.servers", o.bootstrap).option("subscribe", o.topic)
    .option("startingOffsets", "earliest").load()
    .select(F.fromAvro(F.expr("substring(value, 6)"), TAXI_AVRO_SCHEMA).alias("trip")).select("trip.*"));
  spark.streams.addListener({
    onQueryProgress: ({ progress: p }) => {
      process.stdout.write(`batch ${p.batchId}: ${p.numInputRows} records in ${p.batchDuration} ms (${Math.round(p.processedRowsPerSecond)} rows/s), ` +
        `S3 requests: ${p.sink.metrics["objectStoreRequests"] ?? "?"}, rows written by this run: ${p.sink.metrics["numOutputRows"] ?? "?"}\n`);
    },
  });
  const query = await trips.coalesce(1).writeStream.format("parquet").queryName("taxi_trips_kafka").partitionBy("pickup_date")
    .option("path", `${base}/warehouse/trips`).option("checkpointLocation", `${base}/checkpoints/taxi_trips`)
    .trigger({ processingTime: o.trigger }).start();
  process.stdout.write(`Sluice taxi demo (Kafka + MinIO): query ${query.id}\n  topic:      ${o.topic} at ${o.bootstrap}\n` +
    `  warehouse:  ${base}/warehouse/trips\n  checkpoint: ${base}/checkpoints/taxi_trips\n  trigger:    ${o.trigger}\nPress Ctrl-C to stop gracefully; run again to resume.\n`);
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
}
