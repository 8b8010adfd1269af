/**
 * The Kafka source's options, validated as Spark validates them (`KafkaSourceProvider`): one subscription strategy,
 * `kafka.bootstrap.servers`, starting offsets, rate limits, and the consumer settings Spark refuses because the
 * source manages offsets and deserialization itself.
 */
import { AnalysisException } from "../../errors/sluice-error.js";
import { parseDurationMs } from "../../streaming/trigger.js";

/** Partition offsets by topic, as Spark writes them: `{"events":{"0":23,"1":-1}}` (-2 earliest, -1 latest). */
export type PartitionOffsets = Readonly<Record<string, Readonly<Record<string, number>>>>;

export type Subscription =
  | { readonly kind: "subscribe"; readonly topics: readonly string[] }
  | { readonly kind: "subscribePattern"; readonly pattern: RegExp }
  | { readonly kind: "assign"; readonly partitions: Readonly<Record<string, readonly number[]>> };

export type StartingOffsets =
  | { readonly kind: "earliest" } | { readonly kind: "latest" } | { readonly kind: "specific"; readonly offsets: PartitionOffsets }
  /** The first offset whose record timestamp is at or after the time (ms), for every partition or per partition. */
  | { readonly kind: "timestamp"; readonly all: number | undefined; readonly byPartition: PartitionOffsets | undefined; readonly ifNone: "error" | "latest" };

export interface KafkaSourceOptions {
  readonly bootstrapServers: readonly string[];
  readonly subscription: Subscription;
  readonly startingOffsets: StartingOffsets;
  readonly endingOffsets: StartingOffsets;
  readonly maxOffsetsPerTrigger: number | undefined;
  /** With `maxTriggerDelayMs`: wait for this many new records before running a batch, at most that long. */
  readonly minOffsetsPerTrigger: number | undefined;
  readonly maxTriggerDelayMs: number;
  /** Desired minimum number of tasks per batch (large partition ranges are split). */
  readonly minPartitions: number | undefined;
  readonly failOnDataLoss: boolean;
  readonly includeHeaders: boolean;
  /** Sluice's `progressGroupId`: after each committed batch, its end offsets are published to this consumer group, so
   * ordinary lag monitoring works. Never read back: the checkpoint stays the source of truth. */
  readonly progressGroupId: string | undefined;
  /** Client settings passed through (`kafka.*` without the prefix), e.g. `security.protocol`, `sasl.*`. */
  readonly client: Readonly<Record<string, string>>;
}

const STRATEGIES = ["assign", "subscribe", "subscribePattern"] as const;

/** Consumer settings the source owns, with Spark's explanation of why each is refused. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  "group.id": "Kafka option 'group.id' is not supported as user-specified consumer groups are not used to track offsets.",
  "auto.offset.reset": "Kafka option 'auto.offset.reset' is not supported. Instead set the source option 'startingoffsets' to 'earliest' or 'latest' to specify where to start. Structured Streaming manages which offsets are consumed internally, rather than relying on the kafkaConsumer to do it. This will ensure that no data is missed when new topics/partitions are dynamically subscribed. Note that 'startingoffsets' only applies when a new Streaming query is started, and that resuming will always pick up from where the query left off. See the docs for more details.",
  "key.deserializer": "Kafka option 'key.deserializer' is not supported as keys are deserialized as byte arrays with ByteArrayDeserializer. Use DataFrame operations to explicitly deserialize the keys.",
  "value.deserializer": "Kafka option 'value.deserializer' is not supported as values are deserialized as byte arrays with ByteArrayDeserializer. Use DataFrame operations to explicitly deserialize the values.",
  "enable.auto.commit": "Kafka option 'enable.auto.commit' is not supported as offsets are tracked in the query's checkpoint, not committed by the consumer.",
  "interceptor.classes": "Kafka option 'interceptor.classes' is not supported as input records are processed as raw bytes.",
};

function invalid(option: string, message: string): AnalysisException {
  return new AnalysisException("INVALID_OPTION", message, { params: { option } });
}

/** Reads `{"topic":{"0":23}}` offsets (or `{"topic":[0,1]}` partition lists for `assign`). */
function parseJson(option: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new AnalysisException("INVALID_OPTION", `Expected e.g. {"topicA":{"0":23,"1":-1},"topicB":{"0":-2}} for option '${option}', got ${text}`, { cause: e, params: { option, value: text } });
  }
}

