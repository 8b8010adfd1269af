/**
 * What the Kafka source needs from a broker, over @platformatic/kafka (a pure TypeScript client): the partitions a
 * subscription covers, each partition's earliest and latest offsets, and the records of an offset range. No consumer
 * group is joined and nothing is committed: offsets live in the query's checkpoint.
 */
import { Admin, Consumer } from "@platformatic/kafka";
import { SluiceError } from "../../errors/sluice-error.js";
import type { Subscription } from "./kafka-options.js";
import { AbortedTransactions } from "./aborted-transactions.js";
import { KafkaCalls, kafkaTimeouts } from "./kafka-calls.js";
import { kafkaConnection, type KafkaConnectionOptions } from "./kafka-connection.js";

/** `topic` and partition number. */
export interface TopicPartition { readonly topic: string; readonly partition: number }

/** One record of a fetched range. */
export interface FetchedRecord {
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Milliseconds since the epoch. */
  readonly timestampMs: number;
  /** 0 CreateTime, 1 LogAppendTime. */
  readonly timestampType: number;
  readonly headers: readonly [Buffer | null, Buffer | null][];
}

const OFFSET_OUT_OF_RANGE = 1;
/** Partition errors of a fetch that pass (a broker restarting, a leader moving): retried with fresh metadata. */
const TRANSIENT_FETCH_ERRORS = new Set([5, 6, 7, 13, 56, 74, 75, 100]); // LEADER_NOT_AVAILABLE, NOT_LEADER_OR_FOLLOWER, REQUEST_TIMED_OUT, NETWORK_EXCEPTION, KAFKA_STORAGE_ERROR, FENCED/UNKNOWN_LEADER_EPOCH, OFFSET_NOT_AVAILABLE

export class KafkaClient {
  private readonly consumer: Consumer<Buffer, Buffer, Buffer, Buffer>;
  private admin: Admin | undefined;

  private readonly connection: KafkaConnectionOptions;
  /** Deadlines, retries with backoff and coded errors for every call (the client itself does not retry). */
  readonly calls: KafkaCalls;
  /** `kafka.isolation.level`: 1 (read_committed) reads only committed transactions, up to the last stable offset. */
  private readonly isolationLevel: number;

  constructor(readonly bootstrapServers: readonly string[], settings: Readonly<Record<string, string>>) {
    this.connection = kafkaConnection(settings);
    this.calls = new KafkaCalls(bootstrapServers.join(","), kafkaTimeouts(settings));
    const clientId = this.connection.clientId;
    this.isolationLevel = (settings["isolation.level"] ?? "read_uncommitted").toLowerCase() === "read_committed" ? 1 : 0;
    this.consumer = new Consumer({
      ...this.connection, bootstrapBrokers: [...bootstrapServers],
      // Required by the client's constructor; never joined (the source fetches explicit offset ranges).
      groupId: `sluice-source-${clientId}`,
      retries: 0,
    });
  }

  private adminClient(): Admin {
    this.admin ??= new Admin({ ...this.connection, bootstrapBrokers: [...this.bootstrapServers], retries: 0 });
    return this.admin;
  }

  /** The partitions the subscription covers now (topics that do not exist yet have none). */
  async partitions(sub: Subscription): Promise<TopicPartition[]> {
    if (sub.kind === "assign") return Object.entries(sub.partitions).flatMap(([topic, ps]) => ps.map((partition) => ({ topic, partition })));
    const existing = await this.listTopics();
    const topics = sub.kind === "subscribe" ? sub.topics.filter((t) => existing.includes(t)) : existing.filter((t) => sub.pattern.test(t));
    const out: TopicPartition[] = [];
    for (const topic of topics) {
      let count: number;
      try {
        // Fresh metadata: partitions may have been added since the last trigger.
        count = (await this.calls.run(`metadata of topic '${topic}'`, () => this.consumer.metadata({ topics: [topic], forceUpdate: true }), { params: { topic } })).topics.get(topic)?.partitionsCount ?? 0;
      } catch (e) {
        if (await this.isGone(topic, e)) continue;
        throw e;
      }
      for (let partition = 0; partition < count; partition++) out.push({ topic, partition });
    }
    return out;
  }

