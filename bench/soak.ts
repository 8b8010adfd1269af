/**
 * Soak benchmark (not a test): Kafka → 10-second windowed count and sum (append mode, watermark) → Parquet on MinIO,
 * checkpoint on MinIO, run for `--minutes N` (default 60) at 80% (`--load P`) of the maximum sustained rate measured first while the
 * query process (bench/soak-pipeline.ts) is killed with SIGKILL every `--kill-every S` seconds (default 60, ±30%) and
 * restarted. Reports the query's memory over time (RSS per minute: it should stay flat), S3 requests per batch, and
 * records lost and duplicated (both should be 0): pyarrow reads the committed windows and they are compared with the
 * records the broker acknowledged. `./dev bench soak [--minutes N] [--kill-every S]` starts Kafka and MinIO.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { Admin, Producer } from "@platformatic/kafka";
import { pyarrowS3 } from "../test/support/minio.js";
import { runPython } from "../test/support/python.js";

const arg = (name: string, dflt: number): number => { const i = process.argv.indexOf(`--${name}`); return i < 0 ? dflt : Number(process.argv[i + 1]); };
const minutes = arg("minutes", 60), killEvery = arg("kill-every", 60);
const bootstrap = process.env["SLUICE_KAFKA_BOOTSTRAP"] ?? "127.0.0.1:19092";
process.env["SLUICE_MINIO_PORT"] ??= "19000";
const endpoint = `http://127.0.0.1:${process.env["SLUICE_MINIO_PORT"]}`;
const CHILD = path.resolve("dist/bench/soak-pipeline.js");
const WINDOW_MS = 10_000;

interface Progress { batchId: number; rows: number; ms: number; s3: number; rss: number; heap: number; at: number }

function startChild(topic: string, base: string, mode: "run" | "drain"): { child: ChildProcess; progress: Progress[]; exited: Promise<number | null>; log: () => string } {
  const child = spawn(process.execPath, [CHILD, topic, base, mode], { stdio: ["ignore", "pipe", "pipe"], env: process.env });
  const progress: Progress[] = [];
  let out = "", buf = "";
  child.stdout!.on("data", (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split("\n"); buf = lines.pop()!;
    for (const l of lines) if (l.startsWith("progress ")) progress.push(JSON.parse(l.slice(9)) as Progress); else out += l + "\n";
  });
  child.stderr!.on("data", (d: Buffer) => { out += d.toString(); });
  return { child, progress, exited: new Promise((r) => child.on("exit", (c) => r(c))), log: () => out.slice(-3000) };
}

async function createTopic(topic: string): Promise<void> {
  const admin = new Admin({ clientId: "soak", bootstrapBrokers: [bootstrap] });
  try { await admin.createTopics({ topics: [topic], partitions: 2, replicas: 1 }); } finally { await admin.close(); }
  await new Promise((r) => setTimeout(r, 1000));
}

/** Produces records `{id, ts}`; remembers, per 10-second window, the count and id sum the broker acknowledged. */
class Feeder {
  readonly producer = new Producer({ clientId: "soak-feeder", bootstrapBrokers: [bootstrap], idempotent: true, retries: 60, retryDelay: 500 });
  readonly windows = new Map<number, { n: number; ids: bigint }>();
  next = 0;
  constructor(readonly topic: string) {}
  async send(n: number, tsOf: (id: number) => number): Promise<void> {
    const ids = Array.from({ length: n }, () => this.next++);
    const messages = ids.map((id) => ({ topic: this.topic, partition: id % 2, value: Buffer.from(JSON.stringify({ id, ts: new Date(tsOf(id)).toISOString() })) }));
    for (let i = 0; i < messages.length; i += 2000) await this.producer.send({ messages: messages.slice(i, i + 2000) });
    for (const id of ids) {
      const w = Math.floor(tsOf(id) / WINDOW_MS) * WINDOW_MS, e = this.windows.get(w) ?? { n: 0, ids: 0n };
      e.n++; e.ids += BigInt(id); this.windows.set(w, e);
    }
  }
}

