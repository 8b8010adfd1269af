/**
 * A versioned key-value state store per stateful operator and partition, persisted through the FileSystem as deltas
 * with periodic snapshots: version N+1 is the state after batch N. Files (JSON lines, values in state-codec form):
 *
 *     state/0/1/5.delta      {"k":"[\"a\"]","v":{"keys":["a"],"buffers":[3]}}   (a put)
 *                            {"k":"[\"b\"]","r":1}                              (a removal)
 *     state/0/1/10.snapshot  the whole map at version 10, one put per line
 *
 * A batch works on an overlay of the committed version and commits it as the next version; a failed batch leaves the
 * committed state untouched, and re-running batch N rewrites version N+1 from version N.
 */
import * as path from "node:path";
import { SluiceError } from "../errors/sluice-error.js";
import type { FileSystem } from "../fs/file-system.js";
import { decodeState, encodeState } from "./state-codec.js";

const REMOVED: unique symbol = Symbol("removed");

export interface StateStoreMetrics { numRowsTotal: number; numRowsUpdated: number; numRowsRemoved: number; memoryUsedBytes: number; commitTimeMs: number }

/** One partition's state at one version, with this batch's uncommitted changes on top. */
export class StateStore {
  private readonly changes = new Map<string, unknown>();
  constructor(private readonly base: Map<string, unknown>, readonly version: number) {}

  get(key: string): unknown {
    const c = this.changes.get(key);
    if (c === REMOVED) return undefined;
    return c !== undefined ? c : this.base.get(key);
  }
  put(key: string, value: unknown): void { this.changes.set(key, value); }
  remove(key: string): void { if (this.base.has(key) || this.changes.has(key)) this.changes.set(key, REMOVED); }
  *entries(): Iterable<[string, unknown]> {
    for (const [k, v] of this.base) if (!this.changes.has(k)) yield [k, v];
    for (const [k, v] of this.changes) if (v !== REMOVED) yield [k, v];
  }
  get updates(): ReadonlyMap<string, unknown> { return this.changes; }
  get hasChanges(): boolean { return this.changes.size > 0; }
  /** The map for the next version (does not modify the committed one). */
  merged(): Map<string, unknown> {
    const next = new Map(this.base);
    for (const [k, v] of this.changes) { if (v === REMOVED) next.delete(k); else next.set(k, v); }
    return next;
  }
  static isRemoved(v: unknown): boolean { return v === REMOVED; }
}

/** Loads and commits the versions of one operator's partitions, caching the latest committed map in memory. */
export class StateStoreProvider {
  private readonly cache = new Map<number, { version: number; map: Map<string, unknown> }>();
  readonly metrics: StateStoreMetrics = { numRowsTotal: 0, numRowsUpdated: 0, numRowsRemoved: 0, memoryUsedBytes: 0, commitTimeMs: 0 };

  constructor(private readonly fs: FileSystem, readonly dir: string, private readonly snapshotInterval = 10) {}

  private partitionDir(p: number): string { return path.join(this.dir, String(p)); }
  private schemaChecked = false;

  /**
   * Records the operator's key and value schemas in `_metadata/schema` on the first run, and on later runs fails with
   * STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE / _VALUE_ when the query changed in a way its saved state cannot serve.
   * Format (one JSON line): {"keySchema":"struct<word:string>","valueSchema":"struct<count(1):bigint>"}
   */
  async checkSchema(keySchema: string, valueSchema: string): Promise<void> {
    if (this.schemaChecked) return;
    const file = path.join(this.dir, "_metadata", "schema");
    const current = JSON.stringify({ keySchema, valueSchema });
    if (!(await this.fs.writeIfAbsent(file, current + "\n"))) {
      let saved: { keySchema?: string; valueSchema?: string };
      try { saved = JSON.parse(Buffer.from(await this.fs.read(file)).toString("utf8")) as typeof saved; } catch (e) {
        throw new SluiceError("CHECKPOINT_CORRUPT", `The state schema file ${file} is corrupt. Restore the checkpoint or use a new checkpointLocation.`, { cause: e, params: { path: file } });
      }
      if (saved.keySchema !== keySchema) {
        throw new SluiceError("STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE",
          `Provided key schema does not match existing state key schema. Existing key schema=${saved.keySchema}, new key schema=${keySchema}. The query's grouping or deduplication keys changed since the checkpoint was written; restart it with a new checkpointLocation to start over.`,
          { params: { storedKeySchema: saved.keySchema ?? "", newKeySchema: keySchema } });
      }
      if (saved.valueSchema !== valueSchema) {
        throw new SluiceError("STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE",
          `Provided value schema does not match existing state value schema. Existing value schema=${saved.valueSchema}, new value schema=${valueSchema}. The query's aggregates changed since the checkpoint was written; restart it with a new checkpointLocation to start over.`,
          { params: { storedValueSchema: saved.valueSchema ?? "", newValueSchema: valueSchema } });
      }
    }
    this.schemaChecked = true;
  }

