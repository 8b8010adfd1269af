import { Decimal } from "../../src/index.js";
import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { Timestamp } from "../../src/index.js";
import { testSession } from "../support/session.js";
import { assertRows, tempDir } from "../support/stream-test.js";
import { pythonPath, runPython } from "../support/python.js";

describe("Parquet interoperability with independent readers", () => {
  const spark = testSession();
  const schema = "i INT, l BIGINT, big BIGINT, d DOUBLE, f FLOAT, s STRING, b BOOLEAN, ts TIMESTAMP, dt DATE, dec DECIMAL(10,2), wide DECIMAL(27,6), by TINYINT, sh SMALLINT, st STRUCT<x: INT, y: STRING>, arr ARRAY<STRING>";
  const rows = [
    { i: 1, l: 2, big: 9223372036854775807n, d: 1.5, f: 0.25, s: "héllo", b: true, ts: new Date("2024-03-10T08:15:30.123Z"), dt: new Date("2024-03-10T00:00:00Z"), dec: 12.34, wide: 123456.5, by: -3, sh: 300, st: { x: 7, y: "q" }, arr: ["a", "b"] },
    { i: null, l: null, big: null, d: null, f: null, s: null, b: null, ts: null, dt: null, dec: null, wide: null, by: null, sh: null, st: null, arr: null },
  ];

  it("writes files that pyarrow and DuckDB read with the right types and values", async () => {
    const dir = path.join(tempDir(), "t");
    await spark.createDataFrame(rows, schema).write.parquet(dir);
    const out = runPython(`
import json, glob, pyarrow.parquet as pq, duckdb
files = sorted(glob.glob("${dir}/*.parquet"))
t = pq.read_table(files[0])
types = {f.name: str(f.type) for f in t.schema}
rows = t.to_pylist()
r = rows[0]
d = duckdb.sql("select count(*), sum(i), max(big)::VARCHAR, strftime(max(ts), '%Y-%m-%d %H:%M:%S.%g'), max(wide)::VARCHAR, typeof(max(wide)) from read_parquet('${dir}/*.parquet')").fetchall()[0]
print(json.dumps({"types": types, "s": r["s"], "big": str(r["big"]), "ts": r["ts"].isoformat(), "dt": str(r["dt"]), "dec": str(r["dec"]), "st": r["st"], "arr": r["arr"], "nulls": rows[1], "duck": [str(x) for x in d]}))
`) as Record<string, unknown>;
    assert.deepEqual(out["types"], {
      i: "int32", l: "int64", big: "int64", d: "double", f: "float", s: "string", b: "bool", ts: "timestamp[us, tz=UTC]", dt: "date32[day]",
      dec: "decimal128(10, 2)", wide: "decimal128(27, 6)", by: "int8", sh: "int16", st: "struct<x: int32, y: string>", arr: "list<element: string>",
    });
    assert.equal(out["s"], "héllo");
    assert.equal(out["big"], "9223372036854775807");
    assert.equal(out["ts"], "2024-03-10T08:15:30.123000+00:00");
    assert.equal(out["dt"], "2024-03-10");
    assert.equal(out["dec"], "12.34");
    assert.deepEqual(out["st"], { x: 7, y: "q" });
    assert.deepEqual(out["arr"], ["a", "b"]);
    assert.ok(Object.values(out["nulls"] as object).every((v) => v === null));
    assert.deepEqual(out["duck"], ["2", "1", "9223372036854775807", "2024-03-10 08:15:30.123", "123456.500000", "DECIMAL(27,6)"]);
  });

  it("reads back its own files exactly", async () => {
    const dir = path.join(tempDir(), "t");
    await spark.createDataFrame(rows, schema).write.parquet(dir);
    const back = spark.read.parquet(dir);
    assert.equal(back.schema.fields.map((f) => f.name).join(","), "i,l,big,d,f,s,b,ts,dt,dec,wide,by,sh,st,arr");
    // Decimals come back as exact Decimal values at their column's scale.
    assertRows(await back.collect(), rows.map((r) => ({ ...r, dec: r.dec === null ? null : Decimal.parse("12.34"), wide: r.wide === null ? null : Decimal.parse("123456.500000") })));
  });

  it("reads Parquet written by DuckDB", async () => {
    const dir = tempDir();
    runPython(`
import duckdb, json
duckdb.sql("""COPY (SELECT 42::BIGINT AS id, 'duck' AS name, 2.5::DOUBLE AS x, DATE '2024-05-06' AS d, [1, 2]::INTEGER[] AS xs,
  {'a': 1} AS s, TIMESTAMPTZ '2024-05-06 07:08:09.5+00' AS at) TO '${dir}/duck.parquet' (FORMAT PARQUET)""")
print(json.dumps(True))
`);
    const df = spark.read.parquet(dir);
    assert.deepEqual(df.dtypes, [["id", "bigint"], ["name", "string"], ["x", "double"], ["d", "date"], ["xs", "array<int>"], ["s", "struct<a:int>"], ["at", "timestamp"]]);
    assert.deepEqual(await df.collect(), [{ id: 42, name: "duck", x: 2.5, d: new Date("2024-05-06T00:00:00Z"), xs: [1, 2], s: { a: 1 }, at: new Timestamp(Date.parse("2024-05-06T07:08:09.500Z") * 1000) }]);
  });

  it("reads Parquet written by pyarrow, types included", async () => {
    const dir = tempDir();
    assert.ok(pythonPath());
    runPython(`
import json, datetime, decimal, pyarrow as pa, pyarrow.parquet as pq
t = pa.table({
  "id": pa.array([1, 2], pa.int64()), "name": pa.array(["a", None]), "score": pa.array([0.5, 2.0], pa.float64()),
  "at": pa.array([datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc), None], pa.timestamp("us", tz="UTC")),
  "day": pa.array([datetime.date(2024, 1, 2), None], pa.date32()), "n": pa.array([7, None], pa.int32()),
  "tags": pa.array([["x", "y"], []], pa.list_(pa.string())),
  "amount": pa.array([decimal.Decimal("1.25"), None], pa.decimal128(9, 2)),
  "attrs": pa.array([[("a", 1), ("b", None)], None], pa.map_(pa.string(), pa.int32())),
})
pq.write_table(t, "${dir}/part-0.parquet", compression="snappy")
print(json.dumps(True))
`);
    const df = spark.read.parquet(dir);
    assert.deepEqual(df.dtypes, [["id", "bigint"], ["name", "string"], ["score", "double"], ["at", "timestamp"], ["day", "date"], ["n", "int"], ["tags", "array<string>"], ["amount", "decimal(9,2)"], ["attrs", "map<string,int>"]]);
    assert.deepEqual(await df.collect(), [
      { id: 1, name: "a", score: 0.5, at: new Timestamp(Date.parse("2024-01-02T03:04:05Z") * 1000), day: new Date("2024-01-02T00:00:00Z"), n: 7, tags: ["x", "y"], amount: Decimal.parse("1.25"), attrs: new Map([["a", 1], ["b", null]]) },
      { id: 2, name: null, score: 2, at: null, day: null, n: null, tags: [], amount: null, attrs: null },
    ]);
  });
});
