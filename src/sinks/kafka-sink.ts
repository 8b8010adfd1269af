/**
 * `format("kafka")` as a sink (Spark's KafkaSink / KafkaWriter): each row becomes a record from its `value`
 * (required), `key`, `topic`, `partition` and `headers` columns; the `topic` option, when set, overrides the column.
 * Guarantee: at least once, as in Spark — a batch re-run after a failure sends its records again. The producer is
 * idempotent, so retries inside one run never duplicate a record.
 *
 * With `option("transactional", "true")`: exactly once per batch, for consumers that read committed
 * (`isolation.level=read_committed`). Each batch's records and a marker record (the batch id) go to Kafka in one
 * transaction; the markers live in the topic `sluice-commits-<query id>` (or `transactionMarkerTopic`), so a batch
 * re-run after a crash finds its marker and sends nothing, and the transactional id `sluice-<query id>` fences a
 * zombie writer of the same query.
 */
import { Producer } from "@platformatic/kafka";
import type { RecordBatch } from "../columnar/record-batch.js";
import { AnalysisException, SluiceError } from "../errors/sluice-error.js";
import { simpleString, type StructType } from "../types/data-type.js";
import type { Sink } from "./sink.js";
import { crashPoint } from "../streaming/crash-points.js";
import { KafkaClient } from "../sources/kafka/kafka-client.js";
import { KafkaCalls, kafkaTimeouts } from "../sources/kafka/kafka-calls.js";
import { kafkaConnection, type KafkaConnectionOptions } from "../sources/kafka/kafka-connection.js";

export interface KafkaSinkOptions {
  readonly bootstrapServers: readonly string[];
  /** The `topic` option: every record goes there, whatever a `topic` column says. */
  readonly topic: string | undefined;
  readonly client: Readonly<Record<string, string>>;
  readonly transactional: boolean;
  readonly markerTopic: string | undefined;
}

/** Validates the sink's options and the query's output columns as Spark's KafkaWriter.validateQuery does. */
export function kafkaSinkOptions(options: Readonly<Record<string, string>>, schema: StructType): KafkaSinkOptions {
  const client: Record<string, string> = {};
  for (const [k, v] of Object.entries(options)) if (k.toLowerCase().startsWith("kafka.")) client[k.slice(6).toLowerCase()] = v;
  for (const key of ["key.serializer", "value.serializer"]) {
    if (client[key] !== undefined) throw new AnalysisException("INVALID_OPTION", `Kafka option '${key}' is not supported as ${key.split(".")[0]}s are serialized with ByteArraySerializer. Use DataFrame operations to explicitly serialize the ${key.split(".")[0]}s into either strings or byte arrays.`, { params: { option: `kafka.${key}` } });
  }
  const servers = client["bootstrap.servers"];
  if (servers === undefined || servers.trim() === "") throw new AnalysisException("INVALID_OPTION", "Option 'kafka.bootstrap.servers' must be specified for configuring Kafka producer", { params: { option: "kafka.bootstrap.servers" } });
  const field = (name: string) => schema.fields.find((f) => f.name.toLowerCase() === name);
  const opt = (name: string): string | undefined => Object.entries(options).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  const topicOption = opt("topic");
  const kinds = (name: string, allowed: readonly string[], message: string): void => {
    const f = field(name);
    if (f !== undefined && !allowed.includes(f.dataType.kind)) throw new AnalysisException("INVALID_OPTION", message, { params: { column: name, type: simpleString(f.dataType) } });
  };
  if (topicOption === undefined && field("topic") === undefined) {
    throw new AnalysisException("INVALID_OPTION", "topic option required when no 'topic' attribute is present. Use the topic option for setting a topic.", { params: { option: "topic" } });
  }
  kinds("topic", ["string"], "topic attribute type must be a StringType");
  kinds("key", ["string", "binary"], "key attribute type must be a StringType or BinaryType");
  if (field("value") === undefined) throw new AnalysisException("INVALID_OPTION", "Required attribute 'value' not found", { params: { column: "value" } });
  kinds("value", ["string", "binary"], "value attribute type must be a StringType or BinaryType");
  kinds("partition", ["integer"], "partition attribute type must be an IntegerType");
  const headers = field("headers");
  if (headers !== undefined && simpleString(headers.dataType) !== "array<struct<key:string,value:binary>>") {
    throw new AnalysisException("INVALID_OPTION", "headers attribute type must be an ArrayType[StructType[key: StringType, value: BinaryType]]", { params: { column: "headers" } });
  }
  return {
    bootstrapServers: servers.split(",").map((s) => s.trim()).filter((s) => s !== ""), topic: topicOption, client,
    transactional: (opt("transactional") ?? "false").toLowerCase() === "true", markerTopic: opt("transactionMarkerTopic"),
  };
}

const bytes = (v: unknown): Buffer | undefined => (v === null || v === undefined ? undefined : typeof v === "string" ? Buffer.from(v, "utf8") : Buffer.from(v as Uint8Array));

