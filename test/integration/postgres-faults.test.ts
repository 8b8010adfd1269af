import assert from "node:assert/strict";
import { codedError, closedPort } from "../support/fault-errors.js";
import { after, before, describe, it } from "node:test";
import { MemoryStream } from "../../src/index.js";
import { pgProps, sql, tableName } from "../support/postgres.js";
import { testSession } from "../support/session.js";
import { tempDir } from "../support/stream-test.js";
import { TcpProxy } from "../support/tcp-proxy.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pgPort = (): number => Number(process.env["SLUICE_PG_PORT"]);

describe("PostgreSQL faults (a closed port, wrong credentials, the server behind a TCP proxy)", () => {
  const spark = testSession();
  let proxy: TcpProxy;
  before(async () => { proxy = await TcpProxy.start(pgPort()); });
  after(async () => { await proxy.close(); });
  const viaProxy = () => `jdbc:postgresql://127.0.0.1:${proxy.port}/sluice`;

  it("nothing listening: JDBC_UNREACHABLE naming the endpoint, retryable, after the loginTimeout's retries (not a raw ECONNREFUSED)", async () => {
    const port = await closedPort();
    const started = Date.now();
    const e = (() => { try { spark.read.jdbc(`jdbc:postgresql://127.0.0.1:${port}/sluice`, "t", { ...pgProps, loginTimeout: "1" }); return undefined; } catch (err) { return err; } })();
    const err = codedError(e, "JDBC_");
    assert.equal(err.code, "JDBC_UNREACHABLE");
    assert.equal(err.params["endpoint"], `127.0.0.1:${port}/sluice`);
    assert.equal(err.retryable, true);
    assert.ok(Number(err.params["attempts"]) > 1);
    assert.ok(Date.now() - started < 10_000);
  });

  it("a wrong password: JDBC_AUTHENTICATION_FAILED at once, not retried", () => {
    const e = (() => { try { spark.read.jdbc(viaProxy(), "t", { user: "sluice", password: "wrong" }); return undefined; } catch (err) { return err; } })();
    const err = codedError(e, "JDBC_");
    assert.equal(err.code, "JDBC_AUTHENTICATION_FAILED");
    assert.equal(err.params["attempts"], 1);
    assert.equal(err.retryable, false);
    assert.doesNotMatch(err.message, /wrong/);
  });

  it("a stalled server: JDBC_TIMEOUT naming the endpoint after connectTimeout/loginTimeout, instead of hanging", { timeout: 30_000 }, async () => {
    const table = tableName("stall");
    await sql(`CREATE TABLE ${table} (id INT)`);
    await proxy.stall();
    try {
      const started = Date.now();
      const e = await spark.createDataFrame([{ id: 1 }], "id INT").write.jdbc(viaProxy(), table, "append", { ...pgProps, connectTimeout: "1", loginTimeout: "2" }).then(() => undefined, (err: unknown) => err);
      const err = codedError(e, "JDBC_");
      assert.equal(err.code, "JDBC_TIMEOUT");
      assert.equal(err.params["endpoint"], `127.0.0.1:${proxy.port}/sluice`);
      assert.ok(Date.now() - started < 8000, `${Date.now() - started} ms`);
    } finally {
      await proxy.restore();
    }
    assert.deepEqual(await sql(`SELECT count(*)::int AS n FROM ${table}`), [{ n: 0 }]);
  });

  it("a statement slower than queryTimeout: JDBC_TIMEOUT, retried within loginTimeout", { timeout: 30_000 }, async () => {
    const df = spark.read.format("jdbc").option("url", viaProxy()).option("query", "SELECT pg_sleep(5) AS x").options({ ...pgProps, queryTimeout: "1", loginTimeout: "3" }).load();
    const started = Date.now();
    const err = codedError(await df.collect().then(() => undefined, (e: unknown) => e), "JDBC_");
    assert.equal(err.code, "JDBC_TIMEOUT");
    assert.equal(err.retryable, true);
    assert.ok(Date.now() - started < 6000, `${Date.now() - started} ms`);
  });

  it("a stalled read: JDBC_TIMEOUT within loginTimeout, not connectTimeout per try", { timeout: 30_000 }, async () => {
    const table = tableName("stallq");
    await sql(`CREATE TABLE ${table} (id INT)`);
    const df = spark.read.jdbc(viaProxy(), table, { ...pgProps, queryTimeout: "1", loginTimeout: "3" });
    await proxy.stall();
    try {
      const started = Date.now();
      const err = codedError(await df.collect().then(() => undefined, (e: unknown) => e), "JDBC_");
      assert.equal(err.code, "JDBC_TIMEOUT");
      assert.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
    } finally {
      await proxy.restore();
    }
  });

  it("connections reset and dropped (a restart) are retried: the stream goes on when restored, each row written exactly once", { timeout: 60_000 }, async () => {
    const table = tableName("events");
    await sql(`CREATE TABLE ${table} (id INT PRIMARY KEY, v TEXT)`);
    const zones = tableName("zones");
    await sql(`CREATE TABLE ${zones} (id INT, zone TEXT)`);
    await sql(`INSERT INTO ${zones} SELECT g, 'z' || g FROM generate_series(0, 99) g`);
    const lookup = spark.read.jdbc(viaProxy(), zones, { ...pgProps, loginTimeout: "20" });
    const input = MemoryStream.create(spark, "id INT, v STRING");
    const q = await input.toDF().join(lookup, "id").select("id", "v").writeStream.option("checkpointLocation", tempDir()).foreachBatch(async (batch, batchId) => {
      await batch.write.jdbc(viaProxy(), table, "append", { ...pgProps, batchId, loginTimeout: "20" });
    }).start();
    input.addData([{ id: 1, v: "a" }, { id: 2, v: "b" }]);
    await q.processAllAvailable();
    await proxy.resetNext(3); // the next connections are reset as their first bytes arrive
    input.addData([{ id: 3, v: "c" }]);
    await q.processAllAvailable();
    await proxy.drop(); // the server "restarts": connections closed and refused for a while
    input.addData([{ id: 4, v: "d" }, { id: 5, v: "e" }]);
    await sleep(1500);
    await proxy.restore();
    await q.processAllAvailable();
    assert.equal(q.exception(), null);
    await q.stop();
    assert.ok((await proxy.stats()).resets >= 3);
    // An independent reader (pg straight to the server) finds every row exactly once.
    assert.deepEqual(await sql(`SELECT id, v FROM ${table} ORDER BY id`), [1, 2, 3, 4, 5].map((id) => ({ id, v: "abcde"[id - 1] })));
  });
});
