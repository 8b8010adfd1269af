/** Worker thread behind the synchronous schema probe: `spark.read.format("jdbc").load()` returns a DataFrame at once, as in PySpark. */
import { runAsWorker } from "synckit";
import { simpleString } from "../../types/data-type.js";
import type { JdbcOptions } from "./jdbc-options.js";
import { probeSchema } from "./postgres-relation.js";

runAsWorker(async (opts: JdbcOptions): Promise<{ name: string; type: string }[]> =>
  (await probeSchema(opts)).fields.map((f) => ({ name: f.name, type: simpleString(f.dataType) })));
