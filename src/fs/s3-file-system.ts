/**
 * FileSystem on S3-compatible object storage (AWS S3, MinIO) for `s3a://bucket/key` and `s3://bucket/key` paths, with
 * an object-store-native contract: no rename, no copy; `writeIfAbsent` is one conditional PUT (`If-None-Match: *`),
 * so two writers on one checkpoint are detected; `delete` removes object versions, so a versioned bucket keeps no
 * delete markers; large objects go up in multipart uploads (the SDK's Upload). Every request goes through S3Calls (s3-calls.ts):
 * each attempt has a deadline, transient failures are retried with backoff up to `fs.s3a.attempts.maximum` attempts,
 * failures become coded errors naming the endpoint. Every attempt is counted (`requests`), so a query can report S3
 * requests per micro-batch. The versions of the objects this process wrote are remembered, so `deleteFiles` removes
 * them in one multi-object delete without listing.
 *
 * Configuration (first found wins): Sluice/Spark options `spark.hadoop.fs.s3a.endpoint`, `...access.key`,
 * `...secret.key`, `...session.token`, `...endpoint.region`, `...path.style.access`; then the usual environment
 * (`AWS_ENDPOINT_URL`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION`). Credentials are
 * never part of a message, a description or a path.
 */
import {
  DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectVersionsCommand, ListObjectsV2Command, PutObjectCommand, S3Client,
  type ObjectIdentifier,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { SluiceError } from "../errors/sluice-error.js";
import { S3Calls, s3Status, s3Timeouts, type S3Timeouts } from "./s3-calls.js";
import type { FileStatus, FileSystem } from "./file-system.js";

export interface S3Config {
  readonly endpoint: string | undefined;
  readonly region: string;
  readonly pathStyle: boolean;
  readonly accessKeyId: string | undefined;
  readonly secretAccessKey: string | undefined;
  readonly sessionToken: string | undefined;
  readonly timeouts: S3Timeouts;
}

/** S3 settings from configuration getters (session conf, options) and the environment. */
export function s3Config(get: (key: string) => string | undefined): S3Config {
  const conf = (k: string): string | undefined => get(`spark.hadoop.fs.s3a.${k}`) ?? get(`fs.s3a.${k}`);
  const env = process.env;
  const endpoint = conf("endpoint") ?? env["AWS_ENDPOINT_URL_S3"] ?? env["AWS_ENDPOINT_URL"];
  const ssl = (conf("connection.ssl.enabled") ?? "true").toLowerCase() !== "false";
  return {
    endpoint: endpoint === undefined ? undefined : /^https?:\/\//.test(endpoint) ? endpoint : `${ssl ? "https" : "http"}://${endpoint}`,
    region: conf("endpoint.region") ?? env["AWS_REGION"] ?? env["AWS_DEFAULT_REGION"] ?? "us-east-1",
    // Custom endpoints (MinIO) are path-style by default.
    pathStyle: (conf("path.style.access") ?? (endpoint !== undefined ? "true" : "false")).toLowerCase() === "true",
    accessKeyId: conf("access.key") ?? env["AWS_ACCESS_KEY_ID"],
    secretAccessKey: conf("secret.key") ?? env["AWS_SECRET_ACCESS_KEY"],
    sessionToken: conf("session.token") ?? env["AWS_SESSION_TOKEN"],
    timeouts: s3Timeouts(conf),
  };
}

/** `s3a://bucket/a/b` (or the `s3a:/bucket/a/b` that path.join leaves) as bucket and key. */
export function parseS3Path(p: string): { scheme: string; bucket: string; key: string } {
  const m = /^(s3a?):\/+([^/]+)\/?(.*)$/.exec(p);
  if (m === null) throw new SluiceError("INVALID_OPTION", `Not an object-storage path: ${p}`, { params: { path: p } });
  return { scheme: m[1]!, bucket: m[2]!, key: m[3]!.replace(/\/+$/, "") };
}

const MULTIPART_THRESHOLD = 64 * 1024 * 1024;
const PART_SIZE = 16 * 1024 * 1024;

const statusOf = s3Status;
/** How many written objects' versions are remembered (oldest forgotten first; purged log entries leave at once). */
const MAX_KNOWN_VERSIONS = 100_000;

export class S3FileSystem implements FileSystem {
  readonly scheme = "s3a";
  /** Requests sent so far, by operation. */
  readonly requests: Record<string, number> = {};
  private readonly client: S3Client;
  /** Calls with deadlines, retries and coded errors; its `retries` and `inFlight` show in progress and status. */
  readonly calls: S3Calls;
  /** Version ids (null: the bucket is not versioned) of the objects this process wrote, by `bucket/key`. */
  private readonly versions = new Map<string, string | null>();

  constructor(readonly config: S3Config) {
    const t = config.timeouts;
    this.client = new S3Client({
      region: config.region, forcePathStyle: config.pathStyle, maxAttempts: 1, // S3Calls retries
      requestHandler: { connectionTimeout: t.connectTimeoutMs, requestTimeout: t.socketTimeoutMs },
      ...(config.endpoint !== undefined ? { endpoint: config.endpoint } : {}),
      ...(config.accessKeyId !== undefined && config.secretAccessKey !== undefined
        ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey, ...(config.sessionToken !== undefined ? { sessionToken: config.sessionToken } : {}) } }
        : {}),
    });
    this.calls = new S3Calls(config.endpoint ?? `s3.${config.region}.amazonaws.com`, t, (op) => { this.requests[op] = (this.requests[op] ?? 0) + 1; });
  }

  /** Adds requests made on this file system's behalf elsewhere (worker tasks with their own client). */
  countRequests(op: string, n: number): void { if (n > 0) this.requests[op] = (this.requests[op] ?? 0) + n; }

  /** Requests sent so far, all operations. */
  get requestCount(): number { return Object.values(this.requests).reduce((a, b) => a + b, 0); }

  private send<T>(op: string, p: string, f: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.calls.run(op, p, f);
  }

  private remember(bucket: string, key: string, versionId: string | undefined): void {
    const id = `${bucket}/${key}`;
    this.versions.delete(id);
    this.versions.set(id, versionId ?? null);
    if (this.versions.size > MAX_KNOWN_VERSIONS) this.versions.delete(this.versions.keys().next().value!);
  }

  private uri(bucket: string, key: string): string { return `s3a://${bucket}/${key}`; }

  async read(p: string): Promise<Uint8Array> {
    const r = await this.readIfExists(p);
    if (r === undefined) throw new SluiceError("PATH_NOT_FOUND", `Path does not exist: ${p}`, { params: { path: p } });
    return r;
  }

  async readIfExists(p: string): Promise<Uint8Array | undefined> {
    const { bucket, key } = parseS3Path(p);
    try {
      // The body is read inside the attempt, so a stall in the middle of it is bounded and retried too.
      return await this.send("GET", p, async (abortSignal) => {
        const res = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal });
        return await res.Body!.transformToByteArray();
      });
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  }

  async writeIfAbsent(p: string, data: Uint8Array | string): Promise<boolean> {
    const { bucket, key } = parseS3Path(p);
    try {
      const res = await this.send("PUT", p, (abortSignal) => this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data, IfNoneMatch: "*" }), { abortSignal }));
      this.remember(bucket, key, res.VersionId);
      return true;
    } catch (e) {
      if (statusOf(e) === 412) return false; // another writer created it first
      throw e;
    }
  }

  async write(p: string, data: Uint8Array | string): Promise<void> {
    const { bucket, key } = parseS3Path(p);
    const size = typeof data === "string" ? Buffer.byteLength(data) : data.byteLength;
    if (size <= MULTIPART_THRESHOLD) {
      const res = await this.send("PUT", p, (abortSignal) => this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data }), { abortSignal }));
      this.remember(bucket, key, res.VersionId);
      return;
    }
    // Multipart: create, one request per 16 MB part, complete.
    const parts = Math.ceil(size / PART_SIZE);
    this.requests["MULTIPART"] = (this.requests["MULTIPART"] ?? 0) + parts + 1;
    const res = await this.calls.run("MULTIPART", p, (signal) => {
      const abortController = new AbortController();
      signal.addEventListener("abort", () => abortController.abort(), { once: true });
      return new Upload({ client: this.client, params: { Bucket: bucket, Key: key, Body: data }, partSize: PART_SIZE, queueSize: 4, abortController }).done();
    }, { attemptMs: this.config.timeouts.requestTimeoutMs * (parts + 2) });
    this.remember(bucket, key, res.VersionId);
  }

  async exists(p: string): Promise<boolean> { return (await this.stat(p)) !== undefined; }

  async stat(p: string): Promise<FileStatus | undefined> {
    const { bucket, key } = parseS3Path(p);
    try {
      const h = await this.send("HEAD", p, (abortSignal) => this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal }));
      return { path: this.uri(bucket, key), size: h.ContentLength ?? 0, modificationTime: h.LastModified?.getTime() ?? 0, isDirectory: false };
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
      const under = await this.listPage(bucket, `${key}/`, "/", 1);
      return under.length > 0 ? { path: this.uri(bucket, key), size: 0, modificationTime: 0, isDirectory: true } : undefined;
    }
  }

  private async listPage(bucket: string, prefix: string, delimiter: string | undefined, max?: number): Promise<FileStatus[]> {
    const out: FileStatus[] = [];
    let token: string | undefined;
    do {
      const res = await this.send("LIST", this.uri(bucket, prefix), (abortSignal) => this.client.send(new ListObjectsV2Command({
        Bucket: bucket, Prefix: prefix, ContinuationToken: token, ...(delimiter !== undefined ? { Delimiter: delimiter } : {}), ...(max !== undefined ? { MaxKeys: max } : {}),
      }), { abortSignal }));
      for (const c of res.CommonPrefixes ?? []) out.push({ path: this.uri(bucket, c.Prefix!.replace(/\/$/, "")), size: 0, modificationTime: 0, isDirectory: true });
      for (const o of res.Contents ?? []) out.push({ path: this.uri(bucket, o.Key!), size: o.Size ?? 0, modificationTime: o.LastModified?.getTime() ?? 0, isDirectory: false });
      token = max === undefined && res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token !== undefined);
    return out;
  }

  async list(dir: string): Promise<FileStatus[]> {
    const { bucket, key } = parseS3Path(dir);
    return (await this.listPage(bucket, key === "" ? "" : `${key}/`, "/")).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async listRecursive(dir: string): Promise<FileStatus[]> {
    const { bucket, key } = parseS3Path(dir);
    return (await this.listPage(bucket, key === "" ? "" : `${key}/`, undefined)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Deletes the object (or everything under the prefix) including every version, so no delete marker remains. */
  async delete(p: string): Promise<void> {
    const { bucket, key } = parseS3Path(p);
    for (const prefix of [key, `${key}/`]) {
      let keyMarker: string | undefined, versionMarker: string | undefined;
      do {
        const res = await this.send("LIST", p, (abortSignal) => this.client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker: keyMarker, VersionIdMarker: versionMarker }), { abortSignal }));
        const ids: ObjectIdentifier[] = [...(res.Versions ?? []), ...(res.DeleteMarkers ?? [])]
          .filter((v) => v.Key === key || v.Key!.startsWith(`${key}/`))
          .map((v) => ({ Key: v.Key!, ...(v.VersionId !== undefined && v.VersionId !== "null" ? { VersionId: v.VersionId } : {}) }));
        if (ids.length > 0) await this.deleteObjects(bucket, p, ids);
        keyMarker = res.IsTruncated ? res.NextKeyMarker : undefined;
        versionMarker = res.IsTruncated ? res.NextVersionIdMarker : undefined;
      } while (keyMarker !== undefined);
    }
    for (const id of [...this.versions.keys()]) if (id === `${bucket}/${key}` || id.startsWith(`${bucket}/${key}/`)) this.versions.delete(id);
  }

  /**
   * Deletes these objects (files, not prefixes) with the versions this process wrote them as: one multi-object delete
   * per 1000 objects, no listing, no delete marker. Objects written by an earlier process (versions unknown) cost one
   * version listing of their common prefix first; objects that are not there are skipped.
   */
  async deleteFiles(paths: readonly string[]): Promise<void> {
    const byBucket = new Map<string, string[]>();
    for (const p of paths) { const { bucket, key } = parseS3Path(p); byBucket.set(bucket, [...byBucket.get(bucket) ?? [], key]); }
    for (const [bucket, keys] of byBucket) {
      const ids: ObjectIdentifier[] = [];
      const unknown: string[] = [];
      for (const key of keys) {
        const v = this.versions.get(`${bucket}/${key}`);
        if (v === undefined) unknown.push(key);
        else ids.push({ Key: key, ...(v !== null ? { VersionId: v } : {}) });
      }
      if (unknown.length > 0) ids.push(...await this.versionsOf(bucket, unknown));
      for (let i = 0; i < ids.length; i += 1000) await this.deleteObjects(bucket, this.uri(bucket, ids[i]!.Key!), ids.slice(i, i + 1000));
      for (const key of keys) this.versions.delete(`${bucket}/${key}`);
    }
  }

  /** Every version and delete marker of these keys, found by listing the versions under their common prefix. */
  private async versionsOf(bucket: string, keys: readonly string[]): Promise<ObjectIdentifier[]> {
    const wanted = new Set(keys);
    let prefix = keys[0]!;
    for (const k of keys) while (!k.startsWith(prefix)) prefix = prefix.slice(0, -1);
    const out: ObjectIdentifier[] = [];
    let keyMarker: string | undefined, versionMarker: string | undefined;
    do {
      const res = await this.send("LIST", this.uri(bucket, prefix), (abortSignal) => this.client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker: keyMarker, VersionIdMarker: versionMarker }), { abortSignal }));
      for (const v of [...res.Versions ?? [], ...res.DeleteMarkers ?? []]) {
        if (wanted.has(v.Key!)) out.push({ Key: v.Key!, ...(v.VersionId !== undefined && v.VersionId !== "null" ? { VersionId: v.VersionId } : {}) });
      }
      keyMarker = res.IsTruncated ? res.NextKeyMarker : undefined;
      versionMarker = res.IsTruncated ? res.NextVersionIdMarker : undefined;
    } while (keyMarker !== undefined);
    return out;
  }

  private async deleteObjects(bucket: string, p: string, ids: ObjectIdentifier[]): Promise<void> {
    const res = await this.send("DELETE", p, (abortSignal) => this.client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: ids, Quiet: true } }), { abortSignal }));
    const failed = res.Errors ?? [];
    if (failed.length > 0) {
      const e = failed[0]!;
      throw new SluiceError(e.Code === "AccessDenied" ? "S3_ACCESS_DENIED" : "IO_ERROR", `S3 DELETE of ${this.uri(bucket, e.Key ?? "")} at ${this.calls.endpoint} failed for ${failed.length} objects: ${e.Code}: ${e.Message}.`,
        { params: { endpoint: this.calls.endpoint, operation: "DELETE", path: this.uri(bucket, e.Key ?? ""), reason: `${e.Code}: ${e.Message}` }, retryable: e.Code !== "AccessDenied" });
    }
  }

  async rename(from: string): Promise<void> {
    throw new SluiceError("NOT_IMPLEMENTED", `Object storage has no rename (${from}); Sluice's commit protocol writes final objects directly.`, { params: { path: from } });
  }

  async mkdirs(): Promise<void> {} // prefixes need no creation
}

const instances = new Map<string, S3FileSystem>();

/** One S3FileSystem per configuration, so a query's checkpoint and sink share a client and a request count. */
export function s3FileSystem(config: S3Config): S3FileSystem {
  const id = JSON.stringify(config);
  let fs = instances.get(id);
  if (fs === undefined) instances.set(id, (fs = new S3FileSystem(config)));
  return fs;
}
