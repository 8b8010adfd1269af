/** FileSystem on the local disk: atomic writes by temp file + rename, create-if-absent by temp file + hard link. */
import { randomBytes } from "node:crypto";
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { SluiceError } from "../errors/sluice-error.js";
import type { FileStatus, FileSystem } from "./file-system.js";
import { parseS3Path, s3Config, s3FileSystem } from "./s3-file-system.js";

function ioError(op: string, p: string, cause: unknown): SluiceError {
  return new SluiceError("IO_ERROR", `Could not ${op} ${p}: ${(cause as Error).message}`, { cause, params: { path: p }, domain: "external", retryable: true });
}

function tempName(p: string): string {
  return path.join(path.dirname(p), `.${path.basename(p)}.${randomBytes(6).toString("hex")}.tmp`);
}

export class LocalFileSystem implements FileSystem {
  readonly scheme = "file";

  async read(p: string): Promise<Uint8Array> {
    try { return await fsp.readFile(p); } catch (e) { throw ioError("read", p, e); }
  }

  async readIfExists(p: string): Promise<Uint8Array | undefined> {
    try { return await fsp.readFile(p); } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw ioError("read", p, e);
    }
  }

  async writeIfAbsent(p: string, data: Uint8Array | string): Promise<boolean> {
    await this.mkdirs(path.dirname(p));
    const tmp = tempName(p);
    try {
      await fsp.writeFile(tmp, data, { flush: true });
      try {
        await fsp.link(tmp, p);
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
        throw e;
      }
    } catch (e) {
      throw ioError("write", p, e);
    } finally {
      await fsp.rm(tmp, { force: true });
    }
  }

  async write(p: string, data: Uint8Array | string): Promise<void> {
    await this.mkdirs(path.dirname(p));
    const tmp = tempName(p);
    try {
      await fsp.writeFile(tmp, data, { flush: true });
      await fsp.rename(tmp, p);
    } catch (e) {
      await fsp.rm(tmp, { force: true });
      throw ioError("write", p, e);
    }
  }

  async exists(p: string): Promise<boolean> {
    return (await this.stat(p)) !== undefined;
  }

  async stat(p: string): Promise<FileStatus | undefined> {
    try {
      const s = await fsp.stat(p);
      return { path: p, size: s.size, modificationTime: s.mtimeMs, isDirectory: s.isDirectory() };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw ioError("stat", p, e);
    }
  }

  async list(dir: string): Promise<FileStatus[]> {
    let names: string[];
    try { names = await fsp.readdir(dir); } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR") return [];
      throw ioError("list", dir, e);
    }
    const out: FileStatus[] = [];
    for (const n of names) {
      const s = await this.stat(path.join(dir, n));
      if (s) out.push(s);
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async listRecursive(dir: string): Promise<FileStatus[]> {
    const out: FileStatus[] = [];
    for (const s of await this.list(dir)) {
      if (s.isDirectory) out.push(...(await this.listRecursive(s.path)));
      else out.push(s);
    }
    return out;
  }

  async delete(p: string): Promise<void> {
    try { await fsp.rm(p, { force: true, recursive: true }); } catch (e) { throw ioError("delete", p, e); }
  }

  async deleteFiles(paths: readonly string[]): Promise<void> {
    for (const p of paths) {
      try { await fsp.rm(p, { force: true }); } catch (e) { throw ioError("delete", p, e); }
    }
  }

  async rename(from: string, to: string): Promise<void> {
    await this.mkdirs(path.dirname(to));
    try { await fsp.rename(from, to); } catch (e) { throw ioError("rename", from, e); }
  }

  async mkdirs(p: string): Promise<void> {
    try { await fsp.mkdir(p, { recursive: true }); } catch (e) { throw ioError("create directory", p, e); }
  }
}

const local = new LocalFileSystem();

/** Normalizes `file:///x` to `/x` and relative paths to absolute ones; object-store URIs stay as they are (`s3a://b/k`). */
export function normalizePath(p: string): string {
  if (isObjectStorePath(p)) { const { scheme, bucket, key } = parseS3Path(p); return `${scheme}://${bucket}${key === "" ? "" : `/${key}`}`; }
  if (p.startsWith("file://")) return p.slice("file://".length);
  return path.resolve(p);
}

/** A path as the URI logs record it: `file:///x` for local paths, object-store URIs as they are. */
export function toUri(p: string): string { return isObjectStorePath(p) ? normalizePath(p) : `file://${p}`; }
/** The path of a URI that `toUri` made. */
export function fromUri(u: string): string { return u.startsWith("file://") ? u.slice("file://".length) : u; }

/** `s3a://…`, `s3://…` (also after path.join has collapsed the double slash). */
export function isObjectStorePath(p: string): boolean { return /^s3a?:\//.test(p); }

/**
 * The file system for a path: the local disk, or S3/MinIO for `s3a://` and `s3://` with settings from `conf`
 * (the session's configuration and the operation's options; see s3-file-system.ts) and the environment.
 */
export function fileSystemFor(p: string, conf: (key: string) => string | undefined = () => undefined): FileSystem {
  return isObjectStorePath(p) ? s3FileSystem(s3Config(conf)) : local;
}
