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

describe("PERMISSIVE JSON reading", () => {
  it("gives exactly what the general record reader gives (property)", async () => {
    const fc = (await import("fast-check")).default;
    const { jsonFormat } = await import("../../src/formats/json-format.js");
    const { readRecords } = await import("../../src/formats/text-record-reader.js");
    const { LocalFileSystem } = await import("../../src/fs/local-file-system.js");
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const schema = parseSchema("i INT, l BIGINT, s STRING, d DOUBLE, ts TIMESTAMP, st STRUCT<x: INT>, _corrupt_record STRING");
    const value = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string(), fc.boolean(), fc.constant(null),
      fc.constant("2024-01-02 03:04:05"), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.record({ x: fc.oneof(fc.integer(), fc.string()) }));
    const render = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? (JSON as unknown as { rawJSON(t: string): unknown }).rawJSON(x.toString()) : x));
    const obj = fc.array(fc.tuple(fc.constantFrom("i", "l", "s", "d", "ts", "st", "zz"), value), { maxLength: 7 })
      .map((pairs) => `{${pairs.map(([k, v]) => `"${k}": ${render(v)}`).join(", ")}}`);
    const line = fc.oneof(obj, obj.map((o) => `[${o}, ${o}]`), fc.string(), fc.constantFrom("{", "[]", "null", "3"));
    const fs = new LocalFileSystem();
    await fc.assert(fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 8 }), async (lines) => {
      const dir = mkdtempSync(`${tmpdir()}/sluice-json-`);
      const file = `${dir}/x.json`;
      const kept = lines.map((l) => l.replace(/\n|\r/g, " ")).filter((l) => l.trim().length > 0);
      writeFileSync(file, kept.join("\n") + "\n");
      const fast = await jsonFormat.read(file, schema, { fs, timeZone: "UTC", options: {} });
      const conv = jsonConverter(parseSchema("i INT, l BIGINT, s STRING, d DOUBLE, ts TIMESTAMP, st STRUCT<x: INT>"), { timeZone: "UTC" });
      const general = readRecords(kept, schema, {}, file, (rec, _ds, state) => parseJsonRecords(rec, conv, state));
      assert.deepEqual([...fast.rows()], [...general.rows()], kept.join("\n"));
    }), { numRuns: 300 });
  });
});
