/** `sluice checkpoint <dir>`: prints a checkpoint's query id, batches, offsets and commits. */
import * as path from "node:path";
import { CommitLog } from "../checkpoint/commit-log.js";
import { OffsetLog } from "../checkpoint/offset-log.js";
import { loadOrCreateQueryId } from "../checkpoint/query-metadata.js";
import { LocalFileSystem } from "../fs/local-file-system.js";

export async function describeCheckpoint(dir: string): Promise<string> {
  const fs = new LocalFileSystem();
  if (!(await fs.exists(path.join(dir, "metadata")))) return `${dir} is not a checkpoint (no metadata file)\n`;
  const id = await loadOrCreateQueryId(fs, dir);
  const offsets = new OffsetLog(fs, path.join(dir, "offsets"));
  const commits = new CommitLog(fs, path.join(dir, "commits"));
  const lastOffset = await offsets.latestId(), lastCommit = await commits.latestId();
  const lines = [`query id:         ${id}`, `last planned:     ${lastOffset ?? "-"}`, `last committed:   ${lastCommit ?? "-"}`];
  if (lastOffset !== undefined) {
    const seq = await offsets.get(lastOffset);
    lines.push(`batch ${lastOffset} timestamp: ${new Date(seq!.metadata.batchTimestampMs).toISOString()}`);
    seq!.offsets.forEach((o, i) => lines.push(`  source ${i} offset: ${JSON.stringify(o)}`));
    if (lastCommit !== lastOffset) lines.push(`batch ${lastOffset} is not committed: it will be re-run with these offsets on restart`);
  }
  return lines.join("\n") + "\n";
}
