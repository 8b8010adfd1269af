import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { splitCsvLine, csvLine, csvOptions } from "../../src/formats/csv-codec.js";
import { parseSchema } from "../../src/sql/parser.js";
import { testSession } from "../support/session.js";
import { tempDir } from "../support/stream-test.js";

function file(lines: readonly string[], ext = "json"): string {
  const dir = tempDir();
  writeFileSync(path.join(dir, `data.${ext}`), lines.join("\n") + "\n");
  return dir;
}

describe("JSON and CSV parse modes", () => {
  const spark = testSession();
  const jsonLines = ['{"id": 1, "name": "ok"}', '{"id": "x", "name": "bad field"}', "{not json", '{"id": 3}'];

  it("PERMISSIVE keeps what parses, nulls what does not, and fills columnNameOfCorruptRecord", async () => {
    const rows = await spark.read.schema("id INT, name STRING, _corrupt_record STRING").json(file(jsonLines)).collect();
    assert.deepEqual(rows, [
      { id: 1, name: "ok", _corrupt_record: null },
      { id: null, name: "bad field", _corrupt_record: '{"id": "x", "name": "bad field"}' },
      { id: null, name: null, _corrupt_record: "{not json" },
      { id: 3, name: null, _corrupt_record: null },
    ]);
    const renamed = await spark.read.schema("id INT, broken STRING").option("columnNameOfCorruptRecord", "broken").json(file(jsonLines)).collect();
    assert.equal(renamed[2]!["broken"], "{not json");
  });

  it("DROPMALFORMED drops malformed records", async () => {
    const rows = await spark.read.schema("id INT, name STRING").option("mode", "DROPMALFORMED").json(file(jsonLines)).collect();
    assert.deepEqual(rows, [{ id: 1, name: "ok" }, { id: 3, name: null }]);
  });

  it("FAILFAST fails with an error that names the bad record", async () => {
    await assert.rejects(spark.read.schema("id INT, name STRING").option("mode", "FAILFAST").json(file(jsonLines)).collect(),
      (e: unknown) => {
        const err = e as { code: string; params: Record<string, string> };
        assert.equal(err.code, "MALFORMED_RECORD_IN_PARSING");
        assert.equal(err.params["badRecord"], '{"id": "x", "name": "bad field"}');
        return true;
      });
  });

  it("fails a streaming query in FAILFAST mode, naming the record", async () => {
    const q = await spark.readStream.schema("id INT").option("mode", "FAILFAST").json(file(['{"id": 1}', '{"id": true}']))
      .writeStream.format("memory").queryName("failfast_stream").start();
    await assert.rejects(q.awaitTermination());
    assert.equal((q.exception()!.cause as { code: string }).code, "MALFORMED_RECORD_IN_PARSING");
  });

  it("applies the same modes to CSV, with header and Spark's quoting", async () => {
    const dir = file(["id,name,amount", '1,"a, quoted",1.5', "x,b,2", "3,c", '4,"say \\"hi\\"",4'], "csv");
    const permissive = await spark.read.schema("id INT, name STRING, amount DOUBLE, _corrupt_record STRING").option("header", true).csv(dir).collect();
    assert.deepEqual(permissive.map((r) => [r["id"], r["name"], r["amount"], r["_corrupt_record"]]), [
      [1, "a, quoted", 1.5, null], [null, "b", 2, "x,b,2"], [3, "c", null, "3,c"], [4, 'say "hi"', 4, null],
    ]);
    const dropped = await spark.read.schema("id INT, name STRING, amount DOUBLE").option("header", "true").option("mode", "DROPMALFORMED").csv(dir).collect();
    assert.deepEqual(dropped.map((r) => r["id"]), [1, 4]);
    await assert.rejects(spark.read.schema("id INT, name STRING, amount DOUBLE").option("header", "true").option("mode", "FAILFAST").csv(dir).collect(), { code: "MALFORMED_RECORD_IN_PARSING" });
  });

  it("infers CSV and JSON schemas in batch reads", async () => {
    const csv = spark.read.option("header", true).option("inferSchema", true).csv(file(["a,b,c", "1,x,2.5", "2,y,3"], "csv"));
    assert.deepEqual(csv.dtypes, [["a", "int"], ["b", "string"], ["c", "double"]]);
    const json = spark.read.json(file(['{"b": 1, "a": {"x": true}}', '{"b": 2.5}']));
    assert.deepEqual(json.dtypes, [["a", "struct<x:boolean>"], ["b", "double"]]);
  });

  it("round-trips CSV fields through the writer's quoting (property)", () => {
    const o = csvOptions({}, "UTC");
    const schema = parseSchema("a STRING, b STRING");
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom("a", ",", '"', "\\", " ", "x") }), fc.string({ unit: fc.constantFrom("b", ",", '"') }), (a, b) => {
      const line = csvLine([a, b], schema, o);
      assert.deepEqual(splitCsvLine(line, o).map((v) => v ?? ""), [a, b]);
    }));
  });

  it("round-trips JSON through write and read (property)", async () => {
    const schema = "i INT, s STRING, d DOUBLE, b BOOLEAN, arr ARRAY<INT>";
    const row = fc.record({
      i: fc.option(fc.integer(), { nil: null }), s: fc.option(fc.string(), { nil: null }),
      d: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }), b: fc.option(fc.boolean(), { nil: null }),
      arr: fc.option(fc.array(fc.integer(), { maxLength: 3 }), { nil: null }),
    });
    await fc.assert(fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 5 }), async (rows) => {
      const dir = path.join(tempDir(), "out");
      await spark.createDataFrame(rows, schema).write.json(dir);
      const back = await spark.read.schema(schema).json(dir).collect();
      assert.deepEqual(back, rows.map((r) => ({ ...r, d: r.d === null ? null : Object.is(r.d, -0) ? -0 : r.d })));
    }), { numRuns: 25 });
  });
});
