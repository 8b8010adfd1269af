/**
 * The differential fuzzer: generated cases run in Sluice and in one long-lived PySpark session (the oracle), compared
 * exactly (batch cases) or batch by batch (streaming cases); a differing case is shrunk to a minimal one and kept as
 * a finding with a ready-to-paste regression case.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import type { Session } from "../../src/index.js";
import { testSession } from "../support/session.js";
import { compareAnswers, runInSluice, type SluiceAnswer } from "../support/sql-differential.js";
import { SparkOracle, type OracleAnswer } from "../support/spark-oracle.js";
import { tempDir } from "../support/stream-test.js";
import { shrinkBatchCase } from "./batch-shrinker.js";
import type { Category } from "./catalogue.js";
import { caseFunctions, caseSql, generateBatchCase, type BatchCase } from "./expression-generator.js";
import { Prng } from "./prng.js";
import type { FuzzScope } from "./scope.js";
import { generateStreamCase, runStreamInSluice, shrinkStreamCase, streamCaseLiteral, streamPyspark, writeStreamInputs, type StreamCase, type StreamAnswer } from "./stream-cases.js";
import { generateRows, rowJson, schemaDdl, tableColumns } from "./typed-values.js";

export interface CategoryCounts { generated: number; ran: number; agreed: number; bothFailed: number; differed: number }
export interface Finding {
  readonly key: string;
  readonly category: string;
  readonly kind: string;
  readonly functions: readonly string[];
  /** The minimal case as a ready-to-paste regression case (an SqlDiffCase or a StreamCase literal). */
  readonly regression: string;
  readonly spark: string;
  readonly sluice: string;
  readonly detail: string;
  count: number;
}
export interface FuzzReport {
  readonly seed: number;
  /** Whether differing cases were shrunk (findings minimal) or kept as generated (`--no-shrink`). */
  readonly shrunk: boolean;
  readonly byCategory: Record<string, CategoryCounts>;
  readonly findings: Finding[];
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<T>((_r, rej) => setTimeout(() => rej(new Error(`${what} timed out after ${ms} ms`)), ms).unref())]);

/** Short text of an answer, for findings. */
function summary(a: OracleAnswer | SluiceAnswer | StreamAnswer): string {
  if (a.error !== undefined) return `error ${a.error}: ${(a.message ?? "").slice(0, 200)}`;
  const body = "batches" in a && a.batches !== undefined ? JSON.stringify(a.batches) : JSON.stringify(a.rows);
  return `${JSON.stringify(a.schema)} ${body}`.slice(0, 600);
}

/** The kind of a divergence: what shrinking keeps fixed. */
export function divergenceKind(spark: OracleAnswer | StreamAnswer, ours: SluiceAnswer | StreamAnswer, diff: string): string {
  if (ours.error?.startsWith("RAW:")) return `sluice raw error ${ours.error.slice(4)}`;
  if (spark.error === undefined && ours.error !== undefined) return `sluice fails ${ours.error}`;
  if (spark.error !== undefined && ours.error === undefined) return `spark fails ${spark.error.split(".")[0]}`;
  if (spark.error !== undefined) return `error class ${spark.error.split(".")[0]} vs ${ours.error}`;
  return diff.startsWith("schemas differ") ? "schema" : "values";
}

export function batchCaseLiteral(c: BatchCase, name: string): string {
  const rows = c.rows.map((r) => `      ${JSON.stringify(rowJson(r))},`).join("\n");
  const conf = Object.keys(c.conf).length > 0 ? `\n  conf: ${JSON.stringify(c.conf)},` : "";
  return `{ name: ${JSON.stringify(name)},\n  sql: ${JSON.stringify(caseSql(c))},${conf}\n  tables: { t: { schema: ${JSON.stringify(schemaDdl(c.columns))}, rows: [\n${rows}\n  ] } } },`;
}

export interface FuzzOptions {
  readonly seed: number;
  readonly scope: FuzzScope;
  /** Stop after this many cases, or after this many seconds, whichever first. */
  readonly maxCases?: number;
  readonly seconds?: number;
  /** Fraction of cases that are streaming (each costs seconds in Spark). */
  readonly streamingShare?: number;
  readonly shrink?: boolean;
  readonly log?: (line: string) => void;
}

export class Fuzzer {
  private oracle!: SparkOracle;
  private readonly session: Session = testSession();
  private readonly dir = tempDir("sluice-fuzz-");
  private files = 0;
  /** Milliseconds spent in each side, and the number of batch probes (shrinking included). */
  readonly timing = { spark: 0, sluice: 0, probes: 0 };
  readonly report: FuzzReport;

  constructor(private readonly opts: FuzzOptions) { this.report = { seed: opts.seed, shrunk: opts.shrink !== false, byCategory: {}, findings: [] }; }

