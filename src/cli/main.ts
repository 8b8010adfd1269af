#!/usr/bin/env node
/** The `sluice` command: the demo pipeline and checkpoint inspection. */
import { parseArgs } from "node:util";
import { describeCheckpoint } from "./checkpoint-inspector.js";
import { runTaxiDemo } from "./taxi-demo.js";
import { runTaxiKafkaDemo } from "./taxi-kafka-demo.js";
import { readState } from "../state/state-reader.js";
import { encodeState } from "../state/state-codec.js";
import { LocalFileSystem } from "../fs/local-file-system.js";

const USAGE = `usage:
  sluice demo [--dir .sluice-demo] [--files-per-second 2] [--rows-per-file 500] [--trigger "2 seconds"] [--duration 0]
  sluice demo --kafka [--bootstrap 127.0.0.1:19092] [--topic taxi-trips-avro] [--s3-endpoint http://127.0.0.1:19000]
              [--schema-registry http://127.0.0.1:18081 | none] [--records-per-second 2000] [--trigger "1 minute"] [--duration 0]
              (the seed pipeline: Confluent-framed Avro on Kafka → Parquet on MinIO; with --schema-registry none, the
              seed's fixed schema id stripped with substring(value, 6), on the topic taxi-trips)
  sluice checkpoint <dir>
  sluice state <checkpoint-dir> [--version N]     (the keys and values of the query's state, one JSON line per key)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "demo") {
    const { values } = parseArgs({ args: rest, options: {
      dir: { type: "string", default: ".sluice-demo" }, "files-per-second": { type: "string", default: "2" },
      "rows-per-file": { type: "string", default: "500" }, trigger: { type: "string" }, duration: { type: "string", default: "0" },
      kafka: { type: "boolean", default: false }, bootstrap: { type: "string", default: process.env["SLUICE_KAFKA_BOOTSTRAP"] ?? "127.0.0.1:19092" },
      topic: { type: "string" }, "schema-registry": { type: "string", default: process.env["SLUICE_SCHEMA_REGISTRY"] ?? `http://127.0.0.1:${process.env["SCHEMA_REGISTRY_PORT"] ?? "18081"}` }, "s3-endpoint": { type: "string", default: `http://127.0.0.1:${process.env["SLUICE_MINIO_PORT"] ?? "19000"}` },
      "records-per-second": { type: "string", default: "2000" },
    } });
    if (values.kafka) {
      const registry = values["schema-registry"] === "none" ? undefined : values["schema-registry"];
      await runTaxiKafkaDemo({
        bootstrap: values.bootstrap, topic: values.topic ?? (registry === undefined ? "taxi-trips" : "taxi-trips-avro"), schemaRegistry: registry, recordsPerSecond: Number(values["records-per-second"]), durationSec: Number(values.duration),
        trigger: values.trigger ?? "1 minute",
        s3: { endpoint: values["s3-endpoint"], accessKey: process.env["AWS_ACCESS_KEY_ID"] ?? "sluice-admin", secretKey: process.env["AWS_SECRET_ACCESS_KEY"] ?? "sluice-secret-key", bucket: process.env["SLUICE_BUCKET"] ?? "sluice" },
      });
      return 0;
    }
    values.trigger ??= "2 seconds";
    await runTaxiDemo({ dir: values.dir, filesPerSecond: Number(values["files-per-second"]), rowsPerFile: Number(values["rows-per-file"]), trigger: values.trigger, durationSec: Number(values.duration) });
    return 0;
  }
  if (command === "state" && rest[0] !== undefined) {
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { version: { type: "string" } } });
    const { version, rows } = await readState(new LocalFileSystem(), positionals[0]!, values.version === undefined ? undefined : Number(values.version));
    process.stdout.write(`# state version ${version}: ${rows.length} keys\n`);
    for (const r of rows) process.stdout.write(encodeState(r) + "\n");
    return 0;
  }
  if (command === "checkpoint" && rest[0] !== undefined) {
    process.stdout.write(await describeCheckpoint(rest[0]));
    return 0;
  }
  process.stderr.write(USAGE);
  return command === undefined || command === "help" || command === "--help" ? 0 : 2;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
