/**
 * `spark.streaming.stopGracefullyOnShutdown`: on SIGTERM/SIGINT, let each query finish and commit its batch, then exit.
 * After the queries stop, the program's own code after `awaitTermination()` runs (a final report, closing clients);
 * the process exits when it is done, or after a grace period if something still holds it open. A second signal
 * exits at once (Node's default, the handlers being one-shot).
 */
import type { StreamingQueryManager } from "../streaming/streaming-query-manager.js";

const managers = new Set<StreamingQueryManager>();
let installed = false;
const GRACE_MS = 5_000;

export function installShutdownHook(manager: StreamingQueryManager): void {
  managers.add(manager);
  if (installed) return;
  installed = true;
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(`Received ${signal}: stopping streaming queries after their current batch\n`);
    const all = [...managers].flatMap((m) => m.active);
    void Promise.allSettled(all.map((q) => q.stop())).then(() => {
      // Unreferenced: a program that has finished exits by itself, before the timer.
      setTimeout(() => process.exit(0), GRACE_MS).unref();
    });
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
}
