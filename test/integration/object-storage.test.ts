import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { ListObjectVersionsCommand, S3Client } from "@aws-sdk/client-s3";
import { F } from "../../src/index.js";
import { fileSystemFor } from "../../src/fs/local-file-system.js";
import { minioAccessKey, minioBucket, minioEndpoint, minioSecretKey, pyarrowS3, s3Prefix, s3aConf } from "../support/minio.js";
import { runPython } from "../support/python.js";
import { testSession } from "../support/session.js";
import { tempDir } from "../support/stream-test.js";

describe("object storage (MinIO) for checkpoints and the file sink", () => {
  const spark = testSession();

  it("streams JSON files to Parquet on MinIO with the checkpoint there: exactly once across a restart, 4 requests per batch, no delete markers", async () => {
    for (const [k, v] of Object.entries(s3aConf())) spark.conf.set(k, v);
    const landing = tempDir();
    const base = s3Prefix("pipeline");
    const drop = (i: number): void => writeFileSync(path.join(landing, `f${String(i).padStart(3, "0")}.json`), Array.from({ length: 50 }, (_, j) => JSON.stringify({ id: i * 50 + j, v: `r${i}` })).join("\n") + "\n");
    const run = async () => {
      const q = await spark.readStream.schema("id INT, v STRING").option("maxFilesPerTrigger", 1).json(landing).withColumn("w", F.upper(F.col("v")))
        .writeStream.format("parquet").option("path", `${base}/out`).option("checkpointLocation", `${base}/ckpt`).trigger({ availableNow: true }).start();
      await q.awaitTermination();
      return q;
    };
    try {
      for (let i = 0; i < 4; i++) drop(i);
      const first = await run();
      assert.equal(first.recentProgress.filter((p) => p.numInputRows > 0).length, 4);
      for (let i = 4; i < 10; i++) drop(i);
      const second = await run(); // resumes from the checkpoint on MinIO
      const steady = second.recentProgress.filter((p) => p.numInputRows > 0).slice(1);
      assert.ok(steady.length >= 4);
      // offsets/N, the data file, _spark_metadata/N, commits/N: one PUT each, no LIST, HEAD or GET. Batch 9 compacts
      // the sink log as Spark does (compactInterval 10): the entries this run wrote it knows, the 4 the first run wrote
      // (_spark_metadata/0 … 3) it GETs.
      assert.deepEqual(steady.map((p) => p.sink.metrics["objectStoreRequests"]), steady.map((p) => p.batchId === 9 ? "8" : "4"));
      assert.doesNotMatch(JSON.stringify(second.recentProgress) + second.explain(), new RegExp(minioSecretKey));
      // An independent reader (pyarrow's own S3 client) finds every row exactly once.
      const counted = runPython(`
import json, pyarrow.fs as pafs, pyarrow.parquet as pq
s3 = ${pyarrowS3()}
prefix = ${JSON.stringify(base.replace("s3a://", "") + "/out")}
ids = []
for info in s3.get_file_info(pafs.FileSelector(prefix, recursive=True)):
    if info.path.endswith(".parquet"):
        ids += pq.read_table(info.path, filesystem=s3).column("id").to_pylist()
print(json.dumps({"n": len(ids), "distinct": len(set(ids)), "min": min(ids), "max": max(ids)}))
`) as { n: number; distinct: number; min: number; max: number };
      assert.deepEqual(counted, { n: 500, distinct: 500, min: 0, max: 499 });
      const s3 = new S3Client({ endpoint: minioEndpoint(), region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: minioAccessKey, secretAccessKey: minioSecretKey } });
      const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: minioBucket, Prefix: base.replace(`s3a://${minioBucket}/`, "") }));
      assert.equal((versions.DeleteMarkers ?? []).length, 0);
    } finally {
      for (const k of Object.keys(s3aConf())) spark.conf.unset(k);
    }
  });

  it("reads files from MinIO: a streaming file source (tasks read the objects) and batch reads with inference", async () => {
    const conf = s3aConf();
    for (const [k, v] of Object.entries(conf)) spark.conf.set(k, v);
    try {
      const base = s3Prefix("source");
      const fs = fileSystemFor(base, (k) => conf[k]);
      for (let f = 0; f < 4; f++) await fs.write(`${base}/landing/day=${f % 2}/f${f}.json`, Array.from({ length: 5 }, (_, i) => JSON.stringify({ id: f * 5 + i })).join("\n") + "\n");
      const q = await spark.readStream.schema("id INT").option("maxFilesPerTrigger", 2).json(`${base}/landing`)
        .writeStream.format("parquet").option("path", `${base}/out`).option("checkpointLocation", `${base}/ckpt`).trigger({ availableNow: true }).start();
      await q.awaitTermination();
      assert.equal(q.recentProgress.filter((p) => p.numInputRows > 0).length, 2);
      const back = spark.read.parquet(`${base}/out`);
      assert.deepEqual(back.columns, ["id", "day"]);
      const rows = await back.collect();
      assert.deepEqual(rows.map((r) => r["id"]).sort((a, b) => (a as number) - (b as number)), Array.from({ length: 20 }, (_, i) => i));
      assert.deepEqual(await spark.read.json(`${base}/landing`).filter("day = 1").count(), 10); // schema inferred from the objects
    } finally {
      for (const k of Object.keys(conf)) spark.conf.unset(k);
    }
  });

  it("create-if-absent detects a second writer; delete leaves no versions or markers behind", async () => {
    const fs = fileSystemFor("s3a://x", (k) => s3aConf()[k]);
    const p = `${s3Prefix("cas")}/offsets/0`;
    assert.equal(await fs.writeIfAbsent(p, "v1\n{}"), true);
    assert.equal(await fs.writeIfAbsent(p, "v1\n{\"other\":1}"), false);
    assert.equal(Buffer.from(await fs.read(p)).toString(), "v1\n{}");
    assert.equal(await fs.readIfExists(`${p}-missing`), undefined);
    await fs.delete(p);
    assert.equal(await fs.exists(p), false);
    const s3 = new S3Client({ endpoint: minioEndpoint(), region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: minioAccessKey, secretAccessKey: minioSecretKey } });
    const v = await s3.send(new ListObjectVersionsCommand({ Bucket: minioBucket, Prefix: p.replace(`s3a://${minioBucket}/`, "") }));
    assert.equal((v.Versions ?? []).length + (v.DeleteMarkers ?? []).length, 0);
  });
});
