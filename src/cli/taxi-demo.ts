/**
 * The main job: a generator drops taxi-trip JSON files into a landing folder; a Sluice query reads them with the
 * file source, cleans and enriches them, and writes Parquet partitioned by pickup date with a checkpoint. Ctrl-C
 * stops it gracefully; started again it resumes where it left off.
 */
import { existsSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { F, Session, type DataFrame } from "../index.js";
import { TAXI_SCHEMA_DDL, writeTaxiFile } from "./taxi-generator.js";

export interface DemoOptions {
  readonly dir: string;
  readonly filesPerSecond: number;
  readonly rowsPerFile: number;
  /** Stop after this many seconds (0 = run until Ctrl-C). */
  readonly durationSec: number;
  readonly trigger: string;
}

export async function runTaxiDemo(o: DemoOptions): Promise<void> {
  const landing = path.join(o.dir, "landing"), warehouse = path.join(o.dir, "warehouse", "trips"), checkpoint = path.join(o.dir, "checkpoint");
  const spark = Session.builder().appName("Sluice taxi trips").master("local[2]")
    .config("spark.sql.session.timeZone", "UTC")
    .config("spark.streaming.stopGracefullyOnShutdown", true)
    .getOrCreate();

  let seq = existsSync(landing) ? readdirSync(landing).filter((f) => f.startsWith("trips-")).length : 0;
  writeTaxiFile(landing, seq++, o.rowsPerFile);
  const generator = setInterval(() => { writeTaxiFile(landing, seq++, o.rowsPerFile); }, 1000 / o.filesPerSecond);

  const trips = cleanTrips(spark.readStream.schema(TAXI_SCHEMA_DDL).option("maxFilesPerTrigger", 20).json(landing));

  spark.streams.addListener({
    onQueryProgress: ({ progress: p }) => {
      process.stdout.write(`batch ${p.batchId}: ${p.numInputRows} rows in ${p.batchDuration} ms (${Math.round(p.processedRowsPerSecond)} rows/s), ` +
        `files waiting: ${p.sources[0]?.metrics["numFilesOutstanding"] ?? "?"}, rows written by this run: ${p.sink.metrics["numOutputRows"] ?? "?"}\n`);
    },
  });

  const query = await trips.writeStream.format("parquet").queryName("taxi_trips").partitionBy("pickup_date")
    .option("path", warehouse).option("checkpointLocation", checkpoint)
    .trigger({ processingTime: o.trigger }).start();
  process.stdout.write(`Sluice taxi demo: query ${query.id} (run ${query.runId})\n  landing:    ${landing}\n  warehouse:  ${warehouse}\n  checkpoint: ${checkpoint}\n` +
    `Press Ctrl-C to stop gracefully; run again to resume.\n`);

  const stopAll = (): void => clearInterval(generator);
  process.once("SIGINT", stopAll);
  process.once("SIGTERM", stopAll);
  if (o.durationSec > 0) {
    setTimeout(() => { stopAll(); void query.stop(); }, o.durationSec * 1000);
  }
  try {
    await query.awaitTermination();
  } finally {
    clearInterval(generator);
  }
  const written = await spark.read.parquet(warehouse).count();
  process.stdout.write(`stopped after batch ${query.lastProgress?.batchId ?? "-"}; ${written} rows in the warehouse\n`);
}

/** Both forms of the main job clean and enrich trips the same way: timestamps, bad trips dropped, duration, tip %. */
export function cleanTrips(raw: DataFrame): DataFrame {
  return raw
    .withColumn("pickup_ts", F.toTimestamp(F.col("tpep_pickup_datetime"), "yyyy-MM-dd HH:mm:ss"))
    .withColumn("dropoff_ts", F.toTimestamp(F.col("tpep_dropoff_datetime"), "yyyy-MM-dd HH:mm:ss"))
    .filter("trip_distance > 0 AND total_amount >= 0")
    .selectExpr(
      "VendorID", "pickup_ts", "dropoff_ts", "passenger_count", "trip_distance", "PULocationID", "DOLocationID",
      "payment_type", "fare_amount", "tip_amount", "total_amount",
      "round((unix_timestamp(dropoff_ts) - unix_timestamp(pickup_ts)) / 60.0, 1) AS duration_min",
      "CASE WHEN fare_amount > 0 THEN round(tip_amount / fare_amount * 100, 1) END AS tip_pct",
      "to_date(pickup_ts) AS pickup_date",
    );
}
