/** Chooses the state store provider from `spark.sql.streaming.stateStore.providerClass` (Spark's names accepted). */
import { SluiceError } from "../errors/sluice-error.js";
import type { FileSystem } from "../fs/file-system.js";
import { LmdbStateStoreProvider } from "./lmdb-state-store-provider.js";
import { InMemoryStateStoreProvider, type StateStoreProvider } from "./state-store.js";

export type StateStoreKind = "memory" | "lmdb";

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

export function createStateStoreProvider(kind: StateStoreKind, fs: FileSystem, dir: string, localDir?: string): StateStoreProvider {
  return kind === "lmdb" ? new LmdbStateStoreProvider(fs, dir, localDir) : new InMemoryStateStoreProvider(fs, dir);
}
