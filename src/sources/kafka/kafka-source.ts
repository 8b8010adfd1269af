/**
 * `format("kafka")` as a streaming source (Spark's KafkaMicroBatchStream). An offset is the next offset to read of
 * every partition, as Spark writes it into `offsets/N`:
 *
 *     {"events":{"0":1200,"1":1187}}
 *
 * The offsets the query started from are fixed once, in `sources/<i>/0`, so a restart never re-resolves `latest`:
 *
 *     v1
 *     {"events":{"0":0,"1":0}}
 *
 * Partitions that appear later are read from their earliest offset. Nothing is committed to Kafka.
 */
import { MetadataLog } from "../../checkpoint/metadata-log.js";
import type { ColumnVector } from "../../columnar/column-vector.js";
import { RecordBatch } from "../../columnar/record-batch.js";
import { SluiceError } from "../../errors/sluice-error.js";
import { BinaryType, IntegerType, LongType, StringType, TimestampType, arrayType, structField, structType, type StructType } from "../../types/data-type.js";
import type { BatchScan, Offset, ReadLimit, SourceContext, StreamingSource } from "../streaming-source.js";
import { KafkaClient, type FetchedRecord, type TopicPartition } from "./kafka-client.js";
import type { KafkaSourceOptions, PartitionOffsets, StartingOffsets } from "./kafka-options.js";
import type { KafkaInputPartition } from "../../execution/parallel/task.js";

/** What a read from `from` found when Kafka no longer has it (retention, deletion). */
export function recordsLost(tp: TopicPartition, from: number, firstAvailable: number): string {
  return `Cannot fetch offset ${from} of ${tp.topic}-${tp.partition}: the earliest offset still in Kafka is ${firstAvailable}; records were lost to retention or deletion.`;
}

/** failOnDataLoss=true: fail with KAFKA_DATA_LOSS naming the option; false: warn and go on with what exists. */
export function reportDataLoss(message: string, failOnDataLoss: boolean): void {
  if (failOnDataLoss) {
    throw new SluiceError("KAFKA_DATA_LOSS", `${message} If you want your streaming query to continue in such cases, set the source option 'failOnDataLoss' to 'false'.`, { params: {} });
  }
  console.warn(`[sluice] ${message} Continuing, as failOnDataLoss is false.`);
}

/** Spark's Kafka row schema; `headers` only with `includeHeaders`. */
export function kafkaSchema(includeHeaders: boolean): StructType {
  return structType([
    structField("key", BinaryType, true), structField("value", BinaryType, true), structField("topic", StringType, true),
    structField("partition", IntegerType, true), structField("offset", LongType, true), structField("timestamp", TimestampType, true),
    structField("timestampType", IntegerType, true),
    ...(includeHeaders ? [structField("headers", arrayType(structType([structField("key", StringType, true), structField("value", BinaryType, true)]), true), true)] : []),
  ]);
}

const tpKey = (tp: TopicPartition): string => `${tp.topic}/${tp.partition}`;

function toMap(o: PartitionOffsets): Map<string, number> {
  const m = new Map<string, number>();
  for (const [topic, ps] of Object.entries(o)) for (const [p, off] of Object.entries(ps)) m.set(`${topic}/${p}`, off);
  return m;
}

function fromMap(m: ReadonlyMap<string, number>): PartitionOffsets {
  const out: Record<string, Record<string, number>> = {};
  const keys = [...m.keys()].sort((a, b) => {
    const [ta, pa] = [a.slice(0, a.lastIndexOf("/")), Number(a.slice(a.lastIndexOf("/") + 1))];
    const [tb, pb] = [b.slice(0, b.lastIndexOf("/")), Number(b.slice(b.lastIndexOf("/") + 1))];
    return ta < tb ? -1 : ta > tb ? 1 : pa - pb;
  });
  for (const k of keys) {
    const i = k.lastIndexOf("/");
    (out[k.slice(0, i)] ??= {})[k.slice(i + 1)] = m.get(k)!;
  }
  return out;
}

const parseKey = (k: string): TopicPartition => ({ topic: k.slice(0, k.lastIndexOf("/")), partition: Number(k.slice(k.lastIndexOf("/") + 1)) });

