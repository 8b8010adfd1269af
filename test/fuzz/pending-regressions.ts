/**
 * Minimal divergences the fuzzer found that still FAIL today (Sluice differs from real Spark), as ready regression
 * cases. test/differential/fuzz-regressions.test.ts does not run these; move a case there once its fix has merged
 * (`./dev fuzz --pending` lists the cases that agree with Spark now).
 */
import type { SqlDiffCase } from "../support/sql-differential.js";
import type { StreamCase } from "./stream-cases.js";

export const PENDING: readonly SqlDiffCase[] = [
];

export const PENDING_STREAMING: readonly StreamCase[] = [
];
