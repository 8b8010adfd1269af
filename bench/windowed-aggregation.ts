/**
 * Benchmark: 1-minute tumbling count and sum per key over 10,000 keys with a 10-second watermark (update mode), fed
 * by the rate-micro-batch source. Prints rows/s, rows/s per core, state bytes per key, checkpoint bytes per batch.
 * With source=json the rows come from JSON-lines files (one file of rowsPerBatch/4 rows, 4 files per batch), so the
 * parse and window assignment run in parallel tasks and the aggregation in the driver (parallelTasks=false: all in
 * the driver).
 * Usage: ./dev bench windowed-aggregation [rowsPerBatch=200000] [batches=12] [stateStore=memory|lmdb] [source=rate|json] [parallelTasks=true]
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { F, Session } from "../src/index.js";

const rowsPerBatch = Number(process.argv[2] ?? 200_000);
const batches = Number(process.argv[3] ?? 12);
const stateStore = process.argv[4] ?? "memory";
const sourceKind = process.argv[5] ?? "rate";
const parallelTasks = process.argv[6] ?? "true";
const root = mkdtempSync(path.join(tmpdir(), "sluice-bench-agg-"));
const spark = Session.builder().appName("bench-agg").master("local[2]").config("spark.sql.shuffle.partitions", 2).config("spark.sql.session.timeZone", "UTC")
  .config("spark.sql.streaming.stateStore.providerClass", stateStore).config("spark.sluice.parallelTasks", parallelTasks).getOrCreate();

/** The rate-micro-batch source's rows (value, timestamp: 5 s of event time per batch), written as JSON-lines files. */
function writeJsonInput(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const perFile = rowsPerBatch / 4;
  for (let f = 0; f < batches * 4; f++) {
    const lines: string[] = [];
    for (let i = 0; i < perFile; i++) {
      const value = f * perFile + i;
      const micros = Math.floor(f / 4) * 5_000_000 + Math.floor((value % rowsPerBatch) * 5_000_000 / rowsPerBatch);
      lines.push(`{"value":${value},"timestamp":"${new Date(micros / 1000).toISOString()}","note":"row ${value} of the benchmark input"}`);
    }
    writeFileSync(path.join(dir, `part-${String(f).padStart(5, "0")}.json`), lines.join("\n") + "\n");
  }
}

const input = sourceKind === "json"
  ? (writeJsonInput(path.join(root, "in")), spark.readStream.schema("value LONG, timestamp TIMESTAMP, note STRING").option("maxFilesPerTrigger", 4).json(path.join(root, "in")))
  : spark.readStream.format("rate-micro-batch").option("rowsPerBatch", rowsPerBatch).option("advanceMillisPerBatch", 5000).load();
const df = input
  .withColumn("key", F.col("value").mod(10_000))
  .withWatermark("timestamp", "10 seconds")
  .groupBy(F.window("timestamp", "1 minute"), "key").agg(F.count("*").alias("n"), F.sum("value").alias("total"));
let seen = 0;
const t0 = performance.now();
const q = await df.writeStream.outputMode("update").option("checkpointLocation", path.join(root, "ckpt"))
  .foreachBatch(async (out) => { seen += await out.count(); }).start();
while ((q.lastProgress?.batchId ?? -1) < batches - 1 && q.isActive) await new Promise((r) => setTimeout(r, 20));
await q.stop();
const seconds = (performance.now() - t0) / 1000;
const progress = q.recentProgress.filter((p) => p.numInputRows > 0);
const rows = progress.reduce((s, p) => s + p.numInputRows, 0);
const steady = progress.slice(1);
const steadyRows = steady.reduce((s, p) => s + p.numInputRows, 0), steadyMs = steady.reduce((s, p) => s + p.batchDuration, 0);
const state = progress.at(-1)!.stateOperators[0]!;
const du = (dir: string): number => readdirSync(dir, { withFileTypes: true }).reduce((s, e) => s + (e.isDirectory() ? du(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).size), 0);
const ckptBytes = du(path.join(root, "ckpt"));
console.log(JSON.stringify({
  benchmark: "windowed aggregation (1-minute tumbling count+sum per key, 10k keys, watermark 10 s, update mode)",
  master: "local[2]", source: sourceKind, parallelTasks, stateStore, rowsPerBatch, batches: progress.length, seconds: +seconds.toFixed(2), rows,
  rowsPerSecond: Math.round(rows / seconds), steadyStateRowsPerSecond: Math.round(steadyRows / (steadyMs / 1000)),
  steadyStateRowsPerSecondPerCore: Math.round(steadyRows / (steadyMs / 1000) / 2),
  stateRows: state.numRowsTotal, stateBytesPerKey: Math.round(state.memoryUsedBytes / Math.max(1, state.numRowsTotal)),
  checkpointBytesPerBatch: Math.round(ckptBytes / progress.length), outputRows: seen,
}, null, 2));
rmSync(root, { recursive: true, force: true });
await spark.stop();
