/**
 * One stateful operator's state across its partitions for one batch: keys are routed to a partition by hash, every
 * partition's store is loaded at the batch's version, and all are committed together as the next version.
 */
import { SluiceError } from "../errors/sluice-error.js";
import type { StateStore, StateStoreProvider } from "./state-store.js";
import { DEFAULT_HEAP_FRACTION } from "./state-store-providers.js";

/** FNV-1a hash of a key string, modulo the number of state partitions. */
export function keyPartition(key: string, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) { h ^= key.charCodeAt(i); h = Math.imul(h, 0x01000193); }
  return (h >>> 0) % n;
}

/** How many puts a batch makes between two checks of the heap bound (besides the check at commit). */
const PUTS_PER_CHECK = 8192;

export class PartitionedState {
  private stores: StateStore[] = [];
  private putsSinceCheck = 0;
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
  /** Above the heap bound a batch fails as soon as it is seen, not only at commit: one large batch may reach it. */
  put(key: string, value: unknown): void {
    this.storeFor(key).put(key, value);
    if (++this.putsSinceCheck >= PUTS_PER_CHECK) { this.putsSinceCheck = 0; this.checkBound(); }
  }
  remove(key: string): void { this.storeFor(key).remove(key); }

  /** Every key and value, partition by partition (each partition read before it is yielded, so callers may remove). */
  *entries(): Iterable<[string, unknown]> {
    for (const store of this.stores) yield* [...store.entries()];
  }

  /**
   * Commits every partition as the next version and refreshes the totals in the provider's metrics. Above the
   * provider's heap bound nothing is committed: the batch fails and the committed version stays as it was.
   */
  async commit(): Promise<void> {
    this.checkBound();
    for (let p = 0; p < this.numPartitions; p++) await this.provider.commit(p, this.stores[p]!);
    this.provider.refreshTotals();
  }

  private checkBound(): void {
    const bound = this.provider.maxMemoryBytes;
    if (bound === undefined) return;
    const bytes = this.provider.heapBytes(this.stores);
    if (bytes <= bound) return;
    const mb = (n: number): string => (n / 1024 / 1024).toFixed(1);
    const limit = this.provider.maxMemoryFromHeapLimit
      ? `the default bound of ${mb(bound)} MB (${DEFAULT_HEAP_FRACTION * 100}% of the V8 heap limit; set spark.sluice.stateStore.maxMemoryMB, or give Node more heap with --max-old-space-size)`
      : `spark.sluice.stateStore.maxMemoryMB (${mb(bound)} MB)`;
    throw new SluiceError("STATE_STORE_MEMORY_LIMIT_EXCEEDED",
      `The state of this operator would take about ${mb(bytes)} MB of heap, above ${limit}; the batch was not committed. ` +
      "Keep state on disk with spark.sql.streaming.stateStore.providerClass=lmdb, bound it with a watermark, read smaller batches (maxFilesPerTrigger, maxOffsetsPerTrigger), or raise the limit; then restart the query from its checkpoint.",
      { params: { estimatedBytes: bytes, maxMemoryBytes: bound, fromHeapLimit: this.provider.maxMemoryFromHeapLimit === true } });
  }
}
