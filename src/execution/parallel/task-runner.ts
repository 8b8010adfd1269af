/** Runs one task; used by worker threads (and directly, in-process, by tests). */
import { RecordBatch } from "../../columnar/record-batch.js";
import { toTransfer } from "../../columnar/batch-transfer.js";
import { fileFormat } from "../../formats/formats.js";
import { LocalFileSystem } from "../../fs/local-file-system.js";
import { replaceLeaves } from "../../plan/logical-plan.js";
import { writeSinkFiles } from "../../sinks/file-sink.js";
import { readFiles } from "../../sources/file-scan.js";
import { planPhysical, schemaOf } from "../physical-planner.js";
import type { TaskResult, TaskSpec } from "./task.js";

const fs = new LocalFileSystem();

export async function runTask(spec: TaskSpec): Promise<{ result: TaskResult; transfer: ArrayBuffer[] }> {
  const inp = spec.input;
  const parts = await readFiles(inp.files, inp.base, fileFormat(inp.format), inp.schema, inp.partitionColumns, { fs, timeZone: inp.timeZone, options: inp.options }, 1);
  const input = parts.flat();
  const inputRows = input.reduce((s, b) => s + b.numRows, 0);
  const plan = replaceLeaves(spec.plan, (leaf) => (leaf.kind === "localRelation" ? { ...leaf, batches: input } : leaf));
  const evalCtx = { ...spec.evalCtx };
  const out = (await planPhysical(plan, { evalCtx, parallelism: 1 }).execute({ streamData: new Map(), batchId: 0 })).flat();
  const schema = schemaOf(plan.output);
  const outputRows = out.reduce((s, b) => s + b.numRows, 0);
  if (spec.output.kind === "sinkFiles") {
    const o = spec.output;
    const data = RecordBatch.concat(schema, out);
    const entries = await writeSinkFiles(fs, o.basePath, fileFormat(o.format), o.partitionBy, { fs, timeZone: o.timeZone, options: o.options }, data, spec.partIndex);
    return { result: { inputRows, outputRows, entries, batches: [] }, transfer: [] };
  }
  const { data, transfer } = toTransfer(out);
  return { result: { inputRows, outputRows, entries: [], batches: data }, transfer };
}