interface OutMessage { topic: string; key?: Buffer; value?: Buffer; partition?: number; headers?: Map<Buffer, Buffer> }

/** The records of some batches, in row order. */
export function kafkaMessages(opts: KafkaSinkOptions, schema: StructType, batches: readonly RecordBatch[]): OutMessage[] {
  const at = (name: string): number => schema.fields.findIndex((f) => f.name.toLowerCase() === name);
  const [ti, ki, vi, pi, hi] = [at("topic"), at("key"), at("value"), at("partition"), at("headers")];
  const out: OutMessage[] = [];
  for (const b of batches) for (const row of b.rows()) {
    const topic = opts.topic ?? (row[ti] as string | null);
    if (topic === null || topic === undefined) throw new SluiceError("INVALID_OPTION", "null topic present in the data. Use the topic option for setting a default topic.", { params: { option: "topic" } });
    const m: OutMessage = { topic };
    const key = ki < 0 ? undefined : bytes(row[ki]);
    const value = bytes(row[vi]);
    if (key !== undefined) m.key = key;
    if (value !== undefined) m.value = value;
    if (pi >= 0 && row[pi] !== null) m.partition = row[pi] as number;
    if (hi >= 0 && Array.isArray(row[hi])) m.headers = new Map((row[hi] as [string, Uint8Array | null][]).map(([k, v]) => [Buffer.from(k ?? ""), Buffer.from(v ?? new Uint8Array())]));
    out.push(m);
  }
  return out;
}

/** Sends records in requests under Kafka's default 1 MB message-batch limit. */
export async function sendAll(send: (messages: OutMessage[]) => Promise<unknown>, messages: readonly OutMessage[]): Promise<void> {
  let chunk: OutMessage[] = [], size = 0;
  const flush = async (): Promise<void> => { if (chunk.length > 0) await send(chunk); chunk = []; size = 0; };
  for (const m of messages) {
    const n = (m.value?.length ?? 0) + (m.key?.length ?? 0) + 64;
    if (size + n > 512 * 1024) await flush();
    chunk.push(m); size += n;
  }
  await flush();
}

const topicsOf = (messages: readonly OutMessage[]): string => [...new Set(messages.map((m) => m.topic))].join(",");

export class KafkaSink implements Sink {
  readonly description: string;
  private producer: Producer<Buffer, Buffer, Buffer, Buffer> | undefined;
  private sent = 0;
  /** Transactional mode: the newest batch id whose transaction committed (read from the marker topic once). */
  private lastCommitted: number | undefined | null = null;
  private readonly markerTopic: string;
  private readonly connection: KafkaConnectionOptions;
  /** Deadlines (`max.block.ms` for each producer call), retries with backoff, coded errors. */
  private readonly calls: KafkaCalls;

  constructor(private readonly opts: KafkaSinkOptions, private readonly queryId: string) {
    this.description = `KafkaSink[${opts.topic ?? "topic column"}${opts.transactional ? ", transactional" : ""}]`;
    this.markerTopic = opts.markerTopic ?? `sluice-commits-${queryId}`;
    this.connection = kafkaConnection(opts.client);
    this.calls = new KafkaCalls(opts.bootstrapServers.join(","), kafkaTimeouts(opts.client));
  }

  private newProducer(transactional: boolean): Producer<Buffer, Buffer, Buffer, Buffer> {
    return new Producer({ ...this.connection, bootstrapBrokers: [...this.opts.bootstrapServers], idempotent: true, ...(transactional ? { transactionalId: `sluice-${this.queryId}` } : {}) });
  }

  async addBatch(batchId: number, partitions: readonly (readonly RecordBatch[])[], schema: StructType): Promise<void> {
    const messages = kafkaMessages(this.opts, schema, partitions.flat());
    const budgetMs = this.calls.timeouts.maxBlockMs;
    if (!this.opts.transactional) {
      const producer = (this.producer ??= this.newProducer(false));
      // At least once (as Spark's sink): a send retried after a failure may write its records again.
      await sendAll((chunk) => this.calls.run(`send of batch ${batchId} to ${topicsOf(chunk)}`, () => producer.send({ messages: chunk }), { budgetMs, retryUnknownTopic: true, params: { topic: topicsOf(chunk), batchId } }), messages);
      crashPoint("mid-sink", batchId); // the batch's records produced, the batch not committed
      this.sent = messages.length;
      return;
    }
    // A failed transaction is aborted and the whole batch tried again with a fresh producer, within max.block.ms;
    // whether a commit that failed half way went through is read back from the markers first.
    if (this.lastCommitted !== null && this.lastCommitted !== undefined && batchId <= this.lastCommitted) { this.sent = 0; return; }
    const started = Date.now();
    let delay = this.calls.timeouts.backoffMs;
    for (let attempt = 1; ; attempt++) {
      try {
        this.sent = await this.transaction(batchId, messages, Math.max(1, budgetMs - (Date.now() - started)));
        return;
      } catch (e) {
        await this.dropProducer();
        this.lastCommitted = null;
        const left = budgetMs - (Date.now() - started);
        if (!(e instanceof SluiceError) || !e.retryable || left <= delay) throw e;
        this.calls.retries++;
        this.calls.logRetry(`transaction of batch ${batchId}`, e.message, attempt, delay, left, budgetMs);
        await new Promise((r) => setTimeout(r, delay));
        delay = this.calls.nextDelay(delay);
      }
    }
  }

