/**
 * Benchmark: inner stream-stream join of two rate-micro-batch streams on a key with a time-range condition and
 * watermarks (state evicted as the watermark passes). Prints rows/s, rows/s per core, state rows and bytes per row,
 * checkpoint bytes per batch. Usage: ./dev bench stream-stream-join [rowsPerBatch=50000] [batches=10]
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { F, Session } from "../src/index.js";

const rowsPerBatch = Number(process.argv[2] ?? 50_000);
const batches = Number(process.argv[3] ?? 10);
const root = mkdtempSync(path.join(tmpdir(), "sluice-bench-join-"));
const spark = Session.builder().appName("bench-join").master("local[2]").config("spark.sql.shuffle.partitions", 2).config("spark.sql.session.timeZone", "UTC").getOrCreate();
const side = (name: string) => spark.readStream.format("rate-micro-batch").option("rowsPerBatch", rowsPerBatch).option("advanceMillisPerBatch", 60_000).load()
  .select(F.col("value").alias(`${name}Id`), F.col("timestamp").alias(`${name}Time`)).withWatermark(`${name}Time`, "1 minute");
const joined = side("imp").join(side("clk"), F.expr("clkId = impId AND clkTime BETWEEN impTime AND impTime + interval 2 minutes"));
let out = 0;
const t0 = performance.now();
const q = await joined.writeStream.option("checkpointLocation", path.join(root, "ckpt")).foreachBatch(async (df) => { out += await df.count(); }).start();
while ((q.lastProgress?.batchId ?? -1) < batches - 1 && q.isActive) await new Promise((r) => setTimeout(r, 20));
await q.stop();
const seconds = (performance.now() - t0) / 1000;
const progress = q.recentProgress.filter((p) => p.numInputRows > 0);
const rows = progress.reduce((s, p) => s + p.numInputRows, 0);
const steady = progress.slice(1), steadyRows = steady.reduce((s, p) => s + p.numInputRows, 0), steadyMs = steady.reduce((s, p) => s + p.batchDuration, 0);
const state = progress.at(-1)!.stateOperators[0]!;
const du = (dir: string): number => readdirSync(dir, { withFileTypes: true }).reduce((s, e) => s + (e.isDirectory() ? du(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).size), 0);
console.log(JSON.stringify({
  benchmark: "stream-stream inner join (rate-micro-batch x2, key + 2-minute time range, 1-minute watermarks)", master: "local[2]",
  rowsPerBatchPerSide: rowsPerBatch, batches: progress.length, seconds: +seconds.toFixed(2), inputRows: rows, outputRows: out,
  rowsPerSecond: Math.round(rows / seconds), steadyStateRowsPerSecond: Math.round(steadyRows / (steadyMs / 1000)),
  steadyStateRowsPerSecondPerCore: Math.round(steadyRows / (steadyMs / 1000) / 2),
  stateKeys: state.numRowsTotal, stateBytesPerKey: Math.round(state.memoryUsedBytes / Math.max(1, state.numRowsTotal)),
  checkpointBytesPerBatch: Math.round(du(path.join(root, "ckpt")) / progress.length),
}, null, 2));
rmSync(root, { recursive: true, force: true });
await spark.stop();
