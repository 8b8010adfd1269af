/**
 * Regression cases from the differential fuzzer (test/fuzz): minimal divergences from real Spark, each found by a
 * generated case and shrunk. Cases whose fix has not merged yet wait in test/fuzz/pending-regressions.ts.
 */
import { sqlDifferentialSuite, type SqlDiffCase } from "../support/sql-differential.js";
import { streamDifferentialSuite } from "../fuzz/stream-differential.js";
import type { StreamCase } from "../fuzz/stream-cases.js";

export const FUZZ_REGRESSIONS: readonly SqlDiffCase[] = [
];

export const FUZZ_STREAMING_REGRESSIONS: readonly StreamCase[] = [
  // Rebuilt by hand around divergences seen in runs whose reports were not saved (seeds 3 and 303): these inputs agree
  // today and stay as edge cases (an empty micro-batch in one side of a union; event-time windows before 1970).
  { name: "fuzz streaming: union of two file streams ", shape: "union", mode: "append", conf: { "spark.sql.session.timeZone": "UTC" },
    inputs: {
      a: { schema: "id INT, k STRING, v BIGINT, ts TIMESTAMP", batches: [['{"id": 0, "k": "a", "v": 9007199254740993, "ts": "2024-03-10 06:00:00"}'], ['{"id": 1, "k": "b", "v": 1, "ts": "2024-03-10 06:05:00"}']] },
      b: { schema: "id INT, k STRING, v BIGINT, ts TIMESTAMP", batches: [['{"id": 2, "k": "c", "v": -1, "ts": "2024-03-10 06:01:00"}'], [], ['{"id": 3, "k": null, "v": 0, "ts": "2024-03-10 06:02:00"}']] },
    },
    ops: [{ op: "union", input: "b" }] },
  { name: "fuzz streaming: windowed count over instants before 1970 ", shape: "windowed", mode: "append", conf: { "spark.sql.session.timeZone": "UTC" },
    inputs: { a: { schema: "id INT, k STRING, v INT, ts TIMESTAMP", batches: [[
      '{"id": 0, "k": "𝄞", "v": 2147483647, "ts": "1969-12-31 23:04:00.911"}', '{"id": 1, "k": "a", "v": 332, "ts": "1969-12-31 23:04:00.911"}',
      '{"id": 2, "k": "c", "v": 203, "ts": "1969-12-31 23:12:00.934"}', '{"id": 3, "k": null, "v": -128, "ts": "1969-12-31 23:16:00.934"}']] } },
    ops: [{ op: "withWatermark", col: "ts", delay: "10 minutes" }, { op: "groupBy", keys: ["window(ts, '10 minutes') AS w", "k"], aggs: ["count(*) AS n", "avg(v) AS av"] }] },
];

if (FUZZ_REGRESSIONS.length > 0) sqlDifferentialSuite("fuzz regressions", {}, FUZZ_REGRESSIONS);
if (FUZZ_STREAMING_REGRESSIONS.length > 0) streamDifferentialSuite("fuzz streaming regressions", FUZZ_STREAMING_REGRESSIONS);
