/**
 * `spark.read.format("jdbc")` as a batch relation: the schema is read when the DataFrame is created (synchronously,
 * through a worker thread, so `load()` returns a DataFrame as in PySpark), the rows each time the plan runs — so a
 * PostgreSQL table on the static side of a stream-static join is read afresh every micro-batch, as in Spark.
 */
import { createSyncFn } from "synckit";
import { SluiceError } from "../../errors/sluice-error.js";
import { parseDataType } from "../../sql/parser.js";
import { structField, structType, type StructType } from "../../types/data-type.js";
import type { BatchScan } from "../streaming-source.js";
import type { JdbcOptions } from "./jdbc-options.js";
import type { ProbeResult } from "./schema-probe-worker.js";
import { readRows } from "./postgres-relation.js";

let probe: ((opts: JdbcOptions) => ProbeResult) | undefined;

export function jdbcSchema(opts: JdbcOptions): StructType {
  const c = opts.connection;
  // The worker's own bound: the connection budget and one statement, with some slack.
  probe ??= createSyncFn(new URL("./schema-probe-worker.js", import.meta.url).pathname, { timeout: 120_000 });
  let result: ProbeResult;
  try {
    result = probe(opts);
  } catch (e) {
    throw new SluiceError("IO_ERROR", `Reading the columns of ${opts.from} from PostgreSQL at ${c.host}:${c.port}/${c.database} failed: ${(e as Error).message}`, { cause: e, params: { table: opts.from ?? "" } });
  }
  if ("error" in result) {
    const { code, message, params, retryable } = result.error;
    throw new SluiceError(code, `Reading the columns of ${opts.from} failed: ${message}`, { params: { ...params, table: opts.from ?? "" }, retryable });
  }
  const cols = result.columns;
  return structType(cols.map((c) => structField(c.name, parseDataType(c.type), true)));
}

export function jdbcScan(opts: JdbcOptions, schema: StructType, timeZone: string): BatchScan {
  return {
    // Never the URL's credentials: this text reaches explain() and progress.
    description: `JDBCRelation(${opts.from}) [postgresql://${opts.connection.host}:${opts.connection.port}/${opts.connection.database}]`,
    schema,
    read: async () => [[await readRows(opts, schema, timeZone)]],
  };
}