  private counts(cat: string): CategoryCounts {
    return (this.report.byCategory[cat] ??= { generated: 0, ran: 0, agreed: 0, bothFailed: 0, differed: 0 });
  }

  private async ask(req: Parameters<SparkOracle["ask"]>[0], ms: number): Promise<OracleAnswer> {
    try {
      return await withTimeout(this.oracle.ask(req), ms, "Spark");
    } catch (e) {
      await this.oracle.close().catch(() => undefined);
      this.oracle = await SparkOracle.start();
      return { error: "ORACLE_TIMEOUT", message: String(e) };
    }
  }

  /** Runs one batch case in both; undefined when they agree, else [kind, diff, spark, ours]. */
  async probeBatch(c: BatchCase): Promise<{ kind?: string; diff?: string; spark: OracleAnswer; ours: SluiceAnswer }> {
    const p = path.join(this.dir, `t${this.files++}.json`);
    writeFileSync(p, c.rows.map(rowJson).join("\n") + "\n");
    const tables = { t: { schema: schemaDdl(c.columns), path: p } };
    const sql = caseSql(c);
    if (process.env["SLUICE_FUZZ_TRACE"] !== undefined) process.stderr.write(`probe: ${sql}\n`);
    const t0 = Date.now();
    const spark = await this.ask({ tables, sql, conf: c.conf }, 60_000);
    const t1 = Date.now();
    let ours: SluiceAnswer;
    try {
      ours = await withTimeout(runInSluice(this.session, { name: "fuzz", sql, conf: c.conf }, tables), 60_000, "Sluice");
    } catch (e) {
      ours = { error: "RAW:Timeout", message: String(e) };
    }
    this.timing.spark += t1 - t0; this.timing.sluice += Date.now() - t1; this.timing.probes++;
    if (spark.error === "ORACLE_TIMEOUT" || spark.error === "ORACLE_DIED") return { spark, ours };
    const diff = compareAnswers(spark, ours);
    return diff === undefined ? { spark, ours } : { kind: divergenceKind(spark, ours, diff), diff, spark, ours };
  }

  async probeStream(c: StreamCase): Promise<{ kind?: string; diff?: string; spark: StreamAnswer; ours: StreamAnswer }> {
    const inputs = writeStreamInputs(c, tempDir("sluice-fuzz-in-"));
    const pyspark = streamPyspark(c);
    const spark = await this.ask({ stream: { inputs, pyspark, mode: c.mode, checkpoint: tempDir("sluice-fuzz-ckpt-") }, conf: c.conf }, 120_000) as StreamAnswer;
    let ours: StreamAnswer;
    try {
      ours = await withTimeout(runStreamInSluice(this.session, c, inputs), 120_000, "Sluice");
    } catch (e) {
      ours = { error: "RAW:Timeout", message: String(e) };
    }
    if (spark.error === "ORACLE_TIMEOUT" || spark.error === "ORACLE_DIED") return { spark, ours };
    const diff = compareStreamAnswers(spark, ours);
    return diff === undefined ? { spark, ours } : { kind: divergenceKind(spark, ours, diff), diff, spark, ours };
  }

  private known(kind: string, functions: readonly string[]): Finding | undefined {
    return this.report.findings.find((f) => f.kind === kind && f.functions.length > 0 && functions.includes(f.functions[0]!));
  }

  async run(): Promise<FuzzReport> {
    const { scope, seed } = this.opts;
    const log = this.opts.log ?? (() => undefined);
    const rnd = new Prng(seed);
    const deadline = Date.now() + (this.opts.seconds ?? 1e9) * 1000;
    const maxCases = this.opts.maxCases ?? Infinity;
    this.oracle = await SparkOracle.start();
    try {
      let cases = 0;
      const batchCats = scope.categories;
      while (cases < maxCases && Date.now() < deadline) {
        // One table per round, many cases over it.
        const t = rnd.fork();
        const columns = tableColumns(t).filter((c) => c.name === "id" || (scope.families.includes(c.family) && scope.excludeColumns?.has(c.name) !== true));
        const rows = generateRows(t, columns, t.int(3, 12));
        const conf: Record<string, string> = { "spark.sql.session.timeZone": t.pick(scope.timeZones) };
        if (t.chance(scope.nonAnsi)) conf["spark.sql.ansi.enabled"] = "false";
        if (scope.streamShapes.length > 0 && rnd.chance(this.opts.streamingShare ?? 0.05)) {
          cases++;
          await this.runStreamCase(generateStreamCase(rnd.fork(), scope), log);
          continue;
        }
        for (let k = 0; k < 8 && cases < maxCases && Date.now() < deadline; k++) {
          const cat = rnd.pick(batchCats);
          const c = generateBatchCase(rnd.fork(), scope, cat, columns, rows, conf);
          if (c === undefined) continue;
          cases++;
          await this.runBatchCase(c, log);
        }
      }
    } finally {
      await this.oracle.close();
    }
    return this.report;
  }

