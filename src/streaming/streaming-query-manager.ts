/** `spark.streams`: the active queries of a session, termination waits and listeners. */
import { AnalysisException } from "../errors/sluice-error.js";
import type { StreamingQueryListener, StreamingQueryProgress } from "./progress.js";
import type { StreamingQuery } from "./streaming-query.js";

export class StreamingQueryManager {
  private readonly queries = new Map<string, StreamingQuery>();
  private readonly listeners = new Set<StreamingQueryListener>();
  private lastTerminated: StreamingQuery | null = null;
  private readonly terminationWaiters = new Set<() => void>();

  get active(): StreamingQuery[] { return [...this.queries.values()].filter((q) => q.isActive); }
  get(id: string): StreamingQuery | null { return this.queries.get(id) ?? null; }
  addListener(l: StreamingQueryListener): void { this.listeners.add(l); }
  removeListener(l: StreamingQueryListener): void { this.listeners.delete(l); }

  /** @internal Fails like Spark when a query with the same name or id is already running. */
  checkNotActive(id: string, name: string | null): void {
    for (const q of this.active) {
      if (q.id === id) throw new AnalysisException("QUERY_ALREADY_ACTIVE", `Cannot start query with id ${id} as another query with same id is already active. Perhaps you are attempting to restart a query from checkpoint that is already active.`, { params: { id } });
      if (name !== null && q.name === name) throw new AnalysisException("QUERY_ALREADY_ACTIVE", `Cannot start query with name ${name} as a query with that name is already active in this SparkSession.`, { params: { name } });
    }
  }
  /** @internal */
  register(q: StreamingQuery): void {
    this.queries.set(q.id, q);
    this.emit((l) => l.onQueryStarted?.({ id: q.id, runId: q.runId, name: q.name, timestamp: new Date().toISOString() }));
  }
  /** @internal */
  progress(p: StreamingQueryProgress): void { this.emit((l) => l.onQueryProgress?.({ progress: p })); }
  /** @internal */
  idle(q: StreamingQuery): void { this.emit((l) => l.onQueryIdle?.({ id: q.id, runId: q.runId, timestamp: new Date().toISOString() })); }
  /** @internal */
  terminated(q: StreamingQuery): void {
    this.lastTerminated = q;
    this.emit((l) => l.onQueryTerminated?.({ id: q.id, runId: q.runId, exception: q.exception()?.message ?? null }));
    for (const w of [...this.terminationWaiters]) w();
  }

  private emit(f: (l: StreamingQueryListener) => void): void {
    for (const l of this.listeners) {
      try { f(l); } catch { /* a failing listener must not stop the query, as in Spark */ }
    }
  }

  /** Waits until any query terminates since the last `resetTerminated()`; rejects with its exception if it failed. */
  async awaitAnyTermination(timeoutMs?: number): Promise<boolean> {
    if (this.lastTerminated === null) {
      const ended = await new Promise<boolean>((resolve) => {
        const w = (): void => { this.terminationWaiters.delete(w); clearTimeout(t); resolve(true); };
        const t = timeoutMs === undefined ? undefined : setTimeout(() => { this.terminationWaiters.delete(w); resolve(false); }, timeoutMs);
        this.terminationWaiters.add(w);
      });
      if (!ended) return false;
    }
    const e = this.lastTerminated?.exception();
    if (e) throw e;
    return true;
  }
  resetTerminated(): void { this.lastTerminated = null; }
}
