/**
 * Shrinking a differing batch case to a minimal one: one expression, fewer rows, simpler subexpressions (a child of
 * the same family, a column, a literal), only the columns used. A step is kept when the case still differs the
 * same way (same divergence kind).
 */
import { columnsOf, type BatchCase, type Node } from "./expression-generator.js";
import { LITERALS } from "./typed-values.js";

export type Probe = (c: BatchCase) => Promise<string | undefined>;

function replaceAt(n: Node, path: readonly number[], by: Node): Node {
  if (path.length === 0) return by;
  if (n.kind !== "fn") return n;
  const [i, ...rest] = path;
  return { ...n, args: n.args.map((a, k) => (k === i ? replaceAt(a, rest, by) : a)) };
}

function* nodes(n: Node, path: number[] = []): Generator<[Node, number[]]> {
  yield [n, path];
  if (n.kind === "fn") for (let i = 0; i < n.args.length; i++) yield* nodes(n.args[i]!, [...path, i]);
}

function simpler(n: Node, c: BatchCase): Node[] {
  if (n.kind === "lit" && n.fixed === true) return [];
  const out: Node[] = [];
  // A child (of any family: where the type does not fit, the case fails differently and the step is not kept).
  if (n.kind === "fn") for (const a of n.args) if (!(a.kind === "lit" && a.fixed === true)) out.push(a);
  if (n.kind !== "col") for (const col of c.columns) if (col.family === n.fam && col.name !== "id") { out.push({ kind: "col", name: col.name, fam: n.fam }); break; }
  const lits = LITERALS[n.fam].slice(0, 3);
  for (const text of lits) if (!(n.kind === "lit" && n.text === text)) out.push({ kind: "lit", text, fam: n.fam });
  return out;
}

export async function shrinkBatchCase(c0: BatchCase, kind: string, probe: Probe, budget = 24): Promise<BatchCase> {
  let c = c0, evals = 0;
  const tryCase = async (x: BatchCase): Promise<boolean> => {
    if (evals >= budget) return false;
    evals++;
    if ((await probe(x)) !== kind) return false;
    c = x;
    return true;
  };
  // One expression.
  if (c.exprs.length > 1) {
    for (let i = 0; i < c.exprs.length; i++) {
      if (await tryCase({ ...c, exprs: [c.exprs[i]!], ...(c.aggs ? { aggs: [c.aggs[i]!] } : {}) })) break;
    }
  }
  if (c.groupBy !== undefined) { const { groupBy: _g, ...rest } = c; await tryCase(rest); }
  await tryCase(onlyUsedColumns(c));
  // Fewer rows: chunks, halving.
  for (let size = Math.ceil(c.rows.length / 2); size >= 1; size = size === 1 ? 0 : Math.ceil(size / 2)) {
    for (let start = 0; start < c.rows.length;) {
      if (c.rows.length > 1 && await tryCase({ ...c, rows: [...c.rows.slice(0, start), ...c.rows.slice(start + size)] })) continue;
      start += size;
    }
  }
  // Simpler expressions, until nothing more simplifies.
  for (let changed = true; changed && evals < budget;) {
    changed = false;
    outer: for (let e = 0; e < c.exprs.length; e++) {
      for (const [n, path] of nodes(c.exprs[e]!)) {
        for (const by of simpler(n, c)) {
          const exprs = c.exprs.map((x, k) => (k === e ? replaceAt(x, path, by) : x));
          if (await tryCase({ ...c, exprs })) { changed = true; break outer; }
        }
      }
    }
  }
  evals = Math.min(evals, budget - 1);
  await tryCase(onlyUsedColumns(c));
  return c;
}

/** The case over only the columns it uses (and id). */
function onlyUsedColumns(c: BatchCase): BatchCase {
  const used = new Set(["id", ...c.exprs.flatMap(columnsOf), ...(c.groupBy !== undefined ? [c.groupBy] : [])]);
  return { ...c, columns: c.columns.filter((x) => used.has(x.name)), rows: c.rows.map((r) => r.filter(([k]) => used.has(k))) };
}
