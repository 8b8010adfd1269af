/** Worker thread behind `load()` on object storage: lists the data files (and reads samples for schema inference). */
import { runAsWorker } from "synckit";
import { SluiceError, type ErrorCode, type ErrorParams } from "../errors/sluice-error.js";
import { listDataFiles } from "../sources/file-listing.js";
import type { FileStatus } from "./file-system.js";
import { s3FileSystem, type S3Config } from "./s3-file-system.js";

export type ObjectStoreProbe = { files: FileStatus[]; samples: string[] } | { error: { code: ErrorCode; message: string; params: ErrorParams; retryable: boolean } };

// A coded failure (S3_TIMEOUT, S3_ACCESS_DENIED, ...) comes back as data: an error thrown across the worker boundary would lose its code.
runAsWorker(async (config: S3Config, dir: string, samples: number): Promise<ObjectStoreProbe> => {
  const fs = s3FileSystem(config);
  try {
    const files = await listDataFiles(fs, dir);
    const read = await Promise.all(files.slice(0, samples).map(async (f) => Buffer.from(await fs.read(f.path)).toString("base64")));
    return { files, samples: read };
  } catch (e) {
    if (!(e instanceof SluiceError)) throw e;
    return { error: { code: e.code, message: e.message.replace(/^\[[A-Z0-9_.]+\] /, ""), params: e.params, retryable: e.retryable } };
  }
});