  /** The store of partition `p` at `version` (the state after batch version-1). */
  async load(p: number, version: number): Promise<StateStore> {
    const cached = this.cache.get(p);
    if (cached?.version === version) return new StateStore(cached.map, version);
    const map = await this.read(p, version);
    this.cache.set(p, { version, map });
    return new StateStore(map, version);
  }

  private async read(p: number, version: number): Promise<Map<string, unknown>> {
    const map = new Map<string, unknown>();
    if (version === 0) return map;
    const files = (await this.fs.list(this.partitionDir(p))).map((s) => path.basename(s.path));
    const versionsOf = (ext: string): number[] => files.filter((f) => f.endsWith(ext) && /^\d+\./.test(f)).map((f) => Number(f.split(".")[0])).filter((v) => v <= version);
    const snapshot = Math.max(0, ...versionsOf(".snapshot"));
    if (snapshot > 0) await this.apply(map, path.join(this.partitionDir(p), `${snapshot}.snapshot`));
    for (const v of versionsOf(".delta").filter((v) => v > snapshot).sort((a, b) => a - b)) {
      await this.apply(map, path.join(this.partitionDir(p), `${v}.delta`));
    }
    return map;
  }

  private async apply(map: Map<string, unknown>, file: string): Promise<void> {
    const text = Buffer.from(await this.fs.read(file)).toString("utf8");
    let n = 0;
    for (const line of text.split("\n")) {
      n++;
      if (line.length === 0) continue;
      let rec: { k: string; v?: unknown; r?: 1 };
      try { rec = decodeState(line) as typeof rec; } catch (e) {
        throw new SluiceError("CHECKPOINT_CORRUPT", `State file ${file} is corrupt at line ${n}. Restore the checkpoint or use a new checkpointLocation.`, { cause: e, params: { path: file, line: n } });
      }
      if (rec.r === 1) map.delete(rec.k); else map.set(rec.k, rec.v);
    }
  }

  /** Writes `store`'s changes as version `store.version + 1` (a delta, and a snapshot every few versions). */
  async commit(p: number, store: StateStore): Promise<void> {
    const start = Date.now();
    const next = store.version + 1;
    const merged = store.merged();
    if (store.hasChanges) {
      const lines: string[] = [];
      for (const [k, v] of store.updates) {
        if (StateStore.isRemoved(v)) { lines.push(encodeState({ k, r: 1 })); this.metrics.numRowsRemoved++; }
        else { lines.push(encodeState({ k, v })); this.metrics.numRowsUpdated++; }
      }
      await this.fs.write(path.join(this.partitionDir(p), `${next}.delta`), lines.join("\n") + "\n");
    }
    if (next % this.snapshotInterval === 0 && merged.size > 0) {
      const lines: string[] = [];
      for (const [k, v] of merged) lines.push(encodeState({ k, v }));
      await this.fs.write(path.join(this.partitionDir(p), `${next}.snapshot`), lines.join("\n") + "\n");
    }
    this.cache.set(p, { version: next, map: merged });
    this.metrics.commitTimeMs += Date.now() - start;
  }

  /** Zeroes per-batch counters and recomputes totals from the cached state. */
  resetBatchMetrics(): void {
    this.metrics.numRowsUpdated = 0;
    this.metrics.numRowsRemoved = 0;
    this.metrics.commitTimeMs = 0;
  }
  /** Rows in state, and an estimate of their memory from a sample of up to 64 entries per partition. */
  refreshTotals(): void {
    let rows = 0, bytes = 0;
    for (const { map } of this.cache.values()) {
      rows += map.size;
      if (map.size === 0) continue;
      let sampled = 0, sampleBytes = 0;
      for (const [k, v] of map) {
        sampleBytes += k.length * 2 + encodeState(v).length * 2 + 64; // UTF-16 text plus per-entry overhead
        if (++sampled === 64) break;
      }
      bytes += Math.round((sampleBytes / sampled) * map.size);
    }
    this.metrics.numRowsTotal = rows;
    this.metrics.memoryUsedBytes = bytes;
  }
}
