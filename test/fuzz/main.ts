/**
 * `./dev fuzz [--seconds N] [--seed S] [--cases N] [--streaming F] [--slice] [--out report.json]`: the differential
 * fuzzer over everything (or the in-suite slice), printing counts and each minimal divergence as a regression case.
 */
import { writeFileSync } from "node:fs";
import { Fuzzer } from "./fuzz-runner.js";
import { FULL_SCOPE } from "./scope.js";
import { SLICE_SCOPE } from "./slice.js";

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : undefined; };
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
const report = await fuzzer.run();
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
const out = opt("out");
if (out !== undefined) writeFileSync(out, JSON.stringify(report, null, 1));
process.exit(0);
