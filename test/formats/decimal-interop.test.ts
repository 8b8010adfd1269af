/**
 * Exact decimals through every file format, checked by independent readers: what Sluice writes, pyarrow and real
 * Spark read digit for digit; what Spark writes (Parquet INT32/INT64/FIXED_LEN_BYTE_ARRAY decimals, JSON, CSV),
 * Sluice reads digit for digit; written text is Spark's (BigDecimal.toString in JSON and CSV).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { Decimal } from "../../src/index.js";
import { runPython } from "../support/python.js";
import { testSession } from "../support/session.js";
import { tempDir } from "../support/stream-test.js";

const SCHEMA = "id INT, small DECIMAL(5,2), mid DECIMAL(18,6), wide DECIMAL(38,10)";
const ROWS = [
  { id: 1, small: "123.45", mid: "123456789012.123456", wide: "1234567890123456789012345678.0123456789" },
  { id: 2, small: "-0.01", mid: "-0.000001", wide: "-0.0000000001" },
  { id: 3, small: "0.00", mid: "999999999999.999999", wide: "9999999999999999999999999999.9999999999" },
  { id: 4, small: null, mid: null, wide: null },
];
const TEXT = ROWS.map((r) => [String(r.id), r.small, r.mid, r.wide]);

function textOfRows(rows: readonly Record<string, unknown>[]): (string | null)[][] {
  return rows.map((r) => [String(r["id"]), ...["small", "mid", "wide"].map((k) => (r[k] === null ? null : (r[k] as Decimal).toString()))]).sort((a, b) => Number(a[0]) - Number(b[0]));
}

describe("exact decimals through files, against pyarrow and Spark", () => {
  it("Parquet written by Sluice reads back exactly in pyarrow, Spark and Sluice", async () => {
    const spark = testSession();
    const dir = path.join(tempDir(), "p");
    const df = spark.createDataFrame(ROWS, SCHEMA);
    await df.write.parquet(dir);
    const out = runPython(`
import json, os
os.environ["TZ"] = "UTC"
import decimal
import pyarrow.parquet as pq
SCALE = {"small": 2, "mid": 6, "wide": 10}
def txt(v, k):  # at the column's scale (PySpark's Decimal may carry another exponent)
    with decimal.localcontext() as c:
        c.prec = 100
        return None if v is None else format(v.quantize(decimal.Decimal(1).scaleb(-SCALE[k])), "f")
t = pq.read_table("${dir}")
arrow = sorted([[str(r["id"])] + [txt(r[k], k) for k in ("small", "mid", "wide")] for r in t.to_pylist()], key=lambda r: int(r[0]))
from pyspark.sql import SparkSession
s = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
d = s.read.parquet("${dir}")
sp = sorted([[str(r["id"])] + [txt(r[k], k) for k in ("small", "mid", "wide")] for r in d.collect()], key=lambda r: int(r[0]))
print(json.dumps({"types": [str(f.type) for f in t.schema], "arrow": arrow, "spark": sp, "sparkTypes": [f.dataType.simpleString() for f in d.schema.fields]}))
`) as { types: string[]; arrow: unknown[]; spark: unknown[]; sparkTypes: string[] };
    assert.deepEqual(out.types, ["int32", "decimal128(5, 2)", "decimal128(18, 6)", "decimal128(38, 10)"]);
    assert.deepEqual(out.sparkTypes, ["int", "decimal(5,2)", "decimal(18,6)", "decimal(38,10)"]);
    assert.deepEqual(out.arrow, TEXT);
    assert.deepEqual(out.spark, TEXT);
    assert.deepEqual(textOfRows(await spark.read.parquet(dir).collect()), TEXT);
  });

  it("Parquet, JSON and CSV written by Spark read back exactly in Sluice; Sluice writes Spark's JSON and CSV text", async () => {
    const root = tempDir();
    const values = ROWS.map((r) => `(${r.id}, ${r.small === null ? "NULL" : `CAST('${r.small}' AS DECIMAL(5,2))`}, ${r.mid === null ? "NULL" : `CAST('${r.mid}' AS DECIMAL(18,6))`}, ${r.wide === null ? "NULL" : `CAST('${r.wide}' AS DECIMAL(38,10))`})`).join(", ");
    runPython(`
import json, os
os.environ["TZ"] = "UTC"
from pyspark.sql import SparkSession
s = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
d = s.sql("SELECT * FROM VALUES ${values} AS t(id, small, mid, wide)")
for f in ("parquet", "json", "csv"):
    d.coalesce(1).write.format(f).save("${root}/spark-" + f)
print(json.dumps(True))
`);
    const spark = testSession();
    for (const f of ["parquet", "json", "csv"]) {
      const back = await spark.read.format(f).schema(SCHEMA).load(path.join(root, `spark-${f}`)).collect();
      assert.deepEqual(textOfRows(back), TEXT, f);
    }
    // What Spark's JSON and CSV writers print for the same values, and what Sluice prints.
    const sparkText = (f: string): string => {
      const d = path.join(root, `spark-${f}`);
      return readFileSync(path.join(d, readdirSync(d).find((n) => n.startsWith("part-"))!), "utf8").split("\n").filter((l) => l !== "").sort().join("\n");
    };
    const df = spark.createDataFrame(ROWS, SCHEMA).coalesce(1);
    for (const f of ["json", "csv"]) {
      const d = path.join(root, `sluice-${f}`);
      await df.write.format(f).save(d);
      const ours = readFileSync(path.join(d, readdirSync(d).find((n) => n.startsWith("part-"))!), "utf8").split("\n").filter((l) => l !== "").sort().join("\n");
      assert.equal(ours, sparkText(f), f);
    }
  });

  it("createDataFrame and collect keep decimals exact, and Decimal prints Spark's text", async () => {
    const spark = testSession();
    const rows = await spark.createDataFrame([{ d: Decimal.parse("12345678901234567.89") }, { d: "0.1" }, { d: 0.1 }], "d DECIMAL(20,2)").collect();
    assert.deepEqual(rows.map((r) => String(r["d"])), ["12345678901234567.89", "0.10", "0.10"]);
    assert.equal(JSON.stringify(rows[0]), '{"d":"12345678901234567.89"}');
    assert.equal((rows[1]!["d"] as Decimal).toNumber(), 0.1);
  });
});
