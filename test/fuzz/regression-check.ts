/** Runs regression cases (batch SqlDiffCases with their own tables, streaming StreamCases) in both and compares them. */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import type { Session } from "../../src/index.js";
import { compareAnswers, runInSluice, type DiffTable, type SqlDiffCase } from "../support/sql-differential.js";
import type { SparkOracle } from "../support/spark-oracle.js";
import { tempDir } from "../support/stream-test.js";
import { compareStreamAnswers } from "./fuzz-runner.js";
import { runStreamInSluice, streamPyspark, writeStreamInputs, type StreamAnswer, type StreamCase } from "./stream-cases.js";

function writeTables(tables: Readonly<Record<string, DiffTable>>): Record<string, { schema: string; path: string }> {
  const dir = tempDir("sluice-fuzz-reg-");
  return Object.fromEntries(Object.entries(tables).map(([name, t]) => {
    const p = path.join(dir, `${name}.json`);
    writeFileSync(p, t.rows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n") + "\n");
    return [name, { schema: t.schema, path: p }];
  }));
}

/** How Sluice's answer differs from Spark's for a batch case, or undefined when they agree. */
export async function checkBatchCase(oracle: SparkOracle, session: Session, c: SqlDiffCase): Promise<string | undefined> {
  const tables = writeTables(c.tables ?? {});
  const spark = await oracle.ask({ tables, sql: c.sql!, ...(c.conf ? { conf: c.conf } : {}) });
  if (spark.error === "ORACLE_DIED") return `Spark died: ${spark.message}`;
  return compareAnswers(spark, await runInSluice(session, c, tables), c.ordered);
}

export async function checkStreamCase(oracle: SparkOracle, session: Session, c: StreamCase): Promise<string | undefined> {
  const inputs = writeStreamInputs(c, tempDir("sluice-fuzz-reg-in-"));
  const spark = await oracle.ask({ stream: { inputs, pyspark: streamPyspark(c), mode: c.mode, checkpoint: tempDir("sluice-fuzz-reg-ckpt-") }, conf: c.conf }) as StreamAnswer;
  if (spark.error === "ORACLE_DIED") return `Spark died: ${spark.message}`;
  return compareStreamAnswers(spark, await runStreamInSluice(session, c, inputs));
}
