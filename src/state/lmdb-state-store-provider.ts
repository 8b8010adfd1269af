/**
 * A disk-backed state store provider for state larger than memory: each partition's latest version lives in an LMDB
 * environment on local disk, so the JS heap holds only a batch's changes. The checkpoint's delta and snapshot files
 * stay the durable copy: an environment that is missing or at another version is rebuilt from them. The environments
 * live in a private working folder of this run (`<localDir>/sluice-lmdb-XXXXXX`, mode 0700, a random name; localDir is
 * `spark.sluice.stateStore.lmdb.localDir`, default the OS temp folder), deleted when the query stops: no other local
 * user can read or plant state there.
 */
import { crashPoint } from "../streaming/crash-points.js";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { open, type RootDatabase } from "lmdb";
import type { FileSystem } from "../fs/file-system.js";
import { decodeState, encodeState } from "./state-codec.js";
import { replayState, writeDelta, writeSnapshot } from "./state-files.js";
import { BaseStateStoreProvider, StateStore, estimateBytes, type StateBase } from "./state-store.js";

const VERSION_KEY = "\u0000version";

class LmdbBase implements StateBase {
  constructor(private readonly db: RootDatabase<string, string>) {}
  get(key: string): unknown {
    const v = this.db.get(key);
    return v === undefined ? undefined : decodeState(v);
  }
  *entries(): Iterable<[string, unknown]> {
    for (const { key, value } of this.db.getRange({ start: "\u0001" })) yield [key, decodeState(value)];
  }
}

export class LmdbStateStoreProvider extends BaseStateStoreProvider {
  private readonly dbs = new Map<number, RootDatabase<string, string>>();
  private localDir: string | undefined;

  constructor(fs: FileSystem, dir: string, private readonly localRoot: string = tmpdir(), maxMemoryBytes?: number, snapshotInterval = 10) {
    super(fs, dir, maxMemoryBytes, snapshotInterval);
  }

  /** This run's working folder, created on first use (mkdtemp: mode 0700, an unpredictable name). */
  private workingDir(): string {
    if (this.localDir === undefined) {
      mkdirSync(this.localRoot, { recursive: true });
      this.localDir = mkdtempSync(path.join(this.localRoot, "sluice-lmdb-"));
    }
    return this.localDir;
  }

  private db(p: number): RootDatabase<string, string> {
    let db = this.dbs.get(p);
    if (!db) {
      const dir = path.join(this.workingDir(), String(p));
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      db = open<string, string>({ path: dir, encoding: "string", compression: false });
      this.dbs.set(p, db);
    }
    return db;
  }

  async load(p: number, version: number): Promise<StateStore> {
    const db = this.db(p);
    if (db.get(VERSION_KEY) !== String(version)) {
      // Rebuild the working copy of this version from the checkpoint files.
      await db.clearAsync();
      const puts = new Map<string, string | null>();
      await replayState(this.fs, this.partitionDir(p), version, (rec) => { puts.set(rec.k, rec.r === 1 ? null : encodeState(rec.v)); });
      await db.transaction(() => {
        for (const [k, v] of puts) if (v !== null) db.put(k, v);
        db.put(VERSION_KEY, String(version));
      });
    }
    return new StateStore(new LmdbBase(db), version);
  }

  async commit(p: number, store: StateStore): Promise<void> {
    const start = Date.now();
    const next = store.version + 1;
    const partDir = this.partitionDir(p);
    const { updated, removed } = await writeDelta(this.fs, partDir, next, store.updates, StateStore.isRemoved);
    if (p === 0) crashPoint("mid-state-commit", next - 1); // partition 0's version written, the others not
    this.metrics.numRowsUpdated += updated;
    this.metrics.numRowsRemoved += removed;
    const db = this.db(p);
    await db.transaction(() => {
      for (const [k, v] of store.updates) { if (StateStore.isRemoved(v)) db.remove(k); else db.put(k, encodeState(v)); }
      db.put(VERSION_KEY, String(next));
    });
    if (next % this.snapshotInterval === 0) await writeSnapshot(this.fs, partDir, next, new LmdbBase(db).entries());
    this.metrics.commitTimeMs += Date.now() - start;
  }

  /** Only a batch's changes live on the heap; the state itself is in LMDB's memory-mapped file, paged by the OS. */
  heapBytes(stores: readonly StateStore[]): number {
    return stores.reduce((s, st) => s + estimateBytes(st.updates, st.updates.size), 0);
  }

  refreshTotals(): void {
    let rows = 0, bytes = 0;
    for (const db of this.dbs.values()) {
      const n = Math.max(0, db.getCount() - 1); // minus the version entry
      rows += n;
      bytes += estimateBytes(new LmdbBase(db).entries(), n);
    }
    this.metrics.numRowsTotal = rows;
    this.metrics.memoryUsedBytes = bytes; // on disk, not on the heap
  }

  async close(): Promise<void> {
    await Promise.all([...this.dbs.values()].map((db) => db.close()));
    this.dbs.clear();
    if (this.localDir !== undefined) rmSync(this.localDir, { recursive: true, force: true });
    this.localDir = undefined;
  }
}
