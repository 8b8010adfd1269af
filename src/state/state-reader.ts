/**
 * Reads the state a checkpoint holds, as Spark's `statestore` data source does: per operator and partition, the keys
 * and values at a version (default: the state after the last committed batch).
 */
import * as path from "node:path";
import { CommitLog } from "../checkpoint/commit-log.js";
import type { FileSystem } from "../fs/file-system.js";
import { decodeState } from "./state-codec.js";
import { InMemoryStateStoreProvider } from "./state-store.js";

export interface StateRow {
  readonly operatorId: number;
  /** `left`/`right` for the two stores of a stream-stream join, empty otherwise. */
  readonly store: string;
  readonly partitionId: number;
  readonly key: unknown;
  readonly value: unknown;
}

export async function readState(fs: FileSystem, checkpointDir: string, version?: number): Promise<{ version: number; rows: StateRow[] }> {
  const committed = await new CommitLog(fs, path.join(checkpointDir, "commits")).latestId();
  const v = version ?? (committed === undefined ? 0 : committed + 1);
  const rows: StateRow[] = [];
  const numeric = (dir: string): Promise<number[]> =>
    fs.list(dir).then((es) => es.filter((e) => e.isDirectory && /^\d+$/.test(path.basename(e.path))).map((e) => Number(path.basename(e.path))).sort((a, b) => a - b));
  for (const op of await numeric(path.join(checkpointDir, "state"))) {
    const opDir = path.join(checkpointDir, "state", String(op));
    const subStores = (await fs.list(opDir)).map((e) => path.basename(e.path)).filter((n) => n === "left" || n === "right");
    for (const store of subStores.length > 0 ? subStores : [""]) {
      const dir = store === "" ? opDir : path.join(opDir, store);
      const provider = new InMemoryStateStoreProvider(fs, dir);
      for (const p of await numeric(dir)) {
        const s = await provider.load(p, v);
        for (const [k, value] of s.entries()) rows.push({ operatorId: op, store, partitionId: p, key: decodeState(k), value });
      }
    }
  }
  return { version: v, rows };
}
