/**
 * `metadata`: the query id, stable across restarts from this checkpoint. Format (one JSON line):
 *
 *     {"id":"c1a0c6c4-2d4a-4d38-9bb4-0b5c7f1f4a10"}
 */
import { randomUUID } from "node:crypto";
import * as path from "node:path";
import { SluiceError } from "../errors/sluice-error.js";
import type { FileSystem } from "../fs/file-system.js";

function concurrentWriter(checkpointDir: string): SluiceError {
  return new SluiceError("CHECKPOINT_CONCURRENT_WRITER", `Another query created the checkpoint at ${checkpointDir} while this one was starting: two queries are using this checkpoint location. Stop the other one, or give this query its own checkpointLocation.`,
    { params: { path: checkpointDir } });
}

export async function loadOrCreateQueryId(fs: FileSystem, checkpointDir: string): Promise<string> {
  const p = path.join(checkpointDir, "metadata");
  if (!(await fs.exists(p))) {
    const entries = await fs.list(checkpointDir);
    // Entries that appeared with the metadata file since the check above: another query is creating this checkpoint.
    if (entries.length > 0 && await fs.exists(p)) throw concurrentWriter(checkpointDir);
    if (entries.some((e) => ["offsets", "commits"].includes(path.basename(e.path)))) {
      throw new SluiceError("CHECKPOINT_CORRUPT", `The checkpoint at ${checkpointDir} has offsets or commits but no metadata file. Restore it or use a new checkpointLocation.`, { params: { path: checkpointDir } });
    }
    if (entries.length > 0 && !entries.some((e) => ["sources", "state"].includes(path.basename(e.path)))) {
      throw new SluiceError("CHECKPOINT_FOREIGN", `The checkpointLocation ${checkpointDir} is not empty and is not a Sluice/Spark checkpoint (found ${entries.slice(0, 3).map((e) => path.basename(e.path)).join(", ")}). Point the query at an empty or dedicated folder.`, { params: { path: checkpointDir } });
    }
    const id = randomUUID();
    if (!(await fs.writeIfAbsent(p, JSON.stringify({ id }) + "\n"))) throw concurrentWriter(checkpointDir);
  }
  const text = Buffer.from(await fs.read(p)).toString("utf8");
  try {
    const id = (JSON.parse(text) as { id?: unknown }).id;
    if (typeof id === "string" && id.length > 0) return id;
  } catch { /* reported below */ }
  throw new SluiceError("CHECKPOINT_CORRUPT", `The checkpoint metadata file ${p} is corrupt (expected {"id": "..."}). Restore it or use a new checkpointLocation.`, { params: { path: p } });
}
