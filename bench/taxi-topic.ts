/** Benchmark input shared by the Kafka benchmarks: a topic filled with NYC-taxi-shaped trips, as JSON or Confluent-framed Avro. */
import { Admin, Producer } from "@platformatic/kafka";
import { avroCodec } from "../src/formats/avro-codec.js";
import { registryRequest } from "../src/schema-registry/registry-client.js";
import { wireFrame } from "../src/schema-registry/wire-format.js";

export type ValueFormat = "json" | "avro" | "avro-registry";

/** One trip; JSON values are ~260 bytes, Avro ~95. */
export const trip = (i: number) => ({
  VendorID: 1 + (i % 2), tpep_pickup_datetime: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), tpep_dropoff_datetime: new Date(Date.UTC(2026, 0, 1) + i * 1000 + 600_000).toISOString(),
  passenger_count: 1 + (i % 4), trip_distance: (i % 300) / 10, PULocationID: i % 265, DOLocationID: (i * 7) % 265, payment_type: 1 + (i % 3),
  fare_amount: 5 + (i % 50), tip_amount: (i % 9) / 2, total_amount: 8 + (i % 60),
});

/** The trips' schema as DDL (for from_json) and as Avro. */
export const TRIP_DDL = "VendorID INT, tpep_pickup_datetime TIMESTAMP, tpep_dropoff_datetime TIMESTAMP, passenger_count INT, trip_distance DOUBLE, PULocationID INT, DOLocationID INT, payment_type INT, fare_amount DOUBLE, tip_amount DOUBLE, total_amount DOUBLE";
export const TRIP_AVRO = JSON.stringify({
  type: "record", name: "trip", fields: [
    ["VendorID", "int"], ["tpep_pickup_datetime", "string"], ["tpep_dropoff_datetime", "string"], ["passenger_count", "int"], ["trip_distance", "double"],
    ["PULocationID", "int"], ["DOLocationID", "int"], ["payment_type", "int"], ["fare_amount", "double"], ["tip_amount", "double"], ["total_amount", "double"],
  ].map(([name, type]) => ({ name, type })),
});

/** Creates `topic` and sends `records` trips to it round-robin over the partitions; returns bytes and seconds taken. */
export async function fillTopic(bootstrap: string, topic: string, records: number, partitions: number, format: ValueFormat, registry?: string): Promise<{ bytes: number; seconds: number }> {
  const admin = new Admin({ clientId: "bench", bootstrapBrokers: [bootstrap] });
  await admin.createTopics({ topics: [topic], partitions, replicas: 1 });
  await admin.close();
  await new Promise((r) => setTimeout(r, 500));
  let schemaId = 1;
  if (format === "avro-registry") {
    const r = await registryRequest({ address: registry ?? "http://127.0.0.1:18081" }, { op: "register", subject: `${topic}-value`, schema: TRIP_AVRO });
    if (!r.ok) throw new Error(r.message);
    schemaId = r.id;
  }
  const codec = avroCodec(TRIP_AVRO);
  const value = (i: number): Buffer => (format === "json" ? Buffer.from(JSON.stringify(trip(i))) : Buffer.from(wireFrame(schemaId, codec.avroType.toBuffer(trip(i)))));
  const producer = new Producer({ clientId: "bench", bootstrapBrokers: [bootstrap], idempotent: true });
  let bytes = 0;
  const t = performance.now();
  for (let i = 0; i < records; i += 2_000) {
    const messages = [];
    for (let j = i; j < Math.min(records, i + 2_000); j++) { const v = value(j); bytes += v.length; messages.push({ topic, partition: j % partitions, value: v }); }
    await producer.send({ messages });
  }
  await producer.close();
  return { bytes, seconds: (performance.now() - t) / 1000 };
}

export async function dropTopic(bootstrap: string, topic: string): Promise<void> {
  const admin = new Admin({ clientId: "bench", bootstrapBrokers: [bootstrap] });
  await admin.deleteTopics({ topics: [topic] });
  await admin.close();
}
