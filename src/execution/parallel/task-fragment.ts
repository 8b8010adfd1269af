/**
 * The part of a query that worker tasks run: a plan fragment over one file source, with the source replaced by an
 * empty local relation that each task fills with its files' rows, and the file columns the fragment needs.
 */
import { pruneColumns } from "../../optimizer/column-pruning.js";
import { collectPlans, replaceLeaves, type LogicalPlan } from "../../plan/logical-plan.js";
import type { Offset, StreamingSource } from "../../sources/streaming-source.js";
import { structType } from "../../types/data-type.js";
import type { InputPartition } from "./task.js";

/** A source that can describe a batch as independent input partitions (file groups, Kafka offset ranges). */
export interface PartitionedSource extends StreamingSource {
  planInputPartitions(start: Offset | null, end: Offset, n: number): InputPartition[] | Promise<InputPartition[]>;
}

export function isPartitionedSource(s: StreamingSource): s is PartitionedSource {
  return typeof (s as Partial<PartitionedSource>).planInputPartitions === "function";
}

/**
 * Whether reading fewer fields of the files cannot change a result: name-based formats (CSV is positional), and
 * PERMISSIVE parsing without a corrupt-record column (otherwise a bad value in an unread field would mark its record).
 */
export function canPruneFileColumns(plan: LogicalPlan, format: string, options: Readonly<Record<string, string>>): boolean {
  const corrupt = options["columnNameOfCorruptRecord"] ?? "_corrupt_record";
  return (format === "json" || format === "parquet")
    && (options["mode"] ?? "PERMISSIVE").toUpperCase() === "PERMISSIVE"
    && !collectPlans(plan, (n) => n.kind === "streamingRelation").some((n) => n.output.some((a) => a.name === corrupt));
}

export class TaskFragment {
  /** The fragment with its streaming relation replaced by an empty local relation. */
  readonly plan: LogicalPlan;
  /** Names of the file columns the fragment uses, when the format can read columns by name. */
  private readonly readColumns: Set<string> | undefined;

  /** `fragment` has one streaming relation; `prune` says whether its leaf may be narrowed to the columns used. */
  constructor(fragment: LogicalPlan, prune: boolean) {
    const leafless = replaceLeaves(fragment, (leaf) => (leaf.kind === "streamingRelation" ? { kind: "localRelation", output: leaf.output, batches: [], isStreaming: false } : leaf));
    this.plan = prune ? pruneColumns(leafless) : leafless;
    const leaf = collectPlans(this.plan, (n) => n.kind === "localRelation")[0]!;
    this.readColumns = prune ? new Set(leaf.output.map((a) => a.name)) : undefined;
  }

  /** The batch's input partitions, each reading only the columns the fragment uses. */
  async inputs(source: PartitionedSource, start: Offset | null, end: Offset, n: number): Promise<InputPartition[]> {
    const cols = this.readColumns;
    return (await source.planInputPartitions(start, end, n)).map((p) => (cols === undefined || p.kind !== "files" ? p : {
      ...p, schema: structType(p.schema.fields.filter((f) => cols.has(f.name))), partitionColumns: p.partitionColumns.filter((c) => cols.has(c)),
    }));
  }
}
