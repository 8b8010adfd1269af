/** Resolves a file path + format + options into a schema and a scan, for batch reads and the streaming file source. */
import { AnalysisException, SluiceError } from "../errors/sluice-error.js";
import { fileFormat } from "../formats/formats.js";
import { TEXT_SCHEMA } from "../formats/text-format.js";
import { fileSystemFor, normalizePath } from "../fs/local-file-system.js";
import { S3FileSystem, type S3Config } from "../fs/s3-file-system.js";
import type { FileStatus } from "../fs/file-system.js";
import { createSyncFn } from "synckit";
import type { ObjectStoreProbe } from "../fs/object-store-probe-worker.js";
import type { FileSystem } from "../fs/file-system.js";
import { readFiles } from "../sources/file-scan.js";
import { listDataFiles, listLocalDataFilesSync, partitionSchema } from "../sources/file-listing.js";
import { existsSync, readFileSync } from "node:fs";
import type { BatchScan } from "../sources/streaming-source.js";
import { structType, type StructType } from "../types/data-type.js";

export interface FileRelationInfo {
  readonly fs: FileSystem;
  readonly dir: string;
  readonly schema: StructType;
  readonly partitionColumns: string[];
}

/**
 * Works out the schema of files at `path` when the DataFrame is defined: the user's, or inferred when allowed;
 * partition columns (`k=v` folders) appended. Local paths are inspected synchronously, so `load()` returns a
 * DataFrame directly as in PySpark; the data itself is read asynchronously when the query runs.
 */
export function resolveFileRelation(
  format: string, rawPath: string, userSchema: StructType | undefined, options: Readonly<Record<string, string>>,
  timeZone: string, allowInference: boolean, conf: (key: string) => string | undefined = () => undefined,
): FileRelationInfo {
  const fs = fileSystemFor(rawPath, conf);
  const dir = normalizePath(rawPath);
  const f = fileFormat(format);
  const needSamples = userSchema === undefined && format !== "text" && allowInference;
  // Object storage is listed (and sampled) synchronously through a worker thread, so load() returns a DataFrame.
  const remote = fs instanceof S3FileSystem ? probeObjectStore(fs.config, dir, needSamples ? 50 : 0) : undefined;
  const files = remote?.files ?? listLocalDataFilesSync(dir);
  const parts = partitionSchema(dir, files, {
    typeInference: (conf("spark.sql.sources.partitionColumnTypeInference.enabled") ?? "true").toLowerCase() === "true", timeZone,
  });
  let schema: StructType;
  if (userSchema !== undefined) {
    schema = userSchema;
  } else if (format === "text") {
    schema = TEXT_SCHEMA;
  } else if (!allowInference) {
    throw new AnalysisException("UNABLE_TO_INFER_SCHEMA", `Schema must be specified when creating a streaming source DataFrame from ${format} files. Call .schema(...) or set spark.sql.streaming.schemaInference to true.`, { params: { format } });
  } else {
    if (files.length === 0) {
      if (remote === undefined && !existsSync(dir)) throw new AnalysisException("PATH_NOT_FOUND", `Path does not exist: file:${dir}.`, { params: { path: dir } });
      throw new AnalysisException("UNABLE_TO_INFER_SCHEMA", `Unable to infer schema for ${format.toUpperCase()}. It must be specified manually.`, { params: { format } });
    }
    if (f.inferSchema === undefined) throw new SluiceError("NOT_IMPLEMENTED", `Schema inference is not available for ${format}.`, {});
    schema = f.inferSchema(remote?.samples ?? files.slice(0, 50).map((s) => readFileSync(s.path)), options, timeZone);
  }
  const missingParts = parts.filter((p) => !schema.fields.some((x) => x.name.toLowerCase() === p.name.toLowerCase()));
  schema = structType([...schema.fields, ...missingParts]);
  return { fs, dir, schema, partitionColumns: parts.map((p) => p.name) };
}

let probe: ((config: S3Config, dir: string, samples: number) => ObjectStoreProbe) | undefined;

function probeObjectStore(config: S3Config, dir: string, samples: number): { files: FileStatus[]; samples: Uint8Array[] } {
  // The S3 calls in the worker are bounded (fs.s3a.connection.request.timeout x fs.s3a.attempts.maximum): this is a backstop.
  probe ??= createSyncFn(new URL("../fs/object-store-probe-worker.js", import.meta.url).pathname, { timeout: 900_000 });
  const r = probe(config, dir, samples);
  if ("error" in r) throw new SluiceError(r.error.code, r.error.message, { params: r.error.params, retryable: r.error.retryable });
  return { files: r.files, samples: r.samples.map((b) => new Uint8Array(Buffer.from(b, "base64"))) };
}

export function fileScan(format: string, info: FileRelationInfo, options: Readonly<Record<string, string>>, timeZone: string, parallelism: number): BatchScan {
  const f = fileFormat(format);
  return {
    description: `${format} ${info.dir}`,
    schema: info.schema,
    async read() {
      const files = (await listDataFiles(info.fs, info.dir)).map((s) => s.path);
      if (files.length === 0 && !(await info.fs.exists(info.dir))) throw new AnalysisException("PATH_NOT_FOUND", `Path does not exist: file:${info.dir}.`, { params: { path: info.dir } });
      return readFiles(files, info.dir, f, info.schema, info.partitionColumns, { fs: info.fs, timeZone, options }, parallelism);
    },
  };
}

