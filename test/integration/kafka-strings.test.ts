/** End to end: UTF-8 Kafka values read with CAST(value AS STRING), written to Parquet, read back by pyarrow. */
import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { createTopic, deleteTopic, kafkaBootstrap, produce } from "../support/kafka.js";
import { runPython } from "../support/python.js";
import { testSession } from "../support/session.js";
import { tempDir } from "../support/stream-test.js";

describe("strings from Kafka", () => {
  const spark = testSession();

  it("CAST(value AS STRING) decodes UTF-8: 'héllo €' and '𝄞 😀' reach Parquet intact, with code point lengths", async () => {
    const topic = await createTopic("utf8", 1);
    const texts = ["héllo €", "𝄞 😀", "plain"];
    await produce(topic, texts.map((value) => ({ value })));
    const out = path.join(tempDir(), "out");
    const q = await spark.readStream.format("kafka").option("kafka.bootstrap.servers", kafkaBootstrap())
      .option("subscribe", topic).option("startingOffsets", "earliest").load()
      .selectExpr("CAST(value AS STRING) AS v", "length(CAST(value AS STRING)) AS n", "offset")
      .writeStream.format("parquet").option("path", out).option("checkpointLocation", tempDir()).start();
    await q.processAllAvailable();
    await q.stop();
    const rows = runPython(`
import json, pyarrow.parquet as pq
t = pq.read_table("${out}")
print(json.dumps(sorted([[r["offset"], r["v"], r["n"]] for r in t.to_pylist()])))
`) as [number, string, number][];
    assert.deepEqual(rows, [[0, "héllo €", 7], [1, "𝄞 😀", 3], [2, "plain", 5]]);
    await deleteTopic(topic);
  });
});
