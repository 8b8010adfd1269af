/** `spark.streaming.stopGracefullyOnShutdown`: on SIGTERM/SIGINT, let each query finish and commit its batch, then exit. */
import type { StreamingQueryManager } from "../streaming/streaming-query-manager.js";

const managers = new Set<StreamingQueryManager>();
let installed = false;

export function installShutdownHook(manager: StreamingQueryManager): void {
  managers.add(manager);
  if (installed) return;
  installed = true;
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(`Received ${signal}: stopping streaming queries after their current batch\n`);
    const all = [...managers].flatMap((m) => m.active);
    void Promise.allSettled(all.map((q) => q.stop())).then(() => process.exit(0));
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
}
