/**
 * `./dev fuzz [--seconds N] [--seed S] [--cases N] [--streaming F] [--slice] [--out report.json]`: the differential
 * fuzzer over everything (or the in-suite slice), printing counts and each minimal divergence as a regression case.
 */
import { writeFileSync } from "node:fs";
import { testSession } from "../support/session.js";
import { SparkOracle } from "../support/spark-oracle.js";
import { Fuzzer } from "./fuzz-runner.js";
import { PENDING, PENDING_STREAMING } from "./pending-regressions.js";
import { checkBatchCase, checkStreamCase } from "./regression-check.js";
import { FULL_SCOPE } from "./scope.js";
import { SLICE_SCOPE } from "./slice.js";

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : undefined; };

if (args.includes("--pending")) {
  // Which pending regression cases agree with Spark now (their fixes merged): those move to fuzz-regressions.test.ts.
  const oracle = await SparkOracle.start();
  const session = testSession();
  for (const c of PENDING) {
    const diff = await checkBatchCase(oracle, session, c);
    console.log(`${diff === undefined ? "AGREES " : "differs"} ${c.name}`);
  }
  for (const c of PENDING_STREAMING) {
    const diff = await checkStreamCase(oracle, session, c);
    console.log(`${diff === undefined ? "AGREES " : "differs"} ${c.name ?? c.shape}`);
  }
  await oracle.close();
  process.exit(0);
}
const seed = Number(opt("seed") ?? Math.floor(Math.random() * 1e9));
const seconds = Number(opt("seconds") ?? 60);
const fuzzer = new Fuzzer({
  seed, seconds, scope: args.includes("--slice") ? SLICE_SCOPE : FULL_SCOPE,
  ...(opt("cases") !== undefined ? { maxCases: Number(opt("cases")) } : {}),
  streamingShare: Number(opt("streaming") ?? 0.08),
  shrink: !args.includes("--no-shrink"),
  log: (l) => process.stderr.write(l + "\n"),
});
process.stderr.write(`fuzzing with seed ${seed} for ${seconds} s\n`);
const out = opt("out");
function finish(): never {
  const report = fuzzer.report;
  let generated = 0, ran = 0, agreed = 0, differed = 0;
  for (const [cat, c] of Object.entries(report.byCategory).sort()) {
    generated += c.generated; ran += c.ran; agreed += c.agreed; differed += c.differed;
    console.log(`${cat.padEnd(22)} generated ${c.generated} ran ${c.ran} agreed ${c.agreed} (both failed ${c.bothFailed}) differed ${c.differed}`);
  }
  console.log(`total: generated ${generated} ran ${ran} agreed ${agreed} differed ${differed}; ${report.findings.length} distinct minimal divergences (seed ${seed})`);
  for (const f of report.findings) {
    console.log(`\n[${f.category}] ${f.kind} — ${f.functions.join(" ")} (${f.count}x)\n  Spark:  ${f.spark}\n  Sluice: ${f.sluice}\n${f.regression}`);
  }
  console.log(`timing: ${JSON.stringify(fuzzer.timing)}`);
  if (out !== undefined) writeFileSync(out, JSON.stringify(report, null, 1));
  process.exit(0);
}
// The report so far is saved as the run goes, and a case that hangs (a query that never ends) cannot hold the run
// past its time by more than two minutes.
if (out !== undefined) setInterval(() => writeFileSync(out, JSON.stringify(fuzzer.report, null, 1)), 5000).unref();
setTimeout(() => { process.stderr.write("a case hung: stopping\n"); finish(); }, (seconds + 120) * 1000).unref();
await fuzzer.run();
finish();
