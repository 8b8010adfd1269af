"""Runs the differential corpus in PySpark: each case's inputs as file streams (one file per micro-batch), the query
in append/update/complete mode with availableNow, every batch's output collected. Writes JSON results to argv[2]."""
import json, sys
from pyspark.sql import SparkSession, functions as F

spec = json.load(open(sys.argv[1]))
spark = (SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.session.timeZone", "UTC").config("spark.sql.shuffle.partitions", "2").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")

def norm(v):
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, (int, float)):
        return v
    if hasattr(v, "isoformat"):
        return v.isoformat().replace("+00:00", "")[:23]
    if hasattr(v, "asDict"):
        return {k: norm(x) for k, x in v.asDict().items()}
    if isinstance(v, (list, tuple)):
        return [norm(x) for x in v]
    if isinstance(v, dict):
        return {str(k): norm(x) for k, x in v.items()}
    return str(v)

results = {}
for case in spec["cases"]:
    src = {name: spark.readStream.schema(inp["schema"]).option("maxFilesPerTrigger", 1).json(inp["dir"]) for name, inp in case["inputs"].items()}
    out = {}
    def sink(df, batch_id, out=out):
        out[str(batch_id)] = [{k: norm(v) for k, v in r.asDict().items()} for r in df.collect()]
    try:
        df = eval(case["pyspark"], {"F": F, "src": src, "spark": spark})
        q = (df.writeStream.outputMode(case["mode"]).option("checkpointLocation", case["checkpoint"])
             .foreachBatch(sink).trigger(availableNow=True).start())
        q.awaitTermination()
        results[case["name"]] = {"batches": out}
    except Exception as e:
        results[case["name"]] = {"error": type(e).__name__ + ": " + str(e).split("\n")[0]}
json.dump(results, open(sys.argv[2], "w"))
