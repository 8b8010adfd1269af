/** Worker thread behind the synchronous schema probe: `spark.read.format("jdbc").load()` returns a DataFrame at once, as in PySpark. */
import { runAsWorker } from "synckit";
import { simpleString } from "../../types/data-type.js";
import type { JdbcOptions } from "./jdbc-options.js";
import { probeSchema } from "./postgres-relation.js";

import { SluiceError, type ErrorCode, type ErrorParams } from "../../errors/sluice-error.js";

export type ProbeResult = { columns: { name: string; type: string }[] } | { error: { code: ErrorCode; message: string; params: ErrorParams; retryable: boolean } };

// A coded failure comes back as data: an error thrown across the worker boundary would lose its code.
runAsWorker(async (opts: JdbcOptions): Promise<ProbeResult> => {
  try {
    return { columns: (await probeSchema(opts)).fields.map((f) => ({ name: f.name, type: simpleString(f.dataType) })) };
  } catch (e) {
    if (!(e instanceof SluiceError)) throw e;
    return { error: { code: e.code, message: e.message.replace(/^\[[A-Z_.]+\] /, ""), params: e.params, retryable: e.retryable } };
  }
});
