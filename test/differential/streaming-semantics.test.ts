/**
 * Streaming semantics against real Spark, batch by batch (harness: test/support/streaming-differential.ts): windows,
 * watermarks and late data, dedup, every join type, global aggregation, output modes, restarts.
 */
import { F, type DataFrame, type Session } from "../../src/index.js";
import { streamingDifferentialSuite, type StreamCase, type StreamInput } from "../support/streaming-differential.js";

const t = (hhmm: string): string => `2024-01-01 ${hhmm}:00`;

const EVENTS: StreamInput = {
  schema: "id INT, user STRING, kind STRING, amount DOUBLE, ts TIMESTAMP",
  batches: [
    [{ id: 1, user: "a", kind: "buy", amount: 10.5, ts: t("10:00") }, { id: 2, user: "b", kind: "view", amount: 0, ts: t("10:02") }, { id: 3, user: "a", kind: "view", amount: null, ts: t("10:07") }],
    [{ id: 4, user: "c", kind: "buy", amount: 99.99, ts: t("10:11") }, { id: 2, user: "b", kind: "view", amount: 0, ts: t("10:02") }, { id: 5, user: "a", kind: "buy", amount: 1.25, ts: t("10:03") }],
    [{ id: 6, user: "b", kind: "buy", amount: 7, ts: t("10:26") }, { id: 7, user: null, kind: "view", amount: 3, ts: t("10:27") }],
    [{ id: 8, user: "a", kind: "buy", amount: 5, ts: t("10:05") }, { id: 9, user: "d", kind: "view", amount: 2, ts: t("10:45") }],
    [{ id: 10, user: "a", kind: "view", amount: 1, ts: t("10:31") }, { id: 11, user: "b", kind: "buy", amount: 4, ts: t("10:29") }, { id: 12, user: "e", kind: "buy", amount: 8, ts: t("11:20") }],
  ],
};
/** Empty files between non-empty ones: micro-batches that read no rows. */
const SPARSE: StreamInput = {
  schema: "k STRING, v INT, ts TIMESTAMP",
  batches: [[], [{ k: "x", v: 1, ts: t("10:00") }, { k: "y", v: 2, ts: t("10:01") }], [], [{ k: "x", v: 3, ts: t("10:30") }]],
};
const EMPTY: StreamInput = { schema: "k STRING, v INT, ts TIMESTAMP", batches: [[], []] };
// Clicks for an impression both inside and outside the join's time range, in the same micro-batch; and two
// impressions for one click's key, one inside and one outside the range.
const IMPRESSIONS: StreamInput = {
  schema: "impAdId STRING, impTime TIMESTAMP",
  batches: [[{ impAdId: "a", impTime: t("10:00") }, { impAdId: "b", impTime: t("10:05") }], [{ impAdId: "k", impTime: t("10:30") }, { impAdId: "k", impTime: t("10:20") }], [{ impAdId: "x", impTime: t("11:00") }], [{ impAdId: "z", impTime: t("12:00") }]],
};
const CLICKS: StreamInput = {
  schema: "adId STRING, clickTime TIMESTAMP",
  batches: [[{ adId: "a", clickTime: t("10:03") }, { adId: "a", clickTime: t("10:30") }, { adId: "b", clickTime: t("10:31") }, { adId: "k", clickTime: t("10:40") }], [], [{ adId: "y", clickTime: t("11:30") }], [{ adId: "z", clickTime: t("12:05") }]],
};
const LEFT_KEYED: StreamInput = {
  schema: "lk STRING, lv INT, lts TIMESTAMP",
  batches: [[{ lk: "a", lv: 1, lts: t("10:00") }, { lk: "a", lv: 2, lts: t("10:00") }, { lk: "b", lv: 3, lts: t("10:01") }, { lk: null, lv: 4, lts: t("10:02") }], [{ lk: "c", lv: 5, lts: t("10:20") }], [{ lk: "d", lv: 6, lts: t("11:00") }]],
};
const RIGHT_KEYED: StreamInput = {
  schema: "rk STRING, rv INT, rts TIMESTAMP",
  batches: [[{ rk: "a", rv: 10, rts: t("10:00") }, { rk: "b", rv: 30, rts: t("10:05") }], [{ rk: "c", rv: 50, rts: t("10:20") }, { rk: "a", rv: 11, rts: t("10:00") }], [{ rk: "e", rv: 70, rts: t("11:00") }]],
};
const LATE: StreamInput = {
  schema: "k STRING, ts TIMESTAMP",
  batches: [[{ k: "a", ts: t("10:00") }, { k: "b", ts: t("10:27") }], [{ k: "c", ts: t("10:12") }, { k: "d", ts: t("10:30") }, { k: "a", ts: t("10:31") }], [{ k: "e", ts: t("10:18") }, { k: "f", ts: t("10:50") }], [{ k: "g", ts: t("10:41") }]],
};

