/**
 * What Spark cannot be asked about by a differential test: Spark hangs on a catastrophically backtracking pattern and
 * fails with raw Java exceptions (PatternSyntaxException, OutOfMemoryError) where Sluice gives coded errors.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { compileJavaRegex, replaceAllJava, setBacktrackingTimeLimit, splitJava } from "../../src/functions/java-regex.js";
import { SluiceError } from "../../src/index.js";
import { testSession } from "../support/session.js";

const coded = (code: string, subclass?: string) => (e: unknown): boolean => {
  assert.ok(e instanceof SluiceError, `expected a SluiceError, got ${String(e)}`);
  assert.equal(e.code, code, e.message);
  if (subclass !== undefined) assert.equal(e.params["subclass"], subclass);
  return true;
};

describe("regular expressions run in linear time, with coded errors", () => {
  const spark = testSession();
  const value = async (expr: string, s: string): Promise<unknown> =>
    (await spark.createDataFrame([{ s }], "s STRING").selectExpr(`${expr} AS v`).collect())[0]!["v"];

  it("a catastrophically backtracking pattern answers at once (RLIKE '(a+)+$')", async () => {
    const s = "a".repeat(5_000) + "!";
    const t0 = Date.now();
    assert.equal(await value("s RLIKE '(a+)+$'", s), false);
    assert.equal(await value("regexp_extract(s, '(x+x+)+y', 0)", "x".repeat(5_000)), "");
    assert.equal(await value("regexp_replace(s, '(a|aa)+$', '-')", s), s);
    assert.deepEqual(await value("size(split(s, '(a*)*b'))", s), 1);
    assert.ok(Date.now() - t0 < 10_000, `took ${Date.now() - t0} ms`);
  });

  it("a pattern RE2 cannot run (backreference, lookahead) is stopped past the time limit with REGEX_TIMEOUT", async () => {
    const old = setBacktrackingTimeLimit(300);
    try {
      const s = "a".repeat(40) + "!";
      const t0 = Date.now();
      await assert.rejects(value("s RLIKE '(a+)+$|(b)\\\\1'", s), coded("REGEX_TIMEOUT"));
      await assert.rejects(value("regexp_replace(s, '(?=x)|(a|aa)+$', '-')", s), coded("REGEX_TIMEOUT"));
      assert.ok(Date.now() - t0 < 5_000, `took ${Date.now() - t0} ms`);
      // The thread is replaced: the next backtracking pattern answers.
      assert.equal(await value("regexp_replace(s, '(a)\\\\1', 'b')", "aaa!"), "ba!");
      assert.equal(await value("regexp_extract(s, 'a(?=!)', 0)", "aaa!"), "a");
    } finally { setBacktrackingTimeLimit(old); }
  });

  it("an invalid pattern fails with INVALID_PARAMETER_VALUE.PATTERN, not a raw SyntaxError", async () => {
    await assert.rejects(value("s RLIKE '['", "a"), coded("INVALID_PARAMETER_VALUE", "PATTERN"));
    await assert.rejects(value("split(s, '*')", "a"), coded("INVALID_PARAMETER_VALUE", "PATTERN"));
    await assert.rejects(value("regexp_like(s, '(?<')", "a"), coded("INVALID_PARAMETER_VALUE", "PATTERN"));
    await assert.rejects(value("regexp_extract(s, 'a{2', 0)", "a"), coded("INVALID_PARAMETER_VALUE", "PATTERN"));
  });

  it("results past the size limit fail with coded errors instead of a RangeError", async () => {
    await assert.rejects(value("repeat(s, 1500000000)", "ab"), coded("ARITHMETIC_OVERFLOW"));
    await assert.rejects(value("repeat(s, 400000000)", "ab"), coded("COLLECTION_SIZE_LIMIT_EXCEEDED"));
    await assert.rejects(value("lpad(s, 2147483647, 'b')", "a"), coded("COLLECTION_SIZE_LIMIT_EXCEEDED"));
    await assert.rejects(value("rpad(s, 2147483647, 'xy')", "a"), coded("COLLECTION_SIZE_LIMIT_EXCEEDED"));
  });

  it("the literal fast path splits and replaces as the RE2 engine does", () => {
    const alphabet = fc.constantFrom("a", "b", ",", "😀", "é", "");
    fc.assert(fc.property(fc.array(alphabet, { maxLength: 12 }).map((x) => x.join("")), fc.constantFrom(",", "a", "😀", ",,", "ab"), fc.integer({ min: -1, max: 4 }), (s, d, limit) => {
      const literal = compileJavaRegex(d, "split"), re2 = compileJavaRegex(`\\Q${d}\\E`, "split");
      assert.notEqual(literal.constructor, re2.constructor);
      assert.deepEqual(splitJava(literal, s, limit), splitJava(re2, s, limit));
      assert.equal(replaceAllJava(literal, s, "<$0>"), replaceAllJava(re2, s, "<$0>"));
      assert.equal(literal.find(s), re2.find(s));
    }), { numRuns: 500 });
  });
});
