/** Resolves user expressions against a plan's output: binds columns, checks types and inserts Spark's implicit casts. */
import { AnalysisException } from "../errors/sluice-error.js";
import { canCast } from "../expressions/cast.js";
import { Expr, type BinaryOperator, type BoundRef, type Expression } from "../expressions/expression.js";
import { lookupFunction } from "../functions/registry.js";
import { AGGREGATE_NAMES } from "../functions/aggregate-names.js";
import type { Attribute } from "../plan/attribute.js";
import { BooleanType, IntegerType, NullType, StringType, isIntegral, isNumeric, sameType, simpleString, type DataType } from "../types/data-type.js";
import { dataTypeOf, sqlText } from "./expression-types.js";
import { arithmeticType, comparisonType, decimalOperandType, widerDecimal, widerType } from "./type-coercion.js";

const AGGREGATES = AGGREGATE_NAMES;
const NUMERIC_AGGREGATES = new Set(["sum", "avg", "mean", "stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop"]);
export const GENERATORS = new Set(["explode", "explode_outer", "posexplode", "posexplode_outer", "inline", "inline_outer", "json_tuple"]);

export function isAggregateFunction(name: string): boolean {
  return AGGREGATES.has(name.toLowerCase());
}

const eqName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export function unresolvedColumn(name: string, input: readonly Attribute[]): AnalysisException {
  const candidates = input.map((a) => (a.qualifier ? `\`${a.qualifier}\`.\`${a.name}\`` : `\`${a.name}\``));
  return new AnalysisException("UNRESOLVED_COLUMN",
    `A column, variable, or function parameter with name \`${name}\` cannot be resolved. Did you mean one of the following? [${candidates.join(", ")}].`,
    { params: { objectName: `\`${name}\``, proposal: candidates.join(", ") } });
}

function bound(a: Attribute, ordinal: number): BoundRef {
  return { kind: "boundRef", ordinal, name: a.name, dataType: a.dataType, nullable: a.nullable, attrId: a.id };
}

/** Resolves a (possibly qualified, possibly nested) column name to a bound reference plus field extractions. */
export function resolveColumn(nameParts: readonly string[], input: readonly Attribute[], attrId?: number): Expression {
  if (attrId !== undefined) {
    const k = input.findIndex((a) => a.id === attrId);
    if (k >= 0) return bound(input[k]!, k);
  }
  const full = nameParts.join(".");
  const tryMatch = (skip: number, qualifier: string | undefined): { ordinal: number; attr: Attribute }[] => {
    const name = nameParts[skip];
    if (name === undefined) return [];
    const out: { ordinal: number; attr: Attribute }[] = [];
    input.forEach((a, ordinal) => {
      if (eqName(a.name, name) && (qualifier === undefined || (a.qualifier !== undefined && eqName(a.qualifier, qualifier)))) out.push({ ordinal, attr: a });
    });
    return out;
  };
  // A column literally named "a.b" wins over struct access, as in Spark with backquotes.
  const exact = input.flatMap((a, ordinal) => (eqName(a.name, full) ? [{ ordinal, attr: a }] : []));
  let matches = exact;
  let rest: readonly string[] = [];
  if (matches.length === 0 && nameParts.length > 1) {
    matches = tryMatch(1, nameParts[0]);
    rest = nameParts.slice(2);
  }
  if (matches.length === 0) {
    matches = tryMatch(0, undefined);
    rest = nameParts.slice(1);
  }
  if (matches.length === 0) throw unresolvedColumn(full, input);
  if (matches.length > 1) {
    throw new AnalysisException("AMBIGUOUS_REFERENCE",
      `Reference \`${full}\` is ambiguous, could be: [${matches.map((m) => `\`${m.attr.qualifier ? `${m.attr.qualifier}.` : ""}${m.attr.name}\``).join(", ")}].`,
      { params: { name: full } });
  }
  let e: Expression = bound(matches[0]!.attr, matches[0]!.ordinal);
  for (const field of rest) e = extractField(e, field, full);
  return e;
}

function extractField(e: Expression, field: string, full: string): Expression {
  const t = dataTypeOf(e);
  if (t.kind === "struct") {
    const idx = t.fields.findIndex((f) => eqName(f.name, field));
    if (idx < 0) {
      throw new AnalysisException("UNRESOLVED_COLUMN", `No such struct field \`${field}\` in ${t.fields.map((f) => f.name).join(", ")}.`,
        { params: { objectName: `\`${full}\``, fieldName: field } });
    }
    return Expr.extract(e, Expr.literal(idx, IntegerType));
  }
  throw new AnalysisException("DATATYPE_MISMATCH", `Field name should be a non-null string literal, but it's ${field}: cannot extract a field from ${simpleString(t)}.`,
    { params: { name: full, dataType: simpleString(t) } });
}

