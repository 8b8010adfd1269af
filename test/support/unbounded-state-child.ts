/**
 * Child process of test/streaming/state-memory-bound.test.ts (run with a small --max-old-space-size): a streaming
 * aggregation whose state grows without end and without a configured memory limit. Prints one JSON line: the code of
 * the query's failure, or what was reached when it did not fail.
 */
import { F, Session } from "../../src/index.js";
import { tempDir } from "./stream-test.js";

const spark = Session.builder().appName("unbounded-state").master("local[1]")
  .config("spark.sql.shuffle.partitions", 2).config("spark.sql.streaming.pollingDelay", "1ms").getOrCreate();
const rows = spark.readStream.format("rate-micro-batch").option("rowsPerBatch", Number(process.argv[2] ?? 20000)).load();
const q = await rows.groupBy(F.col("value")).agg(F.count("*").alias("n")).writeStream.outputMode("update")
  .option("checkpointLocation", tempDir()).foreachBatch(() => undefined).start();
const ended = await q.awaitTermination(240_000).then(() => "stopped", () => "failed");
const cause = q.exception()?.cause as { code?: string; params?: Record<string, unknown> } | undefined;
console.log(JSON.stringify({ ended, code: cause?.code, params: cause?.params, batches: q.lastProgress?.batchId }));
if (ended !== "failed") await q.stop();
process.exit(0);
