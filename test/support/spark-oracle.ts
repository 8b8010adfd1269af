/**
 * Real Spark as a test oracle: one long-lived PySpark session (test/support/spark_oracle.py) that runs SQL or PySpark
 * DataFrame expressions over JSON-file tables and answers with canonical, exact values (see the Python module's doc).
 * Shared by the SQL differential suites and the fuzzer.
 *
 * @example
 * const oracle = await SparkOracle.start();
 * const a = await oracle.ask({ tables: { t: { schema: "a INT", path } }, sql: "SELECT a + 1 FROM t" });
 * await oracle.close();
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { pythonPath } from "./python.js";

export interface OracleTable { readonly schema: string; readonly path: string }
/** A streaming query: each input a folder of JSON files read one file per micro-batch, run with availableNow. */
export interface OracleStream {
  readonly inputs: Readonly<Record<string, { readonly schema: string; readonly dir: string }>>;
  /** A Python expression over `src` (dict of streaming DataFrames by input name), `spark`, `F` and `T`. */
  readonly pyspark: string;
  readonly mode: "append" | "update" | "complete";
  readonly checkpoint: string;
}
export interface OracleRequest {
  readonly tables?: Readonly<Record<string, OracleTable>>;
  /** Instead of `sql`/`pyspark`: a streaming query, answered batch by batch in `batches`. */
  readonly stream?: OracleStream;
  readonly sql?: string;
  /** A Python expression over `spark`, `F` (pyspark.sql.functions) and `T` (pyspark.sql.types). */
  readonly pyspark?: string;
  readonly conf?: Readonly<Record<string, string>>;
}
export type CanonicalValue = null | boolean | number | string | CanonicalValue[];
export interface OracleAnswer {
  readonly schema?: readonly (readonly [string, string])[];
  readonly rows?: readonly (readonly CanonicalValue[])[];
  /** For a streaming request: each micro-batch's rows by batch id. */
  readonly batches?: Readonly<Record<string, readonly (readonly CanonicalValue[])[]>>;
  readonly error?: string;
  readonly message?: string;
}

export class SparkOracle {
  private nextId = 1;
  private readonly waiting = new Map<number, (a: OracleAnswer) => void>();
  private stderr = "";

  private constructor(private readonly proc: ChildProcessWithoutNullStreams, private readonly ready: Promise<void>) {}

  static async start(): Promise<SparkOracle> {
    const proc = spawn(pythonPath(), [path.resolve("test/support/spark_oracle.py")], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, TZ: "UTC" } });
    let resolveReady!: () => void, rejectReady!: (e: Error) => void;
    const ready = new Promise<void>((res, rej) => { resolveReady = res; rejectReady = rej; });
    const oracle = new SparkOracle(proc, ready);
    proc.stderr.on("data", (d: Buffer) => { oracle.stderr = (oracle.stderr + d.toString()).slice(-4000); });
    proc.on("exit", (code) => {
      rejectReady(new Error(`Spark oracle exited with ${code}: ${oracle.stderr}`));
      for (const w of oracle.waiting.values()) w({ error: "ORACLE_DIED", message: oracle.stderr });
      oracle.waiting.clear();
    });
    createInterface({ input: proc.stdout }).on("line", (line) => {
      if (!line.startsWith("{")) return;
      const msg = JSON.parse(line) as OracleAnswer & { id?: number; ready?: boolean };
      if (msg.ready === true) { resolveReady(); return; }
      const w = msg.id !== undefined ? oracle.waiting.get(msg.id) : undefined;
      if (w !== undefined) { oracle.waiting.delete(msg.id!); w(msg); }
    });
    await ready;
    return oracle;
  }

  /** Runs one request in Spark; requests are answered in order. */
  async ask(req: OracleRequest): Promise<OracleAnswer> {
    await this.ready;
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.proc.stdin.write(JSON.stringify({ ...req, id }) + "\n");
    });
  }

  async close(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const done = new Promise<void>((res) => this.proc.once("exit", () => res()));
    this.proc.stdin.end();
    const timer = setTimeout(() => this.proc.kill("SIGKILL"), 10_000);
    await done;
    clearTimeout(timer);
  }
}
