/**
 * Exact NUMERIC round trips with a real PostgreSQL: DECIMAL(38,10) and BIGINT beyond 2^53 written by Sluice are the
 * server's exact values (read back with pg's own text form, an independent reader), and values the server holds read
 * back into Sluice digit for digit.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Decimal } from "../../src/index.js";
import { pgProps, pgUrl, sql, tableName } from "../support/postgres.js";
import { testSession } from "../support/session.js";

const VALUES = ["1234567890123456789012345678.0123456789", "-0.0000000001", "0.0000000000", "9999999999999999999999999999.9999999999"];

describe("PostgreSQL NUMERIC and BIGINT, exactly", () => {
  it("writes DECIMAL(38,10) and BIGINT exactly and reads the server's values back exactly", async () => {
    const spark = testSession();
    const table = tableName("exact");
    const df = spark.createDataFrame(VALUES.map((v, i) => ({ id: i, d: v, big: 9007199254740993n + BigInt(i) })), "id INT, d DECIMAL(38,10), big BIGINT");
    await df.write.jdbc(pgUrl(), table, "errorifexists", pgProps);
    const server = await sql(`SELECT id, d::text AS d, big::text AS big, format_type(atttypid, atttypmod) AS t FROM ${table}, pg_attribute WHERE attrelid = '${table}'::regclass AND attname = 'd' ORDER BY id`);
    assert.deepEqual(server.map((r) => r["d"]), VALUES);
    assert.deepEqual(server.map((r) => r["big"]), VALUES.map((_, i) => String(9007199254740993n + BigInt(i))));
    assert.equal(server[0]!["t"], "numeric(38,10)");
    await sql(`INSERT INTO ${table} (id, d, big) VALUES (9, 0.1234567891, -9223372036854775808)`);
    const back = await spark.read.jdbc(pgUrl(), table, pgProps).orderBy("id").collect();
    assert.deepEqual(back.map((r) => String(r["d"])), [...VALUES, "0.1234567891"]);
    assert.ok(back.every((r) => r["d"] instanceof Decimal));
    assert.equal(String(back[4]!["big"]), "-9223372036854775808");
  });
});
