/** What DataFrames, readers and writers need from their session, without importing the Session class. */
import type { EvalContext } from "../expressions/eval-context.js";
import type { WorkerPool } from "../execution/parallel/worker-pool.js";
import type { LogicalPlan } from "../plan/logical-plan.js";
import type { StreamingQueryManager } from "../streaming/streaming-query-manager.js";
import type { RuntimeConfig } from "./runtime-config.js";

export interface SessionState {
  readonly conf: RuntimeConfig;
  /** Worker parallelism from `master("local[N]")`. */
  readonly parallelism: number;
  readonly streams: StreamingQueryManager;
  evalContext(): EvalContext;
  /** The session's worker threads (created on first use), one per `local[N]` core. */
  workerPool(): WorkerPool;
  /** Temp views and memory-sink tables by lower-case name. */
  lookupView(name: string): LogicalPlan | undefined;
  registerView(name: string, plan: LogicalPlan): void;
}
