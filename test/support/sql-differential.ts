/**
 * Batch differential suites: each case is a query run by real Spark (the oracle) and by Sluice over the same JSON
 * Lines tables; the result schema (names and types) and the rows (exact canonical values, as a multiset unless
 * `ordered`) must be equal, or both must fail with the same error class.
 *
 * @example
 * sqlDifferentialSuite("decimals", { t: { schema: "d DECIMAL(10,2)", rows: ['{"d": 12.96}'] } }, [
 *   { name: "sum", sql: "SELECT sum(d) FROM t" },
 * ]);
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { SluiceError, type DataFrame, type Session } from "../../src/index.js";
import { canonicalRows, canonicalSchema } from "./canonical.js";
import { SparkOracle, type CanonicalValue, type OracleAnswer } from "./spark-oracle.js";
import { testSession } from "./session.js";
import { tempDir } from "./stream-test.js";

export interface DiffTable {
  readonly schema: string;
  /** JSON Lines, one per row: raw text (exact numbers) or objects (serialized with JSON.stringify). */
  readonly rows: readonly (string | Record<string, unknown>)[];
}

export interface SqlDiffCase {
  readonly name: string;
  /** Spark SQL text run by both (`spark.sql`). */
  readonly sql?: string;
  /** Or a DataFrame built in Sluice and the same query as a PySpark expression over `spark`, `F`, `T`. */
  readonly sluice?: (spark: Session) => DataFrame;
  readonly pyspark?: string;
  readonly ordered?: boolean;
  /** Session configuration for this case (both sides), e.g. `{ "spark.sql.ansi.enabled": "false" }`. */
  readonly conf?: Readonly<Record<string, string>>;
  /** Tables for this case only, beside the suite's. */
  readonly tables?: Readonly<Record<string, DiffTable>>;
}

export interface SluiceAnswer { schema?: [string, string][]; rows?: CanonicalValue[][]; error?: string; message?: string }

function writeTables(tables: Readonly<Record<string, DiffTable>>): Record<string, { schema: string; path: string }> {
  const dir = tempDir("sluice-sqldiff-");
  return Object.fromEntries(Object.entries(tables).map(([name, t]) => {
    const p = path.join(dir, `${name}.json`);
    writeFileSync(p, t.rows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n") + "\n");
    return [name, { schema: t.schema, path: p }];
  }));
}

/** Runs one case in Sluice, registering the tables as temp views first. */
export async function runInSluice(spark: Session, c: SqlDiffCase, tables: Record<string, { schema: string; path: string }>): Promise<SluiceAnswer> {
  const saved: [string, string | undefined][] = [];
  try {
    for (const [k, v] of Object.entries(c.conf ?? {})) { saved.push([k, spark.conf.get(k)]); spark.conf.set(k, v); }
    for (const [name, t] of Object.entries(tables)) spark.read.schema(t.schema).json(t.path).createOrReplaceTempView(name);
    const df = c.sluice !== undefined ? c.sluice(spark) : spark.sql(c.sql!);
    const rows = await df.collect();
    return { schema: canonicalSchema(df.schema), rows: canonicalRows(rows, df.schema) };
  } catch (e) {
    if (e instanceof SluiceError) return { error: e.code, message: e.message };
    return { error: `RAW:${(e as Error)?.constructor?.name ?? typeof e}`, message: String((e as Error)?.message ?? e) };
  } finally {
    for (const [k, v] of saved) { if (v === undefined || v === null) spark.conf.unset(k); else spark.conf.set(k, v); }
  }
}

const rowKey = (r: readonly CanonicalValue[]): string => JSON.stringify(r);

/** Whether Sluice's answer is Spark's; a message saying how they differ otherwise. */
export function compareAnswers(spark: OracleAnswer, ours: SluiceAnswer, ordered = false): string | undefined {
  if (spark.error !== undefined || ours.error !== undefined) {
    if (spark.error === undefined) return `Sluice failed with ${ours.error} (${ours.message}); Spark answered ${JSON.stringify(spark.rows)?.slice(0, 300)}`;
    if (ours.error === undefined) return `Spark failed with ${spark.error} (${spark.message}); Sluice answered ${JSON.stringify(ours.rows)?.slice(0, 300)}`;
    const same = ours.error === spark.error || spark.error.startsWith(`${ours.error}.`);
    return same ? undefined : `error classes differ: Spark ${spark.error} (${spark.message}), Sluice ${ours.error} (${ours.message})`;
  }
  const a = JSON.stringify(ours.schema), b = JSON.stringify(spark.schema);
  if (a !== b) return `schemas differ: Spark ${b}, Sluice ${a}`;
  const x = ours.rows!.map(rowKey), y = spark.rows!.map(rowKey);
  if (!ordered) { x.sort(); y.sort(); }
  if (JSON.stringify(x) !== JSON.stringify(y)) return `rows differ:\n  Spark  ${y.join(" ").slice(0, 1500)}\n  Sluice ${x.join(" ").slice(0, 1500)}`;
  return undefined;
}

export function sqlDifferentialSuite(title: string, tables: Readonly<Record<string, DiffTable>>, cases: readonly SqlDiffCase[]): void {
  describe(`differential (batch): ${title}`, () => {
    let oracle: SparkOracle;
    const answers = new Map<string, OracleAnswer>();
    const files = new Map<string, Record<string, { schema: string; path: string }>>();
    before(async () => {
      oracle = await SparkOracle.start();
      const shared = writeTables(tables);
      for (const c of cases) {
        const t = { ...shared, ...(c.tables ? writeTables(c.tables) : {}) };
        files.set(c.name, t);
        answers.set(c.name, await oracle.ask({ tables: t, ...(c.sql !== undefined ? { sql: c.sql } : { pyspark: c.pyspark! }), ...(c.conf ? { conf: c.conf } : {}) }));
      }
      await oracle.close();
    }, { timeout: 600_000 });
    after(async () => { await oracle?.close(); });
    for (const c of cases) {
      it(c.name, async () => {
        const expected = answers.get(c.name);
        assert.ok(expected, "Spark gave no answer");
        assert.notEqual(expected.error, "ORACLE_DIED", expected.message);
        const ours = await runInSluice(testSession(), c, files.get(c.name)!);
        const diff = compareAnswers(expected, ours, c.ordered);
        assert.equal(diff, undefined, diff);
      });
    }
  });
}
