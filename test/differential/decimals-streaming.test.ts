/**
 * Exact decimals and 64-bit integers through streaming state against real Spark, batch by batch: windowed and keyed
 * sums and averages of DECIMAL(38,10) (every digit kept) and BIGINT values beyond 2^53, in update and complete mode.
 */
import { F } from "../../src/index.js";
import { streamingDifferentialSuite, type StreamInput } from "../support/streaming-differential.js";

const MONEY: StreamInput = {
  schema: "k STRING, amount DECIMAL(38,10), big BIGINT, ts TIMESTAMP",
  batches: [
    ['{"k": "a", "amount": 12345678901234567890.0123456789, "big": 9007199254740993, "ts": "2024-01-01 10:00:00"}', '{"k": "b", "amount": 0.0000000001, "big": 1, "ts": "2024-01-01 10:01:00"}'],
    ['{"k": "a", "amount": -0.5000000001, "big": 2, "ts": "2024-01-01 10:04:00"}', '{"k": "b", "amount": 12.96, "big": -9223372036854775807, "ts": "2024-01-01 10:12:00"}'],
    ['{"k": "a", "amount": 0.0000000003, "big": 9007199254740993, "ts": "2024-01-01 10:16:00"}'],
  ],
};

streamingDifferentialSuite("exact decimals and BIGINT in streaming state", [
  { name: "keyed sum and avg of DECIMAL(38,10), complete", mode: "complete", inputs: { m: MONEY },
    sluice: (s) => s["m"]!.groupBy("k").agg(F.sum("amount").alias("total"), F.avg("amount").alias("mean"), F.sum("big").cast("string").alias("bigs")),
    pyspark: "src['m'].groupBy('k').agg(F.sum('amount').alias('total'), F.avg('amount').alias('mean'), F.sum('big').cast('string').alias('bigs'))" },
  { name: "windowed sums of decimals, update", mode: "update", inputs: { m: MONEY },
    sluice: (s) => s["m"]!.withWatermark("ts", "10 minutes").groupBy(F.window(F.col("ts"), "10 minutes"), F.col("k")).agg(F.sum("amount").alias("total"), F.max("big").cast("string").alias("top")),
    pyspark: "src['m'].withWatermark('ts', '10 minutes').groupBy(F.window(F.col('ts'), '10 minutes'), F.col('k')).agg(F.sum('amount').alias('total'), F.max('big').cast('string').alias('top'))" },
]);
