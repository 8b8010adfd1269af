/**
 * Every S3 request Sluice makes goes through `S3Calls.run`: each attempt is bounded by a deadline, a transient failure
 * (the endpoint unreachable or resetting the connection, a 5xx answer, throttling, no answer in time) is retried with
 * exponential backoff up to the configured attempts, each retry logged and counted, and what finally fails is a coded
 * error naming the endpoint, the operation, the path and the real cause. Authentication and permission failures are
 * never retried.
 *
 * The settings are Hadoop S3A's (`spark.hadoop.fs.s3a.*` or `fs.s3a.*`), durations in milliseconds or with a unit
 * (`30s`, `2m`), with S3A's defaults: `connection.establish.timeout` (30 s, connecting), `connection.timeout` (200 s,
 * a socket idle between bytes), `connection.request.timeout` (60 s, one whole attempt), `attempts.maximum` (5
 * attempts), `retry.interval` (500 ms, the first backoff, doubling), `retry.throttle.interval` (1 s, the first backoff
 * after throttling).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { SluiceError, type ErrorParams } from "../errors/sluice-error.js";

/**
 * The cancellation of the calls made inside a scope (a streaming query's loop): when its signal fires, the attempt in
 * flight is aborted and the call rejects with `S3CallCancelled`, so stopping a query never waits out a stalled store.
 */
export const s3CallScope = new AsyncLocalStorage<AbortSignal>();

/** A call given up because its scope was cancelled (the query is stopping). */
export class S3CallCancelled extends Error {
  constructor(readonly operation: string, readonly path: string) { super(`S3 ${operation} of ${path} cancelled: the query is stopping`); this.name = "S3CallCancelled"; }
}

export interface S3Timeouts {
  readonly connectTimeoutMs: number;
  readonly socketTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxAttempts: number;
  readonly retryIntervalMs: number;
  readonly throttleIntervalMs: number;
}

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A Hadoop time duration (`getTimeDuration`): a number of ms, or a number with a unit (ns us ms s m h d). */
export function hadoopDurationMs(key: string, raw: string | undefined, dflt: number): number {
  if (raw === undefined) return dflt;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|ms|s|m|h|d)?\s*$/i.exec(raw);
  if (m === null) throw new SluiceError("INVALID_OPTION", `Invalid value '${raw}' for ${key}: use a duration such as 60000, 60s or 1m.`, { params: { option: key } });
  return Math.round(Number(m[1]) * UNITS[(m[2] ?? "ms").toLowerCase()]!);
}

export function s3Timeouts(conf: (k: string) => string | undefined): S3Timeouts {
  const d = (k: string, dflt: number): number => hadoopDurationMs(`fs.s3a.${k}`, conf(k), dflt);
  const attemptsRaw = conf("attempts.maximum");
  const maxAttempts = attemptsRaw === undefined ? 5 : Number(attemptsRaw);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new SluiceError("INVALID_OPTION", `Invalid value '${attemptsRaw}' for fs.s3a.attempts.maximum: it must be a positive integer.`, { params: { option: "fs.s3a.attempts.maximum" } });
  const requestTimeoutMs = d("connection.request.timeout", 60_000);
  return {
    connectTimeoutMs: d("connection.establish.timeout", 30_000),
    socketTimeoutMs: d("connection.timeout", 200_000),
    // S3A's 0 means "no request timeout"; Sluice always bounds an attempt, so 0 falls back to the socket timeout.
    requestTimeoutMs: requestTimeoutMs > 0 ? requestTimeoutMs : d("connection.timeout", 200_000),
    maxAttempts,
    retryIntervalMs: d("retry.interval", 500),
    throttleIntervalMs: d("retry.throttle.interval", 1000),
  };
}

export type S3FailureKind = "authentication" | "accessDenied" | "notFound" | "unreachable" | "timeout" | "throttled" | "server" | "other";

/** What went wrong, read from the SDK's error. */
export interface S3Failure {
  readonly kind: S3FailureKind;
  readonly retryable: boolean;
  readonly reason: string;
}

/** An attempt ran past its deadline. */
export class S3DeadlineExceeded extends Error {
  constructor(readonly afterMs: number) { super(`no answer within ${afterMs} ms`); this.name = "S3DeadlineExceeded"; }
}

interface SdkError { name?: string; message?: string; code?: unknown; Code?: unknown; $metadata?: { httpStatusCode?: number }; cause?: unknown; errors?: unknown }