function parseOffsets(option: string, raw: string | undefined, dflt: "earliest" | "latest", allowLatestOnly: "start" | "end", batchStart = false): StartingOffsets {
  const v = (raw ?? dflt).trim();
  if (v.toLowerCase() === "earliest") {
    if (allowLatestOnly === "end") throw invalid(option, "ending offset can't be earliest for batch queries on Kafka");
    return { kind: "earliest" };
  }
  if (v.toLowerCase() === "latest") {
    if (batchStart) throw invalid(option, "starting offset can't be latest for batch queries on Kafka");
    return { kind: "latest" };
  }
  const json = parseJson(option, v);
  const ok = json !== null && typeof json === "object" && !Array.isArray(json)
    && Object.values(json).every((p) => p !== null && typeof p === "object" && !Array.isArray(p) && Object.entries(p as object).every(([k, o]) => /^\d+$/.test(k) && Number.isInteger(o) && (o as number) >= -2));
  if (!ok) throw invalid(option, `Expected e.g. {"topicA":{"0":23,"1":-1},"topicB":{"0":-2}} for option '${option}', got ${v}`);
  return { kind: "specific", offsets: json as PartitionOffsets };
}

/** Spark's time strings (`Utils.timeStringAsMs`): `1500ms`, `10s`, `15m`, `2h`, `1d` (a bare number is ms), or an interval. */
function timeStringAsMs(v: string, option: string): number {
  const m = /^\s*(\d+)\s*(ms|s|m|min|h|d)?\s*$/i.exec(v);
  if (m === null) return parseDurationMs(v, option);
  const unit = (m[2] ?? "ms").toLowerCase();
  return Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 } as Record<string, number>)[unit]!;
}

/** `startingTimestamp` (all partitions) takes precedence over `startingOffsetsByTimestamp`, which over `startingOffsets`. */
function startingByTime(options: Readonly<Record<string, string>>): StartingOffsets | undefined {
  const all = options["startingTimestamp"], per = options["startingOffsetsByTimestamp"];
  if (all === undefined && per === undefined) return undefined;
  const ifNone = (options["startingOffsetsByTimestampStrategy"] ?? "error").toLowerCase();
  if (ifNone !== "error" && ifNone !== "latest") throw invalid("startingOffsetsByTimestampStrategy", `Invalid value '${ifNone}' for option 'startingOffsetsByTimestampStrategy': use 'error' or 'latest'.`);
  if (all !== undefined) {
    if (!/^\d+$/.test(all.trim())) throw invalid("startingTimestamp", `Invalid value '${all}' for option 'startingTimestamp': a timestamp in milliseconds since the epoch.`);
    return { kind: "timestamp", all: Number(all), byPartition: undefined, ifNone };
  }
  const parsed = parseOffsets("startingOffsetsByTimestamp", per, "earliest", "start");
  if (parsed.kind !== "specific") throw invalid("startingOffsetsByTimestamp", `Expected e.g. {"topicA":{"0":1700000000000}} for option 'startingOffsetsByTimestamp', got ${per}`);
  return { kind: "timestamp", all: undefined, byPartition: parsed.offsets, ifNone };
}

function minOffsets(options: Readonly<Record<string, string>>, max: number | undefined): number | undefined {
  const min = positive("minOffsetsPerTrigger", options["minOffsetsPerTrigger"]);
  if (min !== undefined && max !== undefined && min > max) throw invalid("minOffsetsPerTrigger", `The value of minOffsetPerTrigger(${min}) is higher than the maxOffsetsPerTrigger(${max}).`);
  return min;
}

function positive(option: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw invalid(option, `Invalid value '${raw}' for option '${option}': it must be a positive integer.`);
  return n;
}

function bool(option: string, raw: string | undefined, dflt: boolean): boolean {
  if (raw === undefined) return dflt;
  const v = raw.trim().toLowerCase();
  if (v !== "true" && v !== "false") throw invalid(option, `Invalid value '${raw}' for option '${option}': it must be true or false.`);
  return v === "true";
}