function castTo(e: Expression, t: DataType): Expression {
  const from = dataTypeOf(e);
  if (sameType(from, t, true)) return e;
  if (e.kind === "literal" && e.value === null) return Expr.literal(null, t);
  return { ...Expr.cast(e, t), implicit: true };
}

function mismatch(e: Expression, why: string): AnalysisException {
  return new AnalysisException("DATATYPE_MISMATCH", `Cannot resolve "${sqlText(e)}" due to data type mismatch: ${why}.`, { params: { sqlExpr: sqlText(e) } });
}

/** Options that change resolution. */
export interface ResolveOptions {
  /** Allow aggregate functions (inside `agg`); otherwise they are an error. */
  readonly allowAggregates?: boolean;
  /** Allow generators (`explode`) at this position. */
  readonly allowGenerators?: boolean;
  /** Where the expression stands, for error messages ("a filter", ...). */
  readonly context?: string;
}

export function resolveExpression(e: Expression, input: readonly Attribute[], opts: ResolveOptions = {}): Expression {
  const r = (x: Expression): Expression => resolveExpression(x, input, { ...opts, allowGenerators: false });
  switch (e.kind) {
    case "boundRef": case "literal": return e;
    case "column": return resolveColumn(e.nameParts, input, e.attrId);
    case "star":
      throw new AnalysisException("INVALID_USAGE_OF_STAR", `Invalid usage of '*' in expression ${sqlText(e)}.`, { params: { elem: "*" } });
    case "alias": return Expr.alias(resolveExpression(e.child, input, opts), e.name);
    case "sortOrder": return { ...e, child: r(e.child) };
    case "cast": {
      const child = r(e.child);
      const from = dataTypeOf(child);
      if (!canCast(from, e.to)) throw mismatch(e, `cannot cast ${simpleString(from)} to ${simpleString(e.to)}`);
      return { ...e, child };
    }
    case "unary": {
      const child = r(e.child);
      const t = dataTypeOf(child);
      switch (e.op) {
        case "not":
          if (t.kind !== "boolean" && t.kind !== "null") throw mismatch(e, `the argument of NOT requires boolean, but got ${simpleString(t)}`);
          return Expr.unary("not", castTo(child, BooleanType));
        case "negate": case "positive":
          if (t.kind === "string") return Expr.unary(e.op, castTo(child, { kind: "double" }));
          if (!isNumeric(t) && t.kind !== "interval" && t.kind !== "null") throw mismatch(e, `unary minus requires a numeric type, but got ${simpleString(t)}`);
          return { ...e, child };
        case "bitnot":
          if (!isIntegral(t)) throw mismatch(e, `~ requires an integral type, but got ${simpleString(t)}`);
          return { ...e, child };
        default: return { ...e, child };
      }
    }
    case "binary": return resolveBinary(e.op, r(e.left), r(e.right), e);
    case "case": {
      const branches = e.branches.map(([c, v]) => {
        const rc = r(c);
        const ct = dataTypeOf(rc);
        if (ct.kind !== "boolean" && ct.kind !== "null") throw mismatch(e, `WHEN expressions in CaseWhen should all be boolean type, but got ${simpleString(ct)}`);
        return [castTo(rc, BooleanType), r(v)] as const;
      });
      const otherwise = e.otherwise ? r(e.otherwise) : null;
      let t: DataType | undefined = NullType;
      for (const [, v] of branches) t = t && widerType(t, dataTypeOf(v));
      if (otherwise) t = t && widerType(t, dataTypeOf(otherwise));
      if (t === undefined) throw mismatch(e, "THEN and ELSE expressions should all be same type or coercible to a common type");
      const target = t;
      return { kind: "case", branches: branches.map(([c, v]) => [c, castTo(v, target)] as const), otherwise: otherwise ? castTo(otherwise, target) : null };
    }
    case "in": {
      const child = r(e.child);
      const list = e.list.map(r);
      let t: DataType | undefined = dataTypeOf(child);
      for (const x of list) t = t && comparisonType(t, dataTypeOf(x));
      if (t === undefined) throw mismatch(e, "the arguments of IN must be of the same type");
      const target = t;
      return { kind: "in", child: castTo(child, target), list: list.map((x) => castTo(x, target)) };
    }
    case "like": {
      const child = r(e.child), pattern = r(e.pattern);
      return { ...e, child: castTo(child, StringType), pattern: castTo(pattern, StringType) };
    }
    case "extract": {
      const child = r(e.child);
      const t = dataTypeOf(child);
      if (t.kind === "struct" && e.key.kind === "literal" && typeof e.key.value === "string") return extractField(child, e.key.value, sqlText(e));
      const key = r(e.key);
      // An integral index is used as Java's int of it (`arr[2147483648L]` is index -2147483648), never an ANSI cast.
      if (t.kind === "array") return Expr.extract(child, isIntegral(dataTypeOf(key)) ? key : castTo(key, IntegerType));
      if (t.kind === "map") return Expr.extract(child, castTo(key, t.keyType));
      throw mismatch(e, `cannot extract a value from ${simpleString(t)}`);
    }
    case "function": return resolveFunction(e, input, opts);
  }
}

