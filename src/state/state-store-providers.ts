/** Chooses the state store provider from `spark.sql.streaming.stateStore.providerClass` (Spark's names accepted). */
import { SluiceError } from "../errors/sluice-error.js";
import type { FileSystem } from "../fs/file-system.js";
import { LmdbStateStoreProvider } from "./lmdb-state-store-provider.js";
import { InMemoryStateStoreProvider, type StateStoreProvider } from "./state-store.js";

export type StateStoreKind = "memory" | "lmdb";

/** How a query's state is kept: the provider, the disk-backed one's working folder, and the heap bound. */
export interface StateStoreConfig {
  readonly kind: StateStoreKind;
  /** `spark.sluice.stateStore.lmdb.localDir`. */
  readonly localDir?: string;
  /**
   * `spark.sluice.stateStore.maxMemoryMB` (or Spark's `spark.sql.streaming.stateStore.rocksdb.maxMemoryUsageMB` with
   * `...rocksdb.boundedMemoryUsage=true`), in bytes: the most heap one operator's state may take (in memory: the
   * whole state; disk-backed: one batch's changes). A batch that would go above it fails before it commits.
   */
  readonly maxMemoryBytes?: number;
}

/**
 * `memory` (default; also Spark's `...HDFSBackedStateStoreProvider`) or `lmdb` (disk-backed; also Spark's
 * `...RocksDBStateStoreProvider`, the provider Spark users pick for large state).
 */
export function stateStoreKind(providerClass: string | undefined): StateStoreKind {
  const v = (providerClass ?? "memory").trim();
  if (v === "" || /^(memory|in-memory|hdfs)$/i.test(v) || v.endsWith("HDFSBackedStateStoreProvider")) return "memory";
  if (/^(lmdb|disk|rocksdb)$/i.test(v) || v.endsWith("RocksDBStateStoreProvider")) return "lmdb";
  throw new SluiceError("INVALID_OPTION", `Unknown state store provider '${v}'; use 'memory' (default) or 'lmdb' (disk-backed), or Spark's HDFSBackedStateStoreProvider / RocksDBStateStoreProvider class names.`, { params: { option: "spark.sql.streaming.stateStore.providerClass", value: v } });
}

export function createStateStoreProvider(config: StateStoreConfig, fs: FileSystem, dir: string): StateStoreProvider {
  return config.kind === "lmdb" ? new LmdbStateStoreProvider(fs, dir, config.localDir, config.maxMemoryBytes) : new InMemoryStateStoreProvider(fs, dir, config.maxMemoryBytes);
}

/** The state store settings of a session's configuration. */
export function stateStoreConfig(get: (key: string) => string | undefined): StateStoreConfig {
  const kind = stateStoreKind(get("spark.sql.streaming.stateStore.providerClass"));
  const localDir = get("spark.sluice.stateStore.lmdb.localDir");
  const sparkBound = get("spark.sql.streaming.stateStore.rocksdb.boundedMemoryUsage") === "true" ? get("spark.sql.streaming.stateStore.rocksdb.maxMemoryUsageMB") ?? "500" : undefined;
  const mb = get("spark.sluice.stateStore.maxMemoryMB") ?? sparkBound;
  if (mb !== undefined && !(Number(mb) > 0)) {
    throw new SluiceError("INVALID_OPTION", `spark.sluice.stateStore.maxMemoryMB must be a positive number of megabytes, not '${mb}'.`, { params: { option: "spark.sluice.stateStore.maxMemoryMB", value: mb } });
  }
  return { kind, ...(localDir !== undefined ? { localDir } : {}), ...(mb !== undefined ? { maxMemoryBytes: Number(mb) * 1024 * 1024 } : {}) };
}
