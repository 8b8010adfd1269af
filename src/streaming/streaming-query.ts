/** `StreamingQuery`: the handle `writeStream.start()` returns (id, status, progress, await, stop). */
import { inspect } from "node:util";
import type { StreamingQueryException } from "../errors/sluice-error.js";
import { inspectRedacted, redactedCopy } from "../security/redaction.js";
import type { MicroBatchExecution } from "./micro-batch-execution.js";
import type { StreamingQueryProgress, StreamingQueryStatus } from "./progress.js";

/**
 * A running (or finished) streaming query.
 *
 * @example
 * const q = await df.writeStream.format("console").start();
 * await q.processAllAvailable(); console.log(q.lastProgress?.numInputRows); await q.stop();
 */
export class StreamingQuery {
  private readonly progress: StreamingQueryProgress[] = [];
  private error: StreamingQueryException | null = null;
  private active = true;
  private readonly done: Promise<void>;
  private resolveDone!: () => void;
  private readonly waiters = new Set<() => void>();

  constructor(readonly execution: MicroBatchExecution, private readonly maxProgress: number, readonly explainText: string) {
    this.done = new Promise((r) => { this.resolveDone = r; });
  }

  get id(): string { return this.execution.id; }
  get runId(): string { return this.execution.runId; }
  get name(): string | null { return this.execution.name; }
  get isActive(): boolean { return this.active; }
  get status(): StreamingQueryStatus {
    return this.active ? this.execution.status : { message: "Stopped", isDataAvailable: false, isTriggerActive: false };
  }
  get recentProgress(): readonly StreamingQueryProgress[] { return [...this.progress]; }
  get lastProgress(): StreamingQueryProgress | null { return this.progress[this.progress.length - 1] ?? null; }
  exception(): StreamingQueryException | null { return this.error; }
  explain(): string { return this.explainText; }

  /** What `console.log(query)` and `JSON.stringify(query)` show: identity, state and progress, redacted; never the execution. */
  toJSON(): Record<string, unknown> {
    return redactedCopy({
      id: this.id, runId: this.runId, name: this.name, isActive: this.isActive, status: this.status,
      exception: this.error?.message ?? null, lastProgress: this.lastProgress,
    }) as Record<string, unknown>;
  }
  [inspect.custom](depth: number, options: object): string { return inspectRedacted("StreamingQuery", this.toJSON(), depth, options); }

  /** @internal */
  recordProgress(p: StreamingQueryProgress): void {
    this.progress.push(p);
    if (this.progress.length > this.maxProgress) this.progress.shift();
    this.notify();
  }
  /** @internal */
  notify(): void { for (const w of [...this.waiters]) w(); }
  /** @internal */
  finish(error: StreamingQueryException | null): void {
    this.error = error;
    this.active = false;
    this.resolveDone();
    this.notify();
  }

  /**
   * Waits for the query to end: resolves (true) when it stops, rejects with the StreamingQueryException when it
   * failed. With `timeoutMs`, resolves false if it is still running then.
   */
  async awaitTermination(timeoutMs?: number): Promise<boolean> {
    if (timeoutMs === undefined) {
      await this.done;
    } else {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        this.done.then(() => false),
        new Promise<boolean>((r) => { timer = setTimeout(() => r(true), timeoutMs); }),
      ]);
      clearTimeout(timer);
      if (timedOut) return false;
    }
    if (this.error) throw this.error;
    return true;
  }

  /** Waits until every row available when called has been processed and committed (for tests), or the query ends. */
  async processAllAvailable(): Promise<void> {
    const startIdle = this.execution.idleGeneration;
    while (this.active && this.execution.idleGeneration === startIdle) {
      await new Promise<void>((resolve) => {
        const w = (): void => { this.waiters.delete(w); resolve(); };
        this.waiters.add(w);
      });
    }
    if (this.error) throw this.error;
  }

  /** Stops the query after the batch in flight has committed; resolves when it has stopped. */
  async stop(): Promise<void> {
    this.execution.requestStop();
    await this.done;
  }
}