function resolveBinary(op: BinaryOperator, l: Expression, rr: Expression, orig: Expression): Expression {
  const lt = dataTypeOf(l), rt = dataTypeOf(rr);
  switch (op) {
    case "and": case "or":
      for (const t of [lt, rt]) if (t.kind !== "boolean" && t.kind !== "null") throw mismatch(orig, `the binary operator requires boolean input, but got ${simpleString(t)}`);
      return Expr.binary(op, castTo(l, BooleanType), castTo(rr, BooleanType));
    case "=": case "<=>": case "!=": case "<": case "<=": case ">": case ">=": {
      const t = comparisonType(lt, rt);
      if (t === undefined || t.kind === "map") throw mismatch(orig, `differing types in '${sqlText(orig)}' (${simpleString(lt)} and ${simpleString(rt)})`);
      return Expr.binary(op, castTo(l, t), castTo(rr, t));
    }
    case "||": {
      if (lt.kind === "array" && rt.kind === "array") return Expr.fn("concat", [l, rr]);
      return Expr.fn("concat", [castTo(l, StringType), castTo(rr, StringType)]);
    }
    case "&": case "|": case "^": {
      const t = widerType(lt, rt);
      if (t === undefined || !isIntegral(t)) throw mismatch(orig, `the bitwise operator requires integral types, but got ${simpleString(lt)} and ${simpleString(rt)}`);
      return Expr.binary(op, castTo(l, t), castTo(rr, t));
    }
    default: {
      // Date/time arithmetic.
      if ((lt.kind === "timestamp" || lt.kind === "timestamp_ntz") && rt.kind === "interval" && (op === "+" || op === "-")) return Expr.binary(op, l, rr);
      if (lt.kind === "date" && rt.kind === "interval" && (op === "+" || op === "-")) {
        // As Spark: a date plus a year-month or a whole-day interval is a date; with a time part it is a timestamp.
        const iv = rr.kind === "literal" ? (rr.value as { months: number; days: number; micros: number } | null) : null;
        if (iv !== null && iv.micros === 0 && (iv.months === 0 || iv.days === 0)) return Expr.binary(op, l, rr);
        return Expr.binary(op, Expr.cast(l, { kind: "timestamp" }), rr);
      }
      if (lt.kind === "interval" && (rt.kind === "timestamp" || rt.kind === "date") && op === "+") return resolveBinary(op, rr, l, orig);
      if (lt.kind === "date" && isIntegral(rt) && (op === "+" || op === "-")) return Expr.fn(op === "+" ? "date_add" : "date_sub", [l, castTo(rr, IntegerType)]);
      if (lt.kind === "timestamp" && rt.kind === "timestamp" && op === "-") return Expr.binary(op, l, rr);
      if (lt.kind === "interval" && rt.kind === "interval" && (op === "+" || op === "-")) return Expr.binary(op, l, rr);
      const t = arithmeticType(op, lt, rt);
      if (t === undefined) throw mismatch(orig, `the binary operator requires numeric input, but got ${simpleString(lt)} and ${simpleString(rt)}`);
      if (t.kind === "decimal" || (op === "div" && (lt.kind === "decimal" || rt.kind === "decimal") && widerType(lt, rt)?.kind === "decimal")) {
        // Spark's DecimalPrecision: integral operands meet decimals as DECIMAL(10,0)/(20,0)…, integral literals as
        // the decimal of their digits (1 → DECIMAL(1,0)).
        let dl = decimalOperandType(l, lt), dr = decimalOperandType(rr, rt);
        if (lt.kind === "null") dl = dr;
        if (rt.kind === "null") dr = dl;
        if (op === "div") { const w = widerDecimal(dl, dr); return Expr.binary(op, castTo(l, w), castTo(rr, w)); }
        return Expr.binary(op, castTo(l, dl), castTo(rr, dr));
      }
      const operand = op === "div" ? (widerType(lt, rt) ?? t) : t;
      return Expr.binary(op, castTo(l, operand), castTo(rr, operand));
    }
  }
}