const CUSTOMERS = "spark.createDataFrame([('a', 'Ann', 'NO'), ('b', 'Bob', 'IT'), ('x', 'Xi', 'DE')], 'user STRING, name STRING, country STRING')";
const customers = (spark: Session): DataFrame => spark.createDataFrame([["a", "Ann", "NO"], ["b", "Bob", "IT"], ["x", "Xi", "DE"]], "user STRING, name STRING, country STRING");
const RANGE = "adId = impAdId AND clickTime BETWEEN impTime AND impTime + interval 15 minutes";
const ssJoin = (how: string): Pick<StreamCase, "sluice" | "pyspark"> => ({
  sluice: (s) => s["i"]!.withWatermark("impTime", "10 minutes").join(s["c"]!.withWatermark("clickTime", "20 minutes"), F.expr(RANGE), how),
  pyspark: `src['i'].withWatermark('impTime', '10 minutes').join(src['c'].withWatermark('clickTime', '20 minutes'), F.expr('${RANGE}'), '${how}')`,
});
const KEYED_RANGE = "lk = rk AND rts >= lts AND rts <= lts + interval 10 minutes";
const keyedJoin = (how: string, extra = ""): Pick<StreamCase, "sluice" | "pyspark"> => ({
  sluice: (s) => s["l"]!.withWatermark("lts", "5 minutes").join(s["r"]!.withWatermark("rts", "5 minutes"), F.expr(KEYED_RANGE + extra), how),
  pyspark: `src['l'].withWatermark('lts', '5 minutes').join(src['r'].withWatermark('rts', '5 minutes'), F.expr("${KEYED_RANGE + extra}"), '${how}')`,
});


