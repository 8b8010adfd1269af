/** Runs Python with pyarrow and DuckDB (installed by `./dev test` into .services/py) as an independent reader. */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";

export function pythonPath(): string {
  const p = process.env["SLUICE_PYTHON"] ?? path.resolve(".services/py/bin/python");
  if (!existsSync(p)) throw new Error(`Python with pyarrow/duckdb not found at ${p}; run the tests with ./dev test, which installs it`);
  return p;
}

/** Runs a Python snippet and parses the JSON it prints last. */
export function runPython(code: string): unknown {
  const out = execFileSync(pythonPath(), ["-c", code], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  const lines = out.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]!);
}