  /**
   * One try at writing a batch and its marker in one transaction (aborted when anything fails); the records sent.
   * The transaction begins before the markers are read: its new epoch fences older writers of the query, and the
   * broker aborts a transaction a crashed run left open, so the read need not wait for that one to time out.
   */
  private async transaction(batchId: number, messages: readonly OutMessage[], budgetMs: number): Promise<number> {
    const producer = (this.producer ??= this.newProducer(true));
    const params = { batchId, topic: topicsOf(messages) };
    // -1/-1 asks the broker for a fresh session of this transactional id (the client would send 0/0, which a broker
    // that knows the id refuses as fenced).
    const txn = await this.calls.run(`beginning the transaction of batch ${batchId}`, () => producer.beginTransaction({ producerId: -1n, producerEpoch: -1 }), { budgetMs, attemptMs: budgetMs, params });
    // A missing topic fails this try at once; the batch's tries wait for it up to max.block.ms.
    const once = { budgetMs, attemptMs: budgetMs, once: true, retryUnknownTopic: true, params };
    try {
      if (this.lastCommitted === null) this.lastCommitted = await this.readLastMarker();
      // Committed before a crash: nothing to send. Kafka cannot end a transaction that wrote nothing, so this one
      // writes the newest marker again (which changes no answer).
      const replay = this.lastCommitted !== undefined && batchId <= this.lastCommitted;
      const marker = replay ? this.lastCommitted! : batchId;
      const records = replay ? [] : messages;
      await sendAll((chunk) => this.calls.run(`send of batch ${batchId} to ${topicsOf(chunk)}`, () => txn.send({ messages: chunk }), once),
        [...records, { topic: this.markerTopic, key: Buffer.from(this.queryId), value: Buffer.from(String(marker)) }]);
      crashPoint("mid-sink", batchId); // records and marker sent in the open transaction, not committed
      await this.calls.run(`commit of the transaction of batch ${batchId}`, () => txn.commit(), once);
      this.lastCommitted = marker;
      return records.length;
    } catch (e) {
      await this.calls.settle(`abort of the transaction of batch ${batchId}`, () => txn.abort());
      throw e;
    }
  }

  private async dropProducer(): Promise<void> {
    const p = this.producer;
    this.producer = undefined;
    if (p !== undefined) await this.calls.settle("closing the producer", () => p.close(true));
  }

  /**
   * The batch id in this query's newest committed marker (creating the marker topic on first use). Exact whatever
   * else the topic holds: it waits until every transaction open at the start is decided (the last stable offset has
   * reached the high watermark of then, so no committed marker of this query can be hidden behind an open
   * transaction), then reads back from the end in growing windows until a marker of this query turns up.
   */
  private async readLastMarker(): Promise<number | undefined> {
    const client = new KafkaClient(this.opts.bootstrapServers, { ...this.opts.client, "isolation.level": "read_committed" });
    try {
      const tp = { topic: this.markerTopic, partition: 0 };
      const key = `${tp.topic}/0`;
      if ((await client.partitions({ kind: "subscribe", topics: [this.markerTopic] })).length === 0) {
        await client.createTopic(this.markerTopic, 1);
        return undefined;
      }
      const end = (await client.offsets([tp], "highWatermark")).get(key) ?? 0;
      const waitMs = Number(this.opts.client["transaction.timeout.ms"] ?? 60_000) + 30_000;
      for (const started = Date.now(); ((await client.offsets([tp], "latest")).get(key) ?? 0) < end;) {
        if (Date.now() - started > waitMs) {
          throw new SluiceError("IO_ERROR", `An open transaction in the marker topic '${this.markerTopic}' was not decided within ${waitMs} ms, so whether batches of this query committed cannot be read; the batch will be retried.`, { params: { topic: this.markerTopic }, retryable: true });
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      const start = (await client.offsets([tp], "earliest")).get(key) ?? 0;
      for (let until = end, window = 256; until > start; window = Math.min(window * 4, 1 << 20)) {
        const from = Math.max(start, until - window);
        const mine = (await client.fetch(tp, from, until, () => undefined)).filter((r) => r.key?.toString() === this.queryId);
        const last = mine.at(-1);
        if (last !== undefined) return Number(last.value!.toString());
        until = from;
      }
      return undefined;
    } finally {
      await client.close();
    }
  }

  metrics(): Record<string, string> { return { recordsSent: String(this.sent), kafkaRetries: String(this.calls.retries) }; }

  /** Returns within the close timeout whatever state the brokers are in. */
  async stop(): Promise<void> {
    const p = this.producer;
    this.producer = undefined;
    if (p !== undefined) await this.calls.settle("closing the producer", () => p.close());
  }
}
