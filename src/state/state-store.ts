/**
 * A versioned key-value state store per stateful operator and partition, persisted through the FileSystem as deltas
 * with periodic snapshots: version N+1 is the state after batch N. Files (JSON lines, values in state-codec form):
 *
 *     state/0/1/5.delta      {"k":"[\"a\"]","v":{"keys":["a"],"buffers":[3]}}   (a put)
 *                            {"k":"[\"b\"]","r":1}                              (a removal)
 *     state/0/1/10.snapshot  the whole map at version 10, one put per line
 *
 * A batch works on an overlay of the committed version and commits it as the next version; a failed batch leaves the
 * committed state untouched, and re-running batch N rewrites version N+1 from version N. File formats: state-files.ts.
 */
import { crashPoint } from "../streaming/crash-points.js";
import * as path from "node:path";
import { SluiceError } from "../errors/sluice-error.js";
import type { FileSystem } from "../fs/file-system.js";
import { entryHeapBytes } from "./heap-size.js";
import { replayState, writeDelta, writeSnapshot } from "./state-files.js";

const REMOVED: unique symbol = Symbol("removed");

export interface StateStoreMetrics { numRowsTotal: number; numRowsUpdated: number; numRowsRemoved: number; memoryUsedBytes: number; commitTimeMs: number }

/** The committed state a batch reads: a Map for the in-memory provider, an LMDB view for the disk-backed one. */
export interface StateBase {
  get(key: string): unknown;
  entries(): Iterable<[string, unknown]>;
  /** Number of entries, where known cheaply. */
  readonly size?: number;
}

/** One partition's state at one version, with this batch's uncommitted changes on top. */
export class StateStore {
  private readonly changes = new Map<string, unknown>();
  constructor(private readonly base: StateBase, readonly version: number) {}

  get(key: string): unknown {
    const c = this.changes.get(key);
    if (c === REMOVED) return undefined;
    return c !== undefined ? c : this.base.get(key);
  }
  put(key: string, value: unknown): void { this.changes.set(key, value); }
  remove(key: string): void { this.changes.set(key, REMOVED); }
  *entries(): Iterable<[string, unknown]> {
    for (const [k, v] of this.base.entries()) if (!this.changes.has(k)) yield [k, v];
    for (const [k, v] of this.changes) if (v !== REMOVED) yield [k, v];
  }
  get updates(): ReadonlyMap<string, unknown> { return this.changes; }
  /** Entries of the committed version, where the base knows it cheaply. */
  get baseSize(): number | undefined { return this.base.size; }
  static isRemoved(v: unknown): boolean { return v === REMOVED; }
}

/**
 * Versioned state of one stateful operator (`state/<operator>` in the checkpoint), by partition. Version N+1 is the
 * state after batch N; `commit` persists a batch's changes as the next version.
 */
export interface StateStoreProvider {
  readonly metrics: StateStoreMetrics;
  load(partition: number, version: number): Promise<StateStore>;
  commit(partition: number, store: StateStore): Promise<void>;
  checkSchema(keySchema: string, valueSchema: string): Promise<void>;
  resetBatchMetrics(): void;
  refreshTotals(): void;
  /** The heap bound of this operator's state (see StateStoreConfig.maxMemoryBytes), if any. */
  readonly maxMemoryBytes?: number | undefined;
  /** Whether `maxMemoryBytes` is the default derived from V8's heap limit rather than a setting. */
  readonly maxMemoryFromHeapLimit?: boolean;
  /** Estimated heap the stores would hold once committed: what `maxMemoryBytes` bounds. */
  heapBytes(stores: readonly StateStore[]): number;
  close?(): Promise<void>;
}

