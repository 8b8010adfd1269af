import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { F, MemoryStream, T } from "../../src/index.js";
import { pgProps, pgUrl, sql, tableName } from "../support/postgres.js";
import { testSession } from "../support/session.js";
import { StreamTest, tempDir } from "../support/stream-test.js";

describe("PostgreSQL through format(jdbc), against a real server", () => {
  const spark = testSession();

  it("writes with Spark's save modes and reads back with the types", async () => {
    const table = tableName("trips");
    const df = spark.createDataFrame([
      { id: 1, big: 9007199254740993n, fare: 12.5, amount: "12.34", name: "a", ok: true, day: "2026-01-02", at: "2026-01-02 03:04:05.123456", raw: "AQI=" },
      { id: 2, big: null, fare: null, amount: null, name: null, ok: null, day: null, at: null, raw: null },
    ].map((r) => r), "id INT, big BIGINT, fare DOUBLE, amount STRING, name STRING, ok BOOLEAN, day STRING, at STRING, raw STRING")
      .select("id", "big", "fare", F.col("amount").cast("decimal(10,2)").alias("amount"), "name", "ok", F.col("day").cast("date").alias("day"),
        F.col("at").cast("timestamp").alias("at"), F.unbase64(F.col("raw")).alias("raw"));
    await df.write.jdbc(pgUrl(), table, "errorifexists", pgProps);
    const back = spark.read.jdbc(pgUrl(), table, pgProps);
    assert.equal(back.schema.fields.map((f) => `${f.name}:${f.dataType.kind}`).join(","), "id:integer,big:long,fare:double,amount:decimal,name:string,ok:boolean,day:date,at:timestamp,raw:binary");
    const rows = await back.orderBy("id").collect();
    assert.deepEqual(rows.map((r) => ({ ...r, raw: r["raw"] === null ? null : [...(r["raw"] as Uint8Array)] })), (await df.orderBy("id").collect()).map((r) => ({ ...r, raw: r["raw"] === null ? null : [...(r["raw"] as Uint8Array)] })));
    await assert.rejects(df.write.jdbc(pgUrl(), table, "errorifexists", pgProps), { code: "TABLE_OR_VIEW_ALREADY_EXISTS" });
    await df.write.jdbc(pgUrl(), table, "ignore", pgProps);
    await df.write.format("jdbc").option("url", pgUrl()).option("dbtable", table).options(pgProps).mode("append").save();
    assert.equal(await spark.read.jdbc(pgUrl(), table, pgProps).count(), 4);
    await df.limit(1).write.jdbc(pgUrl(), table, "overwrite", { ...pgProps, truncate: "true" });
    assert.equal(await spark.read.jdbc(pgUrl(), table, pgProps).count(), 1);
    const q = await spark.read.format("jdbc").option("url", pgUrl()).option("query", `SELECT id * 10 AS x FROM ${table}`).options(pgProps).load().collect();
    assert.deepEqual(q, [{ x: 10 }]);
    const plan = spark.read.jdbc(pgUrl(), table, pgProps).explain(true);
    assert.match(plan, /JDBCRelation/);
    assert.doesNotMatch(plan, /password|sluice@/);
  });

  it("idempotent micro-batch writes: a re-run batch id writes nothing twice; upsertKeys update rows in place", async () => {
    const table = tableName("events");
    await sql(`CREATE TABLE ${table} (id INT PRIMARY KEY, v TEXT)`);
    const input = MemoryStream.create(spark, "id INT, v STRING");
    const checkpoint = tempDir();
    let failOnce = true;
    const start = () => input.toDF().writeStream.option("checkpointLocation", checkpoint).foreachBatch(async (batch, batchId) => {
      await batch.write.jdbc(pgUrl(), table, "append", { ...pgProps, batchId, upsertKeys: "id" });
      await batch.write.jdbc(pgUrl(), `${table}_log`, "append", { ...pgProps, batchId });
      if (batchId === 1 && failOnce) { failOnce = false; throw new Error("crash after the writes of batch 1"); }
    }).start();
    let q = await start();
    input.addData([{ id: 1, v: "a" }, { id: 2, v: "b" }]);
    await q.processAllAvailable();
    input.addData([{ id: 2, v: "B" }, { id: 3, v: "c" }]);
    await assert.rejects(q.awaitTermination(), /crash after the writes of batch 1/);
    q = await start(); // batch 1 runs again: its writes were committed, so they are skipped
    await q.processAllAvailable();
    await q.stop();
    assert.deepEqual(await sql(`SELECT id, v FROM ${table} ORDER BY id`), [{ id: 1, v: "a" }, { id: 2, v: "B" }, { id: 3, v: "c" }]);
    assert.deepEqual((await sql(`SELECT id FROM ${table}_log ORDER BY id`)).map((r) => r["id"]), [1, 2, 2, 3]);
  });

  it("a PostgreSQL table as the static side of a stream-static join is read afresh each micro-batch", async () => {
    const table = tableName("zones");
    await sql(`CREATE TABLE ${table} (zone INT, borough TEXT)`);
    await sql(`INSERT INTO ${table} VALUES (1, 'Manhattan'), (2, 'Queens')`);
    const zones = spark.read.jdbc(pgUrl(), table, pgProps);
    const trips = MemoryStream.create(spark, "trip INT, zone INT");
    const t = new StreamTest(spark, trips.toDF().join(zones, "zone").select("trip", "borough"));
    await t.start();
    trips.addData([{ trip: 1, zone: 1 }, { trip: 2, zone: 3 }]);
    await t.processAllAvailable();
    await sql(`INSERT INTO ${table} VALUES (3, 'Brooklyn')`);
    trips.addData([{ trip: 3, zone: 3 }]);
    await t.checkAnswer([{ trip: 1, borough: "Manhattan" }, { trip: 3, borough: "Brooklyn" }]);
    assert.doesNotMatch(t.current.explain(), /password|sluice@/);
    await t.stop();
  });

  it("rejects bad options as Spark does", () => {
    assert.throws(() => spark.read.format("jdbc").option("dbtable", "t").load(), { message: /Option 'url' is required/ });
    assert.throws(() => spark.read.format("jdbc").option("url", pgUrl()).load(), { message: /Option 'dbtable' or 'query' is required/ });
    assert.throws(() => spark.read.format("jdbc").option("url", pgUrl()).option("dbtable", "t").option("query", "select 1").load(), { message: /Both 'dbtable' and 'query' can not be specified/ });
    assert.throws(() => spark.read.jdbc("jdbc:mysql://h/db", "t"), { code: "NOT_IMPLEMENTED" });
    assert.throws(() => spark.read.jdbc(pgUrl(), "no_such_table_here", pgProps), { code: "IO_ERROR", message: /no_such_table_here/ });
    void T;
  });
});
