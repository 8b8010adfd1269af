/**
 * What never reaches logs, progress, `explain()` or error messages: values of secret-looking option keys (Spark's
 * default `spark.redaction.regex`, plus the credential options of Kafka and schema registries) and credentials
 * written into URLs.
 *
 * @example
 * isSecretOption("confluent.schema.registry.basic.auth.user.info") // true
 * redactUrlCredentials("https://me:pw@registry:8081") // "https://*********(redacted)@registry:8081"
 */

/** Spark's redaction text. */
export const REDACTED = "*********(redacted)";

const SECRET_KEY = /secret|password|token|access[.]key|user[.]info|jaas/i;

export function isSecretOption(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** `https://user:pass@host/` → `https://*********(redacted)@host/`. */
export function redactUrlCredentials(text: string): string {
  return text.replace(/(\/\/)[^/@\s]+@/g, `$1${REDACTED}@`);
}
