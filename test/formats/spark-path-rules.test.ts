import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { deriveCompactInterval, encodeUriPath, sinkUriPath } from "../../src/sinks/file-sink-log.js";
import { escapePathName, partitionPathString, unescapePathName } from "../../src/sources/partitioning.js";
import { runPython } from "../support/python.js";

/** Sluice's path rules against the functions of real Spark's JVM (through PySpark's gateway). */
const CHARS = [...Array.from({ length: 0x300 }, (_, i) => String.fromCharCode(i)), "\u2028", "\u3000", "日", "😀"];
const UNESCAPE = ["%41", "%4", "%zz", "%+1x", "%-1", "%-0", "a%2Fb%3D", "%C3%A9", "50%", "%%41", "%2f"];
const PATHS = CHARS.filter((c) => c !== "\0" && c !== "/" && c !== "\\" && c !== ".").map((c) => `/tmp/a${c}b/p=x${c}/f`);
const DERIVE = Array.from({ length: 12 }, (_, d) => Array.from({ length: 60 }, (_, l) => [d + 1, l] as const)).flat();

interface SparkRules { escaped: string[]; unescaped: string[]; partition: string[]; uris: string[]; derived: number[] }

describe("path rules as real Spark's", () => {
  let spark: SparkRules;
  before(() => {
    spark = runPython(`
import json
from pyspark.sql import SparkSession
spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
spark.sparkContext.setLogLevel("OFF")
jvm = spark._jvm
ecu = jvm.org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils
log = jvm.org.apache.spark.sql.execution.streaming.runtime.CompactibleFileStreamLog
chars = json.loads(${JSON.stringify(JSON.stringify(CHARS))})
print(json.dumps({
  "escaped": [ecu.escapePathName(c) for c in chars],
  "unescaped": [ecu.unescapePathName(s) for s in json.loads(${JSON.stringify(JSON.stringify(UNESCAPE))})],
  "partition": [ecu.getPartitionPathString(c, v) for c, v in [("a/b", ""), ("x=y", None), ("../../x", "../../etc"), ("k", "a b")]],
  "uris": [jvm.org.apache.hadoop.fs.Path("file://" + p).toUri().toString() for p in json.loads(${JSON.stringify(JSON.stringify(PATHS))})],
  "derived": [log.deriveCompactInterval(d, l) for d, l in json.loads(${JSON.stringify(JSON.stringify(DERIVE))})],
}))
`) as SparkRules;
  }, { timeout: 120_000 });

  it("escapes and unescapes partition names and values as ExternalCatalogUtils", () => {
    assert.deepEqual(CHARS.map(escapePathName), spark.escaped);
    assert.deepEqual(UNESCAPE.map(unescapePathName), spark.unescaped);
    assert.deepEqual([partitionPathString("a/b", ""), partitionPathString("x=y", null), partitionPathString("../../x", "../../etc"), partitionPathString("k", "a b")], spark.partition);
  });

  it("records paths as Hadoop's Path.toUri, and reads them back", () => {
    assert.deepEqual(PATHS.map((p) => `file://${encodeUriPath(p)}`), spark.uris);
    assert.deepEqual(spark.uris.map(sinkUriPath), PATHS);
  });

  it("derives the compact interval after a configuration change as CompactibleFileStreamLog", () => {
    assert.deepEqual(DERIVE.map(([d, l]) => deriveCompactInterval(d, l)), spark.derived);
  });
});
