/**
 * What never reaches logs, progress, `explain()`, error messages, or the printed (`console.log`, `util.inspect`) and
 * serialized (`JSON.stringify`) forms of what Sluice returns: values of secret-looking option keys (Spark's default
 * `spark.redaction.regex`, `(?i)secret|password|token|access[.]?key`, plus the credential options of Kafka and schema
 * registries) and credentials written into URLs (user info, and `password=` style query parameters).
 *
 * @example
 * isSecretOption("confluent.schema.registry.basic.auth.user.info") // true
 * redactUrlCredentials("https://me:pw@registry:8081") // "https://*********(redacted)@registry:8081"
 * redactedCopy({ "fs.s3a.secret.key": "x", url: "jdbc:postgresql://h/db?password=pw" })
 * // { "fs.s3a.secret.key": "*********(redacted)", url: "jdbc:postgresql://h/db?password=*********(redacted)" }
 */
import { inspect } from "node:util";

/** Spark's redaction text. */
export const REDACTED = "*********(redacted)";

const SECRET_KEY = /secret|password|passwd|token|access[.]?key|user[.]info|jaas|credential/i;

export function isSecretOption(key: string): boolean {
  return SECRET_KEY.test(key) && !/credentials[.]provider$/i.test(key); // a provider is a class name, not a secret
}

/** `https://user:pass@host/` → `https://*********(redacted)@host/`; `?user=u&password=p` → `?user=u&password=*********(redacted)`. */
export function redactUrlCredentials(text: string): string {
  return text
    .replace(/(\/\/)[^/@\s]+@/g, `$1${REDACTED}@`)
    .replace(/([?&;]([^=&;?\s]+)=)([^&;\s]*)/g, (all, head: string, key: string) => (isSecretOption(key) ? `${head}${REDACTED}` : all));
}

/**
 * A plain copy of `value` for printing or serializing: under secret-looking keys (of objects and Maps) the value is
 * REDACTED, strings lose URL credentials; class instances become plain objects; cycles and depth are cut.
 */
export function redactedCopy(value: unknown, depth = 6, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === "string") return redactUrlCredentials(value);
  if (value === null || typeof value !== "object") return typeof value === "function" || typeof value === "symbol" ? undefined : value;
  if (value instanceof Date || value instanceof Uint8Array) return value;
  if (seen.has(value) || depth < 0) return "[…]";
  seen.add(value);
  // An object with its own safe form (Sluice's API objects) is copied through it.
  const own = (value as { toJSON?: unknown }).toJSON;
  if (typeof own === "function") return redactedCopy((own as () => unknown).call(value), depth, seen);
  const entry = (k: unknown, v: unknown): unknown => (typeof k === "string" && isSecretOption(k) && v !== null && v !== undefined ? REDACTED : redactedCopy(v, depth - 1, seen));
  if (Array.isArray(value)) return value.map((v) => redactedCopy(v, depth - 1, seen));
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, entry(k, v)]));
  if (value instanceof Set) return new Set([...value].map((v) => redactedCopy(v, depth - 1, seen)));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = entry(k, v);
  return out;
}

/** The `[util.inspect.custom]` of an API object: its class name and a redacted summary of its safe fields. */
export function inspectRedacted(className: string, summary: Record<string, unknown>, depth: number, options: object): string {
  const body = inspect(redactedCopy(summary), { ...options, depth: Math.max(depth, 2) });
  return `${className} ${body}`;
}