/** Records the key/value schemas on the first run and refuses incompatible ones later (shared by providers). */
export async function checkStateSchema(fs: FileSystem, dir: string, keySchema: string, valueSchema: string): Promise<void> {
  const file = path.join(dir, "_metadata", "schema");
  const current = JSON.stringify({ keySchema, valueSchema });
  if (await fs.writeIfAbsent(file, current + "\n")) return;
  let saved: { keySchema?: string; valueSchema?: string };
  try { saved = JSON.parse(Buffer.from(await fs.read(file)).toString("utf8")) as typeof saved; } catch (e) {
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

/** Estimated heap bytes of state from a sample of up to 64 entries (see heap-size.ts), scaled to `size` entries. */
export function estimateBytes(entries: Iterable<[string, unknown]>, size: number): number {
  let sampled = 0, sampleBytes = 0;
  for (const [k, v] of entries) {
    sampleBytes += entryHeapBytes(k, v);
    if (++sampled === 64) break;
  }
  return sampled === 0 ? 0 : Math.round((sampleBytes / sampled) * size);
}

/** What every provider shares: the operator's state folder, its schema check and its batch metrics. */
export abstract class BaseStateStoreProvider implements StateStoreProvider {
  readonly metrics: StateStoreMetrics = { numRowsTotal: 0, numRowsUpdated: 0, numRowsRemoved: 0, memoryUsedBytes: 0, commitTimeMs: 0 };
  private schemaChecked = false;
  maxMemoryFromHeapLimit = false;

  constructor(protected readonly fs: FileSystem, readonly dir: string, readonly maxMemoryBytes?: number, protected readonly snapshotInterval = 10) {}

  protected partitionDir(p: number): string { return path.join(this.dir, String(p)); }

  async checkSchema(keySchema: string, valueSchema: string): Promise<void> {
    if (this.schemaChecked) return;
    await checkStateSchema(this.fs, this.dir, keySchema, valueSchema);
    this.schemaChecked = true;
  }

  resetBatchMetrics(): void {
    this.metrics.numRowsUpdated = 0;
    this.metrics.numRowsRemoved = 0;
    this.metrics.commitTimeMs = 0;
  }

  abstract load(partition: number, version: number): Promise<StateStore>;
  abstract commit(partition: number, store: StateStore): Promise<void>;
  abstract refreshTotals(): void;
  abstract heapBytes(stores: readonly StateStore[]): number;
}

/** The default provider: the latest version of each partition in a JS Map, deltas and snapshots in the checkpoint. */
export class InMemoryStateStoreProvider extends BaseStateStoreProvider {
  private readonly cache = new Map<number, { version: number; map: Map<string, unknown> }>();

  async load(p: number, version: number): Promise<StateStore> {
    const cached = this.cache.get(p);
    if (cached?.version === version) return new StateStore(cached.map, version);
    const map = new Map<string, unknown>();
    await replayState(this.fs, this.partitionDir(p), version, (rec) => { if (rec.r === 1) map.delete(rec.k); else map.set(rec.k, rec.v); });
    this.cache.set(p, { version, map });
    return new StateStore(map, version);
  }

  async commit(p: number, store: StateStore): Promise<void> {
    const start = Date.now();
    const next = store.version + 1;
    const { updated, removed } = await writeDelta(this.fs, this.partitionDir(p), next, store.updates, StateStore.isRemoved);
    if (p === 0) crashPoint("mid-state-commit", next - 1); // partition 0's version written, the others not
    this.metrics.numRowsUpdated += updated;
    this.metrics.numRowsRemoved += removed;
    // The batch succeeded: apply its changes to the cached map in place (no copy of the whole state per batch).
    const cached = this.cache.get(p);
    const map = cached?.version === store.version ? cached.map : new Map(store.entries());
    if (cached?.version === store.version) for (const [k, v] of store.updates) { if (StateStore.isRemoved(v)) map.delete(k); else map.set(k, v); }
    if (next % this.snapshotInterval === 0) await writeSnapshot(this.fs, this.partitionDir(p), next, map);
    this.cache.set(p, { version: next, map });
    this.metrics.commitTimeMs += Date.now() - start;
  }

  /** The whole state lives on the heap: its committed entries plus this batch's changes (counted as new keys). */
  heapBytes(stores: readonly StateStore[]): number {
    return stores.reduce((s, st) => s + estimateBytes(st.entries(), (st.baseSize ?? 0) + st.updates.size), 0);
  }

  /** Rows in state, and an estimate of their memory from a sample of up to 64 entries per partition. */
  refreshTotals(): void {
    let rows = 0, bytes = 0;
    for (const { map } of this.cache.values()) { rows += map.size; bytes += estimateBytes(map, map.size); }
    this.metrics.numRowsTotal = rows;
    this.metrics.memoryUsedBytes = bytes;
  }
}
