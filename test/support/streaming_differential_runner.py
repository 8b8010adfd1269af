"""Runs the streaming-semantics differential cases in PySpark: each case's inputs as file streams (one file per
micro-batch), the query with availableNow (or once, then availableNow after a restart from the same checkpoint, when
the case restarts: the files after `restartAfter` are written between the two runs). Every batch's output, or the
error class and parameters of a query Spark rejects at start(), go to argv[2] as JSON."""
import decimal, json, os, sys
from pyspark.sql import SparkSession, functions as F, types as T

spec = json.load(open(sys.argv[1]))
spark = (SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.session.timeZone", "UTC").config("spark.sql.shuffle.partitions", "2").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")

def norm(v):
    if v is None or isinstance(v, (bool, str, int, float)):
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

def cell(v, t):
    """A column's value; decimals as their exact text at the column's scale (Sluice's Decimal.toString)."""
    if v is not None and isinstance(t, T.DecimalType):
        with decimal.localcontext() as c:
            c.prec = 100
            return format(v.quantize(decimal.Decimal(1).scaleb(-t.scale)), "f")
    return norm(v)

def write_files(files):
    for f in files:
        with open(f["path"], "w") as h:
            h.write(f["content"])
        os.utime(f["path"], (f["mtime"], f["mtime"]))

results = {}
for case in spec["cases"]:
    out = {}
    def sink(df, batch_id, out=out):
        types = {f.name: f.dataType for f in df.schema.fields}
        out[str(batch_id)] = [{k: cell(v, types[k]) for k, v in r.asDict().items()} for r in df.collect()]
    try:
        for run in range(2 if case["restart"] else 1):
            if run == 1:
                for inp in case["inputs"].values():
                    write_files(inp["pending"])
            src = {name: spark.readStream.schema(inp["schema"]).option("maxFilesPerTrigger", 1).json(inp["dir"]) for name, inp in case["inputs"].items()}
            df = eval(case["pyspark"], {"F": F, "src": src, "spark": spark})
            w = df.writeStream.outputMode(case["mode"]).option("checkpointLocation", case["checkpoint"]).foreachBatch(sink)
            w = w.trigger(once=True) if (run == 0 and case["firstTrigger"] == "once") else w.trigger(availableNow=True)
            q = w.start()
            q.awaitTermination()
        results[case["name"]] = {"batches": out}
    except Exception as e:
        cond = getattr(e, "getCondition", lambda: None)() or type(e).__name__
        params = getattr(e, "getMessageParameters", lambda: None)() or {}
        results[case["name"]] = {"error": cond, "params": dict(params), "message": str(e).split("\n")[0][:300]}
json.dump(results, open(sys.argv[2], "w"))
