/**
 * Merges fuzz reports (`./dev fuzz --out r.json`) into test/fuzz/FINDINGS.md's tables: counts by category and the
 * deduplicated minimal divergences. Usage: node dist/test/fuzz/findings-report.js out.md r1.json r2.json ...
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { CategoryCounts, Finding, FuzzReport } from "./fuzz-runner.js";

const [out, ...inputs] = process.argv.slice(2);
const reports = inputs.map((p) => JSON.parse(readFileSync(p, "utf8")) as FuzzReport & { seconds?: number });
const totals: Record<string, CategoryCounts> = {};
const findings = new Map<string, Finding>();
for (const r of reports) {
  for (const [cat, c] of Object.entries(r.byCategory)) {
    const t = (totals[cat] ??= { generated: 0, ran: 0, agreed: 0, bothFailed: 0, differed: 0 });
    t.generated += c.generated; t.ran += c.ran; t.agreed += c.agreed; t.bothFailed += c.bothFailed; t.differed += c.differed;
  }
  for (const f0 of r.findings) {
    const f = r.shrunk ? f0 : { ...f0, kind: `${f0.kind}, not shrunk` };
    const k = `${f.kind}|${f.functions[0] ?? ""}`;
    const prev = findings.get(k);
    if (prev === undefined) findings.set(k, { ...f }); else prev.count += f.count;
  }
}
const lines: string[] = [];
lines.push(`Seeds: ${reports.map((r) => r.seed).join(", ")}.`, "");
lines.push("| category | generated | ran | agreed | (both failed alike) | differed |", "|---|---:|---:|---:|---:|---:|");
const sum: CategoryCounts = { generated: 0, ran: 0, agreed: 0, bothFailed: 0, differed: 0 };
for (const [cat, c] of Object.entries(totals).sort()) {
  lines.push(`| ${cat} | ${c.generated} | ${c.ran} | ${c.agreed} | ${c.bothFailed} | ${c.differed} |`);
  sum.generated += c.generated; sum.ran += c.ran; sum.agreed += c.agreed; sum.bothFailed += c.bothFailed; sum.differed += c.differed;
}
lines.push(`| **total** | ${sum.generated} | ${sum.ran} | ${sum.agreed} | ${sum.bothFailed} | ${sum.differed} |`, "");
lines.push(`${findings.size} distinct minimal divergences (a case counts toward the first finding whose function it uses, with the same kind):`, "");
let i = 1;
const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
for (const f of [...findings.values()].sort((a, b) => a.category.localeCompare(b.category) || b.count - a.count)) {
  const sql = /sql: ("(?:[^"\\]|\\.)*")/.exec(f.regression);
  const query = sql !== null ? (JSON.parse(sql[1]!) as string) : f.regression.slice(0, 300);
  lines.push(`${i++}. \`${f.functions[0] ?? f.category}\` [${f.category}] ${f.kind} (${f.count} case${f.count === 1 ? "" : "s"})`);
  lines.push(`   - query: \`${cell(query)}\``);
  const rows = /rows: \[\n([\s\S]*?)\n  \]/.exec(f.regression);
  if (rows !== null) lines.push(`   - input: ${cell(rows[1]!.trim().replace(/,$/, "").replace(/\s+/g, " ")).slice(0, 400)}`);
  lines.push(`   - Spark: ${cell(f.spark).slice(0, 400)}`, `   - Sluice: ${cell(f.sluice).slice(0, 400)}`);
}
writeFileSync(out!, lines.join("\n") + "\n");
console.log(`${sum.generated} generated, ${sum.ran} ran, ${sum.differed} differed, ${findings.size} distinct`);
