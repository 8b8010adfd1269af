"""Real Spark as the oracle for differential tests and the fuzzer: one long-lived PySpark session that answers JSON
requests, one per line on stdin, with one JSON line on stdout each.

Request:  {"id": 1, "tables": {"t": {"schema": "a INT, d DECIMAL(10,2)", "path": "/tmp/t.json"}},
           "sql": "SELECT a + 1 FROM t"}                       (or "pyspark": "<python expression over spark, F, T>")
           optional "conf": {"spark.sql.ansi.enabled": "false"} applied for this request only.
Response: {"id": 1, "schema": [["(a + 1)", "int"]], "rows": [["2"], [null]]}
      or  {"id": 1, "error": "DIVIDE_BY_ZERO", "message": "..."}

Streaming request: {"id": 2, "stream": {"inputs": {"a": {"schema": "k STRING, ts TIMESTAMP", "dir": "/tmp/in"}},
           "pyspark": "src['a'].groupBy('k').count()", "mode": "complete", "checkpoint": "/tmp/ckpt"}}
           Each input is a JSON file stream read one file per micro-batch (maxFilesPerTrigger 1); the query runs with
           availableNow into foreachBatch. Optional "conf" as above.
Response: {"id": 2, "schema": [["k", "string"], ["count", "bigint"]], "batches": {"0": [["a", "1"]], "1": [...]}}

Values are canonical so that nothing is rounded on the way: integers and decimals as their exact text, doubles as
JSON numbers (NaN/Infinity/-Infinity/-0.0 as strings), timestamps as microseconds since the epoch (text), dates as
yyyy-mm-dd, binary as hex, arrays as lists, maps as lists of [key, value], structs as lists of field values.
"""
import datetime, decimal, json, math, os, sys, time

os.environ["TZ"] = "UTC"
time.tzset()

from pyspark.sql import SparkSession, functions as F, types as T  # noqa: E402

spark = (SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false")
         .config("spark.ui.showConsoleProgress", "false").config("spark.sql.session.timeZone", "UTC")
         .config("spark.sql.shuffle.partitions", "2").getOrCreate())
spark.sparkContext.setLogLevel("OFF")
EPOCH = datetime.datetime(1970, 1, 1)


def canon(v, t):
    if v is None:
        return None
    if isinstance(t, T.BooleanType):
        return bool(v)
    if isinstance(t, (T.ByteType, T.ShortType, T.IntegerType, T.LongType)):
        return str(v)
    if isinstance(t, (T.FloatType, T.DoubleType)):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        if v == 0 and math.copysign(1.0, v) < 0:
            return "-0.0"
        return float(v)
    if isinstance(t, T.DecimalType):  # at the type's scale (PySpark's Decimal may carry another exponent)
        with decimal.localcontext() as c:
            c.prec = 100
            return format(v.quantize(decimal.Decimal(1).scaleb(-t.scale)), "f")
    if isinstance(t, (T.StringType, T.VarcharType, T.CharType)):
        return str(v)
    if isinstance(t, T.BinaryType):
        return bytes(v).hex()
    if isinstance(t, T.DateType):
        return v.isoformat()
    if isinstance(t, (T.TimestampType, T.TimestampNTZType)):
        if v.tzinfo is not None:
            v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return str((v - EPOCH) // datetime.timedelta(microseconds=1))
    if isinstance(t, T.ArrayType):
        return [canon(x, t.elementType) for x in v]
    if isinstance(t, T.MapType):
        return [[canon(k, t.keyType), canon(x, t.valueType)] for k, x in v.items()]
    if isinstance(t, T.StructType):
        return [canon(v[i], f.dataType) for i, f in enumerate(t.fields)]
    return str(v)


def error_class(e):
    j = getattr(e, "java_exception", None)  # Py4JJavaError: the first Spark error class down the cause chain
    while j is not None:
        try:
            c = j.getCondition()
            if c:
                return c
        except Exception:
            pass
        j = j.getCause()
    for name in ("getCondition", "getErrorClass"):
        f = getattr(e, name, None)
        if f is not None:
            try:
                c = f()
                if c:
                    return c
            except Exception:
                pass
    # A Py4JJavaError (a failed task: FAILFAST parsing, say) carries the Java exception; its condition, or the first
    # one down its cause chain, is the error class.
    je = getattr(e, "java_exception", None)
    while je is not None:
        try:
            c = je.getCondition()
            if c:
                return c
        except Exception:
            pass
        try:
            je = je.getCause()
        except Exception:
            break
    return type(e).__name__


def answer_stream(st):
    src = {name: spark.readStream.schema(inp["schema"]).option("maxFilesPerTrigger", 1).json(inp["dir"])
           for name, inp in st["inputs"].items()}
    df = eval(st["pyspark"], {"spark": spark, "F": F, "T": T, "src": src})  # test code written by Sluice's developers
    fields = df.schema.fields
    batches = {}

    def sink(bdf, batch_id):
        batches[str(batch_id)] = [[canon(r[i], f.dataType) for i, f in enumerate(fields)] for r in bdf.collect()]

    q = (df.writeStream.outputMode(st.get("mode", "append")).option("checkpointLocation", st["checkpoint"])
         .foreachBatch(sink).trigger(availableNow=True).start())
    try:
        q.awaitTermination()
    finally:
        q.stop()
    return {"schema": [[f.name, f.dataType.simpleString()] for f in fields], "batches": batches}


def answer(req):
    conf = req.get("conf") or {}
    old = {k: spark.conf.get(k, None) for k in conf}
    try:
        for k, v in conf.items():
            spark.conf.set(k, v)
        for name, tab in (req.get("tables") or {}).items():
            spark.read.schema(tab["schema"]).json(tab["path"]).createOrReplaceTempView(name)
        if "stream" in req:
            return answer_stream(req["stream"])
        if "sql" in req:
            df = spark.sql(req["sql"])
        else:
            df = eval(req["pyspark"], {"spark": spark, "F": F, "T": T})  # test code written by Sluice's developers
        schema = [[f.name, f.dataType.simpleString()] for f in df.schema.fields]
        rows = [[canon(r[i], f.dataType) for i, f in enumerate(df.schema.fields)] for r in df.collect()]
        return {"schema": schema, "rows": rows}
    except Exception as e:  # noqa: BLE001 - every failure is an answer
        return {"error": error_class(e), "message": str(e).split("\n")[0][:500]}
    finally:
        for k, v in old.items():
            if v is None:
                spark.conf.unset(k)
            else:
                spark.conf.set(k, v)


print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    if not line.strip():
        continue
    req = json.loads(line)
    out = answer(req)
    out["id"] = req.get("id")
    print(json.dumps(out), flush=True)
