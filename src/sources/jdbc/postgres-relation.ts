/**
 * Reads and writes PostgreSQL tables for `format("jdbc")`: the schema of a table or query, its rows as a batch, and
 * batch writes with Spark's save modes, optional upserts (`upsertKeys`), and idempotent micro-batch writes: with
 * `batchId`, the rows and a marker row commit in one transaction, so a re-run batch writes nothing twice. The marker
 * table, created on first use:
 *
 *     sluice_batch_commits (query_id, writer, batch_id, target_table, written_at)   PRIMARY KEY (query_id, writer, batch_id)
 *
 * Inside foreachBatch, `query_id` is the streaming query's id (stable across restarts from one checkpoint; a new
 * checkpoint is a new query that writes its batches again) and `writer` is the option `writerId`, by default the
 * table. Outside foreachBatch `query_id` is empty and `writerId` is required. A key that is already used by another
 * table, or twice in one run of a batch, fails the write (INVALID_OPTION) instead of skipping it.
 */
import { formatUnscaled, textToUnscaled } from "../../types/decimal.js";
import type { DataType, DecimalType } from "../../types/data-type.js";
import pg from "pg";
import { RecordBatch } from "../../columnar/record-batch.js";
import { AnalysisException } from "../../errors/sluice-error.js";
import { currentMicroBatch } from "./micro-batch-context.js";
import { crashPoint } from "../../streaming/crash-points.js";
import { formatDate, stringToDate, stringToTimestamp } from "../../types/datetime.js";
import { structField, structType, type StructType } from "../../types/data-type.js";
import type { JdbcOptions, PgConnection } from "./jdbc-options.js";
import { asPgError, retryPg } from "./pg-calls.js";
import { postgresType, sluiceType } from "./postgres-types.js";

/** Text parsers for the types Sluice converts itself (exact int8/numeric, time zones, dates). */
const RAW_TEXT = new Set([20, 1700, 1082, 1114, 1184, 17]);
const rawTypes = {
  getTypeParser: ((oid: number, format?: string) => (RAW_TEXT.has(oid) ? (v: string) => v : pg.types.getTypeParser(oid, format as "text"))) as typeof pg.types.getTypeParser,
};

/** A connection, retried while the server is unreachable or restarting (within `loginTimeout`); see pg-calls.ts. */
async function connect(c: PgConnection): Promise<pg.Client> {
  return retryPg(c, "connect", c.loginTimeoutMs, async (leftMs) => {
    const client = new pg.Client({
      host: c.host, port: c.port, database: c.database, user: c.user, password: c.password, types: rawTypes,
      connectionTimeoutMillis: Math.min(c.connectTimeoutMs, leftMs), ...(c.queryTimeoutMs > 0 ? { query_timeout: c.queryTimeoutMs } : {}),
    });
    client.on("error", () => undefined); // a connection lost while idle fails its next query, not the process
    try { await client.connect(); } catch (e) { void endClient(client); throw e; }
    return client;
  });
}

