/** Entry point of a worker thread: runs tasks sent by the WorkerPool, one at a time. */
import { parentPort } from "node:worker_threads";
import type { TaskSpec } from "./task.js";
import { runTask } from "./task-runner.js";

parentPort!.on("message", (msg: { id: number; spec: TaskSpec }) => {
  runTask(msg.spec).then(
    ({ result, transfer }) => parentPort!.postMessage({ id: msg.id, result }, transfer),
    (e: unknown) => {
      const err = e as { message?: string; code?: string; params?: unknown; name?: string; stack?: string };
      parentPort!.postMessage({ id: msg.id, error: { message: err.message ?? String(e), code: err.code, params: err.params, name: err.name, stack: err.stack } });
    },
  );
});
