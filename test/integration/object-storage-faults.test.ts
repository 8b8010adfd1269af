import assert from "node:assert/strict";
import { codedError } from "../support/fault-errors.js";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { ListObjectVersionsCommand, S3Client } from "@aws-sdk/client-s3";
import type { Session } from "../../src/index.js";
import { SluiceError } from "../../src/errors/sluice-error.js";
import { minioAccessKey, minioBucket, minioEndpoint, minioSecretKey, pyarrowS3, s3Prefix, s3aConf } from "../support/minio.js";
import { runPython } from "../support/python.js";
import { testSession } from "../support/session.js";
import { tempDir } from "../support/stream-test.js";
import { TcpProxy } from "../support/tcp-proxy.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) { if (Date.now() > end) assert.fail(`timed out waiting for ${what}`); await sleep(20); }
}

/** Ids in the Parquet files under `prefix`, read by pyarrow's own S3 client straight from MinIO (not the proxy). */
function idsByPyarrow(prefix: string): number[] {
  return runPython(`
import json, pyarrow.fs as pafs, pyarrow.parquet as pq
s3 = ${pyarrowS3()}
ids = []
for info in s3.get_file_info(pafs.FileSelector(${JSON.stringify(prefix.replace("s3a://", ""))}, recursive=True)):
    if info.path.endswith(".parquet"):
        ids += pq.read_table(info.path, filesystem=s3).column("id").to_pylist()
print(json.dumps(sorted(ids)))
`) as number[];
}

/** Ids in the files the sink's log `_spark_metadata` committed (as Spark reads a file sink's output), read by pyarrow. */
function committedIdsByPyarrow(prefix: string): number[] {
  return runPython(`
import json, pyarrow.fs as pafs, pyarrow.parquet as pq
s3 = ${pyarrowS3()}
root = ${JSON.stringify(prefix.replace("s3a://", ""))}
files = set()
logs = [i for i in s3.get_file_info(pafs.FileSelector(root + "/_spark_metadata")) if i.base_name.isdigit()]
for info in sorted(logs, key=lambda i: int(i.base_name)):
    with s3.open_input_stream(info.path) as f:
        for line in f.read().decode().split("\\n")[1:]:
            if line.strip():
                e = json.loads(line)
                (files.discard if e["action"] == "delete" else files.add)(e["path"].replace("s3a://", ""))
ids = []
for path in files:
    ids += pq.read_table(path, filesystem=s3).column("id").to_pylist()
print(json.dumps(sorted(ids)))
`) as number[];
}

const s3 = () => new S3Client({ endpoint: minioEndpoint(), region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: minioAccessKey, secretAccessKey: minioSecretKey } });

