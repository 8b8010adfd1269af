import { Decimal } from "../../src/index.js";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { F, Timestamp } from "../../src/index.js";
import { avroType, fieldsNewIn } from "../../src/formats/avro-codec.js";
import { WIRE_HEADER_BYTES, wireFrame, wireSchemaId } from "../../src/schema-registry/wire-format.js";
import { simpleString } from "../../src/types/data-type.js";
import { runPython } from "../support/python.js";
import { testSession } from "../support/session.js";

/** The seed's NYC-taxi Avro schema shape, with the logical and complex types spark-avro maps. */
const SCHEMA = JSON.stringify({
  type: "record", name: "trip", namespace: "nyc", fields: [
    { name: "VendorID", type: ["null", "long"] },
    { name: "tpep_pickup_datetime", type: { type: "long", logicalType: "timestamp-micros" } },
    { name: "pickup_day", type: ["null", { type: "int", logicalType: "date" }] },
    { name: "passenger_count", type: ["null", "double"] },
    { name: "store_and_fwd_flag", type: ["null", "string"] },
    { name: "payment", type: { type: "enum", name: "Payment", symbols: ["CARD", "CASH"] } },
    { name: "total_amount", type: { type: "bytes", logicalType: "decimal", precision: 10, scale: 2 } },
    { name: "tags", type: { type: "array", items: "string" } },
    { name: "extras", type: { type: "map", values: ["null", "double"] } },
    { name: "raw", type: ["null", "bytes"] },
  ],
});

const PY_RECORDS = `[
  {"VendorID": 2, "tpep_pickup_datetime": 1767225600123456, "pickup_day": 20454, "passenger_count": 1.0, "store_and_fwd_flag": "N",
   "payment": "CARD", "total_amount": decimal.Decimal("17.85"), "tags": ["a", "b"], "extras": {"tip": 2.5, "toll": None}, "raw": b"\\x00\\xff"},
  {"VendorID": None, "tpep_pickup_datetime": 0, "pickup_day": None, "passenger_count": None, "store_and_fwd_flag": None,
   "payment": "CASH", "total_amount": decimal.Decimal("-3.10"), "tags": [], "extras": {}, "raw": None},
]`;

