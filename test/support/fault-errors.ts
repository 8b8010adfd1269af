/** Helpers for fault tests: the coded error behind a failure, and a loopback port nothing listens on. */
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { SluiceError } from "../../src/index.js";

/** The first SluiceError whose code starts with `prefix` (`KAFKA_`, `S3_`, `JDBC_`) in an error's cause chain. */
export function codedError(e: unknown, prefix: string): SluiceError {
  for (let c: unknown = e, i = 0; c !== undefined && c !== null && i < 10; c = (c as Error).cause, i++) {
    if (c instanceof SluiceError && c.code.startsWith(prefix)) return c;
  }
  assert.fail(`no ${prefix}* error in the chain of ${String((e as Error)?.message ?? e)}`);
}

/** A loopback port nothing listens on. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}