/** Closes the connection, dropping it if the server does not answer within a second (a stalled network). */
async function endClient(client: pg.Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const ended = await Promise.race([
    client.end().then(() => true, () => true),
    new Promise<boolean>((r) => { timer = setTimeout(() => r(false), 1000); }),
  ]);
  clearTimeout(timer);
  if (!ended) (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

/**
 * Runs `f` on a fresh connection. Failures become coded errors (JDBC_UNREACHABLE, JDBC_TIMEOUT,
 * JDBC_AUTHENTICATION_FAILED, ...) naming the endpoint; an `idempotent` call (a read) is retried whole on a transient
 * failure, any other only while connecting (nothing was sent yet).
 */
export async function withClient<T>(c: PgConnection, f: (client: pg.Client) => Promise<T>, opts: { idempotent?: boolean; operation?: string } = {}): Promise<T> {
  const operation = opts.operation ?? "write";
  const once = async (): Promise<T> => {
    const client = await connect(c);
    try { return await f(client); } catch (e) { throw opts.idempotent === true ? e : asPgError(c, operation, e); } finally { await endClient(client); }
  };
  return opts.idempotent === true ? retryPg(c, operation, c.loginTimeoutMs, once) : once();
}

/** The columns of what `from` selects (a table, or `(query) AS alias`). */
export async function probeSchema(opts: JdbcOptions): Promise<StructType> {
  return withClient(opts.connection, async (client) => {
    const res = await client.query(`SELECT * FROM ${opts.from} LIMIT 0`);
    return structType(res.fields.map((f) => structField(f.name, sluiceType(f.dataTypeID, f.dataTypeModifier), true)));
  }, { idempotent: true, operation: `schema of ${opts.from}` });
}

function fromText(text: string | null, oid: number, t: DataType, timeZone: string): unknown {
  const kind = t.kind;
  if (text === null) return null;
  switch (oid) {
    case 20: { const n = BigInt(text); return n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n; }
    case 1700: return kind === "decimal" ? textToUnscaled(text, (t as DecimalType).scale) : text;
    case 1082: return stringToDate(text);
    case 1114: return stringToTimestamp(text, timeZone); // without time zone: read in the session time zone, as Spark
    case 1184: return stringToTimestamp(text, "UTC"); // with its offset, e.g. 2026-01-02 03:04:05.123456+00
    case 17: return new Uint8Array(Buffer.from(text.slice(2), "hex"));
    default: return text;
  }
}

/** All rows of `from`, as one batch of `schema`. */
export async function readRows(opts: JdbcOptions, schema: StructType, timeZone: string): Promise<RecordBatch> {
  return withClient(opts.connection, async (client) => {
    const res = await client.query({ text: `SELECT * FROM ${opts.from}`, rowMode: "array" });
    if (res.fields.length !== schema.fields.length) throw new AnalysisException("INVALID_OPTION", `The columns of ${opts.from} changed since the DataFrame was created; create it again.`, {});
    const oids = res.fields.map((f) => f.dataTypeID);
    const rows = (res.rows as unknown[][]).map((r) => r.map((v, i) => (RAW_TEXT.has(oids[i]!) ? fromText(v as string | null, oids[i]!, schema.fields[i]!.dataType, timeZone) : v)));
    return RecordBatch.fromRows(schema, rows);
  }, { idempotent: true, operation: `read of ${opts.from}` });
}

const quote = (name: string): string => `"${name.replace(/"/g, "\"\"")}"`;

function toParam(v: unknown, kind: string, t?: DataType): unknown {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case "timestamp": case "timestamp_ntz": {
      const micros = v as number, ms = Math.floor(micros / 1000);
      return `${new Date(ms).toISOString().slice(0, 19)}.${String(micros - Math.floor(micros / 1_000_000) * 1_000_000).padStart(6, "0")}${kind === "timestamp" ? "Z" : ""}`;
    }
    case "date": return formatDate(v as number);
    case "long": return String(v);
    case "decimal": return formatUnscaled(v as bigint, (t as DecimalType).scale);
    case "binary": return Buffer.from(v as Uint8Array);
    default: return v;
  }
}

interface BatchKey { readonly queryId: string; readonly writer: string }

function collision(key: BatchKey, batchId: number, table: string, why: string): AnalysisException {
  return new AnalysisException("INVALID_OPTION",
    `The idempotent write of batch ${batchId} to ${table} has the key (query ${key.queryId || "(none)"}, writer '${key.writer}') of another write: ${why}. Give each write of a batch its own 'writerId'.`,
    { params: { option: "writerId", writerId: key.writer, queryId: key.queryId, batchId, table } });
}

/** The marker key of an idempotent write (see the file comment); claims it for this run of the batch. */
function batchKey(opts: JdbcOptions, table: string): BatchKey {
  const batch = currentMicroBatch();
  const batchId = opts.batchId!;
  if (batch === undefined) {
    if (opts.writerId === undefined) {
      throw new AnalysisException("INVALID_OPTION", "Option 'batchId' outside foreachBatch needs option 'writerId': a name of this writer, unique and stable across its restarts, that keys its batch ids.", { params: { option: "writerId" } });
    }
    return { queryId: "", writer: opts.writerId };
  }
  if (batch.batchId !== batchId) {
    throw new AnalysisException("INVALID_OPTION", `Option 'batchId' is ${batchId}, but foreachBatch is running batch ${batch.batchId}; pass the batch id foreachBatch gives.`, { params: { option: "batchId", value: batchId, current: batch.batchId } });
  }
  const key = { queryId: batch.queryId, writer: opts.writerId ?? table };
  if (batch.writers.has(key.writer)) throw collision(key, batchId, table, "this batch already wrote under it");
  batch.writers.add(key.writer);
  return key;
}

export type WriteMode = "append" | "overwrite" | "error" | "errorifexists" | "ignore";

/**
 * Writes `data` into the table with Spark's save modes (the table is created from the data's schema when missing;
 * overwrite drops and re-creates it, or truncates it with `truncate`). Returns the rows written (0 when a `batchId`
 * was already written, or mode ignore found the table).
 */
export async function writeRows(opts: JdbcOptions, data: RecordBatch, mode: WriteMode): Promise<number> {
  const table = opts.table!;
  const cols = data.schema.fields;
  const ddl = `CREATE TABLE ${table} (${cols.map((f) => `${quote(f.name)} ${postgresType(f.dataType)}`).join(", ")})`;
  const key = opts.batchId === undefined ? undefined : batchKey(opts, table);
  return withClient(opts.connection, async (client): Promise<number> => {
    await client.query("BEGIN");
    try {
      const exists = (await client.query("SELECT to_regclass($1) IS NOT NULL AS e", [table])).rows[0].e as boolean;
      if (exists && (mode === "error" || mode === "errorifexists")) throw new AnalysisException("TABLE_OR_VIEW_ALREADY_EXISTS", `Table or view '${table}' already exists. SaveMode: ErrorIfExists.`, { params: { relationName: table } });
      if (exists && mode === "ignore") { await client.query("ROLLBACK"); return 0; }
      if (key !== undefined) {
        await client.query("CREATE TABLE IF NOT EXISTS sluice_batch_commits (query_id TEXT NOT NULL, writer TEXT NOT NULL, batch_id BIGINT NOT NULL, target_table TEXT NOT NULL, written_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (query_id, writer, batch_id))");
        const fresh = await client.query("INSERT INTO sluice_batch_commits (query_id, writer, batch_id, target_table) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1", [key.queryId, key.writer, opts.batchId!, table]);
        if (fresh.rowCount === 0) {
          const before = (await client.query("SELECT target_table FROM sluice_batch_commits WHERE query_id = $1 AND writer = $2 AND batch_id = $3", [key.queryId, key.writer, opts.batchId])).rows[0]?.target_table as string | undefined;
          if (before !== undefined && before !== table) throw collision(key, opts.batchId!, table, `it was used for table ${before}`);
          await client.query("ROLLBACK");
          return 0; // this batch was written before, by this writer of this query
        }
      }
      if (exists && mode === "overwrite") {
        if (opts.truncate) await client.query(`TRUNCATE TABLE ${table}`);
        else { await client.query(`DROP TABLE ${table}`); await client.query(ddl); }
      } else if (!exists) await client.query(ddl);
      const kinds = cols.map((f) => f.dataType.kind);
      const names = cols.map((f) => quote(f.name)).join(", ");
      const conflict = opts.upsertKeys.length === 0 ? "" : ` ON CONFLICT (${opts.upsertKeys.map(quote).join(", ")}) DO ${
        cols.some((f) => !opts.upsertKeys.includes(f.name)) ? `UPDATE SET ${cols.filter((f) => !opts.upsertKeys.includes(f.name)).map((f) => `${quote(f.name)} = EXCLUDED.${quote(f.name)}`).join(", ")}` : "NOTHING"}`;
      const per = Math.max(1, Math.min(opts.batchSize, Math.floor(60000 / Math.max(1, cols.length))));
      const rows = [...data.rows()];
      for (let i = 0; i < rows.length; i += per) {
        const chunk = rows.slice(i, i + per);
        const params: unknown[] = [];
        const values = chunk.map((r) => `(${r.map((v, c) => { params.push(toParam(v, kinds[c]!, cols[c]!.dataType)); return `$${params.length}`; }).join(", ")})`);
        await client.query(`INSERT INTO ${table} (${names}) VALUES ${values.join(", ")}${conflict}`, params);
        if (i === 0) crashPoint("mid-sink", currentMicroBatch()?.batchId); // the first chunk inserted, not committed
      }
      await client.query("COMMIT");
      return rows.length;
    } catch (e) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw e;
    }
  }).catch((e: unknown) => {
    if (key !== undefined) currentMicroBatch()?.writers.delete(key.writer); // nothing was written: a retry may claim it again
    throw e;
  });
}
