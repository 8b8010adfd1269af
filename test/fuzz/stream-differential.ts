/** Streaming differential suites over fuzzer-style cases (plain data, see stream-cases.ts), batch by batch. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testSession } from "../support/session.js";
import { SparkOracle } from "../support/spark-oracle.js";
import { checkStreamCase } from "./regression-check.js";
import type { StreamCase } from "./stream-cases.js";

export function streamDifferentialSuite(title: string, cases: readonly StreamCase[]): void {
  describe(`differential (streaming): ${title}`, () => {
    let oracle: SparkOracle | undefined;
    before(async () => { if (cases.length > 0) oracle = await SparkOracle.start(); }, { timeout: 120_000 });
    after(async () => { await oracle?.close(); });
    for (const c of cases) {
      it(c.name ?? c.shape, async () => {
        const diff = await checkStreamCase(oracle!, testSession(), c);
        assert.equal(diff, undefined, diff);
      });
    }
  });
}
