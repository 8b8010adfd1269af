/**
 * Random streaming query shapes: operator pipelines (filter, withColumn, selectExpr, withWatermark, groupBy+agg with
 * windows, dropDuplicates, union) over random micro-batch splits of generated rows. A case is plain data, run in
 * PySpark (rendered as a Python expression over `src`) and in Sluice (interpreted), one file per micro-batch and
 * availableNow, answers compared batch by batch.
 */
import { mkdirSync, utimesSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { F, SluiceError, type DataFrame, type Row, type Session } from "../../src/index.js";
import { canonicalRows, canonicalSchema } from "../support/canonical.js";
import type { CanonicalValue } from "../support/spark-oracle.js";
import { tempDir } from "../support/stream-test.js";
import { ExpressionGenerator, render } from "./expression-generator.js";
import type { Prng } from "./prng.js";
import type { FuzzScope, StreamShape } from "./scope.js";
import { jsonValue, rowJson, type Column } from "./typed-values.js";

export type StreamOp =
  | { readonly op: "filter"; readonly sql: string }
  | { readonly op: "withColumn"; readonly name: string; readonly sql: string }
  | { readonly op: "selectExpr"; readonly exprs: readonly string[] }
  | { readonly op: "withWatermark"; readonly col: string; readonly delay: string }
  | { readonly op: "groupBy"; readonly keys: readonly string[]; readonly aggs: readonly string[] }
  | { readonly op: "dropDuplicates"; readonly cols: readonly string[] }
  | { readonly op: "dropDuplicatesWithinWatermark"; readonly cols: readonly string[] }
  | { readonly op: "union"; readonly input: string };

export interface StreamInput { readonly schema: string; readonly batches: readonly (readonly string[])[] }
export interface StreamCase {
  readonly name?: string;
  readonly shape: StreamShape;
  /** Input streams by name; the pipeline starts from "a". Each batch is JSON Lines, one file per micro-batch. */
  readonly inputs: Readonly<Record<string, StreamInput>>;
  readonly ops: readonly StreamOp[];
  readonly mode: "append" | "update" | "complete";
  readonly conf: Readonly<Record<string, string>>;
}
export interface StreamAnswer {
  readonly schema?: readonly (readonly [string, string])[];
  readonly batches?: Readonly<Record<string, readonly (readonly CanonicalValue[])[]>>;
  readonly rows?: undefined;
  readonly error?: string;
  readonly message?: string;
}

const py = (s: string): string => JSON.stringify(s);

export function streamPyspark(c: StreamCase): string {
  let s = "src['a']";
  for (const o of c.ops) {
    switch (o.op) {
      case "filter": s += `.filter(${py(o.sql)})`; break;
      case "withColumn": s += `.withColumn(${py(o.name)}, F.expr(${py(o.sql)}))`; break;
      case "selectExpr": s += `.selectExpr(${o.exprs.map(py).join(", ")})`; break;
      case "withWatermark": s += `.withWatermark(${py(o.col)}, ${py(o.delay)})`; break;
      case "groupBy": s += `.groupBy(${o.keys.map((k) => `F.expr(${py(k)})`).join(", ")}).agg(${o.aggs.map((a) => `F.expr(${py(a)})`).join(", ")})`; break;
      case "dropDuplicates": s += `.dropDuplicates([${o.cols.map(py).join(", ")}])`; break;
      case "dropDuplicatesWithinWatermark": s += `.dropDuplicatesWithinWatermark([${o.cols.map(py).join(", ")}])`; break;
      case "union": s += `.union(src[${py(o.input)}])`; break;
    }
  }
  return s;
}

export function streamSluice(c: StreamCase, src: Readonly<Record<string, DataFrame>>): DataFrame {
  let df = src["a"]!;
  for (const o of c.ops) {
    switch (o.op) {
      case "filter": df = df.filter(o.sql); break;
      case "withColumn": df = df.withColumn(o.name, F.expr(o.sql)); break;
      case "selectExpr": df = df.selectExpr(...o.exprs); break;
      case "withWatermark": df = df.withWatermark(o.col, o.delay); break;
      case "groupBy": df = df.groupBy(...o.keys.map((k) => F.expr(k))).agg(...o.aggs.map((a) => F.expr(a))); break;
      case "dropDuplicates": df = df.dropDuplicates(o.cols); break;
      case "dropDuplicatesWithinWatermark": df = df.dropDuplicatesWithinWatermark(o.cols); break;
      case "union": df = df.union(src[o.input]!); break;
    }
  }
  return df;
}

/** Writes each input's batches as files 000.json, 001.json, ... (increasing modification times). */
export function writeStreamInputs(c: StreamCase, dir: string): Record<string, { schema: string; dir: string }> {
  return Object.fromEntries(Object.entries(c.inputs).map(([name, inp]) => {
    const d = path.join(dir, name);
    mkdirSync(d, { recursive: true });
    inp.batches.forEach((rows, i) => {
      const p = path.join(d, `${String(i).padStart(3, "0")}.json`);
      writeFileSync(p, rows.join("\n") + (rows.length > 0 ? "\n" : ""));
      utimesSync(p, 1_700_000_000 + i * 10, 1_700_000_000 + i * 10);
    });
    return [name, { schema: inp.schema, dir: d }];
  }));
}

export async function runStreamInSluice(session: Session, c: StreamCase, inputs: Record<string, { schema: string; dir: string }>): Promise<StreamAnswer> {
  const saved: [string, string | undefined][] = [];
  try {
    for (const [k, v] of Object.entries(c.conf)) { saved.push([k, session.conf.get(k)]); session.conf.set(k, v); }
    const src = Object.fromEntries(Object.entries(inputs).map(([n, i]) => [n, session.readStream.schema(i.schema).option("maxFilesPerTrigger", 1).json(i.dir)]));
    const df = streamSluice(c, src);
    const batches: Record<string, CanonicalValue[][]> = {};
    const q = await df.writeStream.outputMode(c.mode).option("checkpointLocation", tempDir("sluice-fuzz-ckpt-"))
      .foreachBatch(async (b: DataFrame, id: number | bigint) => { batches[String(id)] = canonicalRows(await b.collect() as Row[], b.schema); })
      .trigger({ availableNow: true }).start();
    await q.awaitTermination();
    return { schema: canonicalSchema(df.schema), batches };
  } catch (e) {
    if (e instanceof SluiceError) return { error: e.code, message: e.message };
    const cause = (e as { cause?: unknown }).cause;
    if (cause instanceof SluiceError) return { error: cause.code, message: cause.message };
    return { error: `RAW:${(e as Error)?.constructor?.name ?? typeof e}`, message: String((e as Error)?.message ?? e) };
  } finally {
    for (const [k, v] of saved) { if (v === undefined || v === null) session.conf.unset(k); else session.conf.set(k, v); }
  }
}

const KEYS = ['"a"', '"b"', '"c"', '"𝄞"', '""', "null", '"B"'];
const BASES = [Date.UTC(2024, 2, 10, 6, 0), Date.UTC(1969, 11, 31, 23, 0), Date.UTC(2024, 1, 29, 23, 0), Date.UTC(2024, 9, 27, 0, 0)];
const tsText = (ms: number): string => new Date(ms).toISOString().replace("T", " ").replace("Z", "").replace(/\.000$/, "");

export function generateStreamCase(rnd: Prng, scope: FuzzScope): StreamCase {
  const shape = rnd.pick(scope.streamShapes);
  const vType = rnd.pick(["BIGINT", "DOUBLE", "INT", "DECIMAL(10,2)", "DECIMAL(38,18)"].filter((t) => scope.families.includes(t.startsWith("DEC") ? "dec" : t === "DOUBLE" ? "frac" : "int")));
  const vCol: Column = { name: "v", sqlType: vType ?? "BIGINT", family: vType === "DOUBLE" ? "frac" : vType?.startsWith("DEC") ? "dec" : "int" };
  const columns: Column[] = [{ name: "id", sqlType: "INT", family: "int" }, { name: "k", sqlType: "STRING", family: "str" }, vCol, { name: "ts", sqlType: "TIMESTAMP", family: "ts" }];
  const schema = columns.map((c) => `${c.name} ${c.sqlType}`).join(", ");
  const base = rnd.pick(BASES);
  let id = 0, clock = base;
  const makeInput = (): StreamInput => {
    const batches: string[][] = [];
    for (let b = rnd.int(1, 4); b > 0; b--) {
      const rows: string[] = [];
      for (let r = rnd.int(0, 5); r > 0; r--) {
        clock += rnd.int(0, 9) * 60_000 + (rnd.chance(0.2) ? rnd.int(1, 999_999) / 1000 : 0);
        const late = rnd.chance(0.2) ? rnd.int(5, 40) * 60_000 : 0;
        const cells: [string, string][] = [["id", String(id++)], ["k", rnd.pick(KEYS)]];
        const v = jsonValue(rnd, vCol);
        if (v !== undefined) cells.push(["v", v]);
        if (!rnd.chance(0.05)) cells.push(["ts", JSON.stringify(tsText(Math.floor(clock - late)))]);
        rows.push(rowJson(cells));
      }
      batches.push(rows);
    }
    return { schema, batches };
  };
  const inputs: Record<string, StreamInput> = { a: makeInput() };
  const g = new ExpressionGenerator(rnd, { ...scope, categories: scope.categories.filter((c) => c !== "aggregate") }, columns);
  const ops: StreamOp[] = [];
  const stateless = (n: number): void => {
    for (let i = 0; i < n; i++) {
      const which = rnd.int(0, 2);
      if (which === 0) ops.push({ op: "filter", sql: render(g.expr("bool", rnd.int(1, 2))) });
      else if (which === 1) ops.push({ op: "withColumn", name: `x${i}`, sql: render(g.expr(rnd.pick(scope.families.filter((f) => f !== "bin")), rnd.int(1, 2))) });
      else ops.push({ op: "selectExpr", exprs: ["id", "k", "v", "ts", `${render(g.expr(rnd.pick(scope.families.filter((f) => f !== "bin")), rnd.int(1, 2)))} AS y${i}`] });
    }
  };
  const aggs = (): string[] => {
    const pool = ["count(*) AS n", "sum(v) AS s", "min(v) AS lo", "max(v) AS hi", "avg(v) AS av", "count(v) AS nv", "max(ts) AS last_ts", "min(k) AS mk"];
    const out = new Set<string>();
    for (let i = rnd.int(1, 3); i > 0; i--) out.add(rnd.pick(pool));
    return [...out];
  };
  const window = (): string => rnd.pick(["window(ts, '10 minutes') AS w", "window(ts, '10 minutes', '5 minutes') AS w", "window(ts, '1 hour') AS w", "window(ts, '7 minutes') AS w"]);
  const delay = (): string => rnd.pick(["0 seconds", "5 minutes", "10 minutes", "1 hour"]);
  let mode: StreamCase["mode"] = "append";
  switch (shape) {
    case "stateless": stateless(rnd.int(1, 3)); break;
    case "union":
      inputs["b"] = makeInput();
      ops.push({ op: "union", input: "b" });
      if (rnd.chance(0.5)) { stateless(rnd.int(0, 2)); } else { ops.push({ op: "groupBy", keys: ["k"], aggs: aggs() }); mode = "complete"; }
      break;
    case "aggregate":
      if (rnd.chance(0.4)) stateless(1);
      ops.push({ op: "groupBy", keys: rnd.chance(0.8) ? ["k"] : ["k", "v"], aggs: aggs() });
      mode = rnd.pick(["complete", "update"]);
      break;
    case "windowed":
      if (rnd.chance(0.85)) { ops.push({ op: "withWatermark", col: "ts", delay: delay() }); mode = rnd.pick(["append", "update"]); } else mode = "complete";
      if (rnd.chance(0.3)) ops.push({ op: "filter", sql: render(g.expr("bool", 1)) });
      ops.push({ op: "groupBy", keys: rnd.chance(0.5) ? [window()] : [window(), "k"], aggs: aggs() });
      break;
    case "dedup":
      if (rnd.chance(0.6)) {
        ops.push({ op: "withWatermark", col: "ts", delay: delay() });
        ops.push(rnd.chance(0.5) ? { op: "dropDuplicates", cols: ["k", "ts"] } : { op: "dropDuplicatesWithinWatermark", cols: ["k"] });
      } else ops.push({ op: "dropDuplicates", cols: rnd.pick([["k"], ["k", "v"]]) });
      break;
  }
  return { shape, inputs, ops, mode, conf: { "spark.sql.session.timeZone": rnd.pick(scope.timeZones) } };
}

export type StreamProbe = (c: StreamCase) => Promise<string | undefined>;

/** Shrinks a differing streaming case: fewer operators, fewer micro-batches, fewer rows. */
export async function shrinkStreamCase(c0: StreamCase, kind: string, probe: StreamProbe, budget = 12): Promise<StreamCase> {
  let c = c0, evals = 0;
  const tryCase = async (x: StreamCase): Promise<boolean> => {
    if (evals >= budget) return false;
    evals++;
    if ((await probe(x)) !== kind) return false;
    c = x;
    return true;
  };
  for (let i = 0; i < c.ops.length;) {
    if (c.ops[i]!.op !== "union" && await tryCase({ ...c, ops: c.ops.filter((_, k) => k !== i) })) continue;
    i++;
  }
  for (const name of Object.keys(c.inputs)) {
    for (let b = 0; b < c.inputs[name]!.batches.length;) {
      const inp = c.inputs[name]!;
      if (inp.batches.length > 1 && await tryCase({ ...c, inputs: { ...c.inputs, [name]: { ...inp, batches: inp.batches.filter((_, k) => k !== b) } } })) continue;
      b++;
    }
    for (let b = 0; b < c.inputs[name]!.batches.length; b++) {
      for (let r = 0; r < c.inputs[name]!.batches[b]!.length;) {
        const inp = c.inputs[name]!;
        const batches = inp.batches.map((rows, k) => (k === b ? rows.filter((_, j) => j !== r) : rows));
        if (await tryCase({ ...c, inputs: { ...c.inputs, [name]: { ...inp, batches } } })) continue;
        r++;
      }
    }
  }
  return c;
}

export function streamCaseLiteral(c: StreamCase, name: string): string {
  return JSON.stringify({ ...c, name }, null, 1).replace(/\n\s*/g, " ");
}