function chain(e: unknown, out: SdkError[] = [], depth = 0): SdkError[] {
  if (e === null || typeof e !== "object" || depth > 8) return out;
  const c = e as SdkError;
  out.push(c);
  if (Array.isArray(c.errors)) for (const x of c.errors) chain(x, out, depth + 1);
  if (c.cause !== undefined) chain(c.cause, out, depth + 1);
  return out;
}

export const s3Status = (e: unknown): number | undefined => (e as SdkError | undefined)?.$metadata?.httpStatusCode;

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EPIPE", "ECONNABORTED", "UND_ERR_SOCKET"]);
const AUTH_NAMES = new Set(["InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken", "InvalidClientTokenId", "CredentialsProviderError", "AuthorizationHeaderMalformed"]);
const THROTTLE_NAMES = new Set(["SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequests", "TooManyRequestsException", "RequestThrottled"]);

export function s3Failure(e: unknown): S3Failure {
  const all = chain(e);
  const top = all[0] ?? {};
  const status = s3Status(e);
  const name = String(top.name ?? top.Code ?? "");
  const msg = (c: SdkError): string => String(c.message ?? "");
  const detail = msg(top) !== "" && msg(top) !== name && msg(top) !== "UnknownError" ? `${name}: ${msg(top)}` : name;
  if (all.some((c) => c instanceof S3DeadlineExceeded || c.name === "AbortError" || c.name === "TimeoutError" || c.code === "ETIMEDOUT" || c.code === "UND_ERR_CONNECT_TIMEOUT")) {
    const d = all.find((c) => c instanceof S3DeadlineExceeded) ?? all.find((c) => c.name === "TimeoutError") ?? top;
    return { kind: "timeout", retryable: true, reason: `timed out: ${msg(d)}` };
  }
  if (AUTH_NAMES.has(name) || status === 401) return { kind: "authentication", retryable: false, reason: `authentication failed: ${detail}` };
  if (status === 403) {
    // A HEAD's 403 has no body to tell a bad key from a missing permission.
    return { kind: "accessDenied", retryable: false, reason: name === "AccessDenied" ? `access denied: ${detail}` : `access denied (HTTP 403${name !== "" && name !== "UnknownError" && name !== "Forbidden" ? `, ${name}` : ""}: wrong credentials or no permission)` };
  }
  if (name === "NoSuchBucket") return { kind: "notFound", retryable: false, reason: `not found: ${detail}` };
  if (status === 429 || status === 503 && /slow ?down/i.test(name + msg(top)) || THROTTLE_NAMES.has(name)) return { kind: "throttled", retryable: true, reason: `throttled: ${detail}` };
  if (status !== undefined && status >= 500) return { kind: "server", retryable: true, reason: `server error (HTTP ${status}): ${detail}` };
  if (status === 409 && name === "ConditionalRequestConflict") return { kind: "server", retryable: true, reason: `conflicting conditional request: ${detail}` };
  const net = all.find((c) => NETWORK_CODES.has(String(c.code)) || /socket hang up|ECONNRESET|ECONNREFUSED|other side closed/i.test(msg(c)));
  if (net !== undefined) return { kind: "unreachable", retryable: true, reason: `unreachable: ${String(net.code ?? "")}${net.code !== undefined ? " " : ""}${msg(net)}`.trim() };
  return { kind: "other", retryable: false, reason: detail !== "" ? detail : String(e) };
}

/**
 * Rejects with `S3DeadlineExceeded` (and aborts the attempt) when `f` has not settled within `timeoutMs`, or with
 * `cancelled()` as soon as `cancel` fires.
 */
export async function withAbortDeadline<T>(f: (signal: AbortSignal) => Promise<T>, timeoutMs: number, cancel?: AbortSignal, cancelled?: () => Error): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onCancel: (() => void) | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => { controller.abort(); reject(new S3DeadlineExceeded(timeoutMs)); }, Math.max(1, timeoutMs));
    if (cancel !== undefined) cancel.addEventListener("abort", onCancel = () => { controller.abort(); reject(cancelled?.() ?? new Error("cancelled")); }, { once: true });
  });
  const p = f(controller.signal);
  p.catch(() => undefined); // a late failure of an abandoned attempt must not surface as an unhandled rejection
  try { return await Promise.race([p, expired]); } finally { clearTimeout(timer); if (onCancel !== undefined) cancel!.removeEventListener("abort", onCancel); }
}

