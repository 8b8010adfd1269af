/**
 * The micro-batch a `foreachBatch` function is running for, so an idempotent JDBC write (`batchId`) inside it is keyed
 * by the query's id (stable across restarts from one checkpoint, new for a new checkpoint) and not by its table.
 * Also the writers this run of the batch has used, so two writes under one key fail instead of skipping each other.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface MicroBatchContext {
  readonly queryId: string;
  readonly batchId: number;
  /** `writer` keys already written by this run of the batch. */
  readonly writers: Set<string>;
}

const storage = new AsyncLocalStorage<MicroBatchContext>();

/** Runs `fn` (a foreachBatch call) as batch `batchId` of query `queryId`. */
export function runInMicroBatch<T>(queryId: string, batchId: number, fn: () => T): T {
  return storage.run({ queryId, batchId, writers: new Set() }, fn);
}

/** The micro-batch the caller runs in, if it runs inside a foreachBatch function. */
export function currentMicroBatch(): MicroBatchContext | undefined {
  return storage.getStore();
}
