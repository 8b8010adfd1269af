/** Expressions as a frozen discriminated union; the analyzer turns `column` into `boundRef`. */
import type { DataType } from "../types/data-type.js";

export type BinaryOperator =
  | "+" | "-" | "*" | "/" | "%" | "div"
  | "and" | "or"
  | "=" | "<=>" | "!=" | "<" | "<=" | ">" | ">="
  | "&" | "|" | "^" | "||";
export type UnaryOperator = "not" | "negate" | "positive" | "bitnot" | "isNull" | "isNotNull";

/**
 * A column named by the user, not yet resolved: `a`, `t.a`, `a.b.c`. `attrId` pins it to one DataFrame's column
 * (as `df.col("a")` does), which keeps self-joins unambiguous.
 */
export interface ColumnRef { readonly kind: "column"; readonly nameParts: readonly string[]; readonly attrId?: number }
/** A resolved reference to the input row's column at `ordinal`. */
export interface BoundRef {
  readonly kind: "boundRef"; readonly ordinal: number; readonly name: string;
  readonly dataType: DataType; readonly nullable: boolean; readonly attrId: number;
}
export interface Literal { readonly kind: "literal"; readonly value: unknown; readonly dataType: DataType }
export interface Alias { readonly kind: "alias"; readonly child: Expression; readonly name: string }
/** `*` or `t.*` / `value.*`. */
export interface Star { readonly kind: "star"; readonly qualifier: readonly string[] }
export interface Unary { readonly kind: "unary"; readonly op: UnaryOperator; readonly child: Expression }
export interface Binary { readonly kind: "binary"; readonly op: BinaryOperator; readonly left: Expression; readonly right: Expression }
/** `CAST(x AS t)`; `try` returns null instead of failing (TRY_CAST). `implicit` marks casts the analyzer inserted. */
export interface Cast { readonly kind: "cast"; readonly child: Expression; readonly to: DataType; readonly mode: "cast" | "try"; readonly implicit?: boolean }
export interface CaseWhen {
  readonly kind: "case"; readonly branches: readonly (readonly [Expression, Expression])[]; readonly otherwise: Expression | null;
}
export interface In { readonly kind: "in"; readonly child: Expression; readonly list: readonly Expression[] }
export interface Like {
  readonly kind: "like"; readonly op: "like" | "ilike" | "rlike"; readonly child: Expression; readonly pattern: Expression;
  readonly escape: string;
}
export interface FunctionCall {
  readonly kind: "function"; readonly name: string; readonly args: readonly Expression[]; readonly distinct: boolean;
}
/** `a.b` on a struct, `a[0]` on an array, `m['k']` on a map. */
export interface ExtractValue { readonly kind: "extract"; readonly child: Expression; readonly key: Expression }
export interface SortOrder {
  readonly kind: "sortOrder"; readonly child: Expression; readonly ascending: boolean; readonly nullsFirst: boolean;
}

export type Expression =
  | ColumnRef | BoundRef | Literal | Alias | Star | Unary | Binary | Cast | CaseWhen | In | Like
  | FunctionCall | ExtractValue | SortOrder;
export type ExpressionKind = Expression["kind"];

/** Exhaustive dispatch table: forgetting a kind is a compile error. */
export type ExpressionVisitor<R> = { readonly [K in ExpressionKind]: (e: Extract<Expression, { kind: K }>) => R };

export function visit<R>(e: Expression, v: ExpressionVisitor<R>): R {
  return (v[e.kind] as (e: Expression) => R)(e);
}

export function children(e: Expression): readonly Expression[] {
  switch (e.kind) {
    case "column": case "boundRef": case "literal": case "star": return [];
    case "alias": case "unary": case "cast": case "sortOrder": return [e.child];
    case "binary": return [e.left, e.right];
    case "case": return [...e.branches.flat(), ...(e.otherwise ? [e.otherwise] : [])];
    case "in": return [e.child, ...e.list];
    case "like": return [e.child, e.pattern];
    case "function": return e.args;
    case "extract": return [e.child, e.key];
  }
}

/** `e` with each direct child replaced by `f(child)` (not recursive: `f` decides). */
export function mapChildren(e: Expression, f: (child: Expression) => Expression): Expression {
  switch (e.kind) {
    case "column": case "boundRef": case "literal": case "star": return e;
    case "alias": return { ...e, child: f(e.child) };
    case "unary": return { ...e, child: f(e.child) };
    case "cast": return { ...e, child: f(e.child) };
    case "sortOrder": return { ...e, child: f(e.child) };
    case "binary": return { ...e, left: f(e.left), right: f(e.right) };
    case "case": return { ...e, branches: e.branches.map(([c, v]) => [f(c), f(v)] as const), otherwise: e.otherwise ? f(e.otherwise) : null };
    case "in": return { ...e, child: f(e.child), list: e.list.map(f) };
    case "like": return { ...e, child: f(e.child), pattern: f(e.pattern) };
    case "function": return { ...e, args: e.args.map(f) };
    case "extract": return { ...e, child: f(e.child), key: f(e.key) };
  }
}

/** Rebuilds `e` bottom-up, replacing nodes for which `f` returns a new node. */
export function transformUp(e: Expression, f: (e: Expression) => Expression): Expression {
  return f(mapChildren(e, (c) => transformUp(c, f)));
}

/** The operands of a chain of ANDs: `a AND (b AND c)` gives [a, b, c]. */
export function conjuncts(e: Expression): Expression[] {
  if (e.kind === "alias") return conjuncts(e.child); // a name the analyzer kept (`between(a, lo, hi)`)
  return e.kind === "binary" && e.op === "and" ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

export function anyNode(e: Expression, p: (e: Expression) => boolean): boolean {
  return p(e) || children(e).some((c) => anyNode(c, p));
}

/** Constructors used by the parser and the Column API. */
export const Expr = {
  column: (...nameParts: string[]): ColumnRef => ({ kind: "column", nameParts }),
  literal: (value: unknown, dataType: DataType): Literal => ({ kind: "literal", value, dataType }),
  alias: (child: Expression, name: string): Alias => ({ kind: "alias", child, name }),
  star: (qualifier: readonly string[] = []): Star => ({ kind: "star", qualifier }),
  unary: (op: UnaryOperator, child: Expression): Unary => ({ kind: "unary", op, child }),
  binary: (op: BinaryOperator, left: Expression, right: Expression): Binary => ({ kind: "binary", op, left, right }),
  cast: (child: Expression, to: DataType, mode: "cast" | "try" = "cast"): Cast => ({ kind: "cast", child, to, mode }),
  fn: (name: string, args: readonly Expression[], distinct = false): FunctionCall => ({ kind: "function", name: name.toLowerCase(), args, distinct }),
  extract: (child: Expression, key: Expression): ExtractValue => ({ kind: "extract", child, key }),
  sortOrder: (child: Expression, ascending: boolean, nullsFirst?: boolean): SortOrder =>
    ({ kind: "sortOrder", child, ascending, nullsFirst: nullsFirst ?? ascending }),
} as const;
