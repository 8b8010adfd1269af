/** Runs one task; used by worker threads (and directly, in-process, by tests). */
import { RecordBatch } from "../../columnar/record-batch.js";
import { toTransfer } from "../../columnar/batch-transfer.js";
import { fileFormat } from "../../formats/formats.js";
import { LocalFileSystem } from "../../fs/local-file-system.js";
import { S3FileSystem, s3FileSystem } from "../../fs/s3-file-system.js";
import { replaceLeaves } from "../../plan/logical-plan.js";
import { writeSinkFiles } from "../../sinks/file-sink.js";
import { readFiles } from "../../sources/file-scan.js";
import { aggregationLayout } from "../aggregation-layout.js";
import { EventTimeWatermarkExec } from "../operators/event-time-watermark-exec.js";
import { AggregationUpdater, type GroupState } from "../operators/hash-aggregate-exec.js";
import type { PhysicalOperator } from "../operators/physical-operator.js";
import { planPhysical, schemaOf } from "../physical-planner.js";
import type { InputPartition, PartialGroup, TaskResult, TaskSpec } from "./task.js";
import { KafkaClient } from "../../sources/kafka/kafka-client.js";
import { kafkaSchema, recordsLost, recordsToBatch, reportDataLoss } from "../../sources/kafka/kafka-source.js";

const fs = new LocalFileSystem();

function watermarkStats(op: PhysicalOperator): EventTimeWatermarkExec["stats"][] {
  return [...(op instanceof EventTimeWatermarkExec ? [op.stats] : []), ...op.children.flatMap(watermarkStats)];
}

/** Kafka clients of this worker, by bootstrap servers and settings: connections outlive a task. */
const kafkaClients = new Map<string, KafkaClient>();

async function readInput(inp: InputPartition): Promise<RecordBatch[]> {
  if (inp.kind === "files") {
    const inFs = inp.s3 === undefined ? fs : s3FileSystem(inp.s3);
    return (await readFiles(inp.files, inp.base, fileFormat(inp.format), inp.schema, inp.partitionColumns, { fs: inFs, timeZone: inp.timeZone, options: inp.options }, 1)).flat();
  }
  const id = JSON.stringify([inp.bootstrapServers, inp.client]);
  let client = kafkaClients.get(id);
  if (client === undefined) kafkaClients.set(id, (client = new KafkaClient(inp.bootstrapServers, inp.client)));
  const tp = { topic: inp.topic, partition: inp.partition };
  const records = await client.fetch(tp, inp.fromOffset, inp.untilOffset, (first) => reportDataLoss(recordsLost(tp, inp.fromOffset, first), inp.failOnDataLoss));
  return [recordsToBatch(kafkaSchema(inp.includeHeaders), tp, records, inp.includeHeaders)];
}

export async function runTask(spec: TaskSpec): Promise<{ result: TaskResult; transfer: ArrayBuffer[] }> {
  const input = await readInput(spec.input);
  const inputRows = input.reduce((s, b) => s + b.numRows, 0);
  const plan = replaceLeaves(spec.plan, (leaf) => (leaf.kind === "localRelation" ? { ...leaf, batches: input } : leaf));
  const ctx = { evalCtx: { ...spec.evalCtx }, parallelism: 1 };
  if (spec.partialAggregate === true) {
    if (plan.kind !== "aggregate") throw new Error("a partial aggregation task needs an Aggregate plan");
    const child = planPhysical(plan.child, ctx);
    const updater = new AggregationUpdater(aggregationLayout(plan, ctx.evalCtx.ansi), ctx);
    const groups = new Map<string, GroupState & { key: string; rows: number }>();
    const lookup = (key: string, keys: unknown[]): GroupState => {
      let g = groups.get(key);
      if (g === undefined) groups.set(key, (g = { ...updater.initial(keys), key, rows: 0 }));
      g.rows++;
      return g;
    };
    for (const part of await child.execute({ streamData: new Map(), batchId: 0 })) for (const b of part) updater.update(b, lookup);
    const partials: PartialGroup[] = [...groups.values()];
    return { result: { inputRows, outputRows: partials.length, entries: [], batches: [], partials, watermarks: watermarkStats(child) }, transfer: [] };
  }
  const physical = planPhysical(plan, ctx);
  const out = (await physical.execute({ streamData: new Map(), batchId: 0 })).flat();
  const watermarks = watermarkStats(physical);
  const schema = schemaOf(plan.output);
  const outputRows = out.reduce((s, b) => s + b.numRows, 0);
  if (spec.output.kind === "sinkFiles") {
    const o = spec.output;
    const data = RecordBatch.concat(schema, out);
    const sinkFs = o.s3 === undefined ? fs : s3FileSystem(o.s3);
    const before = sinkFs instanceof S3FileSystem ? sinkFs.requestCount : 0;
    const entries = await writeSinkFiles(sinkFs, o.basePath, fileFormat(o.format), o.partitionBy, { fs: sinkFs, timeZone: o.timeZone, options: o.options }, data, spec.partIndex);
    const objectStoreRequests = sinkFs instanceof S3FileSystem ? sinkFs.requestCount - before : 0;
    return { result: { inputRows, outputRows, entries, batches: [], watermarks, objectStoreRequests }, transfer: [] };
  }
  const { data, transfer } = toTransfer(out);
  return { result: { inputRows, outputRows, entries: [], batches: data, watermarks }, transfer };
}