describe("object storage faults (MinIO behind a TCP proxy)", () => {
  const spark = testSession();
  let proxy: TcpProxy;
  const conf = (extra: Record<string, string> = {}): Record<string, string> => ({
    ...s3aConf(), "spark.hadoop.fs.s3a.endpoint": proxy.endpoint,
    "spark.hadoop.fs.s3a.connection.request.timeout": "1s", "spark.hadoop.fs.s3a.attempts.maximum": "3", "spark.hadoop.fs.s3a.retry.interval": "100ms", ...extra,
  });
  const withConf = async <T>(c: Record<string, string>, f: () => Promise<T>): Promise<T> => {
    for (const [k, v] of Object.entries(c)) spark.conf.set(k, v);
    try { return await f(); } finally { for (const k of Object.keys(c)) spark.conf.unset(k); }
  };
  const pipeline = (s: Session, landing: string, base: string) =>
    s.readStream.schema("id INT, v STRING").option("maxFilesPerTrigger", 1).json(landing)
      .writeStream.format("parquet").option("path", `${base}/out`).option("checkpointLocation", `${base}/ckpt`);
  const drop = (landing: string, i: number): void =>
    writeFileSync(path.join(landing, `f${String(i).padStart(3, "0")}.json`), Array.from({ length: 10 }, (_, j) => JSON.stringify({ id: i * 10 + j, v: `r${i}` })).join("\n") + "\n");

  before(async () => { proxy = await TcpProxy.start(Number(new URL(minioEndpoint()).port)); });
  after(async () => { await proxy.close(); });

  it("a stalled endpoint: start() fails with S3_TIMEOUT naming the endpoint after the configured attempts, instead of hanging", { timeout: 30_000 }, async () => {
    await proxy.stall();
    try {
      const landing = tempDir();
      const started = Date.now();
      const e = await withConf(conf(), () => pipeline(spark, landing, s3Prefix("stall-start")).start().then(() => undefined, (err: unknown) => err));
      const ms = Date.now() - started;
      const err = codedError(e, "S3_");
      assert.equal(err.code, "S3_TIMEOUT");
      assert.equal(err.params["endpoint"], proxy.endpoint);
      assert.equal(err.params["attempts"], 3);
      assert.equal(err.retryable, true);
      assert.ok(ms >= 3000 && ms < 10_000, `failed after ${ms} ms`);
    } finally {
      await proxy.restore();
    }
  });

  it("load() on a stalled store (listed in a worker thread): S3_TIMEOUT with its code and endpoint", { timeout: 30_000 }, async () => {
    await proxy.stall();
    try {
      const e = await withConf(conf(), async () => { try { spark.read.json(`${s3Prefix("stall-load")}/in`); return undefined; } catch (err) { return err; } });
      const err = codedError(e, "S3_");
      assert.equal(err.code, "S3_TIMEOUT");
      assert.equal(err.params["endpoint"], proxy.endpoint);
    } finally {
      await proxy.restore();
    }
  });

  it("a stall mid-query shows in status and fails the query with S3_TIMEOUT; restored, the query resumes with every row exactly once", { timeout: 60_000 }, async () => {
    const landing = tempDir();
    const base = s3Prefix("stall-run");
    drop(landing, 0);
    await withConf(conf(), async () => {
      const q = await pipeline(spark, landing, base).trigger({ processingTime: "100 milliseconds" }).start();
      await until("the first batch", () => q.recentProgress.some((p) => p.numInputRows > 0));
      await proxy.stall();
      drop(landing, 1);
      await until("the status to show the stalled store", () => q.status.message.includes(`waiting for S3 at ${proxy.endpoint}`));
      const e = await q.awaitTermination(20_000).then(() => undefined, (err: unknown) => err);
      const err = codedError(e, "S3_");
      assert.equal(err.code, "S3_TIMEOUT");
      assert.equal(err.params["endpoint"], proxy.endpoint);
      await proxy.restore();
      drop(landing, 2);
      const q2 = await pipeline(spark, landing, base).trigger({ availableNow: true }).start();
      await q2.awaitTermination();
    });
    assert.deepEqual(idsByPyarrow(`${base}/out`), Array.from({ length: 30 }, (_, i) => i));
  });

  it("stop() returns within a bound while the store is stalled, long before the request timeout; the batch re-runs on restart", { timeout: 60_000 }, async () => {
    const landing = tempDir();
    const base = s3Prefix("stall-stop");
    drop(landing, 0);
    await withConf(conf({ "spark.hadoop.fs.s3a.connection.request.timeout": "60s" }), async () => {
      const q = await pipeline(spark, landing, base).trigger({ processingTime: "100 milliseconds" }).start();
      await until("the first batch", () => q.recentProgress.some((p) => p.numInputRows > 0));
      await proxy.stall();
      try {
        drop(landing, 1);
        await until("a stalled call", () => q.status.message.includes("waiting for S3"));
        const t = Date.now();
        await q.stop();
        assert.ok(Date.now() - t < 6000, `stop took ${Date.now() - t} ms`);
        assert.equal(q.exception(), null);
      } finally {
        await proxy.restore();
      }
      const again = await pipeline(spark, landing, base).trigger({ availableNow: true }).start();
      await again.awaitTermination();
    });
    assert.deepEqual(idsByPyarrow(`${base}/out`), Array.from({ length: 20 }, (_, i) => i));
  });

  it("connections reset in the middle of requests are retried: the query goes on, retries in progress, nothing lost or duplicated", { timeout: 60_000 }, async () => {
    const landing = tempDir();
    const base = s3Prefix("reset");
    for (let i = 0; i < 3; i++) drop(landing, i);
    await withConf(conf(), async () => {
      const q = await pipeline(spark, landing, base).trigger({ processingTime: "100 milliseconds" }).start();
      await until("the first batches", () => q.recentProgress.filter((p) => p.numInputRows > 0).length >= 3);
      await proxy.resetAll(); // pooled keep-alive connections die
      await proxy.resetNext(2); // and the next two are reset as their first request arrives
      for (let i = 3; i < 6; i++) drop(landing, i);
      await until("the later batches", () => q.recentProgress.filter((p) => p.numInputRows > 0).length >= 6);
      assert.ok(Number(q.lastProgress!.sink.metrics["objectStoreRetries"]) >= 1, JSON.stringify(q.lastProgress!.sink.metrics));
      assert.equal(q.exception(), null);
      await q.stop();
    });
    assert.deepEqual(idsByPyarrow(`${base}/out`), Array.from({ length: 60 }, (_, i) => i));
  });

  it("wrong credentials: S3_ACCESS_DENIED (the real cause, not UnknownError), not retried", { timeout: 30_000 }, async () => {
    const landing = tempDir();
    const e = await withConf({ ...s3aConf(), "spark.hadoop.fs.s3a.secret.key": "not-the-secret" },
      () => pipeline(spark, landing, s3Prefix("denied")).start().then(() => undefined, (err: unknown) => err));
    const err = codedError(e, "S3_");
    assert.ok(["S3_ACCESS_DENIED", "S3_AUTHENTICATION_FAILED"].includes(err.code), err.code);
    assert.equal(err.params["endpoint"], minioEndpoint());
    assert.equal(err.params["attempts"], 1);
    assert.equal(err.retryable, false);
    assert.doesNotMatch(err.message, /not-the-secret/);
  });

  it("a missing bucket: S3_NOT_FOUND, not retried", { timeout: 30_000 }, async () => {
    const landing = tempDir();
    drop(landing, 0);
    const e = await withConf(s3aConf(), async () => {
      const q = await spark.readStream.schema("id INT, v STRING").json(landing).writeStream.format("parquet")
        .option("path", `s3a://no-such-bucket-${process.pid}/out`).option("checkpointLocation", `s3a://no-such-bucket-${process.pid}/ckpt`).start().catch((err: unknown) => err);
      if (q instanceof Error) return q;
      return (q as { awaitTermination(): Promise<unknown> }).awaitTermination().then(() => undefined, (err: unknown) => err);
    });
    const err = codedError(e, "S3_");
    assert.equal(err.code, "S3_NOT_FOUND");
    assert.equal(err.retryable, false);
  });
});

