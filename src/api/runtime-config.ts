/** `spark.conf`: Spark's config keys with Spark's defaults where Sluice reads them. */
import { inspect } from "node:util";
import { inspectRedacted, redactedCopy } from "../security/redaction.js";
import { defaultTimeZone } from "../types/datetime.js";

const DEFAULTS: Record<string, string> = {
  "spark.sql.shuffle.partitions": "200",
  "spark.sql.ansi.enabled": "true",
  "spark.sql.streaming.schemaInference": "false",
  "spark.sql.streaming.numRecentProgressUpdates": "100",
  "spark.sql.streaming.minBatchesToRetain": "100",
  "spark.sql.streaming.pollingDelay": "10ms",
  "spark.sql.streaming.noDataProgressEventInterval": "10000ms",
  "spark.streaming.stopGracefullyOnShutdown": "false",
  "spark.sql.caseSensitive": "false",
};

/**
 * Session configuration. Values are kept as strings, as Spark's SQLConf does.
 *
 * @example
 * spark.conf.set("spark.sql.session.timeZone", "UTC"); spark.conf.get("spark.sql.shuffle.partitions") // "200"
 */
export class RuntimeConfig {
  private readonly values = new Map<string, string>();
  constructor(initial: Iterable<[string, string]> = []) {
    for (const [k, v] of initial) this.values.set(k, v);
  }
  set(key: string, value: string | number | boolean): void { this.values.set(key, String(value)); }
  get(key: string, fallback?: string): string | undefined {
    return this.values.get(key) ?? (key === "spark.sql.session.timeZone" ? defaultTimeZone() : undefined) ?? DEFAULTS[key] ?? fallback;
  }
  getBoolean(key: string): boolean { return (this.get(key) ?? "false").toLowerCase() === "true"; }
  getNumber(key: string): number { return Number(this.get(key)); }
  unset(key: string): void { this.values.delete(key); }
  /** Explicitly set values (what the offset log records as `conf`). */
  getAll(): Record<string, string> { return Object.fromEntries(this.values); }
  get timeZone(): string { return this.get("spark.sql.session.timeZone")!; }
  /** The set values with secrets redacted: what printing or serializing `spark.conf` shows (`get` gives real values). */
  toJSON(): Record<string, string> { return redactedCopy(this.getAll()) as Record<string, string>; }
  [inspect.custom](depth: number, options: object): string { return inspectRedacted("RuntimeConfig", this.toJSON(), depth, options); }
}
