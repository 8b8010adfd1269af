#!/usr/bin/env node
/** The `sluice` command: the demo pipeline and checkpoint inspection. */
import { parseArgs } from "node:util";
import { describeCheckpoint } from "./checkpoint-inspector.js";
import { runTaxiDemo } from "./taxi-demo.js";

const USAGE = `usage:
  sluice demo [--dir .sluice-demo] [--files-per-second 2] [--rows-per-file 500] [--trigger "2 seconds"] [--duration 0]
  sluice checkpoint <dir>
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
