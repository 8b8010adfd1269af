/**
 * Without spark.sluice.stateStore.maxMemoryMB, state is still bounded: by default by a share of V8's heap limit, so
 * state that grows without end fails the query with STATE_STORE_MEMORY_LIMIT_EXCEEDED instead of V8's fatal
 * out-of-memory abort of the whole process. Run in a child process with a small heap.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";

describe("default state memory bound", () => {
  it("unbounded state under --max-old-space-size=64 fails the query with STATE_STORE_MEMORY_LIMIT_EXCEEDED, not a V8 abort", () => {
    const child = fileURLToPath(new URL("../support/unbounded-state-child.js", import.meta.url));
    const r = spawnSync(process.execPath, ["--max-old-space-size=64", child, "20000"], { encoding: "utf8", timeout: 280_000 });
    assert.equal(r.signal, null, `the child was killed by ${r.signal}: ${r.stderr.slice(-400)}`);
    assert.equal(r.status, 0, r.stderr.slice(-400));
    const result = JSON.parse(r.stdout.trim().split("\n").pop()!) as { ended: string; code?: string; params?: { fromHeapLimit?: boolean; maxMemoryBytes?: number } };
    assert.equal(result.ended, "failed");
    assert.equal(result.code, "STATE_STORE_MEMORY_LIMIT_EXCEEDED");
    assert.equal(result.params?.fromHeapLimit, true);
    assert.ok(result.params!.maxMemoryBytes! < 64 * 1024 * 1024);
  });
});