const CASES: readonly StreamCase[] = [
  // Windows: tumbling, sliding, session; watermarks and late data.
  { name: "tumbling window append", mode: "append", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.withWatermark("ts", "10 minutes").groupBy(F.window("ts", "10 minutes")).agg(F.count("*").alias("n"), F.sum("amount").alias("s")),
    pyspark: "src['e'].withWatermark('ts', '10 minutes').groupBy(F.window('ts', '10 minutes')).agg(F.count('*').alias('n'), F.sum('amount').alias('s'))" },
  { name: "tumbling window update with late data", mode: "update", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.withWatermark("ts", "5 minutes").groupBy(F.window("ts", "5 minutes"), "kind").count(),
    pyspark: "src['e'].withWatermark('ts', '5 minutes').groupBy(F.window('ts', '5 minutes'), 'kind').count()" },
  { name: "tumbling window complete without watermark", mode: "complete", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.groupBy(F.window("ts", "15 minutes")).agg(F.max("amount").alias("m")),
    pyspark: "src['e'].groupBy(F.window('ts', '15 minutes')).agg(F.max('amount').alias('m'))" },
  { name: "sliding window append", mode: "append", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.withWatermark("ts", "10 minutes").groupBy(F.window("ts", "10 minutes", "5 minutes")).agg(F.count("*").alias("n")),
    pyspark: "src['e'].withWatermark('ts', '10 minutes').groupBy(F.window('ts', '10 minutes', '5 minutes')).agg(F.count('*').alias('n'))" },
  { name: "sliding window update", mode: "update", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.withWatermark("ts", "5 minutes").groupBy(F.window("ts", "15 minutes", "5 minutes"), "user").agg(F.sum("amount").alias("s")),
    pyspark: "src['e'].withWatermark('ts', '5 minutes').groupBy(F.window('ts', '15 minutes', '5 minutes'), 'user').agg(F.sum('amount').alias('s'))" },
  { name: "session window append", mode: "append", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.withWatermark("ts", "10 minutes").groupBy("user", F.sessionWindow("ts", "5 minutes")).agg(F.count("*").alias("n"), F.sum("amount").alias("s")),
    pyspark: "src['e'].withWatermark('ts', '10 minutes').groupBy('user', F.session_window('ts', '5 minutes')).agg(F.count('*').alias('n'), F.sum('amount').alias('s'))" },
  { name: "session window complete", mode: "complete", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.withWatermark("ts", "10 minutes").groupBy("user", F.sessionWindow("ts", "5 minutes")).count(),
    pyspark: "src['e'].withWatermark('ts', '10 minutes').groupBy('user', F.session_window('ts', '5 minutes')).count()" },
  { name: "session window in update mode is rejected", mode: "update", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.withWatermark("ts", "10 minutes").groupBy("user", F.sessionWindow("ts", "5 minutes")).count(),
    pyspark: "src['e'].withWatermark('ts', '10 minutes').groupBy('user', F.session_window('ts', '5 minutes')).count()" },
  { name: "late rows dropped by a watermarked aggregation", mode: "append", inputs: { e: LATE },
    sluice: (s) => s["e"]!.withWatermark("ts", "10 minutes").groupBy(F.window("ts", "5 minutes")).agg(F.count("*").alias("n"), F.collectList("k").alias("ks")),
    pyspark: "src['e'].withWatermark('ts', '10 minutes').groupBy(F.window('ts', '5 minutes')).agg(F.count('*').alias('n'), F.collect_list('k').alias('ks'))" },
  { name: "watermarked timestamp as grouping key, append", mode: "append", inputs: { e: LATE },
    sluice: (s) => s["e"]!.withWatermark("ts", "10 minutes").groupBy("ts").count(),
    pyspark: "src['e'].withWatermark('ts', '10 minutes').groupBy('ts').count()" },
  // Global aggregation (no grouping keys), with and without input rows.
  { name: "global aggregation complete with empty batches", mode: "complete", inputs: { e: SPARSE },
    sluice: (s) => s["e"]!.agg(F.count("*").alias("n"), F.sum("v").alias("s"), F.max("ts").alias("last")),
    pyspark: "src['e'].agg(F.count('*').alias('n'), F.sum('v').alias('s'), F.max('ts').alias('last'))" },
  { name: "global aggregation update with empty batches", mode: "update", inputs: { e: SPARSE },
    sluice: (s) => s["e"]!.agg(F.count("*").alias("n"), F.avg("v").alias("a")),
    pyspark: "src['e'].agg(F.count('*').alias('n'), F.avg('v').alias('a'))" },
  { name: "global aggregation complete over no rows at all", mode: "complete", inputs: { e: EMPTY },
    sluice: (s) => s["e"]!.agg(F.count("*").alias("n"), F.sum("v").alias("s"), F.collectList("k").alias("ks")),
    pyspark: "src['e'].agg(F.count('*').alias('n'), F.sum('v').alias('s'), F.collect_list('k').alias('ks'))" },
  { name: "global aggregation update over no rows at all", mode: "update", inputs: { e: EMPTY },
    sluice: (s) => s["e"]!.agg(F.count("*").alias("n"), F.max("v").alias("m")),
    pyspark: "src['e'].agg(F.count('*').alias('n'), F.max('v').alias('m'))" },
  { name: "global aggregation after a filter that keeps nothing", mode: "complete", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.filter("amount > 1000").agg(F.count("*").alias("n"), F.min("id").alias("lo")),
    pyspark: "src['e'].filter('amount > 1000').agg(F.count('*').alias('n'), F.min('id').alias('lo'))" },
  { name: "keyed aggregation complete with empty batches", mode: "complete", inputs: { e: SPARSE },
    sluice: (s) => s["e"]!.groupBy("k").agg(F.sum("v").alias("s")),
    pyspark: "src['e'].groupBy('k').agg(F.sum('v').alias('s'))" },
  // Deduplication.
  { name: "dropDuplicates without watermark", mode: "append", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.dropDuplicates(["user"]).select("id", "user"),
    pyspark: "src['e'].dropDuplicates(['user']).select('id', 'user')" },
  { name: "dropDuplicates on event time with watermark", mode: "append", inputs: { e: LATE },
    sluice: (s) => s["e"]!.withWatermark("ts", "10 minutes").dropDuplicates(["k", "ts"]),
    pyspark: "src['e'].withWatermark('ts', '10 minutes').dropDuplicates(['k', 'ts'])" },
  { name: "dropDuplicatesWithinWatermark", mode: "append", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.withWatermark("ts", "10 minutes").dropDuplicatesWithinWatermark(["user"]).select("id", "user"),
    pyspark: "src['e'].withWatermark('ts', '10 minutes').dropDuplicatesWithinWatermark(['user']).select('id', 'user')" },
  { name: "distinct in update mode", mode: "update", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.select("kind", "user").distinct(),
    pyspark: "src['e'].select('kind', 'user').distinct()" },
  // Stream-stream joins: every type, a key matched inside and outside the time range.
  { name: "stream-stream inner join", mode: "append", inputs: { i: IMPRESSIONS, c: CLICKS }, ...ssJoin("inner") },
  { name: "stream-stream left outer join: a matched impression is never emitted unmatched", mode: "append", inputs: { i: IMPRESSIONS, c: CLICKS }, ...ssJoin("left") },
  { name: "stream-stream right outer join: a matched click is never emitted unmatched", mode: "append", inputs: { i: IMPRESSIONS, c: CLICKS }, ...ssJoin("right") },
  { name: "stream-stream full outer join", mode: "append", inputs: { i: IMPRESSIONS, c: CLICKS }, ...ssJoin("full") },
  { name: "stream-stream left semi join", mode: "append", inputs: { i: IMPRESSIONS, c: CLICKS }, ...ssJoin("left_semi") },
  { name: "stream-stream keyed inner join, several rows per key", mode: "append", inputs: { l: LEFT_KEYED, r: RIGHT_KEYED }, ...keyedJoin("inner") },
  { name: "stream-stream keyed left outer join with a null key", mode: "append", inputs: { l: LEFT_KEYED, r: RIGHT_KEYED }, ...keyedJoin("left") },
  { name: "stream-stream keyed right outer join", mode: "append", inputs: { l: LEFT_KEYED, r: RIGHT_KEYED }, ...keyedJoin("right") },
  { name: "stream-stream keyed full outer join", mode: "append", inputs: { l: LEFT_KEYED, r: RIGHT_KEYED }, ...keyedJoin("full") },
  { name: "stream-stream keyed left semi join", mode: "append", inputs: { l: LEFT_KEYED, r: RIGHT_KEYED }, ...keyedJoin("left_semi") },
  { name: "stream-stream left outer join with a condition on the left side only", mode: "append", inputs: { l: LEFT_KEYED, r: RIGHT_KEYED }, ...keyedJoin("left", " AND lv > 1") },
  { name: "stream-stream right outer join with a condition on the right side only", mode: "append", inputs: { l: LEFT_KEYED, r: RIGHT_KEYED }, ...keyedJoin("right", " AND rv < 50") },
  { name: "stream-stream full outer join with conditions on both sides", mode: "append", inputs: { l: LEFT_KEYED, r: RIGHT_KEYED }, ...keyedJoin("full", " AND lv > 1 AND rv > 10 AND lv + rv > 0") },
  { name: "stream-stream inner join in update mode", mode: "update", inputs: { l: LEFT_KEYED, r: RIGHT_KEYED }, ...keyedJoin("inner") },
  { name: "stream-stream left outer join in update mode is rejected", mode: "update", inputs: { l: LEFT_KEYED, r: RIGHT_KEYED }, ...keyedJoin("left") },
  { name: "stream-stream join then windowed aggregation", mode: "append", inputs: { l: LEFT_KEYED, r: RIGHT_KEYED },
    sluice: (s) => s["l"]!.withWatermark("lts", "5 minutes").join(s["r"]!.withWatermark("rts", "5 minutes"), F.expr(KEYED_RANGE)).groupBy(F.window("lts", "10 minutes")).agg(F.count("*").alias("n"), F.sum("rv").alias("s")),
    pyspark: `src['l'].withWatermark('lts', '5 minutes').join(src['r'].withWatermark('rts', '5 minutes'), F.expr("${KEYED_RANGE}")).groupBy(F.window('lts', '10 minutes')).agg(F.count('*').alias('n'), F.sum('rv').alias('s'))` },
  // Stream-static joins.
  { name: "stream-static inner join", mode: "append", inputs: { e: EVENTS },
    sluice: (s, spark) => s["e"]!.join(customers(spark), "user").select("id", "user", "name"),
    pyspark: `src['e'].join(${CUSTOMERS}, 'user').select('id', 'user', 'name')` },
  { name: "stream-static left outer join", mode: "append", inputs: { e: EVENTS },
    sluice: (s, spark) => s["e"]!.join(customers(spark), "user", "left").select("id", "user", "country"),
    pyspark: `src['e'].join(${CUSTOMERS}, 'user', 'left').select('id', 'user', 'country')` },
  { name: "stream-static left semi join", mode: "append", inputs: { e: EVENTS },
    sluice: (s, spark) => s["e"]!.join(customers(spark), "user", "left_semi").select("id"),
    pyspark: `src['e'].join(${CUSTOMERS}, 'user', 'left_semi').select('id')` },
  { name: "stream-static left anti join", mode: "append", inputs: { e: EVENTS },
    sluice: (s, spark) => s["e"]!.join(customers(spark), "user", "left_anti").select("id", "user"),
    pyspark: `src['e'].join(${CUSTOMERS}, 'user', 'left_anti').select('id', 'user')` },
  { name: "static-stream right outer join", mode: "append", inputs: { e: EVENTS },
    sluice: (s, spark) => customers(spark).join(s["e"]!, "user", "right").select("id", "user", "name"),
    pyspark: `${CUSTOMERS}.join(src['e'], 'user', 'right').select('id', 'user', 'name')` },
  { name: "stream-static join then aggregation complete", mode: "complete", inputs: { e: EVENTS },
    sluice: (s, spark) => s["e"]!.join(customers(spark), "user").groupBy("country").agg(F.sum("amount").alias("s")),
    pyspark: `src['e'].join(${CUSTOMERS}, 'user').groupBy('country').agg(F.sum('amount').alias('s'))` },
  { name: "stream-static right outer join is rejected", mode: "append", inputs: { e: EVENTS },
    sluice: (s, spark) => s["e"]!.join(customers(spark), "user", "right"),
    pyspark: `src['e'].join(${CUSTOMERS}, 'user', 'right')` },
  // Unions.
  { name: "union of two streams", mode: "append", inputs: { e: EVENTS, l: LATE },
    sluice: (s) => s["e"]!.select(F.col("user").alias("k"), "ts").union(s["l"]!.select("k", "ts")),
    pyspark: "src['e'].select(F.col('user').alias('k'), 'ts').union(src['l'].select('k', 'ts'))" },
  { name: "union of watermarked streams then windowed aggregation", mode: "append", inputs: { e: EVENTS, l: LATE },
    sluice: (s) => s["e"]!.withWatermark("ts", "10 minutes").select(F.col("user").alias("k"), "ts").union(s["l"]!.withWatermark("ts", "10 minutes").select("k", "ts")).groupBy(F.window("ts", "10 minutes")).count(),
    pyspark: "src['e'].withWatermark('ts', '10 minutes').select(F.col('user').alias('k'), 'ts').union(src['l'].withWatermark('ts', '10 minutes').select('k', 'ts')).groupBy(F.window('ts', '10 minutes')).count()" },
  { name: "union then aggregation update", mode: "update", inputs: { e: EVENTS, l: LATE },
    sluice: (s) => s["e"]!.select(F.col("user").alias("k")).union(s["l"]!.select("k")).groupBy("k").count(),
    pyspark: "src['e'].select(F.col('user').alias('k')).union(src['l'].select('k')).groupBy('k').count()" },
  // Restarts from a checkpoint with a watermark: late rows in the first batch of the second run.
  { name: "restart after Trigger.Once: the first batch filters by the previous batch's watermark", mode: "append", inputs: { e: LATE }, restartAfter: 1, firstTrigger: "once",
    sluice: (s) => s["e"]!.withWatermark("ts", "10 minutes").groupBy(F.window("ts", "5 minutes")).count(),
    pyspark: "src['e'].withWatermark('ts', '10 minutes').groupBy(F.window('ts', '5 minutes')).count()" },
  { name: "restart after availableNow: late rows dropped by the restored watermark", mode: "append", inputs: { e: LATE }, restartAfter: 1,
    sluice: (s) => s["e"]!.withWatermark("ts", "10 minutes").groupBy(F.window("ts", "5 minutes")).count(),
    pyspark: "src['e'].withWatermark('ts', '10 minutes').groupBy(F.window('ts', '5 minutes')).count()" },
  { name: "restart: dedup on event time drops late rows", mode: "append", inputs: { e: LATE }, restartAfter: 2,
    sluice: (s) => s["e"]!.withWatermark("ts", "10 minutes").dropDuplicates(["k", "ts"]),
    pyspark: "src['e'].withWatermark('ts', '10 minutes').dropDuplicates(['k', 'ts'])" },
  { name: "restart: session windows", mode: "append", inputs: { e: EVENTS }, restartAfter: 2,
    sluice: (s) => s["e"]!.withWatermark("ts", "10 minutes").groupBy("user", F.sessionWindow("ts", "5 minutes")).count(),
    pyspark: "src['e'].withWatermark('ts', '10 minutes').groupBy('user', F.session_window('ts', '5 minutes')).count()" },
  { name: "restart: stream-stream left outer join", mode: "append", inputs: { i: IMPRESSIONS, c: CLICKS }, restartAfter: 1, ...ssJoin("left") },
  { name: "restart: global aggregation complete", mode: "complete", inputs: { e: SPARSE }, restartAfter: 2,
    sluice: (s) => s["e"]!.agg(F.count("*").alias("n"), F.sum("v").alias("s")),
    pyspark: "src['e'].agg(F.count('*').alias('n'), F.sum('v').alias('s'))" },
  { name: "restart after Trigger.Once: dedup on event time", mode: "append", inputs: { e: LATE }, restartAfter: 1, firstTrigger: "once",
    sluice: (s) => s["e"]!.withWatermark("ts", "10 minutes").dropDuplicates(["k", "ts"]),
    pyspark: "src['e'].withWatermark('ts', '10 minutes').dropDuplicates(['k', 'ts'])" },
  { name: "restart after Trigger.Once: dropDuplicatesWithinWatermark", mode: "append", inputs: { e: EVENTS }, restartAfter: 2, firstTrigger: "once",
    sluice: (s) => s["e"]!.withWatermark("ts", "10 minutes").dropDuplicatesWithinWatermark(["user"]).select("id", "user"),
    pyspark: "src['e'].withWatermark('ts', '10 minutes').dropDuplicatesWithinWatermark(['user']).select('id', 'user')" },
  { name: "restart after Trigger.Once: session windows", mode: "append", inputs: { e: EVENTS }, restartAfter: 2, firstTrigger: "once",
    sluice: (s) => s["e"]!.withWatermark("ts", "10 minutes").groupBy("user", F.sessionWindow("ts", "5 minutes")).count(),
    pyspark: "src['e'].withWatermark('ts', '10 minutes').groupBy('user', F.session_window('ts', '5 minutes')).count()" },
  { name: "restart after Trigger.Once: stream-stream full outer join", mode: "append", inputs: { i: IMPRESSIONS, c: CLICKS }, restartAfter: 2, firstTrigger: "once", ...ssJoin("full") },
  { name: "restart after Trigger.Once: windowed aggregation update", mode: "update", inputs: { e: LATE }, restartAfter: 1, firstTrigger: "once",
    sluice: (s) => s["e"]!.withWatermark("ts", "10 minutes").groupBy(F.window("ts", "5 minutes")).count(),
    pyspark: "src['e'].withWatermark('ts', '10 minutes').groupBy(F.window('ts', '5 minutes')).count()" },
  // The output-mode matrix: queries Spark rejects at start().
  { name: "session window without watermark in append mode is rejected", mode: "append", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.groupBy(F.sessionWindow("ts", "5 minutes")).count(), pyspark: "src['e'].groupBy(F.session_window('ts', '5 minutes')).count()" },
  { name: "windowed aggregation without watermark in append mode is rejected", mode: "append", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.groupBy(F.window("ts", "5 minutes")).count(), pyspark: "src['e'].groupBy(F.window('ts', '5 minutes')).count()" },
  { name: "dropDuplicatesWithinWatermark in complete mode is rejected", mode: "complete", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.withWatermark("ts", "1 minute").dropDuplicatesWithinWatermark(["user"]), pyspark: "src['e'].withWatermark('ts', '1 minute').dropDuplicatesWithinWatermark(['user'])" },
  { name: "two aggregations in complete mode are rejected", mode: "complete", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.groupBy("user").count().groupBy("count").count(), pyspark: "src['e'].groupBy('user').count().groupBy('count').count()" },
  { name: "distinct aggregation is rejected", mode: "update", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.groupBy("kind").agg(F.countDistinct("user")), pyspark: "src['e'].groupBy('kind').agg(F.countDistinct('user'))" },
  { name: "static-stream left outer join is rejected", mode: "append", inputs: { e: EVENTS },
    sluice: (s, spark) => customers(spark).join(s["e"]!, "user", "left"), pyspark: `${CUSTOMERS}.join(src['e'], 'user', 'left')` },
  { name: "stream-stream left anti join is rejected", mode: "append", inputs: { l: LEFT_KEYED, r: RIGHT_KEYED }, ...keyedJoin("left_anti") },
  { name: "union of a stream and a batch DataFrame is rejected", mode: "append", inputs: { e: EVENTS },
    sluice: (s, spark) => s["e"]!.select("user").union(customers(spark).select("user")), pyspark: `src['e'].select('user').union(${CUSTOMERS}.select('user'))` },

  { name: "no aggregation in complete mode is rejected", mode: "complete", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.select("id"), pyspark: "src['e'].select('id')" },
  { name: "aggregation without watermark in append mode is rejected", mode: "append", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.groupBy("user").count(), pyspark: "src['e'].groupBy('user').count()" },
  { name: "global aggregation in append mode is rejected", mode: "append", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.withWatermark("ts", "1 minute").agg(F.count("*")), pyspark: "src['e'].withWatermark('ts', '1 minute').agg(F.count('*'))" },
  { name: "dropDuplicates in complete mode is rejected", mode: "complete", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.dropDuplicates(["user"]), pyspark: "src['e'].dropDuplicates(['user'])" },
  { name: "sort without aggregation is rejected", mode: "append", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.orderBy("id"), pyspark: "src['e'].orderBy('id')" },
  { name: "sort after aggregation in update mode is rejected", mode: "update", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.groupBy("user").count().orderBy("user"), pyspark: "src['e'].groupBy('user').count().orderBy('user')" },
  { name: "limit in update mode is rejected", mode: "update", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.limit(2), pyspark: "src['e'].limit(2)" },
  { name: "limit in append mode", mode: "append", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.select("id").limit(4), pyspark: "src['e'].select('id').limit(4)" },
  { name: "sort and limit after aggregation in complete mode", mode: "complete", inputs: { e: EVENTS },
    sluice: (s) => s["e"]!.groupBy("user").count().orderBy(F.col("count").desc(), F.col("user")).limit(2),
    pyspark: "src['e'].groupBy('user').count().orderBy(F.col('count').desc(), F.col('user')).limit(2)" },
  { name: "stream-stream join in complete mode is rejected", mode: "complete", inputs: { l: LEFT_KEYED, r: RIGHT_KEYED },
    sluice: (s) => s["l"]!.withWatermark("lts", "5 minutes").join(s["r"]!.withWatermark("rts", "5 minutes"), F.expr(KEYED_RANGE)).groupBy("lk").count(),
    pyspark: `src['l'].withWatermark('lts', '5 minutes').join(src['r'].withWatermark('rts', '5 minutes'), F.expr("${KEYED_RANGE}")).groupBy('lk').count()` },
  { name: "stream-stream left outer join without a time bound is rejected", mode: "append", inputs: { l: LEFT_KEYED, r: RIGHT_KEYED },
    sluice: (s) => s["l"]!.withWatermark("lts", "5 minutes").join(s["r"]!.withWatermark("rts", "5 minutes"), F.expr("lk = rk"), "left"),
    pyspark: "src['l'].withWatermark('lts', '5 minutes').join(src['r'].withWatermark('rts', '5 minutes'), F.expr('lk = rk'), 'left')" },
];


streamingDifferentialSuite("streaming semantics", CASES);