/** The committed windows, read by pyarrow's S3 client from the sink log (numeric and `.compact` entries, as Spark). */
function committedWindows(base: string): { start: number; n: number; ids: string }[] {
  return runPython(`
import json, re, pyarrow.fs as pafs, pyarrow.parquet as pq
from urllib.parse import unquote
fs = ${pyarrowS3(endpoint)}
out = ${JSON.stringify(`${base.replace("s3a://", "")}/out`)}
entries = {}
for info in fs.get_file_info(pafs.FileSelector(out + "/_spark_metadata")):
    m = re.fullmatch(r"(\\d+)(\\.compact)?", info.base_name)
    if m: entries[int(m.group(1))] = info.path
files = {}
if entries:
    compacts = [b for b, p in entries.items() if p.endswith(".compact")]
    for b in range(max(compacts) if compacts else 0, max(entries) + 1):
        with fs.open_input_stream(entries[b]) as f: lines = f.read().decode().split("\\n")
        for l in lines[1:]:
            if not l.strip(): continue
            e = json.loads(l); p = unquote(re.sub(r"^s3a://", "", e["path"]))
            if e.get("action", "add") == "delete": files.pop(p, None)
            else: files[p] = True
rows = []
for p in files:
    t = pq.read_table(p, filesystem=fs).to_pylist()
    rows += [{"start": int(r["window_start"].timestamp() * 1000), "n": r["n"], "ids": str(r["ids"])} for r in t]
print(json.dumps(rows))
`) as { start: number; n: number; ids: string }[];
}

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s.length === 0 ? 0 : s[Math.floor(s.length / 2)]!; };
const mb = (b: number): number => Math.round(b / 1048576);

// 1. The maximum sustained rate: the query running (as in the soak) while the feeder produces as fast as it can on
// the same machine (40 000 records/s); the rate is what the query consumed while it had a backlog, after its start-up.
const stamp = Date.now();
const calTopic = `soak-cal-${stamp}`, calBase = `s3a://sluice/soak-cal-${stamp}`;
await createTopic(calTopic);
const cal = new Feeder(calTopic);
await cal.send(40_000, () => Date.now());
const calRun = startChild(calTopic, calBase, "run");
let calFeeding = true;
// 40 000 records/s, above what the query sustains here, so it always has a backlog, without starving it of CPU.
const calFeed = (async () => { while (calFeeding) { await cal.send(4_000, () => Date.now()); await new Promise((r) => setTimeout(r, 100)); } })();
await new Promise((r) => setTimeout(r, 45_000));
calFeeding = false;
await calFeed;
await cal.producer.close();
calRun.child.kill("SIGKILL");
await calRun.exited;
const steadyCal = calRun.progress.filter((p) => p.rows > 0).slice(2);
if (steadyCal.length < 3) throw new Error(`calibration ran too few batches (${calRun.progress.length}): ${calRun.log()}`);
const maxRate = Math.round(steadyCal.slice(1).reduce((s, p) => s + p.rows, 0) / ((steadyCal.at(-1)!.at - steadyCal[0]!.at) / 1000));
const rate = Math.round(maxRate * (arg("load", 80) / 100));
process.stderr.write(`max sustained rate ${maxRate} records/s (${steadyCal.length} batches with a backlog; ${cal.next} records fed); soaking at ${rate} records/s for ${minutes} min, kill -9 about every ${killEvery} s\n`);

// 2. The soak: feed at `rate`, kill -9 the query now and then, restart it at once.
const topic = `soak-${stamp}`, base = `s3a://sluice/soak-${stamp}`;
await createTopic(topic);
const feeder = new Feeder(topic);
const t0 = Date.now(), end = t0 + minutes * 60_000;
let feeding = true, lastTs = t0;
const feeding$ = (async () => {
  let sent = 0;
  while (feeding) {
    const due = Math.floor(((Date.now() - t0) / 1000) * rate) - sent;
    if (due > 0) { const now = Date.now(); lastTs = now; await feeder.send(due, () => now); sent += due; }
    await new Promise((r) => setTimeout(r, 100));
  }
})();
const runs: { progress: Progress[]; startedAt: number }[] = [];
const status = setInterval(() => {
  const ps = runs.flatMap((r) => r.progress), last = ps.at(-1);
  process.stderr.write(`${Math.round((Date.now() - t0) / 1000)} s: produced ${feeder.next}, batches ${ps.length}, rows read ${ps.reduce((a, p) => a + p.rows, 0)}, last batch ${last?.rows ?? 0} rows in ${last?.ms ?? 0} ms, rss ${mb(last?.rss ?? 0)} MB, kills ${kills}\n`);
}, 15_000);
let kills = 0, seed = 7;
const random = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
while (Date.now() < end) {
  const run = startChild(topic, base, "run");
  runs.push({ progress: run.progress, startedAt: Date.now() });
  const life = Math.min(end - Date.now(), killEvery * 1000 * (0.7 + 0.6 * random()));
  const died = await Promise.race([run.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), life))]);
  if (died) throw new Error(`the query died on its own: ${run.log()}`);
  run.child.kill("SIGKILL");
  await run.exited;
  if (Date.now() < end) kills++;
}
feeding = false;
await feeding$;

