/**
 * The read_committed filter of one fetched partition, as Kafka's own consumer applies it (`CompletedFetch`): the
 * fetch response lists the aborted transactions that overlap it, each as a producer id and the transaction's first
 * offset. In offset order, a transaction's producer becomes "aborted" once a batch reaches that first offset, and
 * stays so until its abort marker (a control batch); its transactional batches in between are skipped. A producer
 * may have several aborted transactions in one fetch, with committed ones between them.
 */
import type { RecordsBatch } from "@platformatic/kafka";

const IS_TRANSACTIONAL = 0x10;
const IS_CONTROL = 0x20;
/** A control record's key: int16 version, int16 type (0 ABORT, 1 COMMIT). */
const ABORT = 0;

export interface AbortedTransaction { readonly producerId: bigint; readonly firstOffset: bigint }

export class AbortedTransactions {
  /** Not yet reached, ordered by first offset. */
  private readonly pending: AbortedTransaction[];
  private next = 0;
  /** Producers inside an aborted transaction at the current batch. */
  private readonly aborting = new Set<bigint>();

  constructor(list: readonly AbortedTransaction[] | null | undefined) {
    this.pending = [...(list ?? [])].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0));
  }

  /** Whether `batch`'s records belong to an aborted transaction; call for every batch, in offset order. */
  skips(batch: RecordsBatch): boolean {
    if (batch.producerId < 0n) return false;
    const lastOffset = batch.firstOffset + BigInt(batch.lastOffsetDelta);
    while (this.next < this.pending.length && this.pending[this.next]!.firstOffset <= lastOffset) this.aborting.add(this.pending[this.next++]!.producerId);
    if (isAbortMarker(batch)) {
      this.aborting.delete(batch.producerId);
      return false;
    }
    return (batch.attributes & IS_TRANSACTIONAL) !== 0 && this.aborting.has(batch.producerId);
  }
}

/** A control batch whose marker is an ABORT. */
function isAbortMarker(batch: RecordsBatch): boolean {
  if ((batch.attributes & IS_CONTROL) === 0) return false;
  const key = batch.records[0]?.key;
  return key !== null && key !== undefined && key.length >= 4 && key.readInt16BE(2) === ABORT;
}
