"""Real Spark's side of bench/kafka-vs-spark.ts: Kafka -> from_json -> Parquet with a checkpoint, trigger availableNow.

Usage: pipeline.py <jars,comma,separated> <bootstrap> <topic> <out> <checkpoint> <maxOffsetsPerTrigger> <ddl>
Prints one JSON line: rows read, batches, seconds from start() to termination, and the session's start-up seconds.
"""
import json, sys, time
from pyspark.sql import SparkSession
from pyspark.sql.functions import col, from_json

jars, bootstrap, topic, out, checkpoint, max_offsets, ddl = sys.argv[1:8]
t0 = time.time()
spark = (SparkSession.builder.master("local[2]").appName("bench-kafka-spark").config("spark.jars", jars)
         .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC")
         .config("spark.sql.shuffle.partitions", "2").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
startup = time.time() - t0
t = time.time()
q = (spark.readStream.format("kafka").option("kafka.bootstrap.servers", bootstrap).option("subscribe", topic)
     .option("startingOffsets", "earliest").option("maxOffsetsPerTrigger", max_offsets).load()
     .select(from_json(col("value").cast("string"), ddl).alias("r")).select("r.*")
     .writeStream.format("parquet").option("path", out).option("checkpointLocation", checkpoint)
     .trigger(availableNow=True).start())
q.awaitTermination()
seconds = time.time() - t
rows = sum(p["numInputRows"] for p in q.recentProgress)
print(json.dumps({"rows": rows, "batches": len([p for p in q.recentProgress if p["numInputRows"] > 0]), "seconds": seconds, "startupSeconds": startup}))
spark.stop()