// 3. Close every window: a record far ahead in event time on each partition moves the watermark past them all.
const produced = feeder.next;
await feeder.producer.send({ messages: [0, 1].map((partition) => ({ topic, partition, value: Buffer.from(JSON.stringify({ id: 0, ts: new Date(lastTs + 600_000).toISOString() })) })) });
await feeder.producer.close();
const final = startChild(topic, base, "run");
runs.push({ progress: final.progress, startedAt: Date.now() });
const wantWindows = feeder.windows.size;
let windows: { start: number; n: number; ids: string }[] = [];
for (let i = 0; i < 120; i++) {
  await new Promise((r) => setTimeout(r, 2000));
  if (final.progress.length < 2) continue;
  windows = committedWindows(base);
  if (new Set(windows.map((w) => w.start)).size >= wantWindows) break;
}
clearInterval(status);
final.child.kill("SIGTERM");
await final.exited;
windows = committedWindows(base);

// 4. Lost and duplicated records, per window.
const got = new Map<number, { n: number; ids: bigint; rows: number }>();
for (const w of windows) { const e = got.get(w.start) ?? { n: 0, ids: 0n, rows: 0 }; e.n += w.n; e.ids += BigInt(w.ids); e.rows++; got.set(w.start, e); }
let lost = 0, duplicated = 0, wrongSums = 0;
for (const [start, want] of feeder.windows) {
  const g = got.get(start) ?? { n: 0, ids: 0n, rows: 0 };
  if (g.n < want.n) lost += want.n - g.n; else duplicated += g.n - want.n;
  if (g.n === want.n && g.ids !== want.ids) wrongSums++;
}
for (const [start, g] of got) if (!feeder.windows.has(start)) duplicated += g.n;

// 5. Memory over time (each run's RSS, per minute of the soak) and S3 requests per batch.
const all = runs.flatMap((r) => r.progress);
const perMinute: { minute: number; rssMedianMB: number; rssMaxMB: number; heapMedianMB: number; batches: number }[] = [];
for (let m = 0; m * 60_000 < Date.now() - t0; m++) {
  const ps = all.filter((p) => p.at >= t0 + m * 60_000 && p.at < t0 + (m + 1) * 60_000);
  if (ps.length > 0) perMinute.push({ minute: m, rssMedianMB: mb(median(ps.map((p) => p.rss))), rssMaxMB: mb(Math.max(...ps.map((p) => p.rss))), heapMedianMB: mb(median(ps.map((p) => p.heap))), batches: ps.length });
}
const dataBatches = all.filter((p) => p.rows > 0);
const longest = runs.reduce((a, r) => (r.progress.length > a.progress.length ? r : a), runs[0]!);
console.log(JSON.stringify({
  benchmark: "soak: Kafka → 10 s windowed count/sum (append, watermark) → Parquet on MinIO, checkpoint on MinIO, kill -9 periodically",
  minutes, maxRateRecordsPerSecond: maxRate, targetRateRecordsPerSecond: rate,
  achievedProduceRate: Math.round(produced / ((lastTs - t0) / 1000)), recordsProduced: produced, kills,
  batches: all.length, batchesWithData: dataBatches.length,
  s3RequestsPerBatch: { median: median(dataBatches.map((p) => p.s3)), max: Math.max(...dataBatches.map((p) => p.s3)), noDataMedian: median(all.filter((p) => p.rows === 0).map((p) => p.s3)) },
  memoryPerMinute: perMinute,
  longestRunRssMB: { first: mb(longest.progress[0]?.rss ?? 0), last: mb(longest.progress.at(-1)?.rss ?? 0), batches: longest.progress.length },
  windowsExpected: wantWindows, windowsCommitted: got.size, windowRowsRepeated: [...got.values()].filter((g) => g.rows > 1).length,
  recordsLost: lost, recordsDuplicated: duplicated, windowsWithWrongIdSum: wrongSums,
}, null, 2));
const admin = new Admin({ clientId: "soak", bootstrapBrokers: [bootstrap] });
try { await admin.deleteTopics({ topics: [calTopic, topic] }); } finally { await admin.close(); }