/**
 * Validates the options of `format("kafka")` (streaming when `streaming`, batch otherwise).
 *
 * @example
 * kafkaSourceOptions({ "kafka.bootstrap.servers": "127.0.0.1:9092", subscribe: "events" }, true)
 */
export function kafkaSourceOptions(options: Readonly<Record<string, string>>, streaming: boolean): KafkaSourceOptions {
  const given = STRATEGIES.filter((s) => options[s] !== undefined);
  if (given.length === 0) throw invalid("subscribe", "One of the following options must be specified for Kafka source: assign, subscribe, subscribePattern. See the docs for more details.");
  if (given.length > 1) throw invalid(given[1]!, "Only one of the following options can be specified for Kafka source: assign, subscribe, subscribePattern. See the docs for more details.");
  const client: Record<string, string> = {};
  for (const [k, v] of Object.entries(options)) {
    if (!k.toLowerCase().startsWith("kafka.")) continue;
    const key = k.slice(6).toLowerCase();
    const why = UNSUPPORTED[key];
    if (why !== undefined) throw invalid(k, why);
    client[key] = v;
  }
  const servers = client["bootstrap.servers"];
  if (servers === undefined || servers.trim() === "") throw invalid("kafka.bootstrap.servers", "Option 'kafka.bootstrap.servers' must be specified for configuring Kafka consumer");
  const strategy = given[0]!;
  const value = options[strategy]!;
  let subscription: Subscription;
  if (strategy === "subscribe") {
    const topics = value.split(",").map((t) => t.trim()).filter((t) => t !== "");
    if (topics.length === 0) throw invalid("subscribe", `No topics to subscribe to as specified value for option 'subscribe' is '${value}'`);
    subscription = { kind: "subscribe", topics };
  } else if (strategy === "subscribePattern") {
    if (value.trim() === "") throw invalid("subscribePattern", "Pattern to subscribe is empty as specified value for option 'subscribePattern' is ''");
    let pattern: RegExp;
    try { pattern = new RegExp(`^(?:${value})$`); } catch (e) {
      throw new AnalysisException("INVALID_OPTION", `Invalid regular expression '${value}' for option 'subscribePattern'.`, { cause: e, params: { option: "subscribePattern" } });
    }
    subscription = { kind: "subscribePattern", pattern };
  } else {
    const json = parseJson("assign", value);
    const ok = json !== null && typeof json === "object" && !Array.isArray(json)
      && Object.values(json).every((ps) => Array.isArray(ps) && ps.every((p) => Number.isInteger(p) && (p as number) >= 0));
    if (!ok) throw invalid("assign", `Expected e.g. {"topicA":[0,1],"topicB":[0,1]} for option 'assign', got ${value}`);
    subscription = { kind: "assign", partitions: json as Record<string, number[]> };
  }
  const maxOffsetsPerTrigger = positive("maxOffsetsPerTrigger", options["maxOffsetsPerTrigger"]);
  if (streaming && options["endingOffsets"] !== undefined) throw invalid("endingOffsets", "Ending offset not valid in streaming queries: option 'endingOffsets' is for batch queries only.");
  return {
    bootstrapServers: servers.split(",").map((s) => s.trim()).filter((s) => s !== ""),
    subscription,
    startingOffsets: startingByTime(options) ?? parseOffsets("startingOffsets", options["startingOffsets"], streaming ? "latest" : "earliest", "start", !streaming),
    endingOffsets: parseOffsets("endingOffsets", options["endingOffsets"], "latest", "end"),
    maxOffsetsPerTrigger,
    minOffsetsPerTrigger: minOffsets(options, maxOffsetsPerTrigger),
    maxTriggerDelayMs: timeStringAsMs(options["maxTriggerDelay"] ?? "15m", "maxTriggerDelay"),
    minPartitions: positive("minPartitions", options["minPartitions"]),
    failOnDataLoss: bool("failOnDataLoss", options["failOnDataLoss"], true),
    includeHeaders: bool("includeHeaders", options["includeHeaders"], false),
    progressGroupId: options["progressGroupId"],
    client,
  };
}