/** One partition's records as a batch of Spark's Kafka rows. */
export function recordsToBatch(schema: StructType, tp: TopicPartition, records: readonly FetchedRecord[], includeHeaders: boolean): RecordBatch {
  const n = records.length;
  const keys = new Array<unknown>(n), values = new Array<unknown>(n), topics = new Array<unknown>(n);
  const partitions = new Int32Array(n), offsets = new Float64Array(n), timestamps = new Float64Array(n), types = new Int32Array(n);
  const headers = includeHeaders ? new Array<unknown>(n) : undefined;
  for (let i = 0; i < n; i++) {
    const r = records[i]!;
    keys[i] = r.key; values[i] = r.value; topics[i] = tp.topic;
    partitions[i] = tp.partition; offsets[i] = r.offset; timestamps[i] = r.timestampMs * 1000; types[i] = r.timestampType;
    if (headers) headers[i] = r.headers.map(([k, v]) => [k === null ? null : k.toString("utf8"), v]);
  }
  const col = (i: number, vals: ColumnVector["values"]): ColumnVector => ({ type: schema.fields[i]!.dataType, length: n, values: vals, nulls: null });
  return new RecordBatch(schema, [
    col(0, keys), col(1, values), col(2, topics), col(3, partitions), col(4, offsets), col(5, timestamps), col(6, types),
    ...(headers ? [col(7, headers)] : []),
  ], n);
}

export class KafkaSource implements StreamingSource {
  readonly schema: StructType;
  readonly description: string;
  private constructor(private readonly opts: KafkaSourceOptions, private readonly client: KafkaClient, private readonly initial: ReadonlyMap<string, number>) {
    this.schema = kafkaSchema(opts.includeHeaders);
    const sub = opts.subscription;
    this.description = `KafkaV2[${sub.kind === "subscribe" ? `Subscribe[${sub.topics.join(",")}]` : sub.kind === "assign" ? `Assign[${Object.entries(sub.partitions).flatMap(([t, ps]) => ps.map((p) => `${t}-${p}`)).join(", ")}]` : `SubscribePattern[${sub.pattern.source.slice(4, -2)}]`}]`;
  }

  /** Opens the source, fixing its starting offsets in the checkpoint on the query's first run. */
  static async create(opts: KafkaSourceOptions, ctx: SourceContext): Promise<KafkaSource> {
    const client = new KafkaClient(opts.bootstrapServers, opts.client);
    const log = new MetadataLog(ctx.fs, ctx.metadataPath, "kafka source");
    let text = await log.getText(0);
    if (text === undefined) {
      const initial = await resolveOffsets(client, opts, opts.startingOffsets);
      await log.add(0, JSON.stringify(fromMap(initial)));
      text = await log.getText(0);
    }
    return new KafkaSource(opts, client, toMap(log.parseJson(text!, 0) as PartitionOffsets));
  }

  /** When the last batch was allowed to run (for minOffsetsPerTrigger / maxTriggerDelay); the query's start counts. */
  private lastTriggerMs = Date.now();

  defaultReadLimit(): ReadLimit {
    return this.opts.maxOffsetsPerTrigger === undefined ? { kind: "all" } : { kind: "maxRows", n: this.opts.maxOffsetsPerTrigger };
  }

  async latestOffset(start: Offset | null, limit: ReadLimit): Promise<Offset | null> {
    const from = start === null ? new Map(this.initial) : toMap(start as PartitionOffsets);
    const tps = await this.client.partitions(this.opts.subscription);
    const latest = await this.client.offsets(tps, "latest");
    const fresh = tps.filter((tp) => !from.has(tpKey(tp)));
    const earliest = fresh.length === 0 ? new Map<string, number>() : await this.client.offsets(fresh, "earliest");
    for (const k of from.keys()) {
      if (!latest.has(k)) this.dataLoss(`Partition ${parseKey(k).topic}-${parseKey(k).partition} is gone (its topic was deleted or it is no longer subscribed).`, () => from.delete(k));
    }
    const begin = new Map<string, number>();
    for (const tp of tps) begin.set(tpKey(tp), from.get(tpKey(tp)) ?? earliest.get(tpKey(tp)) ?? 0);
    const end = new Map<string, number>();
    for (const [k, b] of begin) end.set(k, Math.max(b, latest.get(k) ?? b));
    if (limit.kind === "maxRows") rateLimit(begin, end, limit.n);
    // minOffsetsPerTrigger: skip this trigger while too few records wait, unless maxTriggerDelay has passed.
    const min = this.opts.minOffsetsPerTrigger;
    if (min !== undefined && start !== null) {
      let available = 0;
      for (const [k, e] of end) available += e - begin.get(k)!;
      const now = Date.now();
      if (available < min && now - this.lastTriggerMs < this.opts.maxTriggerDelayMs) return start;
      this.lastTriggerMs = now;
    }
    return fromMap(end);
  }

