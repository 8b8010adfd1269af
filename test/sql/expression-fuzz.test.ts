/**
 * Property: any expression text a user can type — random, generated from the grammar, or a valid text mutated by a
 * few characters — either evaluates or fails with a SluiceError carrying a catalogue code: never a raw TypeError,
 * SyntaxError or RangeError, and never INTERNAL_ERROR. (Regex patterns, repeat/lpad sizes and datetime patterns are
 * left out here: their errors are covered with those functions.)
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { F, SluiceError } from "../../src/index.js";
import { testSession } from "../support/session.js";
import { deep, expr, mutated, randomText } from "../support/expression-arbitraries.js";

/** Nothing here may use a regex or a size argument: those are covered by the string functions' own tests. */
const OUT_OF_SCOPE = /rlike|regexp|repeat|lpad|rpad|split|to_timestamp|date_format|unix_timestamp|from_unixtime/i;

describe("expression text property: every failure is a coded SluiceError", () => {
  const spark = testSession();
  const df = spark.createDataFrame([
    { a: 1, b: 0, l: 10, s: "abc", x: 1.5, arr: [1, 2, 3], m: new Map([["k", 1]]), st: { x: 5 }, j: '{"a": 2.0}', d: "2020-01-01" },
    { a: -2147483648, b: null, l: null, s: null, x: null, arr: [], m: new Map(), st: null, j: "null", d: null },
  ], "a INT, b INT, l BIGINT, s STRING, x DOUBLE, arr ARRAY<INT>, m MAP<STRING, INT>, st STRUCT<x: INT>, j STRING, d STRING");

  async function check(text: string, ansi: boolean): Promise<void> {
    if (OUT_OF_SCOPE.test(text)) return;
    spark.conf.set("spark.sql.ansi.enabled", ansi ? "true" : "false");
    try {
      await df.select(F.expr(text)).collect();
    } catch (e) {
      if (!(e instanceof SluiceError)) assert.fail(`raw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message} for ${JSON.stringify(text)}`);
      if (e.code === "INTERNAL_ERROR") assert.fail(`INTERNAL_ERROR: ${e.message} for ${JSON.stringify(text)}`);
    }
  }

  const runs = (n: number) => ({ numRuns: n, seed: 20261201, endOnFailure: true });
  it("grammar-generated texts (ANSI on and off)", { timeout: 60_000 }, async () => {
    await fc.assert(fc.asyncProperty(expr, fc.boolean(), (t, ansi) => check(t, ansi)), runs(8_000));
  });
  it("mutated texts", { timeout: 60_000 }, async () => {
    await fc.assert(fc.asyncProperty(mutated, fc.boolean(), (t, ansi) => check(t, ansi)), runs(8_000));
  });
  it("random texts", { timeout: 60_000 }, async () => {
    await fc.assert(fc.asyncProperty(randomText, (t) => check(t, true)), runs(8_000));
  });
  it("deep nesting is PARSE_SYNTAX_ERROR or an answer, never a stack overflow", { timeout: 60_000 }, async () => {
    await fc.assert(fc.asyncProperty(deep, (t) => check(t, true)), runs(60));
  });
});
