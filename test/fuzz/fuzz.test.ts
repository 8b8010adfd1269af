/**
 * The differential fuzzer's fixed-seed slice: generated cases over the categories listed in slice.ts (those that agree
 * with Spark today) must all agree. A failure prints each differing case as a regression case; shrink it with
 * `./dev fuzz --slice --seed <seed>` and add it to test/differential/fuzz-regressions.test.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Fuzzer } from "./fuzz-runner.js";
import { SLICE_CASES, SLICE_SCOPE, SLICE_SECONDS, SLICE_SEED, SLICE_STREAMING_SHARE } from "./slice.js";

describe("fuzz: fixed-seed slice against real Spark", () => {
  it(`seed ${SLICE_SEED}: generated cases agree with Spark`, { timeout: 115_000 }, async () => {
    const fuzzer = new Fuzzer({ seed: SLICE_SEED, scope: SLICE_SCOPE, maxCases: SLICE_CASES, seconds: SLICE_SECONDS, streamingShare: SLICE_STREAMING_SHARE, shrink: false });
    const report = await fuzzer.run();
    const counts = Object.values(report.byCategory);
    const ran = counts.reduce((n, c) => n + c.ran, 0);
    const differed = counts.reduce((n, c) => n + c.differed, 0);
    console.log(`fuzz slice: ${counts.reduce((n, c) => n + c.generated, 0)} generated, ${ran} ran, ${differed} differed`);
    assert.ok(ran >= 5, `only ${ran} cases ran`);
    const text = report.findings.map((f) => `[${f.category}] ${f.kind} in ${f.functions.join(" ")}\n  Spark:  ${f.spark}\n  Sluice: ${f.sluice}\n${f.regression}`).join("\n\n");
    assert.equal(differed, 0, `${differed} generated cases differ from Spark:\n${text}`);
  });
});