  /** The offset range of each partition in (start, end]. */
  private async ranges(start: Offset | null, end: Offset): Promise<{ tp: TopicPartition; from: number; until: number }[]> {
    const from = start === null ? this.initial : toMap(start as PartitionOffsets);
    const out: { tp: TopicPartition; from: number; until: number }[] = [];
    for (const [k, u] of toMap(end as PartitionOffsets)) {
      const tp = parseKey(k);
      let f = from.get(k);
      if (f === undefined) f = (await this.client.offsets([tp], "earliest")).get(k) ?? 0; // a partition added since
      if (u < f) {
        this.dataLoss(`Partition ${tp.topic}-${tp.partition}'s offset went back from ${f} to ${u}; some data may have been missed (was the topic recreated?).`, () => undefined);
        continue;
      }
      if (u > f) out.push({ tp, from: f, until: u });
    }
    return out;
  }

  async getBatch(start: Offset | null, end: Offset): Promise<RecordBatch[]> {
    const out: RecordBatch[] = [];
    for (const { tp, from, until } of await this.ranges(start, end)) {
      const records = await this.client.fetch(tp, from, until, (first) => this.dataLoss(recordsLost(tp, from, first), () => undefined));
      if (records.length > 0) out.push(recordsToBatch(this.schema, tp, records, this.opts.includeHeaders));
    }
    return out;
  }

  /**
   * The batch as tasks for worker threads: one per partition's offset range, large ranges split so that there are
   * at least `minPartitions` (default: the `local[N]` parallelism) when the batch is big enough to be worth it.
   */
  async planInputPartitions(start: Offset | null, end: Offset, n: number): Promise<KafkaInputPartition[]> {
    const ranges = await this.ranges(start, end);
    const want = Math.max(this.opts.minPartitions ?? n, 1);
    const total = ranges.reduce((s, r) => s + (r.until - r.from), 0);
    const out: KafkaInputPartition[] = [];
    for (const r of ranges) {
      // Split a partition's range in proportion to its share of the batch (Spark's KafkaOffsetRangeCalculator).
      const pieces = ranges.length >= want || total < 10_000 ? 1 : Math.max(1, Math.round(want * (r.until - r.from) / total));
      for (let i = 0; i < pieces; i++) {
        const from = r.from + Math.floor((r.until - r.from) * i / pieces), until = r.from + Math.floor((r.until - r.from) * (i + 1) / pieces);
        if (until > from) {
          out.push({
            kind: "kafka", bootstrapServers: this.opts.bootstrapServers, client: this.opts.client, topic: r.tp.topic, partition: r.tp.partition,
            fromOffset: from, untilOffset: until, includeHeaders: this.opts.includeHeaders, failOnDataLoss: this.opts.failOnDataLoss,
          });
        }
      }
    }
    return out;
  }

  private dataLoss(message: string, goOn: () => void): void {
    reportDataLoss(message, this.opts.failOnDataLoss);
    goOn();
  }

  /** The batch up to `end` is committed: publish its offsets to the progress group, when asked (failures only warn). */
  async commit(end: Offset): Promise<void> {
    const group = this.opts.progressGroupId;
    if (group === undefined) return;
    try {
      await this.client.publishGroupOffsets(group, toMap(end as PartitionOffsets));
    } catch (e) {
      console.warn(`[sluice] could not publish progress to consumer group '${group}': ${(e as Error).message}`);
    }
  }
  /** Retries of failed Kafka calls (each also logged), in the progress's `sources[].metrics`. */
  metrics(): Record<string, string> { return { kafkaRetries: String(this.client.calls.retries) }; }

  offsetProblem(offset: Offset): string | undefined {
    const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
    const ok = isObject(offset) && Object.values(offset).every((ps) => isObject(ps) && Object.entries(ps).every(([p, o]) => /^\d+$/.test(p) && typeof o === "number" && Number.isInteger(o)));
    return ok ? undefined : `expected Kafka offsets {"<topic>": {"<partition>": <offset>}}, found ${JSON.stringify(offset).slice(0, 80)}`;
  }

  async stop(): Promise<void> { await this.client.close(); }
}

/** Moves `end` back so that at most `max` records are read, split by partition in proportion to what each has. */
function rateLimit(begin: ReadonlyMap<string, number>, end: Map<string, number>, max: number): void {
  let total = 0;
  for (const [k, e] of end) total += e - begin.get(k)!;
  if (total <= max) return;
  for (const [k, e] of end) {
    const b = begin.get(k)!;
    const share = max * ((e - b) / total);
    const n = share < 1 ? Math.ceil(share) : Math.floor(share);
    end.set(k, Math.min(e, b + n));
  }
}

