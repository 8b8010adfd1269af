/**
 * Benchmark: JSON lines → parse with a schema → filter → project → Parquet, through the streaming file source and
 * file sink with a checkpoint (Trigger.AvailableNow). Prints rows/s, rows/s per core, MB/s of input, peak memory —
 * end to end (query start to stop) and in the steady state (batches after the first, which pays worker start-up).
 * Usage: ./dev bench stateless-pipeline [rows=2000000] [files=80] [master=local[2]]
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync, readdirSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import * as path from "node:path";
import { F, Session } from "../src/index.js";

const rows = Number(process.argv[2] ?? 2_000_000);
const files = Number(process.argv[3] ?? 80);
const master = process.argv[4] ?? "local[2]";
const cores = Number(/\[(\d+)\]/.exec(master)?.[1] ?? availableParallelism());

const root = mkdtempSync(path.join(tmpdir(), "sluice-bench-"));
const landing = path.join(root, "landing");
mkdirSync(landing);

// ~250-byte events.
const perFile = Math.ceil(rows / files);
let bytes = 0;
for (let f = 0; f < files; f++) {
  const lines: string[] = [];
  for (let i = 0; i < perFile; i++) {
    const id = f * perFile + i;
    lines.push(JSON.stringify({
      event_id: id, user_id: `user-${id % 10_000}`, session: `s-${(id * 7919) % 100_000}`, kind: ["click", "view", "buy", "scroll"][id % 4],
      amount: (id % 1000) / 10, currency: "EUR", ts: `2024-01-01 ${String(Math.floor(id / 3600) % 24).padStart(2, "0")}:${String(Math.floor(id / 60) % 60).padStart(2, "0")}:${String(id % 60).padStart(2, "0")}`,
      country: ["NO", "IT", "DE", "FR"][id % 4], device: "mobile", page: `/p/${id % 500}`, referrer: "https://example.com/", ok: id % 10 !== 0,
    }));
  }
  const text = lines.join("\n") + "\n";
  bytes += Buffer.byteLength(text);
  writeFileSync(path.join(landing, `part-${f}.json`), text);
}

const spark = Session.builder().appName("bench").master(master).config("spark.sql.session.timeZone", "UTC").getOrCreate();
const schema = "event_id BIGINT, user_id STRING, session STRING, kind STRING, amount DOUBLE, currency STRING, ts STRING, country STRING, device STRING, page STRING, referrer STRING, ok BOOLEAN";
let peakRss = 0;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 20);

const t0 = performance.now();
const q = await spark.readStream.schema(schema).option("maxFilesPerTrigger", Math.max(1, Math.floor(files / 4))).json(landing)
  .filter("ok AND amount > 1.0")
  .select(F.col("event_id"), F.col("user_id"), F.col("kind"), F.col("amount").multiply(1.25).alias("amount_usd"),
    F.toTimestamp(F.col("ts"), "yyyy-MM-dd HH:mm:ss").alias("ts"), F.col("country"))
  .writeStream.format("parquet").option("path", path.join(root, "out")).option("checkpointLocation", path.join(root, "ckpt"))
  .trigger({ availableNow: true }).start();
await q.awaitTermination();
const seconds = (performance.now() - t0) / 1000;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

const outBytes = readdirSync(path.join(root, "out")).filter((f) => f.endsWith(".parquet")).reduce((s, f) => s + statSync(path.join(root, "out", f)).size, 0);
const rps = rows / seconds;
// Steady state: batches after the first (which includes worker start-up, module loading and JIT warm-up).
const later = q.recentProgress.slice(1);
const steadyRows = later.reduce((s, p) => s + p.numInputRows, 0), steadyMs = later.reduce((s, p) => s + p.batchDuration, 0);
const steady = steadyMs > 0 ? steadyRows / (steadyMs / 1000) : rps;
console.log(JSON.stringify({
  benchmark: "stateless-pipeline (json → filter → project → parquet)", master, rows, files, inputMB: +(bytes / 1e6).toFixed(1),
  avgEventBytes: Math.round(bytes / rows), batches: q.recentProgress.length, seconds: +seconds.toFixed(2),
  rowsPerSecond: Math.round(rps), rowsPerSecondPerCore: Math.round(rps / cores), inputMBPerSecond: +(bytes / 1e6 / seconds).toFixed(1),
  steadyStateRowsPerSecond: Math.round(steady), steadyStateRowsPerSecondPerCore: Math.round(steady / cores),
  steadyStateInputMBPerSecond: +((steadyRows * (bytes / rows)) / 1e6 / (steadyMs / 1000 || 1)).toFixed(1),
  outputMB: +(outBytes / 1e6).toFixed(1), peakRssMB: Math.round(peakRss / 1e6),
  perBatch: q.recentProgress.map((p) => ({ rows: p.numInputRows, ms: p.batchDuration, tasksMs: p.durationMs["addBatch"], latestOffsetMs: p.durationMs["latestOffset"], walMs: p.durationMs["walCommit"], commitMs: p.durationMs["commitOffsets"] })),
}, null, 2));
rmSync(root, { recursive: true, force: true });
