/** Chooses the state store provider from `spark.sql.streaming.stateStore.providerClass` (Spark's names accepted). */
import { getHeapStatistics } from "node:v8";
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
   * whole state; disk-backed: one batch's changes). A batch that would go above it fails before it commits. Without
   * a setting, DEFAULT_HEAP_FRACTION of V8's heap limit, so unbounded state fails with STATE_STORE_MEMORY_LIMIT_EXCEEDED
   * instead of ending the process in V8's fatal out-of-memory abort.
   */
  readonly maxMemoryBytes?: number;
  /** Whether `maxMemoryBytes` is the default derived from the heap limit (not a setting). */
  readonly maxMemoryFromHeapLimit?: boolean;
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

/**
 * The share of V8's heap limit (`--max-old-space-size`) one operator's estimated state may take by default: the rest
 * is for the batch being processed, its output, the state files being written and the estimate's error (~10%).
 */
export const DEFAULT_HEAP_FRACTION = 0.3;

/** A `--max-old-space-size=N` (MB) given to this process on its command line or in NODE_OPTIONS, in bytes. */
function oldSpaceFlagBytes(): number | undefined {
  const args = [...process.execArgv, ...(process.env["NODE_OPTIONS"] ?? "").split(/\s+/)];
  let mb: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const m = /^--max[-_]old[-_]space[-_]size(?:=(\d+(?:\.\d+)?))?$/.exec(args[i]!);
    if (m) mb = Number(m[1] ?? args[i + 1]);
  }
  return mb !== undefined && mb > 0 ? mb * 1024 * 1024 : undefined;
}

/**
 * The default state bound: DEFAULT_HEAP_FRACTION of the old generation's limit, where state lives. V8's
 * `heap_size_limit` also counts the young generation (up to 96 MB, whatever --max-old-space-size says), so the limit
 * is the flag when given, else heap_size_limit less the young generation.
 */
export function defaultMaxMemoryBytes(): number {
  const total = getHeapStatistics().heap_size_limit;
  const oldSpace = oldSpaceFlagBytes() ?? Math.max(total - 96 * 1024 * 1024, total / 2);
  return Math.floor(Math.min(oldSpace, total) * DEFAULT_HEAP_FRACTION);
}

export function createStateStoreProvider(config: StateStoreConfig, fs: FileSystem, dir: string): StateStoreProvider {
  const provider = config.kind === "lmdb" ? new LmdbStateStoreProvider(fs, dir, config.localDir, config.maxMemoryBytes) : new InMemoryStateStoreProvider(fs, dir, config.maxMemoryBytes);
  provider.maxMemoryFromHeapLimit = config.maxMemoryFromHeapLimit === true;
  return provider;
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
  return { kind, ...(localDir !== undefined ? { localDir } : {}), ...(mb !== undefined ? { maxMemoryBytes: Number(mb) * 1024 * 1024 } : { maxMemoryBytes: defaultMaxMemoryBytes(), maxMemoryFromHeapLimit: true }) };
}
