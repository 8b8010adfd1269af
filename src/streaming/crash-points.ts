/**
 * Deterministic crash points for fault-injection tests: named steps of the micro-batch lifecycle where a test can
 * have the process killed (SIGKILL, as `kill -9`), to prove every sink's guarantee across a restart.
 *
 * Test-only: armed by the environment variable `SLUICE_TEST_CRASH_AT=<point>[@<batchId>]` of the process under test
 * (e.g. `after-offsets@3`: die right after `offsets/3` is written); without it every call is a no-op.
 *
 * Points, in lifecycle order:
 * - `after-source-log`: a file source logged the files of the next batch (`sources/0/N`), before `offsets/N`;
 * - `after-offsets`: `offsets/N` written, nothing processed;
 * - `mid-sink`: the sink wrote part of batch N (data files, records or rows) but has not committed it;
 * - `mid-state-commit`: one state partition's version N+1 written, the others not;
 * - `after-sink-commit`: the sink committed batch N, `commits/N` not yet written;
 * - `mid-purge`: a purge past minBatchesToRetain chose the log entries to delete (one multi-object delete), none
 *   deleted yet (a local purge that dies later leaves a prefix deleted, which recovery tolerates).
 */
export type CrashPoint = "after-source-log" | "after-offsets" | "mid-sink" | "mid-state-commit" | "after-sink-commit" | "mid-purge";

const spec = process.env["SLUICE_TEST_CRASH_AT"];
const [armedPoint, armedBatch] = spec === undefined || spec === "" ? [undefined, undefined] : spec.split("@") as [string, string?];

/** Kills the process when the test armed this point (and batch); otherwise nothing. */
export function crashPoint(point: CrashPoint, batchId?: number): void {
  if (armedPoint !== point) return;
  if (armedBatch !== undefined && batchId !== undefined && Number(armedBatch) !== batchId) return;
  process.kill(process.pid, "SIGKILL");
}
