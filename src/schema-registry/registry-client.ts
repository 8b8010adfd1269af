/**
 * A client of the Confluent Schema Registry REST API (also served by Karapace, Apicurio's ccompat API, Redpanda and
 * Conduit's registry): the writer schema behind an id, a subject's latest version, and registration. Requests retry
 * with backoff on connection errors and 5xx; an answer the registry gives (404, 409, 422) is returned as it is.
 *
 * @example
 * const r = await registryRequest({ address: "http://127.0.0.1:18081" }, { op: "schemaById", id: 1 });
 * if (r.ok) console.log(r.schema);
 */

/** Where the registry is, and how to authenticate (Confluent's USER_INFO basic auth). */
export interface RegistryConnection {
  readonly address: string;
  /** `user:password`, from the option `confluent.schema.registry.basic.auth.user.info`. Never logged or shown. */
  readonly userInfo?: string;
}

export type RegistryRequest =
  | { readonly op: "schemaById"; readonly id: number }
  | { readonly op: "latest"; readonly subject: string }
  | { readonly op: "register"; readonly subject: string; readonly schema: string };

/** A registry answer: a schema (with its id and, for subjects, version), or the registry's refusal. */
export type RegistryResult =
  | { readonly ok: true; readonly id: number; readonly schema: string; readonly version?: number }
  | { readonly ok: false; readonly status: number; readonly errorCode: number; readonly message: string };

const CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
const ATTEMPTS = 5;

class Refused { constructor(readonly status: number, readonly errorCode: number, readonly message: string) {} }

async function call(conn: RegistryConnection, method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> {
  const headers: Record<string, string> = { accept: `${CONTENT_TYPE}, application/json` };
  if (body !== undefined) headers["content-type"] = CONTENT_TYPE;
  if (conn.userInfo !== undefined) headers["authorization"] = `Basic ${Buffer.from(conn.userInfo).toString("base64")}`;
  const url = conn.address.replace(/\/+$/, "") + path;
  let last: unknown;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
    let res: Response;
    try {
      res = await fetch(url, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), signal: AbortSignal.timeout(10_000) });
    } catch (e) {
      last = e; // connection refused, reset, timeout: the registry may be restarting
      continue;
    }
    const text = await res.text();
    if (res.ok) return JSON.parse(text) as unknown;
    let errorCode = res.status, message = text.trim() || res.statusText;
    try {
      const j = JSON.parse(text) as { error_code?: number; message?: string };
      if (typeof j.error_code === "number") errorCode = j.error_code;
      if (typeof j.message === "string") message = j.message;
    } catch { /* not JSON: keep the text */ }
    if (res.status >= 500) { last = new Error(`HTTP ${res.status}: ${message}`); continue; }
    throw new Refused(res.status, errorCode, message);
  }
  throw last instanceof Error ? last : new Error(String(last));
}

const enc = encodeURIComponent;

/** Performs one request; connection failures after the retries throw, the registry's refusals are results. */
export async function registryRequest(conn: RegistryConnection, req: RegistryRequest): Promise<RegistryResult> {
  try {
    switch (req.op) {
      case "schemaById": {
        const r = await call(conn, "GET", `/schemas/ids/${req.id}`) as { schema: string };
        return { ok: true, id: req.id, schema: r.schema };
      }
      case "latest": {
        // `versions/latest` is not served by every registry; the version list is.
        const versions = await call(conn, "GET", `/subjects/${enc(req.subject)}/versions`) as number[];
        if (versions.length === 0) return { ok: false, status: 404, errorCode: 40401, message: `Subject '${req.subject}' has no versions` };
        const r = await call(conn, "GET", `/subjects/${enc(req.subject)}/versions/${Math.max(...versions)}`) as { id: number; version: number; schema: string };
        return { ok: true, id: r.id, schema: r.schema, version: r.version };
      }
      case "register": {
        const r = await call(conn, "POST", `/subjects/${enc(req.subject)}/versions`, { schema: req.schema }) as { id: number };
        return { ok: true, id: r.id, schema: req.schema };
      }
    }
  } catch (e) {
    if (e instanceof Refused) return { ok: false, status: e.status, errorCode: e.errorCode, message: e.message };
    throw e;
  }
}
