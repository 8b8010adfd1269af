/** The test schema registry (started by `./dev test` via services/schema-registry.sh) and Confluent's own Python client beside it. */
import { runPython } from "./python.js";

export function registryAddress(): string {
  const a = process.env["SLUICE_SCHEMA_REGISTRY"];
  if (a === undefined) throw new Error("SLUICE_SCHEMA_REGISTRY is not set: run the tests with ./dev test, which starts the registry (services/schema-registry.sh start)");
  return a;
}

/**
 * Produces `records` to `topic` with confluent-kafka's Producer and AvroSerializer (which registers `schema` under
 * `<topic>-value` and frames each value with its id): an independent writer of the Confluent wire format.
 */
export function produceWithConfluent(bootstrap: string, topic: string, schema: string, records: readonly unknown[]): number {
  return runPython(`
import json
from confluent_kafka import Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.serialization import SerializationContext, MessageField
sr = SchemaRegistryClient({"url": ${JSON.stringify(registryAddress())}})
ser = AvroSerializer(sr, ${JSON.stringify(schema)})
p = Producer({"bootstrap.servers": ${JSON.stringify(bootstrap)}, "enable.idempotence": True})
ctx = SerializationContext(${JSON.stringify(topic)}, MessageField.VALUE)
ids = set()
for r in json.loads(${JSON.stringify(JSON.stringify(records))}):
    v = ser(r, ctx); ids.add(int.from_bytes(v[1:5], "big"))
    p.produce(${JSON.stringify(topic)}, value=v)
p.flush(30)
print(json.dumps(sorted(ids)[0]))`) as number;
}

/** Reads `topic` with confluent-kafka's Consumer and AvroDeserializer (writer schemas from the registry by id). */
export function consumeWithConfluent(bootstrap: string, topic: string, count: number): unknown[] {
  return runPython(`
import json, time
from confluent_kafka import Consumer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.serialization import SerializationContext, MessageField
sr = SchemaRegistryClient({"url": ${JSON.stringify(registryAddress())}})
de = AvroDeserializer(sr)
c = Consumer({"bootstrap.servers": ${JSON.stringify(bootstrap)}, "group.id": "sluice-test-" + str(time.time()), "auto.offset.reset": "earliest"})
c.subscribe([${JSON.stringify(topic)}])
out, deadline = [], time.time() + 60
while len(out) < ${count} and time.time() < deadline:
    m = c.poll(1.0)
    if m is None or m.error(): continue
    out.append(de(m.value(), SerializationContext(m.topic(), MessageField.VALUE)))
c.close()
print(json.dumps(out))`) as unknown[];
}
