/** Type-directed random expression trees over the catalogue, and the batch query shapes they are run in. */
import { AGGREGATES, CATALOGUE, type AggEntry, type Category, type FnEntry } from "./catalogue.js";
import type { Prng } from "./prng.js";
import type { FuzzScope } from "./scope.js";
import { LITERALS, NUMERIC_FAMILIES, POOLS, SCALAR_FAMILIES, type Column, type Family, type RowCells } from "./typed-values.js";

export type Node =
  | { readonly kind: "col"; readonly name: string; readonly fam: Family }
  /** `fixed`: a constant argument from a pool (a format, a pattern), never replaced when shrinking. */
  | { readonly kind: "lit"; readonly text: string; readonly fam: Family; readonly fixed?: boolean }
  | { readonly kind: "fn"; readonly entry: FnEntry; readonly fam: Family; readonly args: readonly Node[] };

export function render(n: Node): string {
  if (n.kind === "col") return n.name;
  if (n.kind === "lit") return n.text;
  const a = n.args.map(render);
  return n.entry.render !== undefined ? n.entry.render(a) : `${n.entry.name}(${a.join(", ")})`;
}

/** The functions and operators in a tree, outermost first. */
export function functionsOf(n: Node): string[] {
  return n.kind === "fn" ? [n.entry.name, ...n.args.flatMap(functionsOf)] : [];
}
export function columnsOf(n: Node): string[] {
  return n.kind === "col" ? [n.name] : n.kind === "fn" ? n.args.flatMap(columnsOf) : [];
}

const produces = (en: FnEntry, fam: Family): boolean => en.ret === fam || (en.ret === "T" && (en.over ?? SCALAR_FAMILIES).includes(fam));

export class ExpressionGenerator {
  private readonly entries: readonly FnEntry[];
  constructor(private readonly rnd: Prng, private readonly scope: FuzzScope, private readonly columns: readonly Column[]) {
    this.entries = CATALOGUE.filter((en) => scope.categories.includes(en.category) && (scope.functions === undefined || scope.functions.has(en.name)));
  }

  private within(fams: readonly Family[]): readonly Family[] {
    const ok = fams.filter((f) => this.scope.families.includes(f));
    return ok.length > 0 ? ok : fams;
  }

  leaf(fam: Family): Node {
    const cols = this.columns.filter((c) => c.family === fam && c.name !== "id");
    if (cols.length > 0 && this.rnd.chance(0.65)) return { kind: "col", name: this.rnd.pick(cols).name, fam };
    const lits = LITERALS[fam].filter((l) => this.scope.excludeLiterals?.has(l) !== true);
    return { kind: "lit", text: this.rnd.pick(lits.length > 0 ? lits : LITERALS[fam]), fam };
  }

  /** A random expression of the family, at most `depth` calls deep. */
  expr(fam: Family, depth: number): Node {
    if (depth <= 0 || this.rnd.chance(0.2)) return this.leaf(fam);
    const candidates = this.entries.filter((en) => en.category !== "aggregate" && produces(en, fam));
    if (candidates.length === 0) return this.leaf(fam);
    return this.call(this.rnd.pick(candidates), fam, depth);
  }

  call(en: FnEntry, fam: Family, depth: number): Node {
    const u = this.rnd.pick(this.within(en.uOver ?? SCALAR_FAMILIES));
    const args: Node[] = [];
    for (const spec0 of en.args) {
      const optional = spec0.startsWith("?");
      if (optional && this.rnd.chance(0.5)) break;
      const spec = optional ? spec0.slice(1) : spec0;
      if (spec.startsWith("@")) {
        const pool = POOLS[spec.slice(1)]!.filter((l) => this.scope.excludeLiterals?.has(l) !== true);
        args.push({ kind: "lit", text: this.rnd.pick(pool.length > 0 ? pool : POOLS[spec.slice(1)]!), fam: "int", fixed: true });
        continue;
      }
      const argFam: Family = spec === "T" ? fam : spec === "U" ? u : spec === "N" ? this.rnd.pick(this.within(NUMERIC_FAMILIES))
        : spec === "X" ? this.rnd.pick(this.within(SCALAR_FAMILIES)) : this.rnd.pick(this.within(spec.split("|") as Family[]));
      args.push(this.expr(argFam, depth - 1));
    }
    return { kind: "fn", entry: en, fam, args };
  }