describe("cleanSource on object storage", () => {
  const spark = testSession();

  it("archive is refused at load() (object storage has no rename), delete is accepted", () => {
    const base = s3Prefix("clean");
    const load = (opts: Record<string, string>, dir: string) => spark.readStream.schema("id INT").options(opts).json(dir);
    assert.throws(() => load({ cleanSource: "archive", sourceArchiveDir: `${base}/archive` }, `${base}/landing`), { code: "NOT_IMPLEMENTED" });
    assert.throws(() => load({ cleanSource: "archive", sourceArchiveDir: `${base}/archive` }, tempDir()), { code: "NOT_IMPLEMENTED" });
    assert.throws(() => load({ cleanSource: "ARCHIVE", sourceArchiveDir: tempDir() }, `${base}/landing`), { code: "NOT_IMPLEMENTED" });
    assert.equal(load({ cleanSource: "archive", sourceArchiveDir: tempDir() }, tempDir()).isStreaming, true);
    for (const [k, v] of Object.entries(s3aConf())) spark.conf.set(k, v);
    try {
      assert.equal(load({ cleanSource: "delete" }, `${base}/landing`).isStreaming, true);
    } finally {
      for (const k of Object.keys(s3aConf())) spark.conf.unset(k);
    }
  });
});

describe("checkpoint purge past minBatchesToRetain", () => {
  const spark = testSession();

  const run = async (landing: string, base: string): Promise<readonly import("../../src/streaming/progress.js").StreamingQueryProgress[]> => {
    const q = await spark.readStream.schema("id INT").option("maxFilesPerTrigger", 1).json(landing)
      .writeStream.format("parquet").option("path", `${base}/out`).option("checkpointLocation", `${base}/ckpt`).trigger({ availableNow: true }).start();
    await q.awaitTermination();
    return q.recentProgress;
  };
  const files = (landing: string, from: number, to: number) => { for (let i = from; i < to; i++) writeFileSync(path.join(landing, `f${String(i).padStart(3, "0")}.json`), `{"id":${i}}\n`); };
  const versionsUnder = async (prefix: string) => {
    const key = prefix.replace(`s3a://${minioBucket}/`, "");
    const out: { key: string; marker: boolean }[] = [];
    let km: string | undefined, vm: string | undefined;
    do {
      const r = await s3().send(new ListObjectVersionsCommand({ Bucket: minioBucket, Prefix: key, KeyMarker: km, VersionIdMarker: vm }));
      out.push(...(r.Versions ?? []).map((v) => ({ key: v.Key!.slice(key.length + 1), marker: false })), ...(r.DeleteMarkers ?? []).map((v) => ({ key: v.Key!.slice(key.length + 1), marker: true })));
      km = r.IsTruncated ? r.NextKeyMarker : undefined; vm = r.IsTruncated ? r.NextVersionIdMarker : undefined;
    } while (km !== undefined);
    return out;
  };

  it("on MinIO: a purge is one multi-object delete without listing; old entries and their versions are gone, no delete markers; also after a restart", { timeout: 120_000 }, async () => {
    const conf = s3aConf();
    for (const [k, v] of Object.entries({ ...conf, "spark.sql.streaming.minBatchesToRetain": "5" })) spark.conf.set(k, v);
    try {
      const landing = tempDir();
      const base = s3Prefix("purge");
      files(landing, 0, 21);
      const first = await run(landing, base);
      assert.equal(first.length >= 21, true);
      const req = (p: { batchId: number; sink: { metrics: Record<string, string> } }) => Number(p.sink.metrics["objectStoreRequests"]);
      for (const id of [10, 20]) {
        const p = first.find((x) => x.batchId === id)!;
        assert.ok(req(p) <= 4 + 3, `batch ${id} made ${req(p)} requests`);
      }
      const steady = first.filter((p) => p.batchId >= 1 && p.batchId <= 20);
      const avg = steady.reduce((s, p) => s + req(p), 0) / steady.length;
      assert.ok(avg <= 4.2, `average ${avg} requests per batch`);
      let left = await versionsUnder(`${base}/ckpt`);
      const ids = (dir: string) => left.filter((v) => v.key.startsWith(`${dir}/`)).map((v) => Number(v.key.slice(dir.length + 1))).sort((a, b) => a - b);
      assert.deepEqual(left.filter((v) => v.marker), []);
      assert.deepEqual(ids("offsets"), [16, 17, 18, 19, 20]);
      assert.deepEqual(ids("commits"), [16, 17, 18, 19, 20]);
      // A restarted run does not know the versions it did not write: it still purges everything below the line.
      files(landing, 21, 31);
      await run(landing, base);
      left = await versionsUnder(`${base}/ckpt`);
      assert.deepEqual(left.filter((v) => v.marker), []);
      assert.deepEqual(ids("offsets"), [26, 27, 28, 29, 30]);
      assert.deepEqual(ids("commits"), [26, 27, 28, 29, 30]);
    } finally {
      for (const k of [...Object.keys(conf), "spark.sql.streaming.minBatchesToRetain"]) spark.conf.unset(k);
    }
  });

  it("on the local disk: entries below the line are deleted, also after a restart", { timeout: 60_000 }, async () => {
    spark.conf.set("spark.sql.streaming.minBatchesToRetain", "5");
    try {
      const { readdirSync } = await import("node:fs");
      const landing = tempDir();
      const base = tempDir();
      const ids = (dir: string) => readdirSync(path.join(base, "ckpt", dir)).filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
      files(landing, 0, 21);
      await run(landing, base);
      assert.deepEqual(ids("offsets"), [16, 17, 18, 19, 20]);
      assert.deepEqual(ids("commits"), [16, 17, 18, 19, 20]);
      files(landing, 21, 31);
      await run(landing, base);
      assert.deepEqual(ids("offsets"), [26, 27, 28, 29, 30]);
      assert.deepEqual(ids("commits"), [26, 27, 28, 29, 30]);
    } finally {
      spark.conf.unset("spark.sql.streaming.minBatchesToRetain");
    }
  });
});

