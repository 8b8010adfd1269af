import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, utimesSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it, before } from "node:test";
import type { DataFrame, Row } from "../../src/index.js";
import { pythonPath } from "../support/python.js";
import { testSession } from "../support/session.js";
import { tempDir } from "../support/stream-test.js";
import { CORPUS, type DifferentialInput } from "./corpus.js";

function writeInput(input: DifferentialInput): string {
  const dir = tempDir("sluice-diff-");
  input.batches.forEach((rows, i) => {
    const p = path.join(dir, `${String(i).padStart(3, "0")}.json`);
    writeFileSync(p, rows.map((r) => JSON.stringify(r)).join("\n") + (rows.length > 0 ? "\n" : ""));
    utimesSync(p, 1_700_000_000 + i * 10, 1_700_000_000 + i * 10);
  });
  return dir;
}

function norm(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString().slice(0, 23).replace(/\.000$/, "");
  if (typeof v === "bigint") return Number(v);
  if (Array.isArray(v)) return v.map(norm);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), norm(x)]));
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x)]));
  return v;
}
function sparkNorm(v: unknown): unknown {
  if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(v)) return v.replace(/\.000$/, "").replace(/(\.\d{3})\d*$/, "$1");
  if (Array.isArray(v)) return v.map(sparkNorm);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, sparkNorm(x)]));
  return v;
}
const canon = (rows: readonly unknown[]): string[] => rows.map((r) => JSON.stringify(r)).sort();

describe("differential: Sluice and Spark give the same answers, batch by batch", () => {
  const dirs = new Map<string, Record<string, string>>();
  let spark: Record<string, { batches?: Record<string, unknown[]>; error?: string }> = {};

  before(() => {
    const cases = CORPUS.map((c) => {
      const inputs = Object.fromEntries(Object.entries(c.inputs).map(([name, inp]) => [name, writeInput(inp)]));
      dirs.set(c.name, inputs);
      return {
        name: c.name, mode: c.mode, pyspark: c.pyspark, checkpoint: tempDir("sluice-diff-ckpt-"),
        inputs: Object.fromEntries(Object.entries(c.inputs).map(([name, inp]) => [name, { schema: inp.schema, dir: inputs[name] }])),
      };
    });
    const work = tempDir("sluice-diff-run-");
    writeFileSync(path.join(work, "spec.json"), JSON.stringify({ cases }));
    execFileSync(pythonPath(), [path.resolve("test/differential/spark-runner.py"), path.join(work, "spec.json"), path.join(work, "out.json")], { stdio: ["ignore", "ignore", "pipe"], timeout: 600_000 });
    spark = JSON.parse(readFileSync(path.join(work, "out.json"), "utf8")) as typeof spark;
  }, { timeout: 600_000 });

  for (const c of CORPUS) {
    it(c.name, async () => {
      const expected = spark[c.name];
      assert.ok(expected, "Spark produced no result for this case");
      assert.equal(expected.error, undefined, `Spark failed: ${expected.error}`);
      const session = testSession();
      const inputs = dirs.get(c.name)!;
      const src: Record<string, DataFrame> = {};
      for (const [name, inp] of Object.entries(c.inputs)) src[name] = session.readStream.schema(inp.schema).option("maxFilesPerTrigger", 1).json(inputs[name]!);
      const batches: Record<string, unknown[]> = {};
      const q = await c.sluice(src, session).writeStream.outputMode(c.mode).option("checkpointLocation", tempDir("sluice-diff-ckpt-"))
        .foreachBatch(async (df, id) => {
          // DATE values are Dates at UTC midnight in Sluice's rows; render them as Spark's `yyyy-MM-dd`.
          const dates = new Set(df.schema.fields.filter((f) => f.dataType.kind === "date").map((f) => f.name));
          batches[String(id)] = (await df.collect()).map((r: Row) => norm(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, dates.has(k) && v instanceof Date ? v.toISOString().slice(0, 10) : v]))));
        }).trigger({ availableNow: true }).start();
      await q.awaitTermination();
      const sparkBatches = Object.fromEntries(Object.entries(expected.batches!).map(([k, rows]) => [k, canon(rows.map(sparkNorm))]));
      const ours = Object.fromEntries(Object.entries(batches).map(([k, rows]) => [k, canon(rows)]));
      assert.deepEqual(ours, sparkBatches);
    });
  }
});
