/**
 * The differential corpus: each case is one streaming query written for Sluice and for PySpark, fed the same input
 * files (one file per micro-batch per input), run with availableNow; outputs must be equal batch by batch.
 */
import { F, type DataFrame, type Session } from "../../src/index.js";

export interface DifferentialInput { readonly schema: string; readonly batches: readonly (readonly Record<string, unknown>[])[] }

export interface DifferentialCase {
  readonly name: string;
  readonly mode: "append" | "update" | "complete";
  readonly inputs: Readonly<Record<string, DifferentialInput>>;
  readonly sluice: (src: Readonly<Record<string, DataFrame>>, spark: Session) => DataFrame;
  /** A Python expression over `src` (dict of streaming DataFrames), `spark` and `F` (pyspark.sql.functions). */
  readonly pyspark: string;
}

const t = (hhmm: string): string => `2024-01-01 ${hhmm}:00`;

const EVENTS: DifferentialInput = {
  schema: "id INT, user STRING, kind STRING, amount DOUBLE, ts TIMESTAMP",
  batches: [
    [{ id: 1, user: "a", kind: "buy", amount: 10.5, ts: t("10:00") }, { id: 2, user: "b", kind: "view", amount: 0, ts: t("10:02") }, { id: 3, user: "a", kind: "view", amount: null, ts: t("10:07") }],
    [{ id: 4, user: "c", kind: "buy", amount: 99.99, ts: t("10:11") }, { id: 2, user: "b", kind: "view", amount: 0, ts: t("10:02") }, { id: 5, user: "a", kind: "buy", amount: 1.25, ts: t("10:03") }],
    [{ id: 6, user: "b", kind: "buy", amount: 7, ts: t("10:26") }, { id: 7, user: null, kind: "view", amount: 3, ts: t("10:27") }],
    [{ id: 8, user: "a", kind: "buy", amount: 5, ts: t("10:05") }, { id: 9, user: "d", kind: "view", amount: 2, ts: t("10:45") }],
  ],
};
const WORDS: DifferentialInput = {
  schema: "value STRING",
  batches: [[{ value: "the quick brown fox" }, { value: "the lazy dog" }], [{ value: "quick quick" }, { value: "" }], [{ value: "Dog the END" }]],
};
const CLICKS: DifferentialInput = {
  schema: "adId STRING, clickTime TIMESTAMP",
  batches: [[{ adId: "a", clickTime: t("10:03") }], [{ adId: "c", clickTime: t("10:12") }, { adId: "z", clickTime: t("10:22") }], [{ adId: "e", clickTime: t("11:05") }], []],
};
const IMPRESSIONS: DifferentialInput = {
  schema: "impAdId STRING, impTime TIMESTAMP",
  batches: [[{ impAdId: "a", impTime: t("10:00") }, { impAdId: "b", impTime: t("10:05") }, { impAdId: "c", impTime: t("10:10") }], [{ impAdId: "d", impTime: t("10:20") }], [{ impAdId: "e", impTime: t("11:00") }], []],
};

const JSONS: DifferentialInput = {
  schema: "id INT, payload STRING",
  batches: [[{ id: 1, payload: '{"a": 1, "b": "x", "c": [1, 2]}' }, { id: 2, payload: '{"a": "bad", "b": null}' }], [{ id: 3, payload: "{broken" }, { id: 4, payload: '{"b": "y", "a": 7}' }]],
};
const CUSTOMERS = "spark.createDataFrame([('a', 'Ann', 'NO'), ('b', 'Bob', 'IT'), ('x', 'Xi', 'DE')], 'user STRING, name STRING, country STRING')";
const customers = (spark: Session): DataFrame => spark.createDataFrame([["a", "Ann", "NO"], ["b", "Bob", "IT"], ["x", "Xi", "DE"]], "user STRING, name STRING, country STRING");

