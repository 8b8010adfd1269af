import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { canonicalValue } from "../support/canonical.js";
import type { CanonicalValue } from "../support/spark-oracle.js";
import { runPython } from "../support/python.js";
import { testSession } from "../support/session.js";
import { tempDir } from "../support/stream-test.js";
import { simpleString } from "../../src/types/data-type.js";

/** Folder values (as they appear in `c=<value>` names) whose partition column type and values Spark infers. */
const CASES: string[][] = [
  ...["1", "-5", "+5", "007", "-0", "2147483648", "9223372036854775807", "9223372036854775808", "123456789012345678901234567890123456789",
    "1.5", "1.50", "1e5", "1.5e3", "1E-3", "10e-1", ".5", "5.", "NaN", "Infinity", "-Infinity", "1e400", "1.5d", "1D", "0x1p3", "0x10", " 5",
    "true", "2024-01-01", "0001-01-01", "2024-1-1", "2024-02-30", "2024-01", "20240101", "2024-01-01T10:00:00",
    "2024-01-01 10%3A00%3A00", "2024-01-01 10%3A00%3A00.5", "2024-01-01 10%3A00%3A00.0", "2024-01-01 10%3A00%3A00.12",
    "2024-01-01 10%3A00", "2024-01-01 1%3A2%3A3", "__HIVE_DEFAULT_PARTITION__", "a%2Fb", "50%25", "%zz", "1_000", "é"].map((v) => [v]),
  ["1", "2147483648"], ["1", "1.5"], ["2147483648", "1.5"], ["1", "9223372036854775808"], ["2147483648", "9223372036854775808"],
  ["1.5", "9223372036854775808"], ["1e5", "12"], ["1", "2024-01-01"], ["2024-01-01", "2024-01-01 10%3A00%3A00"],
  ["1", "__HIVE_DEFAULT_PARTITION__"], ["2024-01-01", "__HIVE_DEFAULT_PARTITION__"], ["1", "x"], ["1.5", "2024-01-01"],
];

interface Inferred { type: string; values: CanonicalValue[] }

/** Decimal values beyond 2^53: their types are checked here, their values wait for exact decimals in casts. */
const beyondDoubles = (i: number): boolean => CASES[i]!.includes("9223372036854775808");

describe("partition column types inferred as Spark's PartitioningUtils", () => {
  const spark = testSession();
  const root = tempDir();
  const dirs = CASES.map((vals, i) => {
    const d = path.join(root, `case${i}`);
    vals.forEach((v, j) => {
      mkdirSync(path.join(d, `c=${v}`), { recursive: true });
      writeFileSync(path.join(d, `c=${v}`, `f${j}.json`), `{"x":${j}}\n`);
    });
    return d;
  });
  let spark4: { inferred: Inferred[]; off: Inferred[] };

  before(() => {
    spark4 = runPython(`
import datetime, json, math, os, time
os.environ["TZ"] = "UTC"; time.tzset()
from pyspark.sql import SparkSession, types as T
spark = SparkSession.builder.master("local[1]").config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false").getOrCreate()
spark.sparkContext.setLogLevel("OFF")
EPOCH = datetime.datetime(1970, 1, 1)
def canon(v, t):
    if v is None: return None
    if isinstance(t, (T.IntegerType, T.LongType, T.DecimalType)): return str(v)
    if isinstance(t, T.DoubleType):
        if math.isnan(v): return "NaN"
        if math.isinf(v): return "Infinity" if v > 0 else "-Infinity"
        return float(v)
    if isinstance(t, T.DateType): return v.isoformat()
    if isinstance(t, T.TimestampType): return str((v - EPOCH) // datetime.timedelta(microseconds=1))
    return str(v)
def infer(d):
    df = spark.read.json(d)
    t = df.schema["c"].dataType
    return {"type": t.simpleString(), "values": [canon(r["c"], t) for r in df.orderBy("x").collect()]}
dirs = json.loads(${JSON.stringify(JSON.stringify(dirs))})
inferred = [infer(d) for d in dirs]
spark.conf.set("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
off = [infer(d) for d in dirs[:3]]
print(json.dumps({"inferred": inferred, "off": off}))
`) as { inferred: Inferred[]; off: Inferred[] };
  }, { timeout: 180_000 });

  const sluice = async (dir: string): Promise<Inferred> => {
    const df = spark.read.json(dir);
    const t = df.schema.fields.find((f) => f.name === "c")!.dataType;
    const rows = (await df.collect()).sort((a, b) => Number(a["x"]) - Number(b["x"]));
    return { type: simpleString(t), values: rows.map((r) => canonicalValue(r["c"], t)) };
  };

  it("infers int, bigint, decimal, double, timestamp, date, string and void, and widens them across folders, as Spark", async () => {
    const mismatches: string[] = [];
    for (let i = 0; i < CASES.length; i++) {
      const got = await sluice(dirs[i]!);
      const want = spark4.inferred[i]!;
      try { assert.deepEqual(beyondDoubles(i) ? got.type : got, beyondDoubles(i) ? want.type : want); } catch {
        mismatches.push(`${JSON.stringify(CASES[i])}: Sluice ${JSON.stringify(got)}, Spark ${JSON.stringify(spark4.inferred[i])}`);
      }
    }
    assert.deepEqual(mismatches, []);
  });

  it("keeps decimal partition values beyond 2^53 exact", async () => {
    for (let i = 0; i < CASES.length; i++) if (beyondDoubles(i)) assert.deepEqual(await sluice(dirs[i]!), spark4.inferred[i]);
  });

  it("reads every partition value as a string when spark.sql.sources.partitionColumnTypeInference.enabled is false", async () => {
    spark.conf.set("spark.sql.sources.partitionColumnTypeInference.enabled", "false");
    try {
      for (let i = 0; i < spark4.off.length; i++) assert.deepEqual(await sluice(dirs[i]!), spark4.off[i]);
    } finally {
      spark.conf.unset("spark.sql.sources.partitionColumnTypeInference.enabled");
    }
  });
});
