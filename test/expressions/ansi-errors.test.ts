/** Coded errors where Spark has no error class to compare with (sequence boundaries) or wraps it (a FAILFAST read). */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { F } from "../../src/index.js";
import { testSession } from "../support/session.js";
import { tempDir } from "../support/stream-test.js";

describe("ANSI and parsing errors carry catalogue codes", () => {
  const spark = testSession();
  const one = spark.createDataFrame([{ z: 1 }], "z INT");

  it("sequence with a step that never reaches stop is INVALID_PARAMETER_VALUE (Spark: Illegal sequence boundaries)", async () => {
    await assert.rejects(one.select(F.expr("sequence(1, 5, -1)")).collect(), { code: "INVALID_PARAMETER_VALUE" });
    await assert.rejects(one.select(F.expr("sequence(1, 5, 0)")).collect(), { code: "INVALID_PARAMETER_VALUE" });
    assert.deepEqual(await one.select(F.expr("sequence(5, 5, 0)").alias("s")).collect(), [{ s: [5] }]);
  });

  it("a FAILFAST JSON read fails on a BIGINT overflow with MALFORMED_RECORD_IN_PARSING (Spark's cause)", async () => {
    const p = path.join(tempDir("sluice-ansi-"), "big.json");
    writeFileSync(p, '{"l": 1}\n{"l": 9223372036854775808}\n');
    await assert.rejects(spark.read.schema("l BIGINT").option("mode", "FAILFAST").json(p).collect(), { code: "MALFORMED_RECORD_IN_PARSING" });
    assert.deepEqual(await spark.read.schema("l BIGINT").option("mode", "DROPMALFORMED").json(p).collect(), [{ l: 1 }]);
  });

  it("deep nesting is a PARSE_SYNTAX_ERROR, while 150 levels still evaluate", async () => {
    assert.throws(() => F.expr("(".repeat(20_000) + "1" + ")".repeat(20_000)), { code: "PARSE_SYNTAX_ERROR" });
    assert.throws(() => F.expr(Array(20_000).fill("z").join(" + ")), { code: "PARSE_SYNTAX_ERROR" });
    assert.throws(() => F.expr("- ".repeat(20_000) + "z"), { code: "PARSE_SYNTAX_ERROR" });
    const rows = await one.select(F.expr("(".repeat(150) + "z + 1" + ")".repeat(150)).alias("v"), F.expr(Array(400).fill("z").join(" + ")).alias("w")).collect();
    assert.deepEqual(rows, [{ v: 2, w: 400 }]);
  });

});
