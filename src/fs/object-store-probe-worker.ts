/** Worker thread behind `load()` on object storage: lists the data files (and reads samples for schema inference). */
import { runAsWorker } from "synckit";
import { listDataFiles } from "../sources/file-listing.js";
import type { FileStatus } from "./file-system.js";
import { s3FileSystem, type S3Config } from "./s3-file-system.js";

runAsWorker(async (config: S3Config, dir: string, samples: number): Promise<{ files: FileStatus[]; samples: string[] }> => {
  const fs = s3FileSystem(config);
  const files = await listDataFiles(fs, dir);
  const read = await Promise.all(files.slice(0, samples).map(async (f) => Buffer.from(await fs.read(f.path)).toString("base64")));
  return { files, samples: read };
});
