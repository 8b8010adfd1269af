/**
 * Kafka's own client settings (`kafka.*` options without the prefix, as Spark passes them to its consumer and
 * producer) as @platformatic/kafka connection options: `security.protocol` (PLAINTEXT, SSL, SASL_PLAINTEXT,
 * SASL_SSL), `sasl.mechanism` (PLAIN, SCRAM-SHA-256/512, OAUTHBEARER) with credentials from `sasl.jaas.config`
 * (`... username="u" password="p";`) or Sluice's `sasl.username` / `sasl.password`, `ssl.truststore.location` /
 * `ssl.ca.location` (PEM), `ssl.endpoint.identification.algorithm` (empty turns hostname checks off),
 * `client.id`, `request.timeout.ms`, `socket.connection.setup.timeout.ms`. Secrets stay in these options: never in a description, message or log line.
 */
import { readFileSync } from "node:fs";
import type { ConnectionOptions as TlsOptions } from "node:tls";
import { AnalysisException } from "../../errors/sluice-error.js";
import { kafkaTimeouts } from "./kafka-calls.js";

export interface KafkaConnectionOptions {
  clientId: string;
  tls?: TlsOptions;
  tlsServerName?: boolean;
  sasl?: { mechanism: "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512" | "OAUTHBEARER"; username?: string; password?: string; token?: string };
  /** One request's deadline (`request.timeout.ms`). */
  timeout: number;
  connectTimeout: number;
}

function jaasValue(jaas: string | undefined, key: string): string | undefined {
  if (jaas === undefined) return undefined;
  return new RegExp(`${key}\\s*=\\s*"([^"]*)"`).exec(jaas)?.[1];
}

export function kafkaConnection(settings: Readonly<Record<string, string>>): KafkaConnectionOptions {
  const protocol = (settings["security.protocol"] ?? "PLAINTEXT").toUpperCase();
  if (!["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"].includes(protocol)) {
    throw new AnalysisException("INVALID_OPTION", `Unknown kafka.security.protocol '${protocol}': use PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.`, { params: { option: "kafka.security.protocol" } });
  }
  const timeouts = kafkaTimeouts(settings);
  const out: KafkaConnectionOptions = { clientId: settings["client.id"] ?? "sluice", timeout: timeouts.requestTimeoutMs, connectTimeout: timeouts.connectTimeoutMs };
  if (protocol === "SSL" || protocol === "SASL_SSL") {
    const ca = settings["ssl.ca.location"] ?? settings["ssl.truststore.location"];
    out.tls = ca === undefined ? {} : { ca: readFileSync(ca) };
    if (settings["ssl.endpoint.identification.algorithm"] === "") out.tls.checkServerIdentity = () => undefined;
    out.tlsServerName = true;
  }
  if (protocol.startsWith("SASL_")) {
    const mechanism = (settings["sasl.mechanism"] ?? "PLAIN").toUpperCase();
    if (mechanism !== "PLAIN" && mechanism !== "SCRAM-SHA-256" && mechanism !== "SCRAM-SHA-512" && mechanism !== "OAUTHBEARER") {
      throw new AnalysisException("INVALID_OPTION", `kafka.sasl.mechanism '${mechanism}' is not supported; use PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER.`, { params: { option: "kafka.sasl.mechanism" } });
    }
    const jaas = settings["sasl.jaas.config"];
    const username = settings["sasl.username"] ?? jaasValue(jaas, "username");
    const password = settings["sasl.password"] ?? jaasValue(jaas, "password");
    const token = settings["sasl.oauthbearer.token"];
    out.sasl = { mechanism, ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}), ...(token !== undefined ? { token } : {}) };
  }
  return out;
}