  private async listTopics(): Promise<string[]> {
    return (await this.calls.run("listing topics", () => this.adminClient().listTopics())).filter((t) => !t.startsWith("__"));
  }

  /** Whether `e` came from `topic` having been deleted since it was listed. */
  private async isGone(topic: string, e: unknown): Promise<boolean> {
    if (e instanceof SluiceError && e.code !== "IO_ERROR") return false; // the brokers failed, not the topic
    return /unknown topic/i.test(String((e as Error).message)) || !(await this.listTopics()).includes(topic);
  }

  /**
   * Earliest (log start), latest (high watermark, or last stable offset when reading committed), high watermark or first-at-time
   * offset of each partition, keyed `topic/partition`. One request for all topics; topic by topic only when it fails,
   * so that a topic deleted meanwhile just has no offsets (the caller decides whether that is data loss).
   */
  async offsets(tps: readonly TopicPartition[], which: "earliest" | "latest" | "highWatermark" | { readonly timestampMs: number }): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (tps.length === 0) return out;
    const partitions: Record<string, number[]> = {};
    for (const tp of tps) (partitions[tp.topic] ??= []).push(tp.partition);
    const timestamp = which === "earliest" ? -2n : which === "latest" || which === "highWatermark" ? -1n : BigInt(which.timestampMs);
    // "highWatermark": the end of the log whatever the isolation level, open transactions included.
    const isolationLevel = which === "highWatermark" ? 0 : this.isolationLevel;
    const request = async (topics: string[]): Promise<void> => {
      const what = `listing the ${typeof which === "string" ? which : `at-${which.timestampMs}`} offsets of ${topics.join(",")}`;
      const res = await this.calls.run(what, () => this.consumer.listOffsets({ topics, partitions: Object.fromEntries(topics.map((t) => [t, partitions[t]!])), timestamp, isolationLevel }), { params: { topic: topics.join(",") } });
      for (const t of topics) for (const p of partitions[t]!) { const o = res.get(t)?.[p]; if (o !== undefined) out.set(`${t}/${p}`, Number(o)); }
    };
    const topics = Object.keys(partitions);
    try {
      await request(topics);
    } catch (e) {
      // The brokers themselves failing is not a deleted topic: no point asking topic by topic.
      if (e instanceof SluiceError && e.code !== "IO_ERROR") throw e;
      for (const topic of topics) {
        try { await request([topic]); } catch (e) {
          if (await this.isGone(topic, e)) continue;
          throw e;
        }
      }
    }
    return out;
  }

  /**
   * Records with offsets in [from, until) of one partition. `onMissing` is told the first offset that still exists
   * when `from` is no longer in the log (retention, deletion); the read then goes on from there.
   */
  async fetch(tp: TopicPartition, from: number, until: number, onMissing: (firstAvailable: number) => void): Promise<FetchedRecord[]> {
    const out: FetchedRecord[] = [];
    if (from >= until) return out;
    const md = await this.calls.run(`metadata of topic '${tp.topic}'`, () => this.consumer.metadata({ topics: [tp.topic] }), { params: { topic: tp.topic } });
    const tm = md.topics.get(tp.topic);
    let leader = tm?.partitions[tp.partition]?.leader;
    if (tm === undefined || leader === undefined) {
      onMissing(until);
      return out;
    }
    let next = from;
    let idle = 0;
    while (next < until) {
      const res = await this.calls.run(`fetch of ${tp.topic}-${tp.partition} at offset ${next}`, async () => {
        const r = await this.consumer.fetch({
          node: leader!, maxWaitTime: 100, minBytes: 1, maxBytes: 64 * 1024 * 1024, isolationLevel: this.isolationLevel,
          topics: [{ topicId: tm.id, partitions: [{ partition: tp.partition, currentLeaderEpoch: -1, fetchOffset: BigInt(next), lastFetchedEpoch: -1, partitionMaxBytes: 16 * 1024 * 1024 }] }],
        });
        const code = r.responses[0]?.partitions.find((p) => p.partitionIndex === tp.partition)?.errorCode ?? 0;
        if (TRANSIENT_FETCH_ERRORS.has(code)) {
          leader = (await this.consumer.metadata({ topics: [tp.topic], forceUpdate: true })).topics.get(tp.topic)?.partitions[tp.partition]?.leader ?? leader;
          throw Object.assign(new Error(`the broker answered the fetch with error code ${code}`), { canRetry: true });
        }
        return r;
      }, { params: { topic: tp.topic, partition: tp.partition } });
      const pr = res.responses[0]?.partitions.find((p) => p.partitionIndex === tp.partition);
      if (pr === undefined) throw new SluiceError("IO_ERROR", `Kafka returned no data for ${tp.topic}-${tp.partition}; check that the topic exists and the broker is reachable.`, { params: { topic: tp.topic, partition: tp.partition } });
      if (pr.errorCode === OFFSET_OUT_OF_RANGE) {
        const earliest = (await this.offsets([tp], "earliest")).get(`${tp.topic}/${tp.partition}`) ?? until;
        onMissing(Math.min(earliest, until));
        next = Math.max(next, Math.min(earliest, until));
        continue;
      }
      if (pr.errorCode !== 0) throw new SluiceError("IO_ERROR", `Kafka fetch of ${tp.topic}-${tp.partition} at offset ${next} failed with error code ${pr.errorCode}.`, { params: { topic: tp.topic, partition: tp.partition, errorCode: pr.errorCode } });
      const before = next;
      // read_committed: the records of aborted transactions are skipped as Kafka's consumer does.
      const aborted = this.isolationLevel === 1 ? new AbortedTransactions(pr.abortedTransactions) : undefined;
      for (const batch of pr.records ?? []) {
        const logAppend = (batch.attributes & 0x08) !== 0;
        const isControl = (batch.attributes & 0x20) !== 0;
        const isAborted = aborted?.skips(batch) ?? false;
        for (const r of batch.records) {
          const offset = Number(batch.firstOffset) + r.offsetDelta;
          if (offset < next) continue;
          if (offset >= until) { next = until; break; }
          next = offset + 1;
          if (isControl || isAborted) continue;
          out.push({ offset, key: r.key, value: r.value, timestampMs: Number(logAppend ? batch.maxTimestamp : batch.firstTimestamp + r.timestampDelta), timestampType: logAppend ? 1 : 0, headers: r.headers });
        }
        // A batch may end with offsets the broker compacted away or aborted: skip to after it.
        const last = Number(batch.firstOffset) + batch.lastOffsetDelta + 1;
        if (last > next && last <= until) next = last;
      }
      if (next === before) {
        // Nothing at `next` although the range says there is: compacted away, or not yet visible.
        const hw = Number(pr.highWatermark);
        if (hw >= until && ++idle > 3) next = until;
        else if (hw < until && ++idle > 50) throw new SluiceError("IO_ERROR", `Kafka partition ${tp.topic}-${tp.partition} ends at offset ${hw}, before the batch's end offset ${until}; was the topic recreated?`, { params: { topic: tp.topic, partition: tp.partition } });
      } else idle = 0;
    }
    return out;
  }

  /** Creates a topic (for Sluice's own bookkeeping topics). */
  async createTopic(topic: string, partitions: number): Promise<void> {
    await this.calls.run(`creating topic '${topic}'`, () => this.adminClient().createTopics({ topics: [topic], partitions, replicas: 1 }), { params: { topic } });
  }

  /** Sets `group`'s committed offsets (for lag monitoring; the group never consumes). */
  async publishGroupOffsets(group: string, offsets: ReadonlyMap<string, number>): Promise<void> {
    const byTopic = new Map<string, { partition: number; offset: bigint }[]>();
    for (const [k, o] of offsets) {
      const i = k.lastIndexOf("/");
      const list = byTopic.get(k.slice(0, i)) ?? [];
      list.push({ partition: Number(k.slice(i + 1)), offset: BigInt(o) });
      byTopic.set(k.slice(0, i), list);
    }
    await this.calls.run(`publishing the offsets of consumer group '${group}'`, () => this.adminClient().alterConsumerGroupOffsets({ groupId: group, topics: [...byTopic].map(([name, partitionOffsets]) => ({ name, partitionOffsets })) }));
  }

  /** Closes the connections; returns within the close timeout whatever state the brokers are in. */
  async close(): Promise<void> {
    await Promise.all([this.calls.settle("closing the consumer", () => this.consumer.close(true)), this.admin === undefined ? undefined : this.calls.settle("closing the admin client", () => this.admin!.close())]);
  }
}
