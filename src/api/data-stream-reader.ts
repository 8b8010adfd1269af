/** `spark.readStream`: streaming sources (files, Kafka, rate, rate-micro-batch, socket, memory). */
import { AnalysisException, SluiceError } from "../errors/sluice-error.js";
import { fileFormat, isFileFormat } from "../formats/formats.js";
import { attributesOf } from "../plan/attribute.js";
import { FileStreamSource, validateCleanSource } from "../sources/file-stream-source.js";
import { RATE_SCHEMA, RateMicroBatchSource, RateSource } from "../sources/rate-source.js";
import type { StreamingSourceProvider } from "../sources/streaming-source.js";
import { SocketSource, socketSchema } from "../sources/socket-source.js";
import { KafkaSource, kafkaSchema } from "../sources/kafka/kafka-source.js";
import { kafkaSourceOptions } from "../sources/kafka/kafka-options.js";
import type { StructType } from "../types/data-type.js";
import { DataFrame } from "./dataframe.js";
import { tableNotFound } from "./dataframe-reader.js";
import { resolveFileRelation } from "./file-relation.js";
import { normalizeOptions } from "./options.js";
import { DataFrameReader } from "./dataframe-reader.js";

/**
 * @example
 * const events = spark.readStream.schema("id INT, ts TIMESTAMP").option("maxFilesPerTrigger", 1).json("/landing");
 */
export class DataStreamReader extends DataFrameReader {
  protected override fmt = "";

  override load(path?: string): DataFrame {
    const options = normalizeOptions(this.opts);
    const fmt = this.fmt;
    const parallelism = this.session.parallelism;
    let provider: StreamingSourceProvider;
    if (isFileFormat(fmt)) {
      const p = path ?? options["path"];
      if (p === undefined) throw new AnalysisException("INVALID_OPTION", `'path' is not specified for the streaming ${fmt} source.`, { params: { option: "path" } });
      validateCleanSource(options, p);
      const tz = options["timeZone"] ?? this.session.conf.timeZone;
      const info = resolveFileRelation(fmt, p, this.userSchema, options, tz, this.session.conf.getBoolean("spark.sql.streaming.schemaInference"), (k) => options[k] ?? this.session.conf.get(k));
      provider = {
        format: fmt, schema: info.schema, options,
        create: (ctx) => FileStreamSource.create(info.fs, info.dir, fileFormat(fmt), info.schema, info.partitionColumns, options, ctx, parallelism),
      };
    } else if (fmt === "rate") {
      rejectSchema(this.userSchema, fmt);
      provider = { format: fmt, schema: RATE_SCHEMA, options, create: (ctx) => RateSource.create(options, ctx, parallelism) };
    } else if (fmt === "rate-micro-batch") {
      rejectSchema(this.userSchema, fmt);
      new RateMicroBatchSource(options, parallelism); // validates options now, as Spark does at load()
      provider = { format: fmt, schema: RATE_SCHEMA, options, create: async () => new RateMicroBatchSource(options, parallelism) };
    } else if (fmt === "socket") {
      rejectSchema(this.userSchema, fmt);
      provider = { format: fmt, schema: socketSchema((options["includeTimestamp"] ?? "false").toLowerCase() === "true"), options, create: () => SocketSource.create(options) };
    } else if (fmt === "kafka") {
      rejectSchema(this.userSchema, fmt);
      const kafka = kafkaSourceOptions(options, true); // validated now, as Spark does at load()
      provider = { format: fmt, schema: kafkaSchema(kafka.includeHeaders), options, create: (ctx) => KafkaSource.create(kafka, ctx) };
    } else if (fmt === "") {
      throw new AnalysisException("INVALID_OPTION", "No streaming source format given; call format(\"json\" | \"csv\" | \"text\" | \"parquet\" | \"rate\" | ...) or json(path) etc.", {});
    } else {
      throw new SluiceError("NOT_IMPLEMENTED", `The streaming source format '${fmt}' is not available.`, { params: { format: fmt } });
    }
    return new DataFrame(this.session, { kind: "streamingRelation", output: attributesOf(provider.schema.fields), provider, id: -1 });
  }

  override table(name: string): DataFrame {
    const plan = this.session.lookupView(name);
    if (plan === undefined) throw tableNotFound(name);
    return new DataFrame(this.session, plan);
  }
}

function rejectSchema(schema: StructType | undefined, fmt: string): void {
  if (schema !== undefined) throw new AnalysisException("INVALID_OPTION", `The ${fmt} source does not support a user-specified schema.`, { params: { format: fmt } });
}
