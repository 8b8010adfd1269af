/**
 * Connections to PostgreSQL with deadlines, retries and coded errors, in the pattern of KafkaCalls: a connection that
 * is refused, reset or closed by a restarting server (SQLSTATE 57P01-57P03, class 08) is retried with exponential
 * backoff until the connection budget is spent; a read (idempotent) is retried whole; what finally fails is a coded
 * error naming the endpoint and the real cause. An authentication failure (SQLSTATE class 28) is never retried.
 *
 * Settings are PostgreSQL JDBC's and Spark's options, in seconds: `connectTimeout` (10, one connection attempt),
 * `loginTimeout` (30 in Sluice; 0 in pgjdbc means unbounded: the time to get a connection, its retries included),
 * `socketTimeout` (0: none) and Spark's `queryTimeout` (0: none) bound one statement.
 */
import { SluiceError, type ErrorParams } from "../../errors/sluice-error.js";
import type { PgConnection } from "./jdbc-options.js";

export type PgFailureKind = "authentication" | "unreachable" | "timeout" | "notFound" | "other";

export interface PgFailure { readonly kind: PgFailureKind; readonly retryable: boolean; readonly reason: string }

interface PgError { message?: string; code?: unknown; errors?: unknown; cause?: unknown }

function chain(e: unknown, out: PgError[] = [], depth = 0): PgError[] {
  if (e === null || typeof e !== "object" || depth > 8) return out;
  const c = e as PgError;
  out.push(c);
  if (Array.isArray(c.errors)) for (const x of c.errors) chain(x, out, depth + 1);
  if (c.cause !== undefined) chain(c.cause, out, depth + 1);
  return out;
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EPIPE", "ECONNABORTED"]);
const RESTARTING = new Set(["57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006"]);

/** What went wrong, read from the pg client's error. */
export function pgFailure(e: unknown): PgFailure {
  const all = chain(e);
  const msg = (c: PgError): string => String(c.message ?? "");
  const code = (c: PgError): string => String(c.code ?? "");
  const auth = all.find((c) => code(c).startsWith("28") || /password authentication failed|SASL|client password must be a string|no pg_hba\.conf entry/i.test(msg(c)));
  if (auth !== undefined) return { kind: "authentication", retryable: false, reason: `authentication failed: ${msg(auth)}` };
  const timeout = all.find((c) => code(c) === "ETIMEDOUT" || code(c) === "57014" || /timeout expired|Query read timeout|timed out/i.test(msg(c)));
  if (timeout !== undefined) return { kind: "timeout", retryable: true, reason: `timed out: ${msg(timeout)}` };
  const net = all.find((c) => NETWORK_CODES.has(code(c)) || RESTARTING.has(code(c)) || /Connection terminated|connection ended unexpectedly|ECONNRESET|ECONNREFUSED|socket hang up/i.test(msg(c)));
  if (net !== undefined) return { kind: "unreachable", retryable: true, reason: `unreachable: ${NETWORK_CODES.has(code(net)) || RESTARTING.has(code(net)) ? `${code(net)} ` : ""}${msg(net)}`.trim() };
  const db = all.find((c) => code(c) === "3D000");
  if (db !== undefined) return { kind: "notFound", retryable: false, reason: `not found: ${msg(db)}` };
  return { kind: "other", retryable: false, reason: msg(all[0] ?? {}) || String(e) };
}

export const endpointOf = (c: PgConnection): string => `${c.host}:${c.port}/${c.database}`;

/** The coded error for a PostgreSQL call that failed for good (never a password in it: pg's messages hold none). */
export function pgError(c: PgConnection, operation: string, failure: PgFailure, cause: unknown, attempts: number, elapsedMs: number, extra: ErrorParams = {}): SluiceError {
  const endpoint = endpointOf(c);
  const params = { endpoint, operation, reason: failure.reason, attempts, elapsedMs, retryable: failure.retryable, ...extra };
  const tries = attempts > 1 ? ` after ${attempts} attempts in ${elapsedMs} ms` : "";
  const opts = { cause, params, retryable: failure.retryable, domain: "external" as const };
  switch (failure.kind) {
    case "authentication":
      return new SluiceError("JDBC_AUTHENTICATION_FAILED", `PostgreSQL ${operation} at ${endpoint} failed: ${failure.reason}. Check the user and password options; not retried.`, opts);
    case "unreachable":
      return new SluiceError("JDBC_UNREACHABLE", `PostgreSQL ${operation} failed${tries}: ${endpoint} is ${failure.reason}. Check the url and that the server runs.`, opts);
    case "timeout":
      return new SluiceError("JDBC_TIMEOUT", `PostgreSQL ${operation} at ${endpoint} ${failure.reason}${tries}; raise connectTimeout / loginTimeout / queryTimeout if the server is slow.`, opts);
    default:
      return new SluiceError("IO_ERROR", `PostgreSQL ${operation} at ${endpoint} failed${tries}: ${failure.reason}.`, opts);
  }
}

/**
 * Runs `attempt` (given the time left of the budget) until it succeeds, a failure is not retryable, or `budgetMs` is spent (backoff 100 ms doubling to
 * 1 s, each retry logged); then throws the coded error. SluiceErrors (the caller's own) pass through.
 */
export async function retryPg<T>(c: PgConnection, operation: string, budgetMs: number, attempt: (leftMs: number) => Promise<T>, extra: ErrorParams = {}): Promise<T> {
  const started = Date.now();
  let delay = 100;
  for (let n = 1; ; n++) {
    try {
      return await attempt(Math.max(1, budgetMs - (Date.now() - started)));
    } catch (e) {
      if (e instanceof SluiceError) throw e;
      const failure = pgFailure(e);
      const left = budgetMs - (Date.now() - started);
      if (!failure.retryable || left <= delay) throw pgError(c, operation, failure, e, n, Date.now() - started, extra);
      console.warn(`[sluice] PostgreSQL ${operation} at ${endpointOf(c)} failed (${failure.reason}); retry ${n} in ${delay} ms, ${left} ms left of ${budgetMs} ms`);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 1000);
    }
  }
}

/** The coded form of a failure that is not retried here (a write's statement): SluiceErrors pass through. */
export function asPgError(c: PgConnection, operation: string, e: unknown): unknown {
  if (e instanceof SluiceError) return e;
  const failure = pgFailure(e);
  return failure.kind === "other" ? e : pgError(c, operation, failure, e, 1, 0);
}
