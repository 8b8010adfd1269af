/**
 * Every network call Sluice makes to Kafka goes through `KafkaCalls.run`: each attempt is bounded by a deadline, a
 * transient failure (broker unreachable or restarting, a request timing out, a leader moving) is retried with
 * exponential backoff until the call's budget is spent, each retry logged, and what finally fails is a coded error
 * naming the brokers and the real cause. An authentication failure is never retried.
 *
 * The settings are Kafka's client options (`kafka.*` without the prefix), with Kafka's defaults:
 * `request.timeout.ms` (30 s, one attempt), `default.api.timeout.ms` (60 s, a consumer or admin call with its
 * retries), `max.block.ms` (60 s, a producer call with its retries: a missing topic fails after it, as Spark's
 * producer does), `retry.backoff.ms` (100 ms) doubling up to `retry.backoff.max.ms` (1 s), `retries` (no cap).
 */
import { AnalysisException, SluiceError, type ErrorParams } from "../../errors/sluice-error.js";

export interface KafkaTimeouts {
  readonly requestTimeoutMs: number;
  readonly apiTimeoutMs: number;
  readonly maxBlockMs: number;
  readonly backoffMs: number;
  readonly backoffMaxMs: number;
  readonly connectTimeoutMs: number;
  /** How long a close may take before the client is dropped. */
  readonly closeTimeoutMs: number;
  readonly maxRetries: number;
}

function ms(settings: Readonly<Record<string, string>>, key: string, dflt: number): number {
  const raw = settings[key];
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new AnalysisException("INVALID_OPTION", `Invalid value '${raw}' for option 'kafka.${key}': it must be a non-negative integer.`, { params: { option: `kafka.${key}` } });
  return n;
}

export function kafkaTimeouts(settings: Readonly<Record<string, string>>): KafkaTimeouts {
  const requestTimeoutMs = ms(settings, "request.timeout.ms", 30_000);
  return {
    requestTimeoutMs,
    apiTimeoutMs: ms(settings, "default.api.timeout.ms", 60_000),
    maxBlockMs: ms(settings, "max.block.ms", 60_000),
    backoffMs: ms(settings, "retry.backoff.ms", 100),
    backoffMaxMs: ms(settings, "retry.backoff.max.ms", 1000),
    connectTimeoutMs: Math.min(ms(settings, "socket.connection.setup.timeout.ms", 10_000), requestTimeoutMs),
    closeTimeoutMs: Math.min(requestTimeoutMs, 5000),
    maxRetries: ms(settings, "retries", Number.MAX_SAFE_INTEGER),
  };
}

/** What went wrong, read from the client's error and its causes. */
export interface KafkaFailure {
  readonly kind: "authentication" | "unreachable" | "timeout" | "unknownTopic" | "other";
  readonly retryable: boolean;
  /** The deepest message that says what happened (no secrets: the client never puts them in messages). */
  readonly reason: string;
}

/** An attempt ran past its deadline. */
export class DeadlineExceeded extends Error {
  constructor(readonly afterMs: number) { super(`no answer within ${afterMs} ms`); }
}

interface ClientError { message?: string; code?: unknown; canRetry?: unknown; apiId?: unknown; errors?: unknown; cause?: unknown }

function chain(e: unknown, out: ClientError[] = [], depth = 0): ClientError[] {
  if (e === null || typeof e !== "object" || depth > 8) return out;
  const c = e as ClientError;
  out.push(c);
  if (Array.isArray(c.errors)) for (const x of c.errors) chain(x, out, depth + 1);
  if (c.cause !== undefined) chain(c.cause, out, depth + 1);
  return out;
}

const NETWORK_CODES = new Set(["PLT_KFK_NETWORK", "ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EPIPE", "ETIMEDOUT"]);

export function kafkaFailure(e: unknown): KafkaFailure {
  const all = chain(e);
  const text = (c: ClientError): string => String(c.message ?? "");
  const deepest = (pred: (c: ClientError) => boolean): string | undefined => all.filter(pred).map(text).filter((m) => m !== "").at(-1);
  const auth = (c: ClientError) => c.code === "PLT_KFK_AUTHENTICATION" || c.apiId === "SASL_AUTHENTICATION_FAILED" || c.apiId === "ILLEGAL_SASL_STATE" || c.apiId === "UNSUPPORTED_SASL_MECHANISM" || /authentication failed/i.test(text(c));
  if (all.some(auth)) return { kind: "authentication", retryable: false, reason: `authentication failed: ${deepest(auth) ?? "rejected by the broker"}` };
  const timeout = (c: ClientError) => c instanceof DeadlineExceeded || c.code === "PLT_KFK_TIMEOUT" || c.apiId === "REQUEST_TIMED_OUT";
  if (all.some(timeout)) return { kind: "timeout", retryable: true, reason: `timed out: ${deepest(timeout)}` };
  const unknownTopic = (c: ClientError) => c.apiId === "UNKNOWN_TOPIC_OR_PARTITION" || c.apiId === "UNKNOWN_TOPIC_ID" || /unknown topic/i.test(text(c));
  if (all.some(unknownTopic)) return { kind: "unknownTopic", retryable: true, reason: deepest(unknownTopic)! };
  const network = (c: ClientError) => NETWORK_CODES.has(String(c.code)) || /cannot connect to any broker|connection closed|socket hang up/i.test(text(c));
  if (all.some(network)) return { kind: "unreachable", retryable: true, reason: `unreachable: ${deepest((c) => NETWORK_CODES.has(String(c.code)) && c.code !== "PLT_KFK_NETWORK") ?? deepest(network)}` };
  const retryable = all.some((c) => c.canRetry === true) && !all.some((c) => c.canRetry === false);
  return { kind: "other", retryable, reason: deepest(() => true) ?? String(e) };
}

