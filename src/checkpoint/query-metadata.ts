/**
 * `metadata`: the query id, stable across restarts from this checkpoint, and (Sluice's addition, which Spark's reader
 * ignores) the kinds of the query's sources and its sink, so a checkpoint is never used by another query. Format (one
 * JSON line):
 *
 *     {"id":"c1a0c6c4-2d4a-4d38-9bb4-0b5c7f1f4a10","sources":["rate"],"sink":"parquet"}
 *
 * A checkpoint written by Spark (only `id`) is accepted; its offsets are still checked against each source's form.
 */
import { randomUUID } from "node:crypto";
import * as path from "node:path";
import { SluiceError } from "../errors/sluice-error.js";
import { isFileFormat } from "../formats/formats.js";
import type { FileSystem } from "../fs/file-system.js";

/** What a checkpoint is for: the source formats in source order (`sources/<i>`), and the sink format. */
export interface QueryShape {
  readonly sources: readonly string[];
  readonly sink: string;
}

interface StoredMetadata { readonly id?: unknown; readonly sources?: unknown; readonly sink?: unknown }

function foreign(checkpointDir: string, what: string, recorded: string, current: string): SluiceError {
  return new SluiceError("CHECKPOINT_FOREIGN",
    `The checkpoint at ${checkpointDir} belongs to another query: it was written for ${what} ${recorded}, and this query has ${current}. Give this query its own checkpointLocation.`,
    { params: { path: checkpointDir, what, recorded, current } });
}

/** Spark refuses a change of the sources, and of the sink to a file sink; other sink changes are allowed (e.g. file to Kafka). */
function checkShape(checkpointDir: string, stored: StoredMetadata, query: QueryShape): void {
  if (Array.isArray(stored.sources)) {
    const recorded = stored.sources.map(String), current = [...query.sources];
    if (recorded.join(",") !== current.join(",")) throw foreign(checkpointDir, "sources", `[${recorded.join(", ")}]`, `[${current.join(", ")}]`);
  }
  if (typeof stored.sink === "string" && stored.sink !== query.sink && isFileFormat(query.sink)) throw foreign(checkpointDir, "the sink", stored.sink, query.sink);
}

function concurrentWriter(checkpointDir: string): SluiceError {
  return new SluiceError("CHECKPOINT_CONCURRENT_WRITER", `Another query created the checkpoint at ${checkpointDir} while this one was starting: two queries are using this checkpoint location. Stop the other one, or give this query its own checkpointLocation.`,
    { params: { path: checkpointDir } });
}

/** The checkpoint's query id, created on the first run; with `query`, refuses a checkpoint of another query. */
export async function loadOrCreateQueryId(fs: FileSystem, checkpointDir: string, query?: QueryShape): Promise<string> {
  const p = path.join(checkpointDir, "metadata");
  if (!(await fs.exists(p))) {
    // Hidden temporary files are a killed writer's leftovers (as HDFSMetadataLog ignores them), not another query's.
    const entries = (await fs.list(checkpointDir)).filter((e) => !path.basename(e.path).startsWith("."));
    // Entries that appeared with the metadata file since the check above: another query is creating this checkpoint.
    if (entries.length > 0 && await fs.exists(p)) throw concurrentWriter(checkpointDir);
    if (entries.some((e) => ["offsets", "commits"].includes(path.basename(e.path)))) {
      throw new SluiceError("CHECKPOINT_CORRUPT", `The checkpoint at ${checkpointDir} has offsets or commits but no metadata file. Restore it or use a new checkpointLocation.`, { params: { path: checkpointDir } });
    }
    if (entries.length > 0 && !entries.some((e) => ["sources", "state"].includes(path.basename(e.path)))) {
      throw new SluiceError("CHECKPOINT_FOREIGN", `The checkpointLocation ${checkpointDir} is not empty and is not a Sluice/Spark checkpoint (found ${entries.slice(0, 3).map((e) => path.basename(e.path)).join(", ")}). Point the query at an empty or dedicated folder.`, { params: { path: checkpointDir } });
    }
    const id = randomUUID();
    if (!(await fs.writeIfAbsent(p, JSON.stringify({ id, ...(query === undefined ? {} : { sources: query.sources, sink: query.sink }) }) + "\n"))) throw concurrentWriter(checkpointDir);
  }
  const text = Buffer.from(await fs.read(p)).toString("utf8");
  let stored: StoredMetadata | undefined;
  try { stored = JSON.parse(text) as StoredMetadata; } catch { /* reported below */ }
  if (typeof stored !== "object" || stored === null || typeof stored.id !== "string" || stored.id.length === 0) {
    throw new SluiceError("CHECKPOINT_CORRUPT", `The checkpoint metadata file ${p} is corrupt (expected {"id": "..."}). Restore it or use a new checkpointLocation.`, { params: { path: p } });
  }
  if (query !== undefined) checkShape(checkpointDir, stored, query);
  return stored.id;
}