describe("from_avro / to_avro (spark-avro semantics), checked against fastavro", () => {
  const spark = testSession();

  it("reads Avro written by fastavro into Spark's types, including the Confluent framing stripped with substring(value, 6)", async () => {
    const hex = runPython(`
import json, io, decimal, fastavro
schema = fastavro.parse_schema(json.loads(${JSON.stringify(SCHEMA)}))
out = []
for r in ${PY_RECORDS}:
    b = io.BytesIO(); fastavro.schemaless_writer(b, schema, r); out.append(b.getvalue().hex())
print(json.dumps(out))`) as string[];
    // Confluent wire format: magic byte 0, 4-byte big-endian schema id, then the Avro body.
    const framed = hex.map((h) => ({ value: Buffer.concat([Buffer.from([0, 0, 0, 0, 7]), Buffer.from(h, "hex")]).toString("base64") }));
    const df = spark.createDataFrame(framed, "value STRING").select(F.unbase64(F.col("value")).alias("value"))
      .select(F.fromAvro(F.expr("substring(value, 6)"), SCHEMA).alias("trip"));
    assert.equal(simpleString(df.schema.fields[0]!.dataType),
      "struct<VendorID:bigint,tpep_pickup_datetime:timestamp,pickup_day:date,passenger_count:double,store_and_fwd_flag:string,payment:string,total_amount:decimal(10,2),tags:array<string>,extras:map<string,double>,raw:binary>");
    const rows = await df.select("trip.*").collect();
    assert.deepEqual(rows.map((r) => ({ ...r, raw: r["raw"] === null ? null : [...(r["raw"] as Uint8Array)], extras: Object.fromEntries(r["extras"] as Map<string, unknown>) })), [
      { VendorID: 2, tpep_pickup_datetime: new Timestamp(Date.UTC(2026, 0, 1, 0, 0, 0, 123) * 1000), pickup_day: new Date(Date.UTC(2026, 0, 1)), passenger_count: 1, store_and_fwd_flag: "N", payment: "CARD", total_amount: Decimal.parse("17.85"), tags: ["a", "b"], extras: { tip: 2.5, toll: null }, raw: [0, 255] },
      { VendorID: null, tpep_pickup_datetime: new Timestamp(0), pickup_day: null, passenger_count: null, store_and_fwd_flag: null, payment: "CASH", total_amount: Decimal.parse("-3.10"), tags: [], extras: {}, raw: null },
    ]);
    // Microseconds survive inside Sluice (the external Date shows milliseconds).
    assert.deepEqual((await df.select(F.col("trip.tpep_pickup_datetime").cast("double").alias("t")).collect()).map((r) => r["t"]), [1767225600.123456, 0]);
  });

  it("writes Avro that fastavro reads back, with the given schema and with Spark's derived one", async () => {
    const df = spark.createDataFrame([{ id: 1, name: "x", amount: 2.5 }, { id: 2, name: null, amount: null }], "id BIGINT, name STRING, amount DOUBLE");
    const given = JSON.stringify({ type: "record", name: "r", fields: [{ name: "id", type: "long" }, { name: "name", type: ["null", "string"] }, { name: "amount", type: ["null", "double"] }] });
    const withSchema = (await df.select(F.toAvro(F.struct("id", "name", "amount"), given).alias("b")).collect()).map((r) => Buffer.from(r["b"] as Uint8Array).toString("hex"));
    const derived = (await df.select(F.toAvro(F.struct("id", "name", "amount")).alias("b")).collect()).map((r) => Buffer.from(r["b"] as Uint8Array).toString("hex"));
    const decoded = runPython(`
import json, io, fastavro
given = fastavro.parse_schema(json.loads(${JSON.stringify(given)}))
derived = fastavro.parse_schema({"type": "record", "name": "topLevelRecord", "fields": [
  {"name": "id", "type": ["long", "null"]}, {"name": "name", "type": ["string", "null"]}, {"name": "amount", "type": ["double", "null"]}]})
a = [fastavro.schemaless_reader(io.BytesIO(bytes.fromhex(h)), given) for h in ${JSON.stringify(withSchema)}]
b = [fastavro.schemaless_reader(io.BytesIO(bytes.fromhex(h)), derived) for h in ${JSON.stringify(derived)}]
print(json.dumps([a, b]))`) as unknown[][];
    const expected = [{ id: 1, name: "x", amount: 2.5 }, { id: 2, name: null, amount: null }];
    assert.deepEqual(decoded, [expected, expected]);
    // Round trip through Sluice itself.
    const back = await df.select(F.fromAvro(F.toAvro(F.struct("id", "name", "amount"), given), given).alias("r")).select("r.*").collect();
    assert.deepEqual(back, expected);
  });

  it("malformed or truncated values: FAILFAST (the default) fails naming the mode, PERMISSIVE reads null", async () => {
    const schema = JSON.stringify({ type: "record", name: "r", fields: [{ name: "s", type: "string" }, { name: "n", type: "long" }] });
    const bad = spark.createDataFrame([{ v: "BGFiYw==" }, { v: "CGFi" }], "v STRING").select(F.unbase64(F.col("v")).alias("v")); // "abc" + 0x.., then a truncated string
    await assert.rejects(bad.select(F.fromAvro(F.col("v"), schema).alias("r")).collect(), { code: "MALFORMED_RECORD_IN_PARSING", message: /Current parse Mode: FAILFAST/ });
    const lenient = await bad.select(F.fromAvro(F.col("v"), schema, { mode: "PERMISSIVE" }).alias("r")).collect();
    assert.equal(lenient[1]!["r"], null);
    assert.throws(() => bad.select(F.fromAvro(F.col("v"), "{not json")), { code: "INVALID_OPTION" });
  });

  it("the avroSchema option reads data written with jsonFormatSchema as an evolved reader schema (defaults, dropped and promoted fields)", async () => {
    const writer = JSON.stringify({ type: "record", name: "r", fields: [{ name: "id", type: "int" }, { name: "old", type: "string" }] });
    const reader = JSON.stringify({ type: "record", name: "r", fields: [{ name: "id", type: "long" }, { name: "currency", type: "string", default: "USD" }] });
    const df = spark.createDataFrame([{ id: 1, old: "x" }], "id INT, old STRING").select(F.toAvro(F.struct("id", "old"), writer).alias("b"));
    const back = df.select(F.fromAvro(F.col("b"), writer, { avroSchema: reader }).alias("r"));
    assert.equal(simpleString(back.schema.fields[0]!.dataType), "struct<id:bigint,currency:string>");
    assert.deepEqual(await back.select("r.*").collect(), [{ id: 1, currency: "USD" }]);
    const incompatible = JSON.stringify({ type: "record", name: "r", fields: [{ name: "missing", type: "string" }] });
    await assert.rejects(df.select(F.fromAvro(F.col("b"), writer, { avroSchema: incompatible })).collect(), { code: "INVALID_SCHEMA" });
  });
});

describe("the Confluent wire format", () => {
  it("frames a body with a schema id and reads the id back; anything else has no id", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.uint8Array({ maxLength: 64 }), (id, body) => {
      const framed = wireFrame(id, body);
      assert.equal(wireSchemaId(framed), id);
      assert.deepEqual(framed.subarray(WIRE_HEADER_BYTES), body);
    }));
    fc.assert(fc.property(fc.uint8Array({ maxLength: 4 }), (short) => { assert.equal(wireSchemaId(short), -1); }));
    fc.assert(fc.property(fc.integer({ min: 1, max: 255 }), fc.uint8Array({ minLength: 4, maxLength: 16 }), (magic, rest) => {
      assert.equal(wireSchemaId(Uint8Array.from([magic, ...rest])), -1);
    }));
  });

  it("finds the fields a newer writer added, nested ones included, and ignores removed ones", () => {
    const t = (fields: unknown[]) => avroType(JSON.stringify({ type: "record", name: "r", fields }));
    const nested = (fields: unknown[]) => ({ name: "fare", type: ["null", { type: "record", name: "fare", fields }] });
    const reader = t([{ name: "id", type: "long" }, nested([{ name: "amount", type: "double" }])]);
    assert.deepEqual(fieldsNewIn(reader, reader), []);
    assert.deepEqual(fieldsNewIn(t([{ name: "id", type: "long" }, { name: "tip", type: "double" }, nested([{ name: "amount", type: "double" }, { name: "currency", type: "string" }])]), reader), ["tip", "fare.currency"]);
    assert.deepEqual(fieldsNewIn(t([{ name: "id", type: "long" }]), reader), []);
  });
});
