/**
 * The Parquet reader honours the file's column types as Spark does: a requested type the file's column cannot be read
 * as fails with FAILED_READ_FILE.PARQUET_COLUMN_DATA_TYPE_MISMATCH (never a wrapped or zeroed value); Spark's safe
 * widenings (int → bigint/double, float → double, decimal to a wider decimal) read exactly; a corrupt file names itself.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { runPython } from "../support/python.js";
import { testSession } from "../support/session.js";
import { tempDir } from "../support/stream-test.js";

describe("Parquet column types against the requested schema (files written by Spark)", () => {
  const dir = path.join(tempDir(), "pq");
  // Spark's own answers for each requested schema, computed once.
  const schemas = ["a INT", "s INT", "d DECIMAL(12,4)", "d DECIMAL(5,1)", "i BIGINT", "i DOUBLE", "f DOUBLE", "i STRING", "a DOUBLE", "a BIGINT"];
  const spark = runPython(`
import json, os
os.environ["TZ"] = "UTC"
from pyspark.sql import SparkSession
s = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
s.sql("SELECT CAST(5000000000 AS BIGINT) AS a, 'x' AS s, CAST(1.25 AS DECIMAL(10,2)) AS d, 7 AS i, CAST(1.5 AS FLOAT) AS f").coalesce(1).write.parquet("${dir}")
out = {}
for sch in ${JSON.stringify(schemas)}:
    try:
        out[sch] = {"rows": [[v if isinstance(v, (int, float, str)) else str(v) for v in r] for r in s.read.schema(sch).parquet("${dir}").collect()]}
    except Exception as e:
        j, cls = getattr(e, "java_exception", None), None
        while j is not None and cls is None:
            cls = j.getCondition() if hasattr(j, "getCondition") else None
            j = j.getCause()
        out[sch] = {"error": cls}
print(json.dumps(out))
`) as Record<string, { rows?: unknown[][]; error?: string }>;

  for (const schema of schemas) {
    it(`reads the column as ${schema} as Spark does`, async () => {
      const expected = spark[schema]!;
      const session = testSession();
      const read = session.read.schema(schema).parquet(dir).collect();
      if (expected.error !== undefined) {
        await assert.rejects(read, (e: unknown) => (e as { code?: string }).code === expected.error);
      } else {
        const rows = (await read).map((r) => Object.values(r).map((v) => (typeof v === "number" || typeof v === "string" ? v : String(v))));
        assert.deepEqual(rows, expected.rows);
      }
    });
  }

  it("a corrupt Parquet file fails with FAILED_READ_FILE naming the file", async () => {
    const bad = path.join(tempDir(), "bad");
    const file = path.join(bad, "part-0.parquet");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(bad);
    writeFileSync(file, Buffer.from("PAR1 this is not a parquet file PAR1"));
    await assert.rejects(testSession().read.schema("a INT").parquet(bad).collect(), (e: unknown) => {
      const err = e as { code?: string; params?: Record<string, unknown> };
      return err.code === "FAILED_READ_FILE.NO_HINT" && String(err.params?.["path"]).endsWith("part-0.parquet");
    });
  });
});