function resolveFunction(e: Extract<Expression, { kind: "function" }>, input: readonly Attribute[], opts: ResolveOptions): Expression {
  const name = e.name;
  const r = (x: Expression): Expression => resolveExpression(x, input, { ...opts, allowGenerators: false });
  if (name === "if") {
    if (e.args.length !== 3) throw wrongArgs(name, e.args.length, "3");
    const [c, a, b] = e.args.map(r) as [Expression, Expression, Expression];
    const resolved = resolveExpression({ kind: "case", branches: [[c, a]], otherwise: b }, input, opts);
    return Expr.alias(resolved, `(IF(${sqlText(c, true)}, ${sqlText(a, true)}, ${sqlText(b, true)}))`);
  }
  if (name === "between" && e.args.length === 3) {
    // Spark's Between: named `between(a, lo, hi)`, evaluated as `a >= lo AND a <= hi`.
    const [x, lo, hi] = e.args.map(r) as [Expression, Expression, Expression];
    const resolved = resolveExpression(Expr.binary("and", Expr.binary(">=", x, lo), Expr.binary("<=", x, hi)), input, opts);
    return Expr.alias(resolved, `between(${sqlText(x, true)}, ${sqlText(lo, true)}, ${sqlText(hi, true)})`);
  }
  if (name === "positive" && e.args.length === 1) return resolveExpression(Expr.unary("positive", e.args[0]!), input, opts);
  // isnull(a) / isnotnull(a) are Spark's IsNull / IsNotNull, named `(a IS NULL)`.
  if ((name === "isnull" || name === "isnotnull") && e.args.length === 1) return resolveExpression(Expr.unary(name === "isnull" ? "isNull" : "isNotNull", e.args[0]!), input, opts);
  if (GENERATORS.has(name) && !opts.allowGenerators) {
    throw new AnalysisException("UNSUPPORTED_GENERATOR",
      `Generators are not supported when it's nested in expressions, but got: ${sqlText(e)}. Use it as a top-level column in select.`,
      { params: { expression: sqlText(e) } });
  }
  if (isAggregateFunction(name) && !opts.allowAggregates) {
    throw new AnalysisException("UNSUPPORTED_EXPR_FOR_OPERATOR", `Aggregate function ${name}() is only valid inside groupBy(...).agg(...), agg(...) or a SELECT with aggregates; it cannot appear in ${opts.context ?? "this operator"}.`, { params: { functionName: name } });
  }
  if (name === "count" && e.args.length === 1 && e.args[0]!.kind === "star" && e.args[0]!.qualifier.length === 0) {
    return { ...e, args: [Expr.literal(1, IntegerType)] }; // count(*) is count(1), as Spark names it
  }
  // `struct(*)`, `to_json(struct(*))`, `concat(t.*)`: a star argument expands to the input columns.
  const args: Expression[] = [];
  for (const a of e.args) {
    if (a.kind === "star" && !(isAggregateFunction(name) && name === "count")) args.push(...expandStar(a.qualifier, input));
    else args.push(a);
  }
  if (isAggregateFunction(name)) {
    // Aggregates may not nest: their arguments are resolved without allowAggregates.
    const resolvedArgs = args.map((a) => resolveExpression(a, input, { allowGenerators: false }));
    // Numeric aggregates take strings by casting them to double, as Spark's implicit casts do.
    const numeric = NUMERIC_AGGREGATES.has(name) && resolvedArgs.length > 0;
    const castArgs = numeric ? resolvedArgs.map((a, i) => (i === 0 && dataTypeOf(a).kind === "string" ? castTo(a, { kind: "double" }) : a)) : resolvedArgs;
    return { kind: "function", name: name === "mean" ? "avg" : name, args: castArgs, distinct: e.distinct };
  }
  if (GENERATORS.has(name)) return { ...e, args: args.map((a) => (a.kind === "star" ? a : r(a))) };
  const def = lookupFunction(name);
  if (def === undefined) {
    throw new AnalysisException("UNRESOLVED_ROUTINE", `Cannot resolve function \`${name}\` on search path [\`system\`.\`builtin\`].`, { params: { routineName: `\`${name}\`` } });
  }
  if (args.length < def.minArgs || args.length > def.maxArgs) {
    throw wrongArgs(name, args.length, def.minArgs === def.maxArgs ? String(def.minArgs) : `[${def.minArgs}, ${def.maxArgs}]`);
  }
  const resolvedArgs = args.map(r);
  const sig = def.resolve(resolvedArgs.map(dataTypeOf), resolvedArgs);
  const casted = resolvedArgs.map((a, i) => {
    const want = sig.argTypes[i];
    if (want === undefined) return a;
    const from = dataTypeOf(a);
    if (sameType(from, want, true)) return a;
    if (!canCast(from, want) || (from.kind === "struct" || from.kind === "array" || from.kind === "map") && from.kind !== want.kind) {
      throw new AnalysisException("DATATYPE_MISMATCH",
        `Cannot resolve "${sqlText(e)}" due to data type mismatch: parameter ${i + 1} requires ${simpleString(want)} type, however "${sqlText(a)}" is of ${simpleString(from)} type.`,
        { params: { sqlExpr: sqlText(e), paramIndex: String(i + 1), requiredType: simpleString(want), inputType: simpleString(from) } });
    }
    return castTo(a, want);
  });
  // An alias (`nvl`, `ifnull`, `<<`) keeps the name the user wrote, as Spark names the column after it.
  return { kind: "function", name, args: casted, distinct: e.distinct };
}

function wrongArgs(name: string, given: number, expected: string): AnalysisException {
  return new AnalysisException("WRONG_NUM_ARGS", `The \`${name}\` requires ${expected} parameters but the actual number is ${given}.`,
    { params: { functionName: name, expectedNum: expected, actualNum: String(given) } });
}

/** `*` or `t.*` or `structCol.*` as resolved column expressions, aliased to their names. */
export function expandStar(qualifier: readonly string[], input: readonly Attribute[]): Expression[] {
  if (qualifier.length === 0) return input.map((a, i) => bound(a, i));
  const byQualifier = input.flatMap((a, i) => (a.qualifier !== undefined && eqName(a.qualifier, qualifier.join(".")) ? [bound(a, i)] : []));
  if (byQualifier.length > 0) return byQualifier;
  const target = resolveColumn(qualifier, input);
  const t = dataTypeOf(target);
  if (t.kind !== "struct") {
    throw new AnalysisException("DATATYPE_MISMATCH", `Can only star expand struct data types. Attribute: \`${qualifier.join(".")}\` is ${simpleString(t)}.`, { params: { name: qualifier.join(".") } });
  }
  return t.fields.map((f, i) => Expr.alias(Expr.extract(target, Expr.literal(i, IntegerType)), f.name));
}