/** Rejects with `DeadlineExceeded` when `p` has not settled within `timeoutMs`. */
export function withDeadline<T>(p: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new DeadlineExceeded(timeoutMs)), Math.max(0, timeoutMs)); });
  p.catch(() => undefined); // a late failure of an abandoned attempt must not surface as an unhandled rejection
  return Promise.race([p, expired]).finally(() => clearTimeout(timer));
}

export interface RunOptions {
  /** Total time for the call and its retries (default: `default.api.timeout.ms`). */
  readonly budgetMs?: number;
  /** One attempt's deadline (default: `request.timeout.ms`). */
  readonly attemptMs?: number;
  /** Whether an unknown topic is worth waiting for (a producer waits for it up to `max.block.ms`). */
  readonly retryUnknownTopic?: boolean;
  /** One attempt only (a send inside a transaction: retrying it could write its records twice). */
  readonly once?: boolean;
  readonly params?: ErrorParams;
}

export class KafkaCalls {
  /** Retries so far (shown in the source's and sink's progress metrics). */
  retries = 0;

  constructor(readonly endpoint: string, readonly timeouts: KafkaTimeouts) {}

  async run<T>(operation: string, attempt: () => Promise<T>, opts: RunOptions = {}): Promise<T> {
    const budget = opts.budgetMs ?? this.timeouts.apiTimeoutMs;
    const started = Date.now();
    let delay = this.timeouts.backoffMs;
    for (let attempts = 1; ; attempts++) {
      const left = budget - (Date.now() - started);
      try {
        return await withDeadline(attempt(), Math.min(opts.attemptMs ?? this.timeouts.requestTimeoutMs, Math.max(left, 1)));
      } catch (e) {
        if (e instanceof SluiceError) throw e;
        const failure = kafkaFailure(e);
        const retryable = failure.retryable && (failure.kind !== "unknownTopic" || opts.retryUnknownTopic === true);
        const leftNow = budget - (Date.now() - started);
        if (!retryable || opts.once === true || attempts > this.timeouts.maxRetries || leftNow <= delay) throw this.failed(operation, failure, e, attempts, Date.now() - started, retryable, opts.params);
        this.retries++;
        this.logRetry(operation, failure.reason, attempts, delay, leftNow, budget);
        await new Promise((r) => setTimeout(r, delay));
        delay = this.nextDelay(delay);
      }
    }
  }

  logRetry(operation: string, reason: string, attempt: number, delayMs: number, leftMs: number, budgetMs: number): void {
    console.warn(`[sluice] Kafka ${operation} at ${this.endpoint} failed (${reason}); retry ${attempt} in ${delayMs} ms, ${leftMs} ms left of ${budgetMs} ms`);
  }

  /** Exponential backoff: `retry.backoff.ms` doubling up to `retry.backoff.max.ms`. */
  nextDelay(delayMs: number): number { return Math.min(delayMs * 2, Math.max(this.timeouts.backoffMaxMs, this.timeouts.backoffMs)); }

  /** The coded error for a call that failed for good. */
  failed(operation: string, failure: KafkaFailure, cause: unknown, attempts: number, elapsedMs: number, retryable: boolean, extra: ErrorParams = {}): SluiceError {
    const params = { endpoint: this.endpoint, operation, reason: failure.reason, attempts, elapsedMs, ...extra };
    const tries = attempts > 1 ? ` after ${attempts} attempts in ${elapsedMs} ms` : "";
    switch (failure.kind) {
      case "authentication":
        return new SluiceError("KAFKA_AUTHENTICATION_FAILED", `Kafka ${operation} at ${this.endpoint} failed: ${failure.reason}. Check kafka.security.protocol, kafka.sasl.mechanism and the credentials in kafka.sasl.jaas.config; not retried.`, { cause, params, retryable: false });
      case "unreachable":
        return new SluiceError("KAFKA_UNREACHABLE", `Kafka ${operation} failed${tries}: the brokers at ${this.endpoint} are ${failure.reason}. Check kafka.bootstrap.servers and that the brokers run.`, { cause, params, retryable: true });
      case "timeout":
        return new SluiceError("KAFKA_TIMEOUT", `Kafka ${operation} at ${this.endpoint} ${failure.reason}${tries}; raise kafka.request.timeout.ms / kafka.default.api.timeout.ms / kafka.max.block.ms if the brokers are slow.`, { cause, params, retryable: true });
      case "unknownTopic":
        if (retryable) return new SluiceError("KAFKA_TIMEOUT", `Kafka ${operation}: topic ${String(extra["topic"] ?? "")} not present in metadata of ${this.endpoint} after ${elapsedMs} ms (${failure.reason}); create it, or raise kafka.max.block.ms.`, { cause, params, retryable: true });
        return new SluiceError("IO_ERROR", `Kafka ${operation} at ${this.endpoint} failed: ${failure.reason}.`, { cause, params, retryable: false });
      default:
        return new SluiceError("IO_ERROR", `Kafka ${operation} at ${this.endpoint} failed${tries}: ${failure.reason}.`, { cause, params, retryable: failure.retryable });
    }
  }

  /** Runs a clean-up (a close, an abort), giving up on it after the close timeout: stopping never hangs. */
  async settle(what: string, cleanup: () => Promise<unknown>): Promise<void> {
    try {
      await withDeadline(cleanup(), this.timeouts.closeTimeoutMs);
    } catch (e) {
      console.warn(`[sluice] Kafka ${what} at ${this.endpoint} did not finish (${kafkaFailure(e).reason}); dropped`);
    }
  }
}
