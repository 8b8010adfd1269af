/**
 * Streaming differential suites against real Spark: each case is one streaming query written for Sluice and for
 * PySpark, fed the same input files (one file per micro-batch per input) and run with availableNow; the outputs must
 * be equal batch by batch. A case may restart: the first run reads the files up to `restartAfter` (with availableNow,
 * or Trigger.Once), the rest are written, and a second run continues from the same checkpoint. A case Spark rejects at
 * start() must be rejected by Sluice with the same error class (and, for classes with parameters, the same
 * parameters); Spark's `_LEGACY_ERROR_TEMP_3102` (a message-only class) is Sluice's STREAMING_UNSUPPORTED_OPERATION.
 * Spark runs every case of a suite in one PySpark process (test/support/streaming_differential_runner.py).
 *
 * @example
 * streamingDifferentialSuite("word count", [{ name: "complete", mode: "complete", inputs: { w: WORDS },
 *   sluice: (s) => s["w"]!.groupBy("value").count(), pyspark: "src['w'].groupBy('value').count()" }]);
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { Decimal, SluiceError, type DataFrame, type Row, type Session } from "../../src/index.js";
import { pythonPath } from "./python.js";
import { testSession } from "./session.js";
import { tempDir } from "./stream-test.js";

export interface StreamInput { readonly schema: string; readonly batches: readonly (readonly (Record<string, unknown> | string)[])[] }
export interface StreamCase {
  readonly name: string;
  readonly mode: "append" | "update" | "complete";
  readonly inputs: Readonly<Record<string, StreamInput>>;
  readonly sluice: (src: Readonly<Record<string, DataFrame>>, spark: Session) => DataFrame;
  /** A Python expression over `src` (dict of streaming DataFrames), `spark` and `F` (pyspark.sql.functions). */
  readonly pyspark: string;
  /** Restart after this many files per input (the first run sees only those). */
  readonly restartAfter?: number;
  /** Trigger of the first run of a restarting case (the second is always availableNow). */
  readonly firstTrigger?: "availableNow" | "once";
}


const ERROR_ALIASES: Readonly<Record<string, string>> = { _LEGACY_ERROR_TEMP_3102: "STREAMING_UNSUPPORTED_OPERATION" };
/** Parameters compared for error classes whose parameters are Spark's (the legacy class has only a message). */
const PARAMS_COMPARED = new Set(["STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION"]);

