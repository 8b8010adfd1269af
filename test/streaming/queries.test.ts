import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { F, MemoryStream, type StreamingQueryProgress } from "../../src/index.js";
import { ConsoleSink } from "../../src/sinks/console-sink.js";
import { RecordBatch } from "../../src/columnar/record-batch.js";
import { parseSchema } from "../../src/sql/parser.js";
import { testSession } from "../support/session.js";
import { tempDir } from "../support/stream-test.js";

describe("streaming queries and monitoring", () => {
  const spark = testSession();

  it("reports progress with Spark's field names and notifies listeners", async () => {
    const events: string[] = [];
    const progress: StreamingQueryProgress[] = [];
    const listener = {
      onQueryStarted: () => events.push("started"),
      onQueryProgress: (e: { progress: StreamingQueryProgress }) => { if (e.progress.name === "progress_q") progress.push(e.progress); },
      onQueryTerminated: (e: { exception: string | null }) => events.push(`terminated:${e.exception}`),
    };
    spark.streams.addListener(listener);
    const input = MemoryStream.create(spark, "v INT");
    const q = await input.toDF().writeStream.format("memory").queryName("progress_q").start();
    assert.equal(spark.streams.get(q.id), q);
    assert.ok(spark.streams.active.includes(q));
    input.addData([1, 2, 3]);
    await q.processAllAvailable();
    await q.stop();
    spark.streams.removeListener(listener);
    const p = q.lastProgress!;
    assert.deepEqual(Object.keys(p).sort(), ["batchDuration", "batchId", "durationMs", "eventTime", "id", "inputRowsPerSecond", "name", "numInputRows",
      "observedMetrics", "processedRowsPerSecond", "runId", "sink", "sources", "stateOperators", "timestamp"]);
    assert.equal(p.id, q.id);
    assert.equal(p.numInputRows, 3);
    assert.equal(p.sources[0]!.numInputRows, 3);
    assert.equal(p.sources[0]!.endOffset, 0);
    assert.equal(p.sink.numOutputRows, 3);
    for (const k of ["addBatch", "getBatch", "latestOffset", "queryPlanning", "triggerExecution", "walCommit", "commitOffsets"]) assert.equal(typeof p.durationMs[k], "number");
    assert.match(p.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(progress.map((x) => x.batchId), [0]);
    assert.ok(events.includes("started") && events.includes("terminated:null"));
    assert.deepEqual(q.status, { message: "Stopped", isDataAvailable: false, isTriggerActive: false });
    assert.equal(spark.streams.active.includes(q), false);
  });

  it("refuses a second active query with the same name, and awaitAnyTermination reports failures", async () => {
    const input = MemoryStream.create(spark, "v STRING");
    const q = await input.toDF().writeStream.format("memory").queryName("dup_name").start();
    await assert.rejects(input.toDF().writeStream.format("memory").queryName("dup_name").start(), { code: "QUERY_ALREADY_ACTIVE" });
    await q.stop();
    spark.streams.resetTerminated();
    const failing = await input.toDF().select(F.col("v").cast("int")).writeStream.format("memory").queryName("fails").start();
    input.addData(["x"]);
    await assert.rejects(spark.streams.awaitAnyTermination(), { code: "STREAM_FAILED" });
    assert.equal(failing.isActive, false);
    spark.streams.resetTerminated();
    assert.equal(await spark.streams.awaitAnyTermination(20), false);
  });

  it("calls foreach writers with open/process/close per partition", async () => {
    const input = MemoryStream.create(spark, "v INT");
    const calls: string[] = [];
    const q = await input.toDF().writeStream.foreach({
      open: (p, e) => { calls.push(`open ${p} ${e}`); return true; },
      process: (row) => { calls.push(`row ${String(row["v"])}`); },
      close: (err) => { calls.push(`close ${err === null ? "ok" : "error"}`); },
    }).start();
    input.addData([4, 5]);
    await q.processAllAvailable();
    await q.stop();
    assert.deepEqual(calls, ["open 0 0", "row 4", "row 5", "close ok"]);
  });

  it("prints batches on the console sink with Spark's banner and table", async () => {
    let out = "";
    const sink = new ConsoleSink({ numRows: "2" }, "UTC", (s) => { out += s; });
    const schema = parseSchema("word STRING, n BIGINT");
    await sink.addBatch(3, [[RecordBatch.fromRows(schema, [["a", 1], [null, 22], ["c", 3]])]], schema);
    assert.equal(out, [
      "-------------------------------------------",
      "Batch: 3",
      "-------------------------------------------",
      "+----+---+",
      "|word|  n|",
      "+----+---+",
      "|   a|  1|",
      "|NULL| 22|",
      "+----+---+",
      "only showing top 2 rows",
      "", ""].join("\n"));
  });

  it("rejects operations Spark rejects on streams, at the moment Spark does", async () => {
    const input = MemoryStream.create(spark, "v INT");
    const stream = input.toDF();
    await assert.rejects(stream.collect(), { code: "STREAMING_UNSUPPORTED_OPERATION" });
    await assert.rejects(stream.count(), { code: "STREAMING_UNSUPPORTED_OPERATION" });
    await assert.rejects(stream.orderBy("v").writeStream.format("memory").queryName("sorted").start(), { code: "STREAMING_UNSUPPORTED_OPERATION", params: { operation: "sort" } });
    await assert.rejects(stream.writeStream.outputMode("complete").format("memory").queryName("complete").start(), { code: "STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION", params: { outputMode: "complete", operation: "no streaming aggregations" } });
    await assert.rejects(spark.createDataFrame([{ v: 1 }]).writeStream.format("memory").queryName("batch").start(), { code: "WRITE_STREAM_NOT_ALLOWED" });
    assert.throws(() => stream.select("nope"), { code: "UNRESOLVED_COLUMN" });
    assert.throws(() => stream.writeStream.outputMode("bogus" as "append"), { code: "INVALID_OPTION" });
    await assert.rejects(stream.writeStream.format("memory").start(), { code: "INVALID_OPTION", params: { option: "queryName" } });
    assert.equal(stream.isStreaming, true);
    assert.equal(stream.select(F.col("v").plus(1)).isStreaming, true);
  });

  it("explains the physical plan of a query", async () => {
    const input = MemoryStream.create(spark, "v INT");
    const q = await input.toDF().filter("v > 1").select(F.col("v").multiply(2).alias("w")).writeStream.format("memory").queryName("explained").option("checkpointLocation", tempDir()).start();
    await q.stop();
    assert.equal(q.explain(), "== Physical Plan ==\nProject [(v * 2) AS w]\n+- Filter (v > 1)\n   +- StreamingScan memory\n");
  });
});

describe("batch DataFrame API", () => {
  const spark = testSession();
  const people = spark.createDataFrame([
    { name: "ann", age: 34, city: "Oslo" }, { name: "bob", age: null, city: "Rome" }, { name: "cy", age: 21, city: "Oslo" },
  ], "name STRING, age INT, city STRING");

  it("selects, filters, renames, drops and orders", async () => {
    const df = people.withColumn("age2", F.col("age").multiply(2)).withColumnRenamed("city", "town").drop("name").filter(F.col("age").isNotNull()).orderBy(F.col("age").desc());
    assert.deepEqual(df.columns, ["age", "town", "age2"]);
    assert.deepEqual(await df.collect(), [{ age: 34, town: "Oslo", age2: 68 }, { age: 21, town: "Oslo", age2: 42 }]);
    assert.deepEqual(await people.select("city").distinct().orderBy("city").collect(), [{ city: "Oslo" }, { city: "Rome" }]);
    assert.equal(await people.limit(2).count(), 2);
    assert.deepEqual((await people.orderBy(F.col("age").ascNullsLast()).collect()).map((r) => r["name"]), ["cy", "ann", "bob"]);
  });

  it("unions by position and by name, widening types", async () => {
    const a = spark.createDataFrame([{ x: 1, y: "a" }], "x INT, y STRING");
    const b = spark.createDataFrame([{ y: "b", x: 2.5 }], "y STRING, x DOUBLE");
    const byName = a.unionByName(b);
    assert.deepEqual(byName.dtypes, [["x", "double"], ["y", "string"]]);
    assert.deepEqual(await byName.collect(), [{ x: 1, y: "a" }, { x: 2.5, y: "b" }]);
    assert.throws(() => a.union(spark.createDataFrame([{ x: 1 }], "x INT")), { code: "DATATYPE_MISMATCH" });
  });

  it("runs spark.sql over temp views and prints with show()", async () => {
    people.createOrReplaceTempView("people");
    const df = spark.sql("SELECT name, age + 1 AS next FROM people WHERE city = 'Oslo' ORDER BY name DESC LIMIT 5");
    assert.deepEqual(await df.collect(), [{ name: "cy", next: 22 }, { name: "ann", next: 35 }]);
    assert.throws(() => spark.sql("SELECT * FROM missing"), { code: "TABLE_OR_VIEW_NOT_FOUND" });
    assert.throws(() => spark.sql("SELEC name FROM people"), { code: "PARSE_SYNTAX_ERROR" });
    const text = await people.show(2, false);
    assert.equal(text, "+----+----+----+\n|name|age |city|\n+----+----+----+\n|ann |34  |Oslo|\n|bob |NULL|Rome|\n+----+----+----+\nonly showing top 2 rows\n");
  });

  it("explodes arrays and maps, with posexplode and the outer forms", async () => {
    const df = spark.createDataFrame([{ id: 1, xs: ["a", "b"], m: new Map([["k", 1]]) }, { id: 2, xs: [], m: new Map() }], "id INT, xs ARRAY<STRING>, m MAP<STRING, INT>");
    assert.deepEqual(await df.select("id", F.explode("xs").alias("x")).collect(), [{ id: 1, x: "a" }, { id: 1, x: "b" }]);
    assert.deepEqual(await df.select("id", F.explodeOuter("xs")).collect(), [{ id: 1, col: "a" }, { id: 1, col: "b" }, { id: 2, col: null }]);
    assert.deepEqual(await df.select(F.posexplode("xs")).collect(), [{ pos: 0, col: "a" }, { pos: 1, col: "b" }]);
    assert.deepEqual(await df.selectExpr("explode(m) AS (k, v)").collect(), [{ k: "k", v: 1 }]);
    assert.throws(() => df.select(F.upper(F.explode("xs"))), { code: "UNSUPPORTED_GENERATOR" });
  });

  it("writes with save modes", async () => {
    const dir = `${tempDir()}/out`;
    await people.write.json(dir);
    await assert.rejects(people.write.json(dir), { code: "PATH_ALREADY_EXISTS" });
    await people.write.mode("append").json(dir);
    assert.equal(await spark.read.schema("name STRING").json(dir).count(), 6);
    await people.write.mode("overwrite").json(dir);
    assert.equal(await spark.read.schema("name STRING").json(dir).count(), 3);
    await people.write.mode("ignore").json(dir);
    assert.equal(await spark.read.schema("name STRING").json(dir).count(), 3);
  });
});
