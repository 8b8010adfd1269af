/**
 * A pipeline process for crash tests: JSON files → filter/project → Parquet file sink with a checkpoint.
 * argv: landing output checkpoint mode(run|drain|graceful)
 */
import { F, Session } from "../../src/index.js";

const [landing, output, checkpoint, mode] = process.argv.slice(2) as [string, string, string, string];
const spark = Session.builder().appName("crash-pipeline").master("local[2]")
  .config("spark.sql.session.timeZone", "UTC")
  .config("spark.streaming.stopGracefullyOnShutdown", mode === "graceful")
  .config("spark.sql.streaming.pollingDelay", "5ms")
  .getOrCreate();

const query = await spark.readStream.schema("id BIGINT, payload STRING").option("maxFilesPerTrigger", 3).json(landing)
  .filter("id >= 0")
  .select(F.col("id"), F.upper(F.col("payload")).alias("payload"))
  .writeStream.format("parquet").option("path", output).option("checkpointLocation", checkpoint)
  .trigger(mode === "drain" ? { availableNow: true } : { processingTime: "20 milliseconds" })
  .start();
spark.streams.addListener({ onQueryProgress: ({ progress }) => { process.stdout.write(`batch ${progress.batchId}\n`); } });
await query.awaitTermination();
