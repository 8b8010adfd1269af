/** `df.writeStream`: sink, output mode, trigger and checkpoint of a streaming query; `start()` runs it. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { inspect } from "node:util";
import { inspectRedacted, redactedCopy } from "../security/redaction.js";
import { randomUUID } from "node:crypto";
import { checkForStreaming, type OutputMode } from "../analysis/unsupported-operation-checker.js";
import { loadOrCreateQueryId } from "../checkpoint/query-metadata.js";
import { OffsetLog } from "../checkpoint/offset-log.js";
import { stateStoreConfig } from "../state/state-store-providers.js";
import { AnalysisException, SluiceError } from "../errors/sluice-error.js";
import { explainPhysical, planPhysical, schemaOf } from "../execution/physical-planner.js";
import { closeOperators } from "../execution/operators/physical-operator.js";
import { fileFormat, isFileFormat } from "../formats/formats.js";
import { fileSystemFor, normalizePath } from "../fs/local-file-system.js";
import { attributesOf } from "../plan/attribute.js";
import { collectPlans, replaceLeaves, type LogicalPlan, type StreamingRelation } from "../plan/logical-plan.js";
import { ConsoleSink } from "../sinks/console-sink.js";
import { FileSink } from "../sinks/file-sink.js";
import { sinkLogConfig } from "../sinks/file-sink-log.js";
import { ForeachBatchSink, ForeachSink, type ForeachWriter } from "../sinks/foreach-batch-sink.js";
import { MemorySink } from "../sinks/memory-sink.js";
import { KafkaSink, kafkaSinkOptions } from "../sinks/kafka-sink.js";
import { runInMicroBatch } from "../sources/jdbc/micro-batch-context.js";
import type { Sink } from "../sinks/sink.js";
import type { StreamingSource } from "../sources/streaming-source.js";
import { MicroBatchExecution } from "../streaming/micro-batch-execution.js";
import { ParallelBatchRunner, isPartitionLocal } from "../execution/parallel/parallel-batch-runner.js";
import { ParallelInputStage } from "../execution/parallel/parallel-input-stage.js";
import { isPartitionedSource } from "../execution/parallel/task-fragment.js";
import { StreamingQuery } from "../streaming/streaming-query.js";
import { parseDurationMs, parseTrigger, type TriggerSpec } from "../streaming/trigger.js";
import type { Row } from "../types/external-value.js";
import { DataFrame } from "./dataframe.js";
import { normalizeOptions, optionString, type OptionValue } from "./options.js";
import { installShutdownHook } from "./shutdown-hook.js";

/**
 * @example
 * const q = await df.writeStream.format("parquet").option("path", "/out").option("checkpointLocation", "/ckpt")
 *   .trigger({ processingTime: "1 minute" }).start();
 */
export class DataStreamWriter {
  private fmt = "";
  private mode: OutputMode = "append";
  private name: string | null = null;
  private triggerSpec: TriggerSpec | undefined;
  private opts: Record<string, string> = {};
  private partitionCols: string[] = [];
  private batchFn: ((df: DataFrame, batchId: number) => unknown) | undefined;
  private foreachWriter: ForeachWriter | ((row: Row) => void | Promise<void>) | undefined;
  /** The checkpoint folder start() made for a sink without checkpointLocation, deleted when the query stops. */
  private temporaryCheckpoint: string | undefined;
  constructor(private readonly df: DataFrame) {}

  format(source: string): this { this.fmt = source.toLowerCase(); return this; }
  toJSON(): Record<string, unknown> {
    return redactedCopy({ format: this.fmt, outputMode: this.mode, queryName: this.name, trigger: this.triggerSpec ?? null, options: this.opts, partitionBy: this.partitionCols }) as Record<string, unknown>;
  }
  [inspect.custom](depth: number, options: object): string { return inspectRedacted("DataStreamWriter", this.toJSON(), depth, options); }
  outputMode(m: OutputMode): this {
    const v = m.toLowerCase();
    if (v !== "append" && v !== "update" && v !== "complete") throw new AnalysisException("INVALID_OPTION", `Unknown output mode ${m}. Accepted output modes are 'append', 'complete', 'update'.`, { params: { outputMode: m } });
    this.mode = v;
    return this;
  }
  queryName(name: string): this { this.name = name; return this; }
  trigger(t: TriggerSpec): this { parseTrigger(t); this.triggerSpec = t; return this; }
  option(key: string, value: OptionValue): this { this.opts[key] = optionString(value); return this; }
  options(o: Readonly<Record<string, OptionValue>>): this { for (const [k, v] of Object.entries(o)) this.option(k, v); return this; }
  partitionBy(...cols: string[]): this { this.partitionCols = cols.flat(); return this; }
  foreachBatch(fn: (df: DataFrame, batchId: number) => unknown): this { this.batchFn = fn; this.fmt = "foreachbatch"; return this; }
  foreach(writer: ForeachWriter | ((row: Row) => void | Promise<void>)): this { this.foreachWriter = writer; this.fmt = "foreach"; return this; }
  /** Writes to an in-memory table named `name` (Sluice's tables are the session's views). */
  toTable(name: string): Promise<StreamingQuery> { this.fmt = "memory"; this.name = name; return this.start(); }

