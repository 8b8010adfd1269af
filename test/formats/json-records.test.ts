import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { jsonConverter, parseJsonRecords, type Converted } from "../../src/formats/json-codec.js";
import { parseSchema } from "../../src/sql/parser.js";

describe("JSON record parsing", () => {
  it("reads 64-bit integers beyond 2^53 exactly", () => {
    const conv = jsonConverter(parseSchema("l BIGINT, d DOUBLE, ts TIMESTAMP"), { timeZone: "UTC" });
    const state: Converted = { value: null, bad: false };
    assert.deepEqual(parseJsonRecords('{"l": 9223372036854775807, "d": 12345678901234567, "ts": 1700000000}', conv, state), [[9223372036854775807n, 12345678901234568, 1700000000000000]]);
    assert.equal(state.bad, false);
    assert.deepEqual(parseJsonRecords('{"l": 9223372036854775808, "ts": 9223372036854775807}', conv, state), [[null, null, null]]);
    assert.equal(state.bad, true);
  });

  it("keeps the last of duplicate keys, as JSON.parse does", () => {
    const conv = jsonConverter(parseSchema("b BOOLEAN"), { timeZone: "UTC" });
    const state: Converted = { value: null, bad: false };
    assert.deepEqual(parseJsonRecords('{"b": 0, "b": false}', conv, state), [[false]]);
    assert.equal(state.bad, false);
  });
});
