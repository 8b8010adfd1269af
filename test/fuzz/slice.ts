/**
 * The fixed-seed slice that runs in the test suite (fuzz.test.ts): the categories, functions, families and streaming
 * shapes that agree with Spark today. Widen it as divergences are fixed; `./dev fuzz` always runs everything.
 */
import type { FuzzScope } from "./scope.js";

export const SLICE_SEED = 20261201;
export const SLICE_CASES = 150;

export const SLICE_SCOPE: FuzzScope = {
  categories: ["arithmetic", "comparison", "logic", "conditional", "string"],
  families: ["bool", "int", "str"],
  timeZones: ["UTC"],
  nonAnsi: 0,
  streamShapes: ["stateless"],
};
/** Wall-clock bound of the slice (the suite's per-test limit is 120 s, Spark's start included). */
export const SLICE_SECONDS = 70;
export const SLICE_STREAMING_SHARE = 0.2;