export const CORPUS: readonly DifferentialCase[] = [
  { name: "projection and filter", mode: "append", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.filter("amount > 1").select(F.col("id"), F.upper(F.col("user")).alias("u"), F.expr("round(amount * 1.2, 2) AS a")),
    pyspark: "src['e'].filter('amount > 1').select(F.col('id'), F.upper(F.col('user')).alias('u'), F.expr('round(amount * 1.2, 2) AS a'))" },
  { name: "case when and casts", mode: "append", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.selectExpr("id", "CASE WHEN kind = 'buy' THEN amount ELSE 0 END AS spend", "CAST(id AS STRING) || '-' || coalesce(user, '?') AS tag", "date_format(ts, 'HH:mm') AS hm"),
    pyspark: "src['e'].selectExpr('id', \"CASE WHEN kind = 'buy' THEN amount ELSE 0 END AS spend\", \"CAST(id AS STRING) || '-' || coalesce(user, '?') AS tag\", \"date_format(ts, 'HH:mm') AS hm\")" },
  { name: "word count complete", mode: "complete", inputs: { w: WORDS },
    sluice: (s) => s["w"]!.select(F.explode(F.split(F.lower(F.col("value")), " ")).alias("word")).filter("word != ''").groupBy("word").count(),
    pyspark: "src['w'].select(F.explode(F.split(F.lower(F.col('value')), ' ')).alias('word')).filter(\"word != ''\").groupBy('word').count()" },
  { name: "word count update", mode: "update", inputs: { w: WORDS },
    sluice: (s) => s["w"]!.select(F.explode(F.split(F.col("value"), " ")).alias("word")).groupBy("word").count(),
    pyspark: "src['w'].select(F.explode(F.split(F.col('value'), ' ')).alias('word')).groupBy('word').count()" },
  { name: "aggregates per user update", mode: "update", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.groupBy("user").agg(F.sum("amount").alias("total"), F.count("*").alias("n"), F.max("id").alias("last"), F.avg("amount").alias("avg")),
    pyspark: "src['e'].groupBy('user').agg(F.sum('amount').alias('total'), F.count('*').alias('n'), F.max('id').alias('last'), F.avg('amount').alias('avg'))" },
  { name: "global aggregate complete", mode: "complete", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.agg(F.count("*").alias("n"), F.sum("amount").alias("s"), F.min("ts").alias("first")),
    pyspark: "src['e'].agg(F.count('*').alias('n'), F.sum('amount').alias('s'), F.min('ts').alias('first'))" },
  { name: "tumbling window append", mode: "append", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.withWatermark("ts", "10 minutes").groupBy(F.window("ts", "10 minutes")).agg(F.count("*").alias("n"), F.sum("amount").alias("s")),
    pyspark: "src['e'].withWatermark('ts', '10 minutes').groupBy(F.window('ts', '10 minutes')).agg(F.count('*').alias('n'), F.sum('amount').alias('s'))" },
  { name: "sliding window update", mode: "update", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.withWatermark("ts", "5 minutes").groupBy(F.window("ts", "10 minutes", "5 minutes"), "kind").count(),
    pyspark: "src['e'].withWatermark('ts', '5 minutes').groupBy(F.window('ts', '10 minutes', '5 minutes'), 'kind').count()" },
  { name: "window with start time complete", mode: "complete", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.groupBy(F.window("ts", "15 minutes", undefined, "5 minutes")).agg(F.max("amount").alias("m")),
    pyspark: "src['e'].groupBy(F.window('ts', '15 minutes', '15 minutes', '5 minutes')).agg(F.max('amount').alias('m'))" },
  { name: "session window append", mode: "append", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.withWatermark("ts", "10 minutes").groupBy("user", F.sessionWindow("ts", "5 minutes")).count(),
    pyspark: "src['e'].withWatermark('ts', '10 minutes').groupBy('user', F.session_window('ts', '5 minutes')).count()" },
  { name: "dropDuplicates", mode: "append", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.dropDuplicates(["id"]).select("id", "user"),
    pyspark: "src['e'].dropDuplicates(['id']).select('id', 'user')" },
  { name: "dropDuplicates with watermark", mode: "append", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.withWatermark("ts", "10 minutes").dropDuplicates(["user", "ts"]).select("id", "user", "ts"),
    pyspark: "src['e'].withWatermark('ts', '10 minutes').dropDuplicates(['user', 'ts']).select('id', 'user', 'ts')" },
  { name: "dropDuplicatesWithinWatermark", mode: "append", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.withWatermark("ts", "10 minutes").dropDuplicatesWithinWatermark(["user"]).select("id", "user"),
    pyspark: "src['e'].withWatermark('ts', '10 minutes').dropDuplicatesWithinWatermark(['user']).select('id', 'user')" },
  { name: "stream-stream inner join", mode: "append", inputs: { i: IMPRESSIONS, c: CLICKS },
    sluice: (s) => s["i"]!.withWatermark("impTime", "10 minutes").join(s["c"]!.withWatermark("clickTime", "20 minutes"), F.expr("adId = impAdId AND clickTime BETWEEN impTime AND impTime + interval 15 minutes")),
    pyspark: "src['i'].withWatermark('impTime', '10 minutes').join(src['c'].withWatermark('clickTime', '20 minutes'), F.expr('adId = impAdId AND clickTime BETWEEN impTime AND impTime + interval 15 minutes'))" },
  { name: "stream-stream left outer join", mode: "append", inputs: { i: IMPRESSIONS, c: CLICKS },
    sluice: (s) => s["i"]!.withWatermark("impTime", "10 minutes").join(s["c"]!.withWatermark("clickTime", "20 minutes"), F.expr("adId = impAdId AND clickTime BETWEEN impTime AND impTime + interval 15 minutes"), "left"),
    pyspark: "src['i'].withWatermark('impTime', '10 minutes').join(src['c'].withWatermark('clickTime', '20 minutes'), F.expr('adId = impAdId AND clickTime BETWEEN impTime AND impTime + interval 15 minutes'), 'left')" },
  { name: "stream-stream right outer join", mode: "append", inputs: { i: IMPRESSIONS, c: CLICKS },
    sluice: (s) => s["i"]!.withWatermark("impTime", "10 minutes").join(s["c"]!.withWatermark("clickTime", "20 minutes"), F.expr("adId = impAdId AND clickTime BETWEEN impTime AND impTime + interval 15 minutes"), "right"),
    pyspark: "src['i'].withWatermark('impTime', '10 minutes').join(src['c'].withWatermark('clickTime', '20 minutes'), F.expr('adId = impAdId AND clickTime BETWEEN impTime AND impTime + interval 15 minutes'), 'right')" },
  { name: "explode and aggregate strings", mode: "complete", inputs: { w: WORDS },
    sluice: (s) => s["w"]!.select(F.explode(F.split(F.col("value"), " ")).alias("w")).groupBy(F.length("w").alias("len")).agg(F.count("*").alias("n"), F.min("w").alias("first")),
    pyspark: "src['w'].select(F.explode(F.split(F.col('value'), ' ')).alias('w')).groupBy(F.length('w').alias('len')).agg(F.count('*').alias('n'), F.min('w').alias('first'))" },
  { name: "aggregate sorted in complete mode", mode: "complete", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.groupBy("kind").agg(F.sum("amount").alias("s")).orderBy(F.col("s").desc()),
    pyspark: "src['e'].groupBy('kind').agg(F.sum('amount').alias('s')).orderBy(F.col('s').desc())" },
  { name: "union of two streams", mode: "append", inputs: { e: EVENTS, f: EVENTS },
    sluice: (s) => s["e"]!.select("id", "kind").union(s["f"]!.select(F.col("id").plus(100).alias("id"), "kind")),
    pyspark: "src['e'].select('id', 'kind').union(src['f'].select((F.col('id') + 100).alias('id'), 'kind'))" },
  { name: "stream-static inner join", mode: "append", inputs: { e: EVENTS },
    sluice: (s, spark) => s["e"]!.join(customers(spark), "user").select("id", "user", "name", "amount"),
    pyspark: `src['e'].join(${CUSTOMERS}, 'user').select('id', 'user', 'name', 'amount')` },
  { name: "stream-static left join", mode: "append", inputs: { e: EVENTS },
    sluice: (s, spark) => s["e"]!.join(customers(spark), "user", "left").select("id", "user", "country"),
    pyspark: `src['e'].join(${CUSTOMERS}, 'user', 'left').select('id', 'user', 'country')` },
  { name: "stream-static left semi and anti joins", mode: "append", inputs: { e: EVENTS },
    sluice: (s, spark) => s["e"]!.join(customers(spark), "user", "semi").select(F.col("id"), F.lit("semi").alias("k")).union(s["e"]!.join(customers(spark), "user", "anti").select(F.col("id"), F.lit("anti").alias("k"))),
    pyspark: `src['e'].join(${CUSTOMERS}, 'user', 'semi').select(F.col('id'), F.lit('semi').alias('k')).union(src['e'].join(${CUSTOMERS}, 'user', 'anti').select(F.col('id'), F.lit('anti').alias('k')))` },
  { name: "predicates", mode: "append", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.filter("id IN (1, 3, 5, 7, 9) OR user LIKE 'c%' OR kind RLIKE '^b.y$' AND amount BETWEEN 5 AND 20").select("id"),
    pyspark: "src['e'].filter(\"id IN (1, 3, 5, 7, 9) OR user LIKE 'c%' OR kind RLIKE '^b.y$' AND amount BETWEEN 5 AND 20\").select('id')" },
  { name: "string functions", mode: "append", inputs: { w: WORDS },
    sluice: (s) => s["w"]!.selectExpr("concat_ws('|', value, upper(value)) AS a", "substring(value, 2, 3) AS b", "regexp_replace(value, '[aeiou]', '*') AS c", "lpad(value, 12, '.') AS d", "length(trim(value)) AS e", "initcap(value) AS f"),
    pyspark: "src['w'].selectExpr(\"concat_ws('|', value, upper(value)) AS a\", 'substring(value, 2, 3) AS b', \"regexp_replace(value, '[aeiou]', '*') AS c\", \"lpad(value, 12, '.') AS d\", 'length(trim(value)) AS e', 'initcap(value) AS f')" },
  { name: "date and time functions", mode: "append", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.selectExpr("id", "year(ts) AS y", "hour(ts) AS h", "date_trunc('hour', ts) AS th", "unix_timestamp(ts) AS u", "to_date(ts) AS d", "ts + interval 90 minutes AS later", "date_format(ts, 'yyyy/MM/dd HH:mm') AS f"),
    pyspark: "src['e'].selectExpr('id', 'year(ts) AS y', 'hour(ts) AS h', \"date_trunc('hour', ts) AS th\", 'unix_timestamp(ts) AS u', 'to_date(ts) AS d', 'ts + interval 90 minutes AS later', \"date_format(ts, 'yyyy/MM/dd HH:mm') AS f\")" },
  { name: "from_json and to_json", mode: "append", inputs: { j: JSONS },
    sluice: (s) => s["j"]!.select(F.col("id"), F.fromJson(F.col("payload"), "a INT, b STRING, c ARRAY<INT>").alias("p")).select(F.col("id"), F.col("p.a").alias("a"), F.col("p.b").alias("b"), F.size(F.col("p.c")).alias("n"), F.toJson(F.col("p")).alias("back")),
    pyspark: "src['j'].select(F.col('id'), F.from_json(F.col('payload'), 'a INT, b STRING, c ARRAY<INT>').alias('p')).select(F.col('id'), F.col('p.a').alias('a'), F.col('p.b').alias('b'), F.size(F.col('p.c')).alias('n'), F.to_json(F.col('p')).alias('back'))" },
  { name: "approx distinct and collect_set", mode: "complete", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.groupBy("kind").agg(F.approxCountDistinct("user").alias("users"), F.size(F.collectSet("user")).alias("set")),
    pyspark: "src['e'].groupBy('kind').agg(F.approx_count_distinct('user').alias('users'), F.size(F.collect_set('user')).alias('set'))" },
  { name: "two keys with nulls update", mode: "update", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.groupBy("user", "kind").agg(F.min("amount").alias("lo"), F.max("amount").alias("hi"), F.count("amount").alias("n")),
    pyspark: "src['e'].groupBy('user', 'kind').agg(F.min('amount').alias('lo'), F.max('amount').alias('hi'), F.count('amount').alias('n'))" },
  { name: "column manipulation", mode: "append", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.withColumn("double", F.col("amount").multiply(2)).withColumnRenamed("user", "who").drop("kind", "ts").filter(F.col("double").isNotNull()),
    pyspark: "src['e'].withColumn('double', F.col('amount') * 2).withColumnRenamed('user', 'who').drop('kind', 'ts').filter(F.col('double').isNotNull())" },
  { name: "late data in update mode", mode: "update", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.withWatermark("ts", "10 minutes").groupBy(F.window("ts", "5 minutes")).agg(F.sum("amount").alias("s")),
    pyspark: "src['e'].withWatermark('ts', '10 minutes').groupBy(F.window('ts', '5 minutes')).agg(F.sum('amount').alias('s'))" },
  { name: "stream-stream full outer join", mode: "append", inputs: { i: IMPRESSIONS, c: CLICKS },
    sluice: (s) => s["i"]!.withWatermark("impTime", "10 minutes").join(s["c"]!.withWatermark("clickTime", "20 minutes"), F.expr("adId = impAdId AND clickTime BETWEEN impTime AND impTime + interval 15 minutes"), "full"),
    pyspark: "src['i'].withWatermark('impTime', '10 minutes').join(src['c'].withWatermark('clickTime', '20 minutes'), F.expr('adId = impAdId AND clickTime BETWEEN impTime AND impTime + interval 15 minutes'), 'full')" },
  { name: "stream-stream left semi join", mode: "append", inputs: { i: IMPRESSIONS, c: CLICKS },
    sluice: (s) => s["i"]!.withWatermark("impTime", "10 minutes").join(s["c"]!.withWatermark("clickTime", "20 minutes"), F.expr("adId = impAdId AND clickTime BETWEEN impTime AND impTime + interval 15 minutes"), "semi"),
    pyspark: "src['i'].withWatermark('impTime', '10 minutes').join(src['c'].withWatermark('clickTime', '20 minutes'), F.expr('adId = impAdId AND clickTime BETWEEN impTime AND impTime + interval 15 minutes'), 'left_semi')" },
];
