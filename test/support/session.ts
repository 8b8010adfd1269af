/** A shared test session in UTC with ANSI mode as Spark 4's default. */
import { Session } from "../../src/index.js";

export function testSession(): Session {
  return Session.builder().appName("sluice-tests").master("local[2]")
    .config("spark.sql.session.timeZone", "UTC")
    .config("spark.sql.shuffle.partitions", 2)
    .config("spark.sql.streaming.pollingDelay", "5ms")
    .getOrCreate();
}
