import assert from "node:assert/strict";
import { rmSync } from "node:fs";
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

  it("idempotent writes are keyed by query: a second query, and the same query on a new checkpoint, write all their batches", async () => {
    const table = tableName("by_query");
    const input = MemoryStream.create(spark, "id INT");
    const run = async (checkpoint: string): Promise<void> => {
      const q = await input.toDF().writeStream.option("checkpointLocation", checkpoint).foreachBatch(async (batch, batchId) => {
        await batch.write.jdbc(pgUrl(), table, "append", { ...pgProps, batchId });
      }).start();
      await q.processAllAvailable();
      await q.stop();
    };
    input.addData([{ id: 1 }]);
    input.addData([{ id: 2 }]);
    await run(tempDir()); // query A: batch 0 holds ids 1 and 2
    await run(tempDir()); // query B (its own checkpoint, so its own id): batch 0 again, the same rows
    const restarted = tempDir();
    await run(restarted);
    input.addData([{ id: 3 }]);
    await run(restarted); // the same query from its checkpoint: only batch 1 is new
    rmSync(restarted, { recursive: true });
    await run(restarted); // a new checkpoint at the same place (as CHECKPOINT_* errors advise): a new query, batches 0 and 1
    assert.deepEqual((await sql(`SELECT id FROM ${table} ORDER BY id`)).map((r) => r["id"]), [1, 1, 1, 1, 2, 2, 2, 2, 3, 3]);
  });

  it("a collision of idempotence keys fails the write instead of skipping it", async () => {
    const a = tableName("key_a"), b = tableName("key_b");
    const input = MemoryStream.create(spark, "id INT");
    input.addData([{ id: 1 }]);
    const fails = async (write: (batch: import("../../src/index.js").DataFrame, batchId: number) => Promise<void>): Promise<unknown> => {
      const q = await input.toDF().writeStream.option("checkpointLocation", tempDir()).foreachBatch(write).start();
      const ended = await q.awaitTermination(20_000).then(() => "still running", () => "failed");
      if (ended !== "failed") await q.stop();
      assert.equal(ended, "failed");
      return (q.exception()!.cause as { code?: string; params?: unknown });
    };
    // One writerId for two tables in one batch.
    assert.equal(((await fails(async (batch, batchId) => {
      await batch.write.jdbc(pgUrl(), a, "append", { ...pgProps, batchId, writerId: "w" });
      await batch.write.jdbc(pgUrl(), b, "append", { ...pgProps, batchId, writerId: "w" });
    })) as { code: string }).code, "INVALID_OPTION");
    // The same table twice in one batch (without writerIds, the second write would silently be skipped).
    assert.equal(((await fails(async (batch, batchId) => {
      await batch.write.jdbc(pgUrl(), a, "append", { ...pgProps, batchId });
      await batch.filter("id > 0").write.jdbc(pgUrl(), a, "append", { ...pgProps, batchId });
    })) as { code: string }).code, "INVALID_OPTION");
    // A batchId that is not the batch being run.
    assert.equal(((await fails(async (batch) => {
      await batch.write.jdbc(pgUrl(), a, "append", { ...pgProps, batchId: 7 });
    })) as { code: string }).code, "INVALID_OPTION");
    // With distinct writerIds both writes of one table are kept.
    const q = await input.toDF().writeStream.option("checkpointLocation", tempDir()).foreachBatch(async (batch, batchId) => {
      await batch.write.jdbc(pgUrl(), b, "append", { ...pgProps, batchId, writerId: "first" });
      await batch.write.jdbc(pgUrl(), b, "append", { ...pgProps, batchId, writerId: "second" });
    }).start();
    await q.processAllAvailable();
    await q.stop();
    assert.equal((await sql(`SELECT count(*)::int AS n FROM ${b}`))[0]!["n"], 2); // the colliding write to b above wrote nothing
  });

  it("outside foreachBatch, batchId needs a writerId, which keys the batch ids", async () => {
    const table = tableName("outside");
    const df = spark.createDataFrame([{ id: 1 }], "id INT");
    await assert.rejects(df.write.jdbc(pgUrl(), table, "append", { ...pgProps, batchId: 0 }), { code: "INVALID_OPTION" });
    const writerId = `loader-${table}`;
    await df.write.jdbc(pgUrl(), table, "append", { ...pgProps, batchId: 0, writerId });
    await df.write.jdbc(pgUrl(), table, "append", { ...pgProps, batchId: 0, writerId }); // a retried load: skipped
    await df.write.jdbc(pgUrl(), table, "append", { ...pgProps, batchId: 1, writerId });
    assert.equal((await sql(`SELECT count(*)::int AS n FROM ${table}`))[0]!["n"], 2);
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
