/**
 * Synchronous, cached access to a Confluent-compatible schema registry for `from_avro` / `to_avro`: a schema id's
 * writer schema (immutable, so cached for the life of the process), a subject's latest schema (read when a query is
 * defined, never cached), and registration (idempotent in the registry; cached per subject and schema). The calls run
 * in a worker thread so expression code stays synchronous; a miss costs one HTTP round trip, a hit a map lookup.
 */
import { createSyncFn } from "synckit";
import { redactUrlCredentials } from "../security/redaction.js";
import { SluiceError } from "../errors/sluice-error.js";
import type { RegistryConnection, RegistryRequest, RegistryResult } from "./registry-client.js";

export type { RegistryConnection } from "./registry-client.js";

/** A schema as the registry holds it. */
export interface RegistrySchema { readonly id: number; readonly schema: string; readonly version?: number }

let worker: ((conn: RegistryConnection, req: RegistryRequest) => RegistryResult) | undefined;
const byId = new Map<string, RegistrySchema | null>();
const registered = new Map<string, number>();

function request(conn: RegistryConnection, req: RegistryRequest, what: string): RegistryResult {
  worker ??= createSyncFn(new URL("./registry-worker.js", import.meta.url).pathname, { timeout: 60_000 });
  try {
    return worker(conn, req);
  } catch (e) {
    throw new SluiceError("SCHEMA_REGISTRY_ERROR",
      `The schema registry at ${conn.address} did not answer (${what}): ${(e as Error).message}. Check that it runs and that schemaRegistryAddress points at it.`,
      { cause: e, retryable: true, params: { address: conn.address } });
  }
}

function refused(conn: RegistryConnection, r: Extract<RegistryResult, { ok: false }>, what: string, hint: string): SluiceError {
  return new SluiceError("SCHEMA_REGISTRY_ERROR", `The schema registry at ${conn.address} refused ${what}: ${r.message} (HTTP ${r.status}, error code ${r.errorCode}). ${hint}`,
    { params: { address: conn.address, status: r.status, errorCode: r.errorCode } });
}

/** The schema with this id, or undefined when the registry has none (a record written against another registry). */
export function schemaById(conn: RegistryConnection, id: number): RegistrySchema | undefined {
  const key = `${conn.address}\0${id}`;
  const hit = byId.get(key);
  if (hit !== undefined) return hit ?? undefined;
  const r = request(conn, { op: "schemaById", id }, `schema id ${id}`);
  // Only the registry's own "schema not found" (40403) means the id is unknown; any other refusal (a 404 for a wrong
  // path, 401, ...) is a problem with the registry or its address, never a reason to read records as malformed.
  if (!r.ok && r.errorCode !== 40403) throw refused(conn, r, `schema id ${id}`, "Check schemaRegistryAddress (the registry's base URL) and its credentials.");
  const found = r.ok ? { id, schema: r.schema } : null;
  if (found !== null) byId.set(key, found); // a missing id may appear later (registered after the record was read)
  return found ?? undefined;
}

/** The subject's latest version, read now (a query's reader schema is fixed when it is defined, as in Spark). */
export function latestSchema(conn: RegistryConnection, subject: string): RegistrySchema {
  const r = request(conn, { op: "latest", subject }, `the latest schema of subject '${subject}'`);
  if (!r.ok) throw refused(conn, r, `the latest schema of subject '${subject}'`, "Register a schema under that subject first, or check its name (TopicNameStrategy: '<topic>-value' / '<topic>-key').");
  byId.set(`${conn.address}\0${r.id}`, { id: r.id, schema: r.schema });
  return { id: r.id, schema: r.schema, ...(r.version !== undefined ? { version: r.version } : {}) };
}

/** Registers `schema` under `subject` (or finds it registered) and returns its id. */
export function registerSchema(conn: RegistryConnection, subject: string, schema: string): number {
  const key = `${conn.address}\0${subject}\0${schema}`;
  const hit = registered.get(key);
  if (hit !== undefined) return hit;
  const r = request(conn, { op: "register", subject, schema }, `registering a schema under subject '${subject}'`);
  if (!r.ok) throw refused(conn, r, `a new schema for subject '${subject}'`, "The registry's compatibility rules reject it, or the schema is invalid: make the change compatible (add fields with defaults) or change the subject's compatibility level.");
  registered.set(key, r.id);
  byId.set(`${conn.address}\0${r.id}`, { id: r.id, schema });
  return r.id;
}

/** The registry connection that `from_avro` / `to_avro` options describe (Confluent's option names for basic auth). */
export function registryConnection(address: string, options: Readonly<Record<string, string>>): RegistryConnection {
  const source = (options["confluent.schema.registry.basic.auth.credentials.source"] ?? "USER_INFO").toUpperCase();
  const userInfo = options["confluent.schema.registry.basic.auth.user.info"];
  if (userInfo !== undefined && source !== "USER_INFO") {
    throw new SluiceError("INVALID_OPTION", `confluent.schema.registry.basic.auth.credentials.source '${source}' is not supported; use USER_INFO with confluent.schema.registry.basic.auth.user.info.`,
      { params: { option: "confluent.schema.registry.basic.auth.credentials.source", value: source } });
  }
  // Credentials written into the URL (https://user:pass@host) move to the Authorization header, out of every message.
  let url: URL | undefined;
  try { url = new URL(address); } catch {
    throw new SluiceError("INVALID_OPTION", `schemaRegistryAddress must be the registry's URL (http://host:8081), not '${redactUrlCredentials(address)}'.`, { params: { option: "schemaRegistryAddress" } });
  }
  const inUrl = url.username !== "" ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined;
  url.username = "";
  url.password = "";
  const credentials = userInfo ?? inUrl;
  return { address: url.href.replace(/\/$/, ""), ...(credentials !== undefined ? { userInfo: credentials } : {}) };
}
