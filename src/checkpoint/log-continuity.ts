/**
 * The offsets and commits logs of a checkpoint tell one story: offsets ids without gaps, commits ids without gaps,
 * every commit backed by its offsets entry, and at most the latest batch planned but not committed. Anything else
 * is a damaged checkpoint (a deleted or lost file) that would make a restart skip or reprocess data.
 *
 *     offsets/ 0 1 2 3   commits/ 0 1 2     fine: batch 3 is replayed
 *     offsets/ 0 1 2     commits/ 0 1 2 3   offsets/3 missing
 *     offsets/ 0 1 3     commits/ 0 1       offsets/2 missing
 *     offsets/ 0 1 2 3   commits/ 0 1       commits/2 missing
 */
import * as path from "node:path";
import { SluiceError } from "../errors/sluice-error.js";

function corrupt(checkpointDir: string, missing: string, why: string): SluiceError {
  return new SluiceError("CHECKPOINT_CORRUPT",
    `The checkpoint at ${checkpointDir} is damaged: ${path.join(checkpointDir, missing)} is missing (${why}). Restarting would skip or reprocess data; restore the checkpoint from a backup or start the query with a new checkpointLocation.`,
    { params: { path: checkpointDir, missing } });
}

function firstGap(ids: readonly number[]): number | undefined {
  for (let k = 1; k < ids.length; k++) if (ids[k] !== ids[k - 1]! + 1) return ids[k - 1]! + 1;
  return undefined;
}

/** Throws CHECKPOINT_CORRUPT naming the first missing log file; `offsetIds` and `commitIds` are sorted. */
export function checkLogContinuity(checkpointDir: string, offsetIds: readonly number[], commitIds: readonly number[]): void {
  const offsetGap = firstGap(offsetIds);
  if (offsetGap !== undefined) throw corrupt(checkpointDir, `offsets/${offsetGap}`, `the offsets log has entries ${offsetIds[0]} to ${offsetIds[offsetIds.length - 1]} with a gap`);
  const commitGap = firstGap(commitIds);
  if (commitGap !== undefined) throw corrupt(checkpointDir, `commits/${commitGap}`, `the commits log has entries ${commitIds[0]} to ${commitIds[commitIds.length - 1]} with a gap`);
  const latestCommit = commitIds[commitIds.length - 1];
  const latestOffsets = offsetIds[offsetIds.length - 1];
  if (latestCommit !== undefined && (latestOffsets === undefined || latestCommit > latestOffsets)) {
    throw corrupt(checkpointDir, `offsets/${latestCommit}`, `batch ${latestCommit} is committed but its offsets are not logged`);
  }
  if (latestOffsets !== undefined && latestOffsets - (latestCommit ?? -1) > 1) {
    throw corrupt(checkpointDir, `commits/${latestOffsets - 1}`, `batch ${latestOffsets} was planned, so batch ${latestOffsets - 1} must have committed`);
  }
}