  /** A root expression whose outermost function is from the category. */
  rootOf(category: Category, depth: number, want?: Family): Node | undefined {
    const inCat = this.entries.filter((en) => en.category === category && (want === undefined || produces(en, want)));
    if (inCat.length === 0) return undefined;
    const en = this.rnd.pick(inCat);
    const fam = want ?? (en.ret === "T" ? this.rnd.pick(this.within(en.over ?? SCALAR_FAMILIES)) : en.ret);
    return this.call(en, fam, depth);
  }

  aggregate(): AggEntry | undefined {
    const aggs = AGGREGATES.filter((a) => this.scope.aggregates === undefined || this.scope.aggregates.has(a.name));
    return aggs.length > 0 ? this.rnd.pick(aggs) : undefined;
  }
}

/** One generated batch case: a table, session settings and a query of one shape over it. */
export interface BatchCase {
  readonly category: Category;
  readonly shape: "select" | "filter" | "agg";
  readonly columns: readonly Column[];
  readonly rows: readonly RowCells[];
  readonly conf: Readonly<Record<string, string>>;
  readonly exprs: readonly Node[];
  /** For "agg": the aggregate of each expression, and the grouping column (none: a global aggregate). */
  readonly aggs?: readonly AggEntry[];
  readonly groupBy?: string;
}

export function caseSql(c: BatchCase): string {
  if (c.shape === "filter") return `SELECT id FROM t WHERE ${render(c.exprs[0]!)}`;
  if (c.shape === "agg") {
    const items = c.exprs.map((x, i) => `${c.aggs![i]!.render(render(x))} AS c${i}`);
    return c.groupBy !== undefined ? `SELECT ${c.groupBy}, ${items.join(", ")} FROM t GROUP BY ${c.groupBy}` : `SELECT ${items.join(", ")} FROM t`;
  }
  return `SELECT id, ${c.exprs.map((x, i) => `${render(x)} AS c${i}`).join(", ")} FROM t`;
}

export function caseFunctions(c: BatchCase): string[] {
  return [...(c.aggs ?? []).map((a) => a.name), ...c.exprs.flatMap(functionsOf)];
}

/** A new random case of the category over the table. */
export function generateBatchCase(rnd: Prng, scope: FuzzScope, category: Category, columns: readonly Column[], rows: readonly RowCells[],
  conf: Readonly<Record<string, string>>): BatchCase | undefined {
  const g = new ExpressionGenerator(rnd, scope, columns);
  const depth = (): number => rnd.int(1, 3);
  if (category === "aggregate") {
    const n = rnd.int(1, 3);
    const aggs: AggEntry[] = [], exprs: Node[] = [];
    for (let i = 0; i < n; i++) {
      const a = g.aggregate();
      if (a === undefined) return undefined;
      const fam = rnd.pick(a.arg.filter((f) => scope.families.includes(f)).length > 0 ? a.arg.filter((f) => scope.families.includes(f)) : a.arg);
      aggs.push(a);
      exprs.push(rnd.chance(0.5) ? g.leaf(fam) : g.expr(fam, rnd.int(1, 2)));
    }
    const keys = columns.filter((c) => ["bool", "int", "str", "date"].includes(c.family) && scope.families.includes(c.family) && c.name !== "id");
    const groupBy = rnd.chance(0.7) && keys.length > 0 ? rnd.pick(keys).name : undefined;
    return { category, shape: "agg", columns, rows, conf, exprs, aggs, ...(groupBy !== undefined ? { groupBy } : {}) };
  }
  if (rnd.chance(0.15)) {
    const root = g.rootOf(category, depth(), "bool");
    if (root !== undefined) return { category, shape: "filter", columns, rows, conf, exprs: [root] };
  }
  const exprs: Node[] = [];
  for (let i = rnd.int(1, 5); i > 0; i--) {
    const root = g.rootOf(category, depth());
    if (root !== undefined) exprs.push(root);
  }
  return exprs.length > 0 ? { category, shape: "select", columns, rows, conf, exprs } : undefined;
}
