#!/usr/bin/env node
/** The `sluice` command: the demo pipeline and checkpoint inspection. */
import { parseArgs } from "node:util";
import { describeCheckpoint } from "./checkpoint-inspector.js";
import { runTaxiDemo } from "./taxi-demo.js";
import { readState } from "../state/state-reader.js";
import { encodeState } from "../state/state-codec.js";
import { LocalFileSystem } from "../fs/local-file-system.js";

const USAGE = `usage:
  sluice demo [--dir .sluice-demo] [--files-per-second 2] [--rows-per-file 500] [--trigger "2 seconds"] [--duration 0]
  sluice checkpoint <dir>
  sluice state <checkpoint-dir> [--version N]     (the keys and values of the query's state, one JSON line per key)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "demo") {
    const { values } = parseArgs({ args: rest, options: {
      dir: { type: "string", default: ".sluice-demo" }, "files-per-second": { type: "string", default: "2" },
      "rows-per-file": { type: "string", default: "500" }, trigger: { type: "string", default: "2 seconds" }, duration: { type: "string", default: "0" },
    } });
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
