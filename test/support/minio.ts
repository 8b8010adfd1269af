/** The test MinIO (started by `./dev test` via services/minio.sh): S3 settings for Sluice and for independent readers. */

export function minioEndpoint(): string {
  const port = process.env["SLUICE_MINIO_PORT"];
  if (port === undefined) throw new Error("SLUICE_MINIO_PORT is not set: run the tests with ./dev test, which starts MinIO (services/minio.sh start)");
  return `http://127.0.0.1:${port}`;
}

export const minioAccessKey = "sluice-admin";
export const minioSecretKey = "sluice-secret-key";
export const minioBucket = "sluice";

/** Spark's S3A settings for the test MinIO. */
export function s3aConf(): Record<string, string> {
  return {
    "spark.hadoop.fs.s3a.endpoint": minioEndpoint(), "spark.hadoop.fs.s3a.access.key": minioAccessKey,
    "spark.hadoop.fs.s3a.secret.key": minioSecretKey, "spark.hadoop.fs.s3a.path.style.access": "true",
  };
}

let counter = 0;
/** A fresh prefix in the test bucket. */
export function s3Prefix(name: string): string { return `s3a://${minioBucket}/${name}-${process.pid}-${Date.now()}-${counter++}`; }

/** A Python expression for pyarrow's own S3 client on the test MinIO (`import pyarrow.fs as pafs` first). */
export function pyarrowS3(endpoint = minioEndpoint()): string {
  return `pafs.S3FileSystem(access_key=${JSON.stringify(minioAccessKey)}, secret_key=${JSON.stringify(minioSecretKey)}, endpoint_override=${JSON.stringify(endpoint)}, scheme="http")`;
}
