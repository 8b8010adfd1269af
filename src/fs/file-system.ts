/** The small file-system interface every checkpoint, source and sink goes through: the local disk or S3/MinIO. */

export interface FileStatus {
  readonly path: string;
  readonly size: number;
  /** Milliseconds since the epoch. */
  readonly modificationTime: number;
  readonly isDirectory: boolean;
}

/**
 * A file system addressed by absolute paths. Writes are whole-file and atomic: a reader sees all of a file or none.
 *
 * @example
 * const fs = fileSystemFor("/tmp/ckpt");
 * if (!(await fs.writeIfAbsent("/tmp/ckpt/offsets/0", data))) throw new Error("another writer got there first");
 */
export interface FileSystem {
  readonly scheme: string;
  read(path: string): Promise<Uint8Array>;
  /** The file's bytes, or undefined when it does not exist (one request on object storage). */
  readIfExists(path: string): Promise<Uint8Array | undefined>;
  /** Atomically creates `path` with `data`; returns false (and writes nothing) if it already exists. */
  writeIfAbsent(path: string, data: Uint8Array | string): Promise<boolean>;
  /** Atomically creates or replaces `path`. */
  write(path: string, data: Uint8Array | string): Promise<void>;
  exists(path: string): Promise<boolean>;
  stat(path: string): Promise<FileStatus | undefined>;
  /** Entries directly under `dir` (empty when it does not exist). */
  list(dir: string): Promise<FileStatus[]>;
  /** Every file under `dir`, recursively. */
  listRecursive(dir: string): Promise<FileStatus[]>;
  delete(path: string): Promise<void>;
  /** Deletes these files (not folders), skipping missing ones, in as few requests as the store allows (one on S3). */
  deleteFiles(paths: readonly string[]): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  mkdirs(path: string): Promise<void>;
}
