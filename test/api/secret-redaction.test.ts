/**
 * Nothing Sluice returns carries a secret in its printed (`console.log`, `util.inspect`) or serialized
 * (`JSON.stringify`) form: sessions, their builder and conf, readers, DataFrames, columns, writers, queries. Every
 * credential option is tried: S3 keys and session token, Kafka SASL/JAAS and SSL passwords, schema registry basic
 * auth (option and URL user info), the JDBC password (option and URL parameter), and any key Spark's default
 * spark.redaction.regex (`(?i)secret|password|token|access[.]?key`) matches.
 */
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { describe, it } from "node:test";
import { F, MemoryStream, Session } from "../../src/index.js";
import { tempDir } from "../support/stream-test.js";

/** Each secret is a distinct marker, so a leak names the option it came from. */
const secret = (name: string): string => `SECRET-${name}-7f3a`;
const CONF = {
  "fs.s3a.access.key": secret("s3-access"), "fs.s3a.secret.key": secret("s3-secret"), "fs.s3a.session.token": secret("s3-token"),
  "spark.hadoop.fs.s3a.secret.key": secret("hadoop-s3-secret"), "spark.my.api.token": secret("conf-token"), "spark.some.accesskey": secret("accesskey"),
};
const SOURCE_OPTIONS = {
  "kafka.sasl.jaas.config": `org.apache.kafka.common.security.plain.PlainLoginModule required username="app" password="${secret("jaas")}";`,
  "kafka.sasl.password": secret("sasl-password"), "kafka.ssl.key.password": secret("ssl-key-password"),
  "kafka.ssl.truststore.password": secret("truststore-password"), "kafka.ssl.keystore.password": secret("keystore-password"),
  "confluent.schema.registry.basic.auth.user.info": `app:${secret("registry-user-info")}`,
  "fs.s3a.secret.key": secret("option-s3-secret"), "fs.s3a.access.key": secret("option-s3-access"),
  password: secret("jdbc-password"), url: `jdbc:postgresql://db:5432/app?user=app&password=${secret("jdbc-url-password")}`,
  "some.client.secret": secret("client-secret"),
};
const ALL = [...Object.values(CONF), ...Object.values(SOURCE_OPTIONS)].map((v) => /SECRET-[a-z0-9-]+-7f3a/.exec(v)![0]);

function assertNoSecret(what: string, value: unknown): void {
  for (const text of [inspect(value, { depth: Infinity }), inspect(value), String(JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v)))]) {
    const leaked = ALL.filter((s) => text.includes(s));
    assert.deepEqual(leaked, [], `${what} prints secrets: ${leaked.join(", ")}`);
  }
}

describe("no secret in the printed or serialized form of what Sluice returns", () => {
  it("the session builder, the session and its conf", async () => {
    const b = Session.builder().appName("redaction").master("local[1]");
    for (const [k, v] of Object.entries(CONF)) b.config(k, v);
    assertNoSecret("Session.builder()", b);
    const spark = b.getOrCreate();
    assertNoSecret("spark", spark);
    assertNoSecret("spark.conf", spark.conf);
    assert.match(inspect(spark.conf), /fs\.s3a\.secret\.key.*\*{9}\(redacted\)/s, "the key is shown, its value redacted");
    assert.equal(spark.conf.get("fs.s3a.secret.key"), secret("s3-secret"), "get() still gives the value");
    await spark.stop();
  });

  it("readers, DataFrames and columns built with every credential option", () => {
    const spark = Session.builder().master("local[1]").getOrCreate();
    const reader = spark.readStream.format("kafka").option("kafka.bootstrap.servers", "127.0.0.1:9").option("subscribe", "t").options(SOURCE_OPTIONS);
    assertNoSecret("DataStreamReader", reader);
    const kafka = reader.load();
    assertNoSecret("kafka DataFrame", kafka);
    const files = spark.readStream.schema("a INT").options(SOURCE_OPTIONS).json(tempDir()); // the options travel in the plan as for an s3a:// folder
    assertNoSecret("s3a DataFrame", files);
    const batchReader = spark.read.format("jdbc").options(SOURCE_OPTIONS);
    assertNoSecret("DataFrameReader", batchReader);
    const avroOptions = { "confluent.schema.registry.basic.auth.user.info": SOURCE_OPTIONS["confluent.schema.registry.basic.auth.user.info"] };
    const decoded = F.fromAvro(F.col("value"), '{"type":"record","name":"r","fields":[{"name":"a","type":"int"}]}', avroOptions);
    assertNoSecret("Column", decoded);
    const selected = kafka.select(decoded.alias("v"));
    assertNoSecret("DataFrame with from_avro", selected);
    assert.equal(inspect(kafka.select("key", "offset")), "DataFrame[key: binary, offset: bigint]");
  });

  it("writers and running and stopped queries", async () => {
    const spark = Session.builder().master("local[1]").getOrCreate();
    for (const [k, v] of Object.entries(CONF)) spark.conf.set(k, v);
    try {
      const input = MemoryStream.create(spark, "value STRING");
      assertNoSecret("MemoryStream", input);
      const batchWriter = spark.createDataFrame([{ a: 1 }]).write.format("jdbc").options(SOURCE_OPTIONS);
      assertNoSecret("DataFrameWriter", batchWriter);
      const rate = spark.readStream.format("rate").options(SOURCE_OPTIONS).load();
      const writer = rate.writeStream.queryName("redaction_q").options(SOURCE_OPTIONS);
      assertNoSecret("DataStreamWriter", writer);
      const q = await writer.foreachBatch(() => undefined).start();
      assertNoSecret("running query", q);
      assertNoSecret("spark.streams", spark.streams);
      await q.stop();
      assertNoSecret("stopped query", q);
      assertNoSecret("spark with its queries", spark);
    } finally {
      for (const k of Object.keys(CONF)) spark.conf.unset(k);
    }
  });
});
