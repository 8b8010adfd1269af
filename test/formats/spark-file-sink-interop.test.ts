import assert from "node:assert/strict";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { MemoryStream, type StreamingQuery } from "../../src/index.js";
import { canonicalRows, canonicalSchema } from "../support/canonical.js";
import type { CanonicalValue } from "../support/spark-oracle.js";
import { runPython } from "../support/python.js";
import { testSession } from "../support/session.js";
import { tempDir } from "../support/stream-test.js";

/**
 * Spark and Sluice stream the same 25 batches into a partitioned file sink (partition values that need escaping,
 * "" and null, a column name with '/'); each reads the other's output, and must get exactly Spark's rows.
 */
const SCHEMA = "id INT, v STRING, p STRING, `a/b` INT, d DATE";
const ODD = ["a b", "x/y", "k=v", "50%", "é", "日本", "", null, "../../etc", "..", "#?*:[]{}^", "tab\tx", "%2F"];
const BATCHES = 25;
interface InRow { id: number; v: string; p: string | null; "a/b": number; d: string }
const batches: InRow[][] = Array.from({ length: BATCHES }, (_, b) => [2 * b, 2 * b + 1].map((id) => ({
  id, v: `v${id}`, p: ODD[id % ODD.length]!, "a/b": id % 3, d: `2024-01-0${1 + (id % 4)}`,
})));
const FORMATS = ["parquet", "json"] as const;

interface SparkRead { schema: [string, string][]; rows: CanonicalValue[][] }
interface SparkAnswer {
  read: Record<string, { spark: SparkRead; sluice: SparkRead; sparkLog: string[]; sparkPaths: string[] }>;
  compact: { spark: SparkRead; sluice: SparkRead; sparkLog: string[] };
}

function logNames(out: string): string[] {
  return readdirSync(path.join(out, "_spark_metadata")).filter((n) => !n.startsWith(".")).sort();
}

/** Every path recorded in the sink log the readers use, relative to the output folder, without the file name. */
function logFolders(out: string, uriBase: string): string[] {
  const dir = path.join(out, "_spark_metadata");
  const latest = logNames(out).filter((n) => n.endsWith(".compact")).sort((a, b) => parseInt(b) - parseInt(a))[0]!;
  const after = logNames(out).filter((n) => /^\d+$/.test(n) && Number(n) > parseInt(latest));
  const folders = new Set<string>();
  for (const n of [latest, ...after]) {
    for (const line of readFileSync(path.join(dir, n), "utf8").split("\n").slice(1)) {
      const p = (JSON.parse(line) as { path: string }).path;
      assert.ok(p.startsWith(uriBase), p);
      folders.add(p.slice(uriBase.length).replace(/part-[^/]*$/, ""));
    }
  }
  return [...folders].sort();
}