/** The offsets `startingOffsets` names, with -2 (earliest) and -1 (latest) resolved against the broker. */
async function resolveOffsets(client: KafkaClient, opts: KafkaSourceOptions, start: StartingOffsets): Promise<Map<string, number>> {
  const tps = await client.partitions(opts.subscription);
  if (start.kind === "timestamp") return offsetsByTime(client, tps, start);
  if (start.kind !== "specific") return client.offsets(tps, start.kind);
  const given = toMap(start.offsets);
  const [earliest, latest] = await Promise.all([client.offsets(tps, "earliest"), client.offsets(tps, "latest")]);
  const out = new Map<string, number>();
  for (const tp of tps) {
    const k = tpKey(tp);
    const v = given.get(k);
    if (v === undefined) {
      if (opts.subscription.kind !== "subscribePattern") throw new SluiceError("INVALID_OPTION", `startingOffsets has no offset for ${tp.topic}-${tp.partition}; give every subscribed partition an offset (-2 earliest, -1 latest).`, { params: { option: "startingOffsets" } });
      out.set(k, earliest.get(k) ?? 0);
    } else out.set(k, v === -2 ? earliest.get(k) ?? 0 : v === -1 ? latest.get(k) ?? 0 : v);
  }
  return out;
}

/**
 * `spark.read.format("kafka")`: the records between `startingOffsets` (default earliest) and `endingOffsets`
 * (default latest, resolved when the DataFrame is read), one partition of rows per Kafka partition.
 */
export function kafkaBatchScan(opts: KafkaSourceOptions): BatchScan {
  const schema = kafkaSchema(opts.includeHeaders);
  return {
    description: `KafkaRelation(${opts.subscription.kind})`, schema,
    read: async () => {
      const client = new KafkaClient(opts.bootstrapServers, opts.client);
      try {
        const [from, until] = await Promise.all([resolveOffsets(client, opts, opts.startingOffsets), resolveOffsets(client, opts, opts.endingOffsets)]);
        const parts: RecordBatch[][] = [];
        for (const [k, u] of until) {
          const tp = parseKey(k), f = from.get(k) ?? 0;
          if (u < f) throw new SluiceError("INVALID_OPTION", `For ${tp.topic}-${tp.partition} the ending offset ${u} is before the starting offset ${f}.`, { params: { option: "endingOffsets" } });
          const records = await client.fetch(tp, f, u, (first) => reportDataLoss(recordsLost(tp, f, first), opts.failOnDataLoss));
          parts.push([recordsToBatch(schema, tp, records, opts.includeHeaders)]);
        }
        return parts.length === 0 ? [[]] : parts;
      } finally {
        await client.close();
      }
    },
  };
}

/** For each partition, the first offset at or after its start time; none there: fail, or the latest (the strategy). */
async function offsetsByTime(client: KafkaClient, tps: readonly TopicPartition[], start: Extract<StartingOffsets, { kind: "timestamp" }>): Promise<Map<string, number>> {
  const byTime = start.byPartition === undefined ? undefined : toMap(start.byPartition);
  // One listOffsets request per distinct start time (one in all for startingTimestamp).
  const atTime = new Map<number, TopicPartition[]>();
  for (const tp of tps) {
    const ts = start.all ?? byTime?.get(tpKey(tp));
    if (ts === undefined) throw new SluiceError("INVALID_OPTION", `startingOffsetsByTimestamp has no timestamp for ${tp.topic}-${tp.partition}; give every subscribed partition one.`, { params: { option: "startingOffsetsByTimestamp" } });
    const group = atTime.get(ts);
    if (group === undefined) atTime.set(ts, [tp]); else group.push(tp);
  }
  const found = new Map<string, number>();
  for (const [ts, group] of atTime) for (const [k, o] of await client.offsets(group, { timestampMs: ts })) found.set(k, o);
  const latest = start.ifNone === "latest" ? await client.offsets(tps, "latest") : new Map<string, number>();
  const out = new Map<string, number>();
  for (const tp of tps) {
    const k = tpKey(tp), ts = start.all ?? byTime!.get(k)!;
    const at = found.get(k);
    if (at !== undefined && at >= 0) out.set(k, at);
    else if (start.ifNone === "latest") out.set(k, latest.get(k) ?? 0);
    else throw new SluiceError("INVALID_OPTION", `No offset matched from request of topic-partition ${tp.topic}-${tp.partition} and timestamp ${ts}. Set startingOffsetsByTimestampStrategy to 'latest' to start there instead.`, { params: { option: "startingTimestamp" } });
  }
  return out;
}
