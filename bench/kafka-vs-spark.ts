/**
 * Side by side with real Spark (the reference): the same Kafka topic, the same query — Kafka → from_json → Parquet
 * files with a checkpoint, maxOffsetsPerTrigger 200,000, local[2] — run by Sluice and then by PySpark with Spark's own
 * Kafka connector, on this machine in the same run. Prints rows/s for each (query time, and wall time including
 * start-up), and checks with DuckDB that both wrote the same rows.
 * `./dev bench kafka-vs-spark [records=1000000]` starts Kafka, installs PySpark 4.0.0 (whose Kafka connector is on
 * Maven Central here) into a venv of its own and fetches the connector's jars.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { F, Session } from "../src/index.js";
import { TRIP_DDL, dropTopic, fillTopic } from "./taxi-topic.js";

const records = Number(process.argv[2] ?? 1_000_000);
const bootstrap = process.env["SLUICE_KAFKA_BOOTSTRAP"] ?? "127.0.0.1:19092";
const python = process.env["SLUICE_SPARK_PYTHON"] ?? path.resolve(".services/py-spark4.0/bin/python"); // PySpark 4.0.0 with duckdb
const jarsDir = path.resolve(".services/spark-kafka");
const jars = readdirSync(jarsDir).filter((f) => /^(spark-sql-kafka|spark-token-provider-kafka|kafka-clients|commons-pool2)/.test(f)).map((f) => path.join(jarsDir, f)).join(",");
const topic = `bench-vs-spark-${Date.now()}`;
const root = mkdtempSync(path.join(tmpdir(), "sluice-bench-vs-spark-"));
await fillTopic(bootstrap, topic, records, 2, "json");

// Sluice.
let t = performance.now();
const spark = Session.builder().appName("bench-kafka-vs-spark").master("local[2]").config("spark.sql.session.timeZone", "UTC").getOrCreate();
const startQuery = performance.now();
const q = await spark.readStream.format("kafka").option("kafka.bootstrap.servers", bootstrap).option("subscribe", topic).option("startingOffsets", "earliest")
  .option("maxOffsetsPerTrigger", 200_000).load()
  .select(F.fromJson(F.col("value").cast("string"), TRIP_DDL).alias("r")).select("r.*")
  .writeStream.format("parquet").option("path", path.join(root, "sluice")).option("checkpointLocation", path.join(root, "sluice-ckpt"))
  .trigger({ availableNow: true }).start();
await q.awaitTermination();
const sluiceQuery = (performance.now() - startQuery) / 1000, sluiceWall = (performance.now() - t) / 1000;
const sluiceRows = q.recentProgress.reduce((s, p) => s + p.numInputRows, 0);
await spark.stop();

// Spark, in its own process (JVM start-up counted in the wall time).
t = performance.now();
const sparkOut = JSON.parse(execFileSync(python, [path.resolve("bench/spark-kafka/pipeline.py"), jars, bootstrap, topic, path.join(root, "spark"), path.join(root, "spark-ckpt"), "200000", TRIP_DDL],
  { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim().split("\n").pop()!) as { rows: number; batches: number; seconds: number; startupSeconds: number };
const sparkWall = (performance.now() - t) / 1000;

// The same rows on both sides?
const check = JSON.parse(execFileSync(python, ["-c", `
import duckdb, json
q = lambda d: list(duckdb.sql(f"select count(*), round(sum(total_amount), 2), count(distinct tpep_pickup_datetime), epoch(min(tpep_pickup_datetime)), epoch(max(tpep_dropoff_datetime)) from read_parquet('{d}/*.parquet')").fetchall()[0])
print(json.dumps([q(${JSON.stringify(path.join(root, "sluice"))}), q(${JSON.stringify(path.join(root, "spark"))})]))`], { encoding: "utf8" }).trim()) as unknown[][];

console.log(JSON.stringify({
  benchmark: "Kafka → from_json → Parquet (local files), Sluice and Spark side by side", records, partitions: 2, cores: 2,
  sluice: { rows: sluiceRows, queryRowsPerSecond: Math.round(sluiceRows / sluiceQuery), queryRowsPerSecondPerCore: Math.round(sluiceRows / sluiceQuery / 2), querySeconds: +sluiceQuery.toFixed(2), wallSeconds: +sluiceWall.toFixed(2) },
  spark: { rows: sparkOut.rows, queryRowsPerSecond: Math.round(sparkOut.rows / sparkOut.seconds), queryRowsPerSecondPerCore: Math.round(sparkOut.rows / sparkOut.seconds / 2), querySeconds: +sparkOut.seconds.toFixed(2), startupSeconds: +sparkOut.startupSeconds.toFixed(2), wallSeconds: +sparkWall.toFixed(2) },
  sameOutput: JSON.stringify(check[0]) === JSON.stringify(check[1]), outputs: { sluice: check[0], spark: check[1] },
}, null, 2));
await dropTopic(bootstrap, topic);
rmSync(root, { recursive: true, force: true });