function fileName(i: number): string { return `${String(i).padStart(3, "0")}.json`; }
/** JSON Lines of a micro-batch's rows: objects, or raw JSON text (for numbers a JS number cannot hold). */
function content(rows: readonly (Record<string, unknown> | string)[]): string { return rows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n") + (rows.length > 0 ? "\n" : ""); }
const MTIME = (i: number): number => 1_700_000_000 + i * 10;

/** Writes an input's files, the first `upTo` of them now; returns the folder and the files to write on restart. */
function writeInput(input: StreamInput, upTo: number): { dir: string; pending: { path: string; content: string; mtime: number }[] } {
  const dir = tempDir("sluice-sdiff-");
  const pending: { path: string; content: string; mtime: number }[] = [];
  input.batches.forEach((rows, i) => {
    const f = { path: path.join(dir, fileName(i)), content: content(rows), mtime: MTIME(i) };
    if (i < upTo) { writeFileSync(f.path, f.content); utimesSync(f.path, f.mtime, f.mtime); } else pending.push(f);
  });
  return { dir, pending };
}


function norm(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString().slice(0, 23).replace(/\.000$/, "");
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Decimal) return v.toString(); // exact text, as the runner gives Spark's decimals
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
/** Rows in a canonical order; collect_list's order follows input order in both engines, so lists are sorted too. */
const canon = (rows: readonly unknown[]): string[] => rows.map((r) => JSON.stringify(r, (_k, x: unknown) => (Array.isArray(x) && x.every((y) => typeof y === "string") ? [...x].sort() : x))).sort();

interface SparkResult { batches?: Record<string, unknown[]>; error?: string; params?: Record<string, string>; message?: string }

export function streamingDifferentialSuite(title: string, CASES: readonly StreamCase[]): void {
describe(`differential (streaming): ${title}`, () => {
  let spark: Record<string, SparkResult> = {};

  before(() => {
    const cases = CASES.map((c) => ({
      name: c.name, mode: c.mode, pyspark: c.pyspark, checkpoint: tempDir("sluice-sdiff-ckpt-"), restart: c.restartAfter !== undefined,
      firstTrigger: c.firstTrigger ?? "availableNow",
      inputs: Object.fromEntries(Object.entries(c.inputs).map(([name, inp]) => [name, { schema: inp.schema, ...writeInput(inp, c.restartAfter ?? Infinity) }])),
    }));
    // SLUICE_SPARK_RESULTS=<file>: reuse Spark's answers from an earlier run of this file (written there when absent).
    const cached = process.env["SLUICE_SPARK_RESULTS"];
    if (cached !== undefined && existsSync(cached)) { spark = JSON.parse(readFileSync(cached, "utf8")) as typeof spark; return; }
    const work = tempDir("sluice-sdiff-run-");
    writeFileSync(path.join(work, "spec.json"), JSON.stringify({ cases }));
    execFileSync(pythonPath(), [path.resolve("test/support/streaming_differential_runner.py"), path.join(work, "spec.json"), path.join(work, "out.json")], { stdio: ["ignore", "ignore", "pipe"], timeout: 900_000 });
    spark = JSON.parse(readFileSync(path.join(work, "out.json"), "utf8")) as typeof spark;
    if (cached !== undefined) writeFileSync(cached, JSON.stringify(spark));
  }, { timeout: 900_000 });

  for (const c of CASES) {
    it(c.name, async () => {
      const expected = spark[c.name];
      assert.ok(expected, "Spark produced no result for this case");
      const session = testSession();
      const written = Object.fromEntries(Object.entries(c.inputs).map(([name, inp]) => [name, writeInput(inp, c.restartAfter ?? Infinity)]));
      const checkpoint = tempDir("sluice-sdiff-ckpt-");
      const batches: Record<string, unknown[]> = {};
      const runs = c.restartAfter === undefined ? 1 : 2;
      let failure: unknown;
      for (let run = 0; run < runs && failure === undefined; run++) {
        if (run === 1) for (const w of Object.values(written)) for (const f of w.pending) { writeFileSync(f.path, f.content); utimesSync(f.path, f.mtime, f.mtime); }
        const src: Record<string, DataFrame> = {};
        for (const [name, inp] of Object.entries(c.inputs)) src[name] = session.readStream.schema(inp.schema).option("maxFilesPerTrigger", 1).json(written[name]!.dir);
        try {
          const q = await c.sluice(src, session).writeStream.outputMode(c.mode).option("checkpointLocation", checkpoint)
            .foreachBatch(async (df, id) => {
              const dates = new Set(df.schema.fields.filter((f) => f.dataType.kind === "date").map((f) => f.name));
              batches[String(id)] = (await df.collect()).map((r: Row) => norm(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, dates.has(k) && v instanceof Date ? v.toISOString().slice(0, 10) : v]))));
            }).trigger(run === 0 && c.firstTrigger === "once" ? { once: true } : { availableNow: true }).start();
          await q.awaitTermination();
        } catch (e) { failure = e; }
      }
      if (expected.error !== undefined) {
        const code = ERROR_ALIASES[expected.error] ?? expected.error;
        assert.ok(failure instanceof SluiceError, `Spark rejected the query with ${expected.error} (${expected.message}); Sluice ${failure === undefined ? "ran it" : `failed with ${String(failure)}`}`);
        assert.equal(failure.code, code, `Spark: ${expected.error} (${expected.message}); Sluice: ${failure.message}`);
        if (PARAMS_COMPARED.has(expected.error)) assert.deepEqual(Object.fromEntries(Object.keys(expected.params ?? {}).map((k) => [k, failure.params[k]])), expected.params);
        return;
      }
      if (failure !== undefined) throw failure;
      const sparkBatches = Object.fromEntries(Object.entries(expected.batches!).map(([k, rows]) => [k, canon(rows.map(sparkNorm))]));
      const ours = Object.fromEntries(Object.entries(batches).map(([k, rows]) => [k, canon(rows)]));
      assert.deepEqual(ours, sparkBatches);
    });
  }
});
}