  private async runBatchCase(c: BatchCase, log: (l: string) => void): Promise<void> {
    const counts = this.counts(c.category);
    counts.generated++;
    const r = await this.probeBatch(c);
    if (r.spark.error === "ORACLE_TIMEOUT" || r.spark.error === "ORACLE_DIED") return;
    counts.ran++;
    // Both failing with different error classes over several expressions: which error comes first is evaluation
    // order (Spark does not promise one), so it is agreement; one expression alone is compared strictly.
    const orderOnly = r.kind?.startsWith("error class") === true && c.exprs.length > 1;
    if (r.kind === undefined || orderOnly) { counts.agreed++; if (r.spark.error !== undefined) counts.bothFailed++; return; }
    counts.differed++;
    const fns = caseFunctions(c);
    const known = this.known(r.kind, fns);
    if (known !== undefined || this.opts.shrink === false) {
      if (known !== undefined) known.count++;
      else this.addFinding(c.category, r.kind, fns, batchCaseLiteral(c, `fuzz: ${fns[0]} (${r.kind})`), r, r.diff!);
      return;
    }
    const min = await shrinkBatchCase(c, r.kind, async (x) => (await this.probeBatch(x)).kind);
    const m = await this.probeBatch(min);
    const mf = caseFunctions(min);
    const again = this.known(r.kind, mf);
    if (again !== undefined) { again.count++; return; }
    const f = this.addFinding(c.category, r.kind, mf, batchCaseLiteral(min, `fuzz: ${mf[0] ?? "read"} (${r.kind})`), m, m.diff ?? r.diff!);
    log(`divergence [${f.category}] ${f.kind} in ${mf.join(" ")}: ${caseSql(min)}`);
  }

  private async runStreamCase(c: StreamCase, log: (l: string) => void): Promise<void> {
    const cat = `streaming:${c.shape}`;
    const counts = this.counts(cat);
    counts.generated++;
    const r = await this.probeStream(c);
    if (r.spark.error === "ORACLE_TIMEOUT" || r.spark.error === "ORACLE_DIED") return;
    counts.ran++;
    if (r.kind === undefined) { counts.agreed++; if (r.spark.error !== undefined) counts.bothFailed++; return; }
    counts.differed++;
    const key = `${r.kind}|${c.shape}`;
    const known = this.report.findings.find((f) => f.key === key);
    if (known !== undefined) { known.count++; return; }
    const min = this.opts.shrink === false ? c : await shrinkStreamCase(c, r.kind, async (x) => (await this.probeStream(x)).kind);
    const m = min === c ? r : await this.probeStream(min);
    const f: Finding = { key, category: cat, kind: r.kind, functions: [c.shape, ...min.ops.map((o) => o.op)],
      regression: streamCaseLiteral(min, `fuzz streaming: ${c.shape} (${r.kind})`), spark: summary(m.spark), sluice: summary(m.ours), detail: (m.diff ?? r.diff!).slice(0, 1500), count: 1 };
    this.report.findings.push(f);
    log(`divergence [${cat}] ${r.kind}: ${streamPyspark(min)}`);
  }

  private addFinding(category: Category | string, kind: string, fns: readonly string[], regression: string,
    r: { spark: OracleAnswer; ours: SluiceAnswer }, diff: string): Finding {
    const f: Finding = { key: `${kind}|${fns[0] ?? ""}`, category, kind, functions: fns, regression, spark: summary(r.spark), sluice: summary(r.ours), detail: diff.slice(0, 1500), count: 1 };
    this.report.findings.push(f);
    return f;
  }
}

/** Streaming answers agree when the schemas are equal and every batch has the same rows (as multisets). */
export function compareStreamAnswers(spark: StreamAnswer, ours: StreamAnswer): string | undefined {
  if (spark.error !== undefined || ours.error !== undefined) {
    return compareAnswers(spark, { ...(ours.error !== undefined ? { error: ours.error } : {}), ...(ours.message !== undefined ? { message: ours.message } : {}) });
  }
  const a = JSON.stringify(ours.schema), b = JSON.stringify(spark.schema);
  if (a !== b) return `schemas differ: Spark ${b}, Sluice ${a}`;
  const norm = (x: StreamAnswer): string => JSON.stringify(Object.fromEntries(Object.entries(x.batches ?? {})
    .sort(([p], [q]) => Number(p) - Number(q)).map(([k, rows]) => [k, rows.map((r) => JSON.stringify(r)).sort()])));
  const x = norm(ours), y = norm(spark);
  return x === y ? undefined : `batches differ:\n  Spark  ${y.slice(0, 1500)}\n  Sluice ${x.slice(0, 1500)}`;
}
