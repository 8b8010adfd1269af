/** The test Kafka broker (started by `./dev test` via services/kafka.sh) and helpers to create topics and produce. */
import { Admin, Producer } from "@platformatic/kafka";

export function kafkaBootstrap(): string {
  const b = process.env["SLUICE_KAFKA_BOOTSTRAP"];
  if (b === undefined) throw new Error("SLUICE_KAFKA_BOOTSTRAP is not set: run the tests with ./dev test, which starts Kafka (services/kafka.sh start)");
  return b;
}

/** The test broker's SASL_PLAINTEXT listener (PLAIN, user sluice / sluice-secret; see services/kafka.sh). */
export function kafkaSaslBootstrap(): string {
  return process.env["SLUICE_KAFKA_SASL_BOOTSTRAP"] ?? "127.0.0.1:19096";
}

let counter = 0;

/** Creates a topic with a unique name and `partitions` partitions. */
export async function createTopic(prefix: string, partitions: number, bootstrap = kafkaBootstrap()): Promise<string> {
  const topic = `${prefix}-${process.pid}-${Date.now()}-${counter++}`;
  const admin = new Admin({ clientId: "sluice-tests", bootstrapBrokers: [bootstrap] });
  try {
    await admin.createTopics({ topics: [topic], partitions, replicas: 1 });
    // Wait until every partition has a leader, so a query started now sees the whole topic.
    for (let i = 0; i < 100; i++) {
      const md = await admin.metadata({ topics: [topic], forceUpdate: true });
      const t = md.topics.get(topic);
      if (t !== undefined && t.partitionsCount === partitions && t.partitions.every((p) => p.leader >= 0)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally { await admin.close(); }
  return topic;
}

export async function deleteTopic(topic: string): Promise<void> {
  const admin = new Admin({ clientId: "sluice-tests", bootstrapBrokers: [kafkaBootstrap()] });
  try { await admin.deleteTopics({ topics: [topic] }); } finally { await admin.close(); }
}

export async function addPartitions(topic: string, total: number): Promise<void> {
  const admin = new Admin({ clientId: "sluice-tests", bootstrapBrokers: [kafkaBootstrap()] });
  try { await admin.createPartitions({ topics: [{ name: topic, count: total, assignments: [] }] }); } finally { await admin.close(); }
}

export interface Message { readonly key?: string; readonly value: string; readonly partition?: number; readonly headers?: Record<string, string> }

/** Sends messages and waits for the broker's acknowledgement. */
export async function produce(topic: string, messages: readonly Message[]): Promise<void> {
  // Idempotent: a send retried after a fresh topic's leader election must not write its messages twice.
  const producer = new Producer({ clientId: "sluice-tests", bootstrapBrokers: [kafkaBootstrap()], idempotent: true });
  try {
    await producer.send({
      messages: messages.map((m) => ({
        topic, value: Buffer.from(m.value), ...(m.key !== undefined ? { key: Buffer.from(m.key) } : {}),
        ...(m.partition !== undefined ? { partition: m.partition } : {}),
        ...(m.headers !== undefined ? { headers: new Map(Object.entries(m.headers).map(([k, v]) => [Buffer.from(k), Buffer.from(v)])) } : {}),
      })),
    });
  } finally { await producer.close(); }
}