/** A call in flight, as the query's status shows it when it takes long. */
export interface S3CallInFlight { readonly operation: string; readonly path: string; readonly startedMs: number; attempt: number; lastFailure?: string }

/** Statuses that the callers handle themselves (a missing object, a failed create-if-absent). */
const PASSED_THROUGH = new Set([404, 412]);

export class S3Calls {
  /** Retries so far (shown in the progress metrics as objectStoreRetries). */
  retries = 0;
  readonly inFlight = new Set<S3CallInFlight>();

  constructor(readonly endpoint: string, readonly timeouts: S3Timeouts, private readonly count: (op: string) => void) {}

  async run<T>(operation: string, path: string, attempt: (signal: AbortSignal) => Promise<T>, opts: { attemptMs?: number; params?: ErrorParams } = {}): Promise<T> {
    const call: S3CallInFlight = { operation, path, startedMs: Date.now(), attempt: 0 };
    const cancel = s3CallScope.getStore();
    const cancelled = (): Error => new S3CallCancelled(operation, path);
    this.inFlight.add(call);
    let delay = this.timeouts.retryIntervalMs;
    try {
      for (let n = 1; ; n++) {
        if (cancel?.aborted === true) throw cancelled();
        call.attempt = n;
        this.count(operation);
        try {
          return await withAbortDeadline(attempt, opts.attemptMs ?? this.timeouts.requestTimeoutMs, cancel, cancelled);
        } catch (e) {
          if (e instanceof S3CallCancelled || e instanceof SluiceError || PASSED_THROUGH.has(s3Status(e) ?? 0) && s3Failure(e).kind !== "notFound") throw e;
          const failure = s3Failure(e);
          call.lastFailure = failure.reason;
          if (!failure.retryable || n >= this.timeouts.maxAttempts) throw this.failed(operation, path, failure, e, n, Date.now() - call.startedMs, opts.params);
          const wait = failure.kind === "throttled" ? Math.max(delay, this.timeouts.throttleIntervalMs) : delay;
          this.retries++;
          console.warn(`[sluice] S3 ${operation} of ${path} at ${this.endpoint} failed (${failure.reason}); retry ${n} of ${this.timeouts.maxAttempts - 1} in ${wait} ms`);
          await new Promise<void>((r) => {
            const t = setTimeout(done, wait);
            function done(): void { clearTimeout(t); cancel?.removeEventListener("abort", done); r(); }
            cancel?.addEventListener("abort", done, { once: true });
          });
          delay = Math.min(delay * 2, 30_000);
        }
      }
    } finally {
      this.inFlight.delete(call);
    }
  }

  /** The coded error for a call that failed for good. */
  failed(operation: string, path: string, failure: S3Failure, cause: unknown, attempts: number, elapsedMs: number, extra: ErrorParams = {}): SluiceError {
    const params = { endpoint: this.endpoint, operation, path, reason: failure.reason, attempts, elapsedMs, retryable: failure.retryable, ...extra };
    const what = `S3 ${operation} of ${path} at ${this.endpoint}`;
    const tries = attempts > 1 ? ` after ${attempts} attempts in ${elapsedMs} ms` : "";
    const opts = { cause, params, retryable: failure.retryable, domain: "external" as const };
    switch (failure.kind) {
      case "authentication":
        return new SluiceError("S3_AUTHENTICATION_FAILED", `${what} failed: ${failure.reason}. Check fs.s3a.access.key / fs.s3a.secret.key (or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY); not retried.`, opts);
      case "accessDenied":
        return new SluiceError("S3_ACCESS_DENIED", `${what} failed: ${failure.reason}. Check the credentials and the bucket policy; not retried.`, opts);
      case "notFound":
        return new SluiceError("S3_NOT_FOUND", `${what} failed: ${failure.reason}. Check the bucket name.`, opts);
      case "unreachable":
        return new SluiceError("S3_UNREACHABLE", `${what} failed${tries}: the endpoint is ${failure.reason}. Check fs.s3a.endpoint and that the store runs.`, opts);
      case "timeout":
        return new SluiceError("S3_TIMEOUT", `${what} ${failure.reason}${tries}; raise fs.s3a.connection.request.timeout / fs.s3a.attempts.maximum if the store is slow.`, opts);
      default:
        return new SluiceError("IO_ERROR", `${what} failed${tries}: ${failure.reason}.`, opts);
    }
  }
}
