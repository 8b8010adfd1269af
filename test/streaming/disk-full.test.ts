/**
 * Disk full: the checkpoint and the Parquet output on a small tmpfs (mounted here; the tests run as root). Filled up
 * mid-stream, the query must fail with a coded IO error (not hang), leave no corrupt checkpoint or sink-log file, and,
 * once space is freed, a restart must resume with every record exactly once (pyarrow reads the sink log).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeSync } from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { dropFile, parquetSinkIds, startPipeline, summarize } from "../support/crash-harness.js";
import { tempDir } from "../support/stream-test.js";

const mounted: string[] = [];
after(() => { for (const m of mounted) { try { execFileSync("umount", [m], { stdio: "ignore" }); } catch { /* already gone */ } } });

/** Mounts a tmpfs of `size` at a fresh folder; undefined (with the reason) when mounting is refused. */
function smallTmpfs(size: string): { dir: string } | { refused: string } {
  const dir = tempDir("sluice-tmpfs-");
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir], { stdio: ["ignore", "ignore", "pipe"] });
  } catch (e) {
    return { refused: String((e as { stderr?: Buffer }).stderr ?? (e as Error).message).trim() };
  }
  mounted.push(dir);
  return { dir };
}

/** Writes 64 KiB chunks to `file` until the file system says no space is left. */
function fill(file: string): void {
  const fd = openSync(file, "w"), chunk = Buffer.alloc(65536, 1);
  try { for (;;) writeSync(fd, chunk); } catch (e) { assert.equal((e as NodeJS.ErrnoException).code, "ENOSPC"); } finally { closeSync(fd); }
}

/** Every log entry (numeric name) under `dir` is whole: a `v1` line and JSON lines. */
function assertLogWhole(dir: string): number {
  if (!existsSync(dir)) return 0;
  const names = readdirSync(dir).filter((n) => /^\d+(\.compact)?$/.test(n));
  for (const n of names) {
    const text = readFileSync(path.join(dir, n), "utf8");
    assert.ok(statSync(path.join(dir, n)).size > 0, `${dir}/${n} is empty`);
    const [version, ...rest] = text.split("\n");
    assert.match(version!, /^v\d+$/, `${dir}/${n} starts with its version`);
    for (const l of rest) if (l.trim() !== "") assert.doesNotThrow(() => JSON.parse(l), `${dir}/${n} holds whole JSON lines`);
  }
  return names.length;
}

describe("disk full under the checkpoint and the output", () => {
  // 0: full before the batch starts (its first log write fails); 40 KiB: its logs fit, a data file or a later log not.
  for (const slackKiB of [0, 40]) it(`fails with a coded IO error, corrupts nothing, and resumes exactly once when space is freed (${slackKiB} KiB left)`, { timeout: 180_000 }, async (t) => {
    const fsys = smallTmpfs("4m");
    if ("refused" in fsys) { t.skip(`mounting a tmpfs was refused (${fsys.refused}); this test needs root`); return; }
    const landing = tempDir(), output = path.join(fsys.dir, "out"), checkpoint = path.join(fsys.dir, "ckpt");
    mkdirSync(checkpoint);
    const expected: number[] = [];
    for (let s = 0; s < 3; s++) expected.push(...dropFile(landing, s, 300));
    const args = [landing, output, checkpoint, "drain"];
    const first = startPipeline(args);
    assert.equal((await first.exited).code, 0, first.output());

    const filler = path.join(fsys.dir, "filler");
    fill(filler);
    truncateSync(filler, Math.max(0, statSync(filler).size - slackKiB * 1024));
    for (let s = 3; s < 9; s++) expected.push(...dropFile(landing, s, 300));
    const full = startPipeline(args);
    const hang = setTimeout(() => full.child.kill("SIGKILL"), 90_000);
    const how = await full.exited;
    clearTimeout(hang);
    assert.equal(how.code, 1, `the query should fail on its own (not hang): ${JSON.stringify(how)} ${full.output().slice(-2000)}`);
    const failure = /query failed (.*)\n/.exec(full.output());
    assert.ok(failure, full.output().slice(-2000));
    const chain = JSON.parse(failure[1]!) as { code?: string; params?: Record<string, unknown> }[];
    const io = chain.find((c) => c.code === "IO_ERROR");
    assert.ok(io, `an IO_ERROR in the error chain: ${failure[1]}`);
    t.diagnostic(`failed with ${chain.map((c) => c.code).join(" ← ")} at ${String(io.params?.["path"]).slice(fsys.dir.length)}`);
    assert.match(String(io.params?.["path"]), new RegExp(`^${fsys.dir}`), "the error names the path on the full disk");
    assert.ok(assertLogWhole(path.join(checkpoint, "offsets")) >= 1);
    assertLogWhole(path.join(checkpoint, "commits"));
    assertLogWhole(path.join(checkpoint, "sources", "0"));
    assertLogWhole(path.join(output, "_spark_metadata"));

    rmSync(filler);
    const again = startPipeline(args);
    assert.equal((await again.exited).code, 0, again.output());
    const got = parquetSinkIds(output), want = summarize(expected);
    assert.equal(got.distinct, got.count, "no record duplicated");
    assert.equal(got.count, want.count, "no record lost");
    assert.equal(got.digest, want.digest);
  });
});
