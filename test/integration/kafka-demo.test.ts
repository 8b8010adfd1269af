import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runTaxiKafkaDemo, TAXI_AVRO_SCHEMA } from "../../src/cli/taxi-kafka-demo.js";
import { latestSchema } from "../../src/schema-registry/schema-registry.js";
import { deleteTopic, kafkaBootstrap } from "../support/kafka.js";
import { minioAccessKey, minioBucket, minioEndpoint, minioSecretKey, pyarrowS3 } from "../support/minio.js";
import { runPython } from "../support/python.js";
import { registryAddress } from "../support/schema-registry.js";

describe("the main job, Kafka + MinIO form, against the real servers", () => {
  it("registers the trip schema, decodes the framed records natively, writes Parquet to MinIO that pyarrow reads, and resumes where it stopped", { timeout: 120_000 }, async () => {
    const topic = `demo-trips-${process.pid}-${Date.now()}`;
    const options = {
      bootstrap: kafkaBootstrap(), topic, recordsPerSecond: 2000, durationSec: 5, trigger: "1 second", schemaRegistry: registryAddress(),
      s3: { endpoint: minioEndpoint(), accessKey: minioAccessKey, secretKey: minioSecretKey, bucket: minioBucket },
    };
    const first = await runTaxiKafkaDemo(options);
    const second = await runTaxiKafkaDemo(options);
    assert.ok(first.rowsWritten > 0 && second.rowsWritten > 0, "both runs wrote rows");
    assert.ok(second.lastBatchId > first.lastBatchId, "the second run resumed from the checkpoint on MinIO");
    assert.equal(latestSchema({ address: registryAddress() }, `${topic}-value`).schema, TAXI_AVRO_SCHEMA);
    const read = runPython(`
import json, pyarrow.fs as pafs, pyarrow.dataset as ds
s3 = ${pyarrowS3()}
root = ${JSON.stringify(first.warehouse.replace("s3a://", ""))}
files = [f.path for f in s3.get_file_info(pafs.FileSelector(root, recursive=True)) if f.path.endswith(".parquet") and "_spark_metadata" not in f.path]
t = ds.dataset(files, filesystem=s3, format="parquet", partitioning=ds.partitioning(flavor="hive"), partition_base_dir=root).to_table()
print(json.dumps({"rows": t.num_rows, "columns": t.column_names, "days": sorted(set(str(d) for d in t.column("pickup_date").to_pylist()))[:1]}))`) as { rows: number; columns: string[]; days: string[] };
    assert.equal(read.rows, first.rowsWritten + second.rowsWritten, "every row written once, none twice");
    for (const c of ["VendorID", "pickup_ts", "trip_distance", "total_amount", "tip_pct", "pickup_date"]) assert.ok(read.columns.includes(c), `column ${c} in ${read.columns.join(",")}`);
    assert.match(read.days[0]!, /^2024-01-0\d$/);
    await deleteTopic(topic);
  });
});