  async start(p?: string): Promise<StreamingQuery> {
    const session = this.df.session;
    const options = normalizeOptions(this.opts);
    if (p !== undefined) options["path"] = p;
    const plan = this.df.plan;
    checkForStreaming(plan, this.mode);
    const trigger = parseTrigger(this.triggerSpec);
    const fmt = this.fmt === "" ? "parquet" : this.fmt;
    if (fmt === "memory" && this.name === null) throw new AnalysisException("INVALID_OPTION", "queryName must be specified for memory sink.", { params: { option: "queryName" } });

    const checkpointDir = this.checkpointLocation(options, fmt);
    const conf = (key: string): string | undefined => options[key] ?? session.conf.get(key);
    const fs = fileSystemFor(checkpointDir, conf);
    await fs.mkdirs(checkpointDir);
    // Number the streaming relations: relation i reads `sources/i` in the checkpoint.
    let next = 0;
    const numbered: LogicalPlan = replaceLeaves(plan, (leaf) => (leaf.kind === "streamingRelation" ? { ...leaf, id: next++ } : leaf));
    const relations = collectPlans(numbered, (n) => n.kind === "streamingRelation") as StreamingRelation[];
    const id = await loadOrCreateQueryId(fs, checkpointDir, { sources: relations.map((r) => r.provider.format), sink: fmt });
    session.streams.checkNotActive(id, this.name);
    const tz = session.conf.timeZone;
    const sources: StreamingSource[] = [];
    for (const r of relations) {
      sources.push(await r.provider.create({ metadataPath: path.join(checkpointDir, "sources", String(r.id)), fs, timeZone: tz }));
    }
    const evalCtx = session.evalContext();
    // The number of state partitions is fixed by the checkpoint after the first run, as in Spark.
    const logged = await new OffsetLog(fs, path.join(checkpointDir, "offsets")).latestConf();
    const shufflePartitions = Number(logged?.["spark.sql.shuffle.partitions"] ?? session.conf.get("spark.sql.shuffle.partitions"));
    // Parallel tasks: a partition-local query runs whole in tasks (which write the sink files); any other query over
    // one file source runs its input stage in tasks and the rest, stateful operators included, on this thread.
    const single = sources.length === 1 ? sources[0]! : undefined;
    const tasks = session.parallelism > 1 && single !== undefined && isPartitionedSource(single) && session.conf.get("spark.sluice.parallelTasks", "true") === "true"
      ? single : undefined;
    const split = tasks !== undefined && !isPartitionLocal(numbered) ? ParallelInputStage.split(numbered, session.workerPool(), tasks, session.parallelism, evalCtx) : undefined;
    const physical = planPhysical(split?.driverPlan ?? numbered, {
      evalCtx, parallelism: session.parallelism,
      streaming: {
        fs, checkpointDir, outputMode: this.mode, numShufflePartitions: shufflePartitions,
        stateStore: stateStoreConfig((key) => session.conf.get(key)),
      },
    });
    const schema = schemaOf(plan.output);
    const sink = this.createSink(fmt, options, schema, id);
    if (sink instanceof MemorySink) {
      const ms = sink;
      session.registerView(this.name!, { kind: "batchRelation", output: attributesOf(schema.fields), scan: { description: `MemorySink ${this.name}`, schema, read: async () => [[ms.snapshot()]] } });
    }
    const parallel = tasks !== undefined && split === undefined
      ? new ParallelBatchRunner(numbered, session.workerPool(), tasks, sink, schema, session.parallelism, evalCtx, relations[0]!.provider.format, relations[0]!.provider.options)
      : undefined;
    const runId = randomUUID();
    let query: StreamingQuery | undefined;
    const execution = new MicroBatchExecution(id, runId, this.name, sources, physical, sink, schema, evalCtx, {
      checkpointDir, fs, trigger,
      noDataMicroBatches: session.conf.get("spark.sql.streaming.noDataMicroBatches.enabled", "true") === "true",
      multipleWatermarkPolicy: (session.conf.get("spark.sql.streaming.multipleWatermarkPolicy", "min") ?? "min").toLowerCase() === "max" ? "max" : "min",
      minBatchesToRetain: session.conf.getNumber("spark.sql.streaming.minBatchesToRetain"),
      pollingDelayMs: parseDurationMs(session.conf.get("spark.sql.streaming.pollingDelay")!, "spark.sql.streaming.pollingDelay"),
      conf: { "spark.sql.shuffle.partitions": String(shufflePartitions), "spark.sql.session.timeZone": tz },
    }, {
      onProgress: (prog) => { query?.recordProgress(prog); session.streams.progress(prog); },
      onIdle: () => { query?.notify(); if (query) session.streams.idle(query); },
    }, parallel, split?.stage);
    query = new StreamingQuery(execution, session.conf.getNumber("spark.sql.streaming.numRecentProgressUpdates"), `== Physical Plan ==\n${explainPhysical(physical)}\n`);
    session.streams.register(query);
    if (session.conf.getBoolean("spark.streaming.stopGracefullyOnShutdown")) installShutdownHook(session.streams);
    const q = query;
    const temporary = this.temporaryCheckpoint === checkpointDir;
    const forceDelete = session.conf.get("spark.sql.streaming.forceDeleteTempCheckpointLocation", "false") === "true";
    // As Spark: a temporary checkpoint (a sink without checkpointLocation) is deleted when the query stops, unless it
    // failed (kept for inspection) and spark.sql.streaming.forceDeleteTempCheckpointLocation is not set.
    const release = async (failed: boolean): Promise<void> => {
      await Promise.allSettled([...sources.map((s) => s.stop()), closeOperators(physical), sink.stop?.()]);
      if (temporary && (!failed || forceDelete)) rmSync(checkpointDir, { recursive: true, force: true });
    };
    void execution.run().then(
      async () => { await release(false); q.finish(null); session.streams.terminated(q); },
      async (e: unknown) => { await release(true); q.finish(execution.failure(e)); session.streams.terminated(q); },
    );
    return query;
  }

