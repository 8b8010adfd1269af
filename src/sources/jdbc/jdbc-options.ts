/**
 * Options of `format("jdbc")` (PostgreSQL), validated as Spark's JDBCOptions: `url` (`jdbc:postgresql://host:port/db`),
 * `dbtable` or `query`, `user`, `password`; for writes `batchsize`, `truncate`, and Sluice's `upsertKeys` and
 * `batchId` / `writerId` (an idempotent write per micro-batch: inside foreachBatch keyed by the query's id and
 * `writerId`, default the table; outside it `writerId` is required — see postgres-relation.ts); deadlines
 * `connectTimeout`, `loginTimeout`, `socketTimeout` (pgjdbc's, also as URL parameters) and Spark's `queryTimeout` (see
 * pg-calls.ts).
 */
import { AnalysisException, SluiceError } from "../../errors/sluice-error.js";

export interface PgConnection {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string | undefined;
  readonly password: string | undefined;
  /** One connection attempt (`connectTimeout`, seconds, default 10). */
  readonly connectTimeoutMs: number;
  /** Getting a connection, retries included (`loginTimeout`, seconds, default 30). */
  readonly loginTimeoutMs: number;
  /** One statement (the smaller of `queryTimeout` and `socketTimeout`, seconds; 0: unbounded). */
  readonly queryTimeoutMs: number;
}

export interface JdbcOptions {
  readonly connection: PgConnection;
  /** What a read selects from: a table name or a parenthesized subquery with an alias. */
  readonly from: string | undefined;
  /** The table a write goes to. */
  readonly table: string | undefined;
  readonly batchSize: number;
  readonly truncate: boolean;
  readonly upsertKeys: readonly string[];
  readonly batchId: number | undefined;
  readonly writerId: string | undefined;
}

function invalid(option: string, message: string): AnalysisException {
  return new AnalysisException("INVALID_OPTION", message, { params: { option } });
}

function get(options: Readonly<Record<string, string>>, name: string): string | undefined {
  const k = Object.keys(options).find((o) => o.toLowerCase() === name.toLowerCase());
  return k === undefined ? undefined : options[k];
}

/** Parses `jdbc:postgresql://host[:port]/database[?user=..&password=..]`. */
export function parsePostgresUrl(url: string): PgConnection {
  const m = /^jdbc:postgresql:\/\/([^/:?]+)(?::(\d+))?\/([^?]+)(?:\?(.*))?$/.exec(url.trim());
  if (m === null) {
    if (/^jdbc:/.test(url)) throw new SluiceError("NOT_IMPLEMENTED", "Only PostgreSQL JDBC URLs (jdbc:postgresql://host:port/database) are supported.", { params: { option: "url" } });
    throw invalid("url", "Option 'url' must be a JDBC URL such as jdbc:postgresql://127.0.0.1:5432/mydb.");
  }
  const params = new URLSearchParams(m[4] ?? "");
  return {
    host: m[1]!, port: Number(m[2] ?? 5432), database: decodeURIComponent(m[3]!), user: params.get("user") ?? undefined, password: params.get("password") ?? undefined,
    ...timeouts((k) => params.get(k) ?? undefined),
  };
}

function seconds(option: string, raw: string | undefined, dflt: number): number {
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw invalid(option, `Invalid value '${raw}' for option '${option}': it must be a non-negative number of seconds.`);
  return Math.round(n * 1000);
}

/** The connection's deadlines from options (or the URL's parameters). */
function timeouts(get: (k: string) => string | undefined): Pick<PgConnection, "connectTimeoutMs" | "loginTimeoutMs" | "queryTimeoutMs"> {
  const bounds = [seconds("queryTimeout", get("queryTimeout"), 0), seconds("socketTimeout", get("socketTimeout"), 0)].filter((t) => t > 0);
  const login = seconds("loginTimeout", get("loginTimeout"), 30_000);
  return {
    connectTimeoutMs: seconds("connectTimeout", get("connectTimeout"), 10_000) || 10_000,
    loginTimeoutMs: login > 0 ? login : 30_000,
    queryTimeoutMs: bounds.length === 0 ? 0 : Math.min(...bounds),
  };
}

export function jdbcOptions(options: Readonly<Record<string, string>>, forWrite: boolean): JdbcOptions {
  const url = get(options, "url");
  if (url === undefined) throw invalid("url", "Option 'url' is required.");
  const base = parsePostgresUrl(url);
  const fromOptions = timeouts((k) => get(options, k));
  const has = (k: string): boolean => get(options, k) !== undefined;
  const connection: PgConnection = {
    ...base, user: get(options, "user") ?? base.user, password: get(options, "password") ?? base.password,
    ...(has("connectTimeout") ? { connectTimeoutMs: fromOptions.connectTimeoutMs } : {}),
    ...(has("loginTimeout") ? { loginTimeoutMs: fromOptions.loginTimeoutMs } : {}),
    ...(has("queryTimeout") || has("socketTimeout") ? { queryTimeoutMs: fromOptions.queryTimeoutMs } : {}),
  };
  const dbtable = get(options, "dbtable"), query = get(options, "query");
  if (dbtable !== undefined && query !== undefined) throw invalid("query", "Both 'dbtable' and 'query' can not be specified at the same time.");
  if (forWrite && dbtable === undefined) throw invalid("dbtable", "Option 'dbtable' is required.");
  if (!forWrite && dbtable === undefined && query === undefined) throw invalid("dbtable", "Option 'dbtable' or 'query' is required.");
  if (query !== undefined && query.trim() === "") throw invalid("query", "Option `query` can not be empty.");
  const batchSize = Number(get(options, "batchsize") ?? 1000);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw invalid("batchsize", `Invalid value \`${get(options, "batchsize")}\` for parameter \`batchsize\`. The minimum value is 1.`);
  const batchIdText = get(options, "batchId");
  if (batchIdText !== undefined && !/^\d+$/.test(batchIdText)) throw invalid("batchId", `Option 'batchId' must be a micro-batch id (a non-negative integer), not '${batchIdText}'.`);
  return {
    connection,
    from: query !== undefined ? `(${query}) AS sluice_query` : dbtable,
    table: dbtable,
    batchSize,
    truncate: (get(options, "truncate") ?? "false").toLowerCase() === "true",
    upsertKeys: (get(options, "upsertKeys") ?? "").split(",").map((k) => k.trim()).filter((k) => k !== ""),
    batchId: batchIdText === undefined ? undefined : Number(batchIdText),
    writerId: get(options, "writerId"),
  };
}
