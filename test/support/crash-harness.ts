/**
 * Runs test/support/crash-pipeline.ts as a child process (optionally armed with a crash point) and reads what its
 * sinks committed with independent readers: pyarrow for Parquet (the sink log read as Spark reads it), Python for
 * foreachBatch files.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { pyarrowS3 } from "./minio.js";
import { runPython } from "./python.js";

const PIPELINE = path.resolve("dist/test/support/crash-pipeline.js");

export interface PipelineRun { child: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; output: () => string }

/** Starts the pipeline: argv `landing output checkpoint mode [query]`, extra environment `env`. */
export function startPipeline(args: readonly string[], env: Record<string, string> = {}): PipelineRun {
  const child = spawn(process.execPath, [PIPELINE, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => { out += d.toString(); });
  child.stderr!.on("data", (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return { child, exited, output: () => out };
}

/** Publishes a JSON-lines file of `rows` records with ids `seq*1000 + i` into `landing` (atomically); returns the ids. */
export function dropFile(landing: string, seq: number, rows: number): number[] {
  const ids = Array.from({ length: rows }, (_, i) => seq * 1000 + i);
  const tmp = path.join(landing, `.f${seq}.tmp`);
  writeFileSync(tmp, ids.map((id) => JSON.stringify({ id, payload: `p${id}` })).join("\n") + "\n");
  renameSync(tmp, path.join(landing, `f${String(seq).padStart(4, "0")}.json`));
  return ids;
}

export interface IdSummary { count: number; distinct: number; digest: string }

/** SHA-256 of the sorted ids, one per line: the same digest as the Python readers print. */
export function digest(ids: readonly number[]): string {
  return createHash("sha256").update([...ids].sort((a, b) => a - b).join("\n")).digest("hex");
}

export function summarize(ids: readonly number[]): IdSummary {
  return { count: ids.length, distinct: new Set(ids).size, digest: digest(ids) };
}

const SUMMARY_PY = `
import hashlib, json
def summary(ids):
    return {"count": len(ids), "distinct": len(set(ids)), "digest": hashlib.sha256("\\n".join(str(i) for i in sorted(ids)).encode()).hexdigest()}
`;

/**
 * Ids in the Parquet files a file sink committed under `output` (local path or `s3a://bucket/prefix`), read with
 * pyarrow. The sink log is read as Spark's FileStreamSinkLog reads it: entries are files with numeric names or
 * `N.compact` (a compaction holding every entry up to N); the newest batch's view is its latest compaction plus the
 * numeric entries after it; `delete` actions remove files. Hidden or temp files of a killed writer are ignored.
 */
export function parquetSinkIds(output: string, s3Endpoint?: string): IdSummary {
  const s3 = output.startsWith("s3a://");
  return runPython(`${SUMMARY_PY}
import os, re, pyarrow.fs as pafs, pyarrow.parquet as pq
from urllib.parse import unquote
fs = ${s3 ? pyarrowS3(s3Endpoint) : "pafs.LocalFileSystem()"}
out = ${JSON.stringify(output.replace(/^s3a:\/\//, ""))}
log = out + "/_spark_metadata"
entries = {}
for info in fs.get_file_info(pafs.FileSelector(log)):
    m = re.fullmatch(r"(\\d+)(\\.compact)?", info.base_name)
    # A compaction supersedes a plain entry of the same batch.
    if m and not entries.get(int(m.group(1)), "").endswith(".compact"): entries[int(m.group(1))] = info.path
files = {}
if entries:
    latest = max(entries)
    compacts = [b for b, p in entries.items() if p.endswith(".compact")]
    first = max(compacts) if compacts else 0
    for b in range(first, latest + 1):
        assert b in entries, f"sink log entry {b} missing (have {sorted(entries)})"
        with fs.open_input_stream(entries[b]) as f:
            lines = f.read().decode().split("\\n")
        assert lines[0] == "v1", lines[0]
        for l in lines[1:]:
            if not l.strip(): continue
            e = json.loads(l)
            p = unquote(re.sub(r"^(file://|s3a://)", "", e["path"]))  # paths are URIs (percent-encoded)
            if e.get("action", "add") == "delete": files.pop(p, None)
            else: files[p] = True
ids = []
for p in files:
    ids += pq.read_table(p, filesystem=fs).column("id").to_pylist()
print(json.dumps(summary(ids)))
`) as IdSummary;
}

/** Ids in the JSON-array files a foreachBatch wrote into `dir` (names ending `.json`), read with Python. */
export function foreachFileIds(dir: string): IdSummary {
  return runPython(`${SUMMARY_PY}
import os
ids = []
for n in sorted(os.listdir(${JSON.stringify(dir)})):
    if n.endswith(".json"): ids += [int(i) for i in json.load(open(os.path.join(${JSON.stringify(dir)}, n)))]
print(json.dumps(summary(ids)))
`) as IdSummary;
}