describe("file sink output that Spark reads, and Spark's that Sluice reads", () => {
  const spark = testSession();
  const root = tempDir();
  const dirs = Object.fromEntries(FORMATS.map((f) => [f, { sluice: path.join(root, `sluice-${f}`), spark: path.join(root, `spark-${f}`) }]));
  const compactDirs = { sluice: path.join(root, "sluice-compact"), spark: path.join(root, "spark-compact") };
  const compactConf = { "spark.sql.streaming.fileSink.log.compactInterval": "3", "spark.sql.streaming.fileSink.log.cleanupDelay": "0", "spark.sql.streaming.minBatchesToRetain": "2" };
  let answer: SparkAnswer;

  before(async () => {
    for (const f of FORMATS) {
      const input = MemoryStream.create(spark, SCHEMA);
      const q = await input.toDF().writeStream.format(f).partitionBy("p", "a/b", "d")
        .option("path", dirs[f]!.sluice).option("checkpointLocation", path.join(root, `ckpt-${f}`)).start();
      for (const b of batches) {
        input.addData(b.map((r) => ({ ...r, d: new Date(`${r.d}T00:00:00Z`) })));
        await q.processAllAvailable();
      }
      await q.stop();
    }
    // Compaction every 3 batches with expired logs deleted at once, across a restart after batch 4.
    for (const [k, v] of Object.entries(compactConf)) spark.conf.set(k, v);
    try {
      const input = MemoryStream.create(spark, "id INT");
      const start = (): Promise<StreamingQuery> => input.toDF().writeStream.format("json")
        .option("path", compactDirs.sluice).option("checkpointLocation", path.join(root, "ckpt-compact")).start();
      let q = await start();
      for (let b = 0; b < 8; b++) {
        if (b === 5) { await q.stop(); q = await start(); }
        input.addData([b]);
        await q.processAllAvailable();
      }
      await q.stop();
    } finally {
      for (const k of Object.keys(compactConf)) spark.conf.unset(k);
    }
    const batchFile = path.join(root, "batches.json");
    writeFileSync(batchFile, JSON.stringify(batches));
    answer = runPython(`
import datetime, json, math, os, shutil, time
os.environ["TZ"] = "UTC"; time.tzset()
from pyspark.sql import SparkSession, types as T
spark = (SparkSession.builder.master("local[2]").config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false")
         .config("spark.ui.showConsoleProgress", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate())
spark.sparkContext.setLogLevel("OFF")
EPOCH = datetime.datetime(1970, 1, 1)
def canon(v, t):
    if v is None: return None
    if isinstance(t, (T.IntegerType, T.LongType, T.DecimalType)): return str(v)
    if isinstance(t, T.DoubleType): return float(v)
    if isinstance(t, T.DateType): return v.isoformat()
    if isinstance(t, T.TimestampType): return str((v - EPOCH) // datetime.timedelta(microseconds=1))
    return str(v)
def read(fmt, p):
    df = spark.read.format(fmt).load(p)
    rows = [[canon(r[i], f.dataType) for i, f in enumerate(df.schema.fields)] for r in df.orderBy("id").collect()]
    return {"schema": [[f.name, f.dataType.simpleString()] for f in df.schema.fields], "rows": rows}
def log_names(p):
    return sorted(n for n in os.listdir(p + "/_spark_metadata") if not n.startswith("."))
batches = json.load(open(${JSON.stringify(batchFile)}))
root = ${JSON.stringify(root)}
dirs = json.loads(${JSON.stringify(JSON.stringify(dirs))})
out = {"read": {}}
for fmt, d in dirs.items():
    src = f"{root}/spark-src-{fmt}"
    os.makedirs(src)
    q = (spark.readStream.schema(${JSON.stringify(SCHEMA)}).option("maxFilesPerTrigger", 1).json(src)
         .writeStream.format(fmt).partitionBy("p", "a/b", "d").option("path", d["spark"]).option("checkpointLocation", f"{root}/spark-ckpt-{fmt}").start())
    for b, rows in enumerate(batches):
        with open(f"{src}/.tmp", "w") as fh: fh.write("".join(json.dumps(r) + "\\n" for r in rows))
        os.rename(f"{src}/.tmp", f"{src}/b{b:03d}.json")
        q.processAllAvailable()
    q.stop()
    out["read"][fmt] = {"spark": read(fmt, d["spark"]), "sluice": read(fmt, d["sluice"]), "sparkLog": log_names(d["spark"])}
conf = json.loads(${JSON.stringify(JSON.stringify(compactConf))})
for k, v in conf.items(): spark.conf.set(k, v)
src = f"{root}/spark-src-compact"
os.makedirs(src)
def start():
    return (spark.readStream.schema("id INT").option("maxFilesPerTrigger", 1).json(src).writeStream.format("json")
            .option("path", ${JSON.stringify(compactDirs.spark)}).option("checkpointLocation", f"{root}/spark-ckpt-compact").start())
q = start()
for b in range(8):
    if b == 5:
        q.stop(); q = start()
    with open(f"{src}/.tmp", "w") as fh: fh.write(json.dumps({"id": b}) + "\\n")
    os.rename(f"{src}/.tmp", f"{src}/b{b:03d}.json")
    q.processAllAvailable()
q.stop()
for k in conf: spark.conf.unset(k)
out["compact"] = {"spark": read("json", ${JSON.stringify(compactDirs.spark)}), "sluice": read("json", ${JSON.stringify(compactDirs.sluice)}), "sparkLog": log_names(${JSON.stringify(compactDirs.spark)})}
print(json.dumps(out))
`) as SparkAnswer;
  }, { timeout: 600_000 });

  for (const f of FORMATS) {
    it(`Spark reads Sluice's 25-batch ${f} sink output (compact log files, escaped partition values) and gets exactly its own rows`, () => {
      const a = answer.read[f]!;
      assert.equal(a.spark.rows.length, 2 * BATCHES);
      assert.deepEqual(a.sluice.schema, a.spark.schema);
      assert.deepEqual(a.sluice.rows, a.spark.rows);
      assert.deepEqual(logNames(dirs[f]!.sluice), a.sparkLog);
      assert.deepEqual(logFolders(dirs[f]!.sluice, `file://${dirs[f]!.sluice}/`), logFolders(dirs[f]!.spark, `file://${dirs[f]!.spark}/`));
    });

    it(`Sluice reads Spark's 25-batch ${f} sink output and gets exactly Spark's rows, partition types inferred as Spark does`, async () => {
      const a = answer.read[f]!;
      for (const dir of [dirs[f]!.spark, dirs[f]!.sluice]) {
        const df = spark.read.format(f).load(dir);
        assert.deepEqual(canonicalSchema(df.schema), a.spark.schema);
        const rows = canonicalRows(await df.collect(), df.schema).sort((x, y) => Number(x[0]) - Number(y[0]));
        assert.deepEqual(rows, a.spark.rows);
      }
    });
  }

  it("compacts every compactInterval batches and deletes expired log files as Spark does, across a restart", async () => {
    const c = answer.compact;
    assert.deepEqual(logNames(compactDirs.sluice), c.sparkLog);
    assert.deepEqual(c.sluice, c.spark);
    for (const dir of [compactDirs.spark, compactDirs.sluice]) {
      const df = spark.read.json(dir);
      assert.deepEqual(canonicalRows(await df.collect(), df.schema).sort((x, y) => Number(x[0]) - Number(y[0])), c.spark.rows);
    }
  });
});