  private checkpointLocation(options: Record<string, string>, fmt: string): string {
    this.temporaryCheckpoint = undefined;
    const explicit = options["checkpointLocation"];
    if (explicit !== undefined) return normalizePath(explicit);
    const root = this.df.session.conf.get("spark.sql.streaming.checkpointLocation");
    if (root !== undefined) return normalizePath(path.join(root, this.name ?? randomUUID()));
    if (fmt === "memory" || fmt === "console" || fmt === "foreach" || fmt === "foreachbatch") {
      this.temporaryCheckpoint = mkdtempSync(path.join(tmpdir(), "sluice-checkpoint-"));
      return this.temporaryCheckpoint;
    }
    throw new AnalysisException("INVALID_OPTION", "checkpointLocation must be specified either through option(\"checkpointLocation\", ...) or SparkSession.conf.set(\"spark.sql.streaming.checkpointLocation\", ...).", { params: { option: "checkpointLocation" } });
  }

  private createSink(fmt: string, options: Record<string, string>, schema: import("../types/data-type.js").StructType, queryId: string): Sink {
    const session = this.df.session;
    if (fmt === "memory") return new MemorySink(schema, this.mode);
    if (fmt === "console") return new ConsoleSink(options, session.conf.timeZone);
    if (fmt === "foreachbatch") return new ForeachBatchSink((b) => new DataFrame(session, { kind: "localRelation", output: attributesOf(schema.fields), batches: [b], isStreaming: false }), (df, batchId) => runInMicroBatch(queryId, batchId, () => this.batchFn!(df, batchId)));
    if (fmt === "foreach") return new ForeachSink(this.foreachWriter!);
    if (fmt === "kafka") return new KafkaSink(kafkaSinkOptions(options, schema), queryId);
    if (isFileFormat(fmt)) {
      const target = options["path"];
      if (target === undefined) throw new AnalysisException("INVALID_OPTION", "'path' is not specified for the file sink; pass it to start(path) or set option(\"path\", ...).", { params: { option: "path" } });
      if (this.mode !== "append") throw new AnalysisException("STREAMING_UNSUPPORTED_OPERATION", `Data source ${fmt} does not support ${this.mode[0]!.toUpperCase()}${this.mode.slice(1)} output mode.`, { params: { outputMode: this.mode } });
      const fs = fileSystemFor(target, (key) => options[key] ?? session.conf.get(key));
      return new FileSink(fs, normalizePath(target), fileFormat(fmt), this.partitionCols, { fs, timeZone: options["timeZone"] ?? session.conf.timeZone, options }, sinkLogConfig((k) => session.conf.get(k)));
    }
    throw new SluiceError("NOT_IMPLEMENTED", `The streaming sink format '${fmt}' is not available.`, { params: { format: fmt } });
  }
}
