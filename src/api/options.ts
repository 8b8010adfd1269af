/** Option maps as Spark keeps them: string values, case-insensitive keys for lookups. */
export type OptionValue = string | number | boolean;

export function optionString(v: OptionValue): string {
  return typeof v === "string" ? v : String(v);
}

/** Returns the options with Spark's canonical key spelling for the ones Sluice reads. */
export function normalizeOptions(opts: Readonly<Record<string, string>>): Record<string, string> {
  const canonical = ["maxFilesPerTrigger", "latestFirst", "maxFileAge", "cleanSource", "sourceArchiveDir", "mode", "columnNameOfCorruptRecord",
    "header", "inferSchema", "sep", "delimiter", "quote", "escape", "nullValue", "timestampFormat", "dateFormat", "multiLine", "lineSep",
    "rowsPerSecond", "rampUpTime", "numPartitions", "rowsPerBatch", "startTimestamp", "advanceMillisPerBatch", "checkpointLocation", "path",
    "numRows", "truncate", "timeZone", "wholetext", "ignoreNullFields", "comment", "host", "port", "includeTimestamp", "compression",
    "subscribe", "subscribePattern", "assign", "startingOffsets", "endingOffsets", "maxOffsetsPerTrigger", "failOnDataLoss", "includeHeaders", "minPartitions",
    "minOffsetsPerTrigger", "maxTriggerDelay", "startingTimestamp", "startingOffsetsByTimestamp", "startingOffsetsByTimestampStrategy", "progressGroupId"];
  const byLower = new Map(canonical.map((k) => [k.toLowerCase(), k]));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts)) out[byLower.get(k.toLowerCase()) ?? k] = v;
  return out;
}
