/**
 * One stateful operator's state across its partitions for one batch: keys are routed to a partition by hash, every
 * partition's store is loaded at the batch's version, and all are committed together as the next version.
 */
import type { StateStore, StateStoreProvider } from "./state-store.js";

/** FNV-1a hash of a key string, modulo the number of state partitions. */
export function keyPartition(key: string, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) { h ^= key.charCodeAt(i); h = Math.imul(h, 0x01000193); }
  return (h >>> 0) % n;
}

export class PartitionedState {
  private stores: StateStore[] = [];
  constructor(readonly provider: StateStoreProvider, readonly numPartitions: number) {}

  /** Loads every partition at `version` (the state after batch version - 1) and resets the batch metrics. */
  async load(version: number): Promise<void> {
    this.provider.resetBatchMetrics();
    const stores: StateStore[] = [];
    for (let p = 0; p < this.numPartitions; p++) stores.push(await this.provider.load(p, version));
    this.stores = stores;
  }

  private storeFor(key: string): StateStore { return this.stores[keyPartition(key, this.numPartitions)]!; }
  get(key: string): unknown { return this.storeFor(key).get(key); }
  put(key: string, value: unknown): void { this.storeFor(key).put(key, value); }
  remove(key: string): void { this.storeFor(key).remove(key); }

  /** Every key and value, partition by partition (each partition read before it is yielded, so callers may remove). */
  *entries(): Iterable<[string, unknown]> {
    for (const store of this.stores) yield* [...store.entries()];
  }

  /** Commits every partition as the next version and refreshes the totals in the provider's metrics. */
  async commit(): Promise<void> {
    for (let p = 0; p < this.numPartitions; p++) await this.provider.commit(p, this.stores[p]!);
    this.provider.refreshTotals();
  }
}