describe("two queries on one checkpoint on MinIO", () => {
  const spark = testSession();

  it("the second writer fails with CHECKPOINT_CONCURRENT_WRITER, never CHECKPOINT_CORRUPT; the committed output is exactly once", { timeout: 120_000 }, async () => {
    for (const [k, v] of Object.entries(s3aConf())) spark.conf.set(k, v);
    try {
      for (let round = 0; round < 6; round++) {
        const landing = tempDir();
        for (let i = 0; i < 3; i++) writeFileSync(path.join(landing, `f${i}.json`), Array.from({ length: 5 }, (_, j) => JSON.stringify({ id: i * 5 + j })).join("\n") + "\n");
        const base = s3Prefix("two-writers");
        const start = () => spark.readStream.schema("id INT").option("maxFilesPerTrigger", 1).json(landing)
          .writeStream.format("parquet").option("path", `${base}/out`).option("checkpointLocation", `${base}/ckpt`).trigger({ availableNow: true }).start()
          .then((q) => q.awaitTermination());
        const results = await Promise.allSettled([start(), start()]);
        const codes = results.map((r) => {
          if (r.status === "fulfilled") return "ok";
          let c: unknown = r.reason;
          for (let i = 0; i < 5 && c instanceof Error && !(c instanceof SluiceError && c.code !== "STREAM_FAILED"); i++) c = c.cause;
          return c instanceof SluiceError ? c.code : String(c);
        });
        assert.ok(codes.every((c) => c === "ok" || c === "CHECKPOINT_CONCURRENT_WRITER"), `round ${round}: ${codes.join(", ")}`);
        assert.ok(codes.includes("ok"), `round ${round}: ${codes.join(", ")}`);
        if (codes.includes("CHECKPOINT_CONCURRENT_WRITER")) await start(); // the survivor's checkpoint is whole: a restart finishes the job
        // A writer that lost a race may leave a data file that no log entry names (as Spark's file sink may): readers of
        // the sink's log, Spark's included, see every row exactly once.
        assert.deepEqual(committedIdsByPyarrow(`${base}/out`), Array.from({ length: 15 }, (_, i) => i), `round ${round}: ${codes.join(", ")}`);
      }
    } finally {
      for (const k of Object.keys(s3aConf())) spark.conf.unset(k);
    }
  });
});
