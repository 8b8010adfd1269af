/**
 * FileSystem on S3-compatible object storage (AWS S3, MinIO) for `s3a://bucket/key` and `s3://bucket/key` paths, with
 * an object-store-native contract: no rename, no copy; `writeIfAbsent` is one conditional PUT (`If-None-Match: *`),
 * so two writers on one checkpoint are detected; `delete` removes object versions, so a versioned bucket keeps no
 * delete markers; large objects go up in multipart uploads (the SDK's Upload). Requests retry with backoff on
 * throttling and transient errors (the SDK's standard retry mode, 10 attempts). Every request is counted
 * (`requests`), so a query can report S3 requests per micro-batch.
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
import type { FileStatus, FileSystem } from "./file-system.js";

export interface S3Config {
  readonly endpoint: string | undefined;
  readonly region: string;
  readonly pathStyle: boolean;
  readonly accessKeyId: string | undefined;
  readonly secretAccessKey: string | undefined;
  readonly sessionToken: string | undefined;
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

const statusOf = (e: unknown): number | undefined => (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

export class S3FileSystem implements FileSystem {
  readonly scheme = "s3a";
  /** Requests sent so far, by operation. */
  readonly requests: Record<string, number> = {};
  private readonly client: S3Client;

  constructor(readonly config: S3Config) {
    this.client = new S3Client({
      region: config.region, forcePathStyle: config.pathStyle, maxAttempts: 10, retryMode: "standard",
      ...(config.endpoint !== undefined ? { endpoint: config.endpoint } : {}),
      ...(config.accessKeyId !== undefined && config.secretAccessKey !== undefined
        ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey, ...(config.sessionToken !== undefined ? { sessionToken: config.sessionToken } : {}) } }
        : {}),
    });
  }

  /** Adds requests made on this file system's behalf elsewhere (worker tasks with their own client). */
  countRequests(op: string, n: number): void { if (n > 0) this.requests[op] = (this.requests[op] ?? 0) + n; }

  /** Requests sent so far, all operations. */
  get requestCount(): number { return Object.values(this.requests).reduce((a, b) => a + b, 0); }

  private async send<T>(op: string, p: string, f: () => Promise<T>): Promise<T> {
    this.requests[op] = (this.requests[op] ?? 0) + 1;
    try {
      return await f();
    } catch (e) {
      if (statusOf(e) === 404 || statusOf(e) === 412) throw e;
      throw new SluiceError("IO_ERROR", `S3 ${op} of ${p} failed: ${(e as Error).name}: ${(e as Error).message}. Check the endpoint, bucket and credentials (spark.hadoop.fs.s3a.* or AWS_*).`, { cause: e, params: { path: p, operation: op }, retryable: true });
    }
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
      const res = await this.send("GET", p, () => this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
      return await res.Body!.transformToByteArray();
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  }

  async writeIfAbsent(p: string, data: Uint8Array | string): Promise<boolean> {
    const { bucket, key } = parseS3Path(p);
    try {
      await this.send("PUT", p, () => this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data, IfNoneMatch: "*" })));
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
      await this.send("PUT", p, () => this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data })));
      return;
    }
    // Multipart: create, one request per 16 MB part, complete.
    const parts = Math.ceil(size / PART_SIZE);
    this.requests["MULTIPART"] = (this.requests["MULTIPART"] ?? 0) + parts + 2;
    try {
      await new Upload({ client: this.client, params: { Bucket: bucket, Key: key, Body: data }, partSize: PART_SIZE, queueSize: 4 }).done();
    } catch (e) {
      throw new SluiceError("IO_ERROR", `S3 multipart upload of ${p} failed: ${(e as Error).message}`, { cause: e, params: { path: p }, retryable: true });
    }
  }

  async exists(p: string): Promise<boolean> { return (await this.stat(p)) !== undefined; }

  async stat(p: string): Promise<FileStatus | undefined> {
    const { bucket, key } = parseS3Path(p);
    try {
      const h = await this.send("HEAD", p, () => this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
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
      const res = await this.send("LIST", this.uri(bucket, prefix), () => this.client.send(new ListObjectsV2Command({
        Bucket: bucket, Prefix: prefix, ContinuationToken: token, ...(delimiter !== undefined ? { Delimiter: delimiter } : {}), ...(max !== undefined ? { MaxKeys: max } : {}),
      })));
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
        const res = await this.send("LIST", p, () => this.client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker: keyMarker, VersionIdMarker: versionMarker })));
        const ids: ObjectIdentifier[] = [...(res.Versions ?? []), ...(res.DeleteMarkers ?? [])]
          .filter((v) => v.Key === key || v.Key!.startsWith(`${key}/`))
          .map((v) => ({ Key: v.Key!, ...(v.VersionId !== undefined && v.VersionId !== "null" ? { VersionId: v.VersionId } : {}) }));
        if (ids.length > 0) await this.send("DELETE", p, () => this.client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: ids, Quiet: true } })));
        keyMarker = res.IsTruncated ? res.NextKeyMarker : undefined;
        versionMarker = res.IsTruncated ? res.NextVersionIdMarker : undefined;
      } while (keyMarker !== undefined);
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
