/**
 * Recursive-descent parser for Spark SQL expressions and DDL types, following Spark's precedence:
 * OR < AND < NOT < predicates (IS/BETWEEN/IN/LIKE) < comparison < | < ^ < & < + - || < * / % DIV < unary < postfix.
 */
import { MAX_PRECISION, textToUnscaled } from "../types/decimal.js";
import { ParseException, SluiceError } from "../errors/sluice-error.js";
import { Expr, children, type BinaryOperator, type Expression } from "../expressions/expression.js";
import { addIntervals, intervalOf, intervalUnit, parseInterval, type CalendarInterval } from "../types/calendar-interval.js";
import {
  BinaryType, BooleanType, ByteType, CalendarIntervalType, DateType, DoubleType, FloatType, IntegerType, LongType, NullType,
  ShortType, StringType, TimestampNTZType, TimestampType, arrayType, decimalType, mapType, structField, structType,
  type DataType, type StructField, type StructType,
} from "../types/data-type.js";
import { TIMESTAMP_LITERAL_FUNCTION, parseDateLiteral, parseTimestampLiteral, parseTimestampNtzLiteral } from "../types/datetime.js";
import type { Token } from "./token.js";
import { tokenize } from "./tokenizer.js";

const COMPARISON: Record<string, BinaryOperator> = { "=": "=", "==": "=", "<>": "!=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=", "<=>": "<=>" };

/** Words that end an expression and therefore cannot be an implicit alias. */
const RESERVED_AFTER_EXPR = new Set(["from", "where", "group", "order", "having", "limit", "and", "or", "not", "as", "is",
  "in", "between", "like", "ilike", "rlike", "regexp", "when", "then", "else", "end", "asc", "desc", "nulls", "on", "join",
  "inner", "left", "right", "full", "cross", "union", "by", "outer", "semi", "anti", "using", "escape", "distinct", "all"]);

export class SqlParser {
  private readonly tokens: Token[];
  private i = 0;

  constructor(readonly text: string) {
    this.tokens = tokenize(text);
  }

  // ---- token helpers -------------------------------------------------------------------------
  peek(offset = 0): Token { return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!; }
  next(): Token { const t = this.peek(); if (this.i < this.tokens.length - 1) this.i++; return t; }
  get position(): number { return this.i; }
  reset(position: number): void { this.i = position; }
  fail(message: string, token: Token = this.peek()): never {
    throw new ParseException(message, this.text, token.pos);
  }
  isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === "ident" && t.text.toLowerCase() === word;
  }
  acceptKeyword(...words: string[]): boolean {
    if (words.every((w, k) => this.isKeyword(w, k))) { this.i += words.length; return true; }
    return false;
  }
  expectKeyword(word: string): void {
    if (!this.acceptKeyword(word)) this.fail(`Syntax error at or near ${this.describe(this.peek())}: expected '${word.toUpperCase()}'`);
  }
  isOp(op: string, offset = 0): boolean { const t = this.peek(offset); return t.kind === "op" && t.text === op; }
  acceptOp(op: string): boolean { if (this.isOp(op)) { this.i++; return true; } return false; }
  expectOp(op: string): void {
    if (!this.acceptOp(op)) this.fail(`Syntax error at or near ${this.describe(this.peek())}: expected '${op}'`);
  }
  expectEnd(): void {
    if (this.peek().kind !== "eof") this.fail(`Syntax error at or near ${this.describe(this.peek())}: extra input`);
  }
  describe(t: Token): string { return t.kind === "eof" ? "end of input" : `'${t.kind === "string" ? `'${t.text}'` : t.text}'`; }
  identifier(what = "identifier"): string {
    const t = this.peek();
    if (t.kind === "ident" || t.kind === "quotedIdent") { this.i++; return t.text; }
    return this.fail(`Syntax error at or near ${this.describe(t)}: expected ${what}`);
  }
  /** `a.b.c` as parts. */
  multipartIdentifier(): string[] {
    const parts = [this.identifier()];
    while (this.isOp(".") && (this.peek(1).kind === "ident" || this.peek(1).kind === "quotedIdent")) { this.i++; parts.push(this.identifier()); }
    return parts;
  }

  // ---- expressions ---------------------------------------------------------------------------
  /** `expr [AS] alias` as used by `selectExpr` and SELECT lists. */
  namedExpression(): Expression {
    const e = this.expression();
    if (this.acceptKeyword("as")) {
      if (this.isOp("(")) {
        this.i++;
        const names = [this.identifier()];
        while (this.acceptOp(",")) names.push(this.identifier());
        this.expectOp(")");
        return Expr.fn("__multialias", [e, ...names.map((n) => Expr.literal(n, StringType))]);
      }
      return Expr.alias(e, this.identifier("alias"));
    }
    const t = this.peek();
    if ((t.kind === "ident" && !RESERVED_AFTER_EXPR.has(t.text.toLowerCase())) || t.kind === "quotedIdent") {
      this.i++;
      return Expr.alias(e, t.text);
    }
    return e;
  }

  /**
   * An expression; nesting deeper than MAX_EXPRESSION_DEPTH (parentheses, unary chains, function arguments, or a long
   * chain of binary operators, which nests as deep as it is long) is a PARSE_SYNTAX_ERROR, never a stack overflow.
   */
  expression(): Expression {
    const start = this.peek();
    // A nested expression (parentheses, an argument) costs the parser about three times the stack of a unary level.
    this.depth += EXPRESSION_COST;
    if (this.depth > MAX_EXPRESSION_DEPTH) this.fail(`The expression is nested too deeply (more than ${MAX_EXPRESSION_DEPTH} levels)`);
    try {
      const e = this.orExpr();
      if (this.depth === EXPRESSION_COST && treeDepthExceeds(e, MAX_EXPRESSION_DEPTH)) {
        this.fail(`The expression is nested too deeply (more than ${MAX_EXPRESSION_DEPTH} levels)`, start);
      }
      return e;
    } finally {
      this.depth -= EXPRESSION_COST;
    }
  }
  private depth = 0;
  private nest<T>(f: () => T): T {
    if (++this.depth > MAX_EXPRESSION_DEPTH) this.fail(`The expression is nested too deeply (more than ${MAX_EXPRESSION_DEPTH} levels)`);
    try { return f(); } finally { this.depth--; }
  }

  private orExpr(): Expression {
    let left = this.andExpr();
    while (this.acceptKeyword("or")) left = Expr.binary("or", left, this.andExpr());
    return left;
  }
  private andExpr(): Expression {
    let left = this.notExpr();
    while (this.acceptKeyword("and")) left = Expr.binary("and", left, this.notExpr());
    return left;
  }
  private notExpr(): Expression {
    if (this.acceptKeyword("not") || (this.isOp("!") && this.next())) return Expr.unary("not", this.nest(() => this.notExpr()));
    return this.predicate();
  }
  private predicate(): Expression {
    const e = this.comparison();
    for (;;) {
      if (this.acceptKeyword("is")) {
        const negate = this.acceptKeyword("not");
        let p: Expression;
        if (this.acceptKeyword("null")) return Expr.unary(negate ? "isNotNull" : "isNull", e);
        else if (this.acceptKeyword("true")) p = Expr.binary("<=>", e, Expr.literal(true, BooleanType));
        else if (this.acceptKeyword("false")) p = Expr.binary("<=>", e, Expr.literal(false, BooleanType));
        else if (this.acceptKeyword("distinct")) {
          // IS DISTINCT FROM is NOT (a <=> b); IS NOT DISTINCT FROM is (a <=> b), as Spark's parser builds them.
          this.expectKeyword("from");
          const eq = Expr.binary("<=>", e, this.comparison());
          return negate ? eq : Expr.unary("not", eq);
        }
        else return this.fail(`Syntax error at or near ${this.describe(this.peek())}: expected NULL, TRUE, FALSE or DISTINCT FROM after IS`);
        return negate ? Expr.unary("not", p) : p;
      }
      const save = this.i;
      const negate = this.acceptKeyword("not");
      if (this.acceptKeyword("between")) {
        const lo = this.comparison();
        this.expectKeyword("and");
        const hi = this.comparison();
        const p = Expr.fn("between", [e, lo, hi]);
        return negate ? Expr.unary("not", p) : p;
      }
      if (this.acceptKeyword("in")) {
        this.expectOp("(");
        const list = [this.expression()];
        while (this.acceptOp(",")) list.push(this.expression());
        this.expectOp(")");
        const p: Expression = { kind: "in", child: e, list };
        return negate ? Expr.unary("not", p) : p;
      }
      const likeOp = this.acceptKeyword("like") ? "like" : this.acceptKeyword("ilike") ? "ilike"
        : (this.acceptKeyword("rlike") || this.acceptKeyword("regexp")) ? "rlike" : undefined;
      if (likeOp !== undefined) {
        const pattern = this.comparison();
        let escape = "\\";
        if (this.acceptKeyword("escape")) {
          const t = this.next();
          if (t.kind !== "string" || t.text.length !== 1) this.fail("ESCAPE needs a one-character string", t);
          escape = t.text;
        }
        const p: Expression = { kind: "like", op: likeOp, child: e, pattern, escape };
        return negate ? Expr.unary("not", p) : p;
      }
      this.i = save;
      return e;
    }
  }
  private comparison(): Expression {
    let left = this.bitOr();
    for (;;) {
      const t = this.peek();
      const op = t.kind === "op" ? COMPARISON[t.text] : undefined;
      if (op === undefined) return left;
      this.i++;
      left = Expr.binary(op, left, this.bitOr());
    }
  }
  private bitOr(): Expression {
    let left = this.bitXor();
    while (this.isOp("|")) { this.i++; left = Expr.binary("|", left, this.bitXor()); }
    return left;
  }
  private bitXor(): Expression {
    let left = this.bitAnd();
    while (this.isOp("^")) { this.i++; left = Expr.binary("^", left, this.bitAnd()); }
    return left;
  }
  private bitAnd(): Expression {
    let left = this.shift();
    while (this.isOp("&")) { this.i++; left = Expr.binary("&", left, this.shift()); }
    return left;
  }
  /** `<<`, `>>`, `>>>` (between `+ -` and `&`, as Spark's grammar); the functions keep the operator for the name. */
  private shift(): Expression {
    let left = this.additive();
    while (this.isOp("<<") || this.isOp(">>") || this.isOp(">>>")) {
      const op = this.next().text;
      left = Expr.fn(op, [left, this.additive()]);
    }
    return left;
  }
  private additive(): Expression {
    let left = this.multiplicative();
    for (;;) {
      if (this.isOp("+") || this.isOp("-") || this.isOp("||")) {
        const op = this.next().text as BinaryOperator;
        left = Expr.binary(op, left, this.multiplicative());
      } else return left;
    }
  }
  private multiplicative(): Expression {
    let left = this.unaryExpr();
    for (;;) {
      if (this.isOp("*") || this.isOp("/") || this.isOp("%")) {
        const op = this.next().text as BinaryOperator;
        left = Expr.binary(op, left, this.unaryExpr());
      } else if (this.isKeyword("div")) {
        this.i++;
        left = Expr.binary("div", left, this.unaryExpr());
      } else return left;
    }
  }
  private unaryExpr(): Expression {
    if (this.isOp("-") && this.peek(1).kind === "number") {
      // A signed number is one literal, as in Spark's grammar: `-2147483648` is an INT, `-9223372036854775808L` a BIGINT.
      this.i++;
      const t = this.next();
      return this.postfix(numberLiteral(t, this, true));
    }
    if (this.acceptOp("-")) {
      const inner = this.nest(() => this.unaryExpr());
      if (inner.kind === "literal" && typeof inner.value === "number") return Expr.literal(-inner.value, inner.dataType);
      if (inner.kind === "literal" && typeof inner.value === "bigint") return Expr.literal(inner.dataType.kind === "decimal" ? -inner.value : narrowLong(-inner.value), inner.dataType);
      if (inner.kind === "literal" && inner.dataType.kind === "interval") {
        const iv = inner.value as CalendarInterval;
        return Expr.literal({ months: -iv.months, days: -iv.days, micros: -iv.micros }, CalendarIntervalType);
      }
      return Expr.unary("negate", inner);
    }
    if (this.acceptOp("+")) return Expr.unary("positive", this.nest(() => this.unaryExpr()));
    if (this.acceptOp("~")) return Expr.unary("bitnot", this.nest(() => this.unaryExpr()));
    return this.postfix(this.primary());
  }
  private postfix(e: Expression): Expression {
    for (;;) {
      if (this.isOp(".")) {
        const t = this.peek(1);
        if (t.kind === "op" && t.text === "*") { this.i += 2; return Expr.star(starQualifier(e, this, t)); }
        this.i++;
        const name = this.identifier("field name");
        e = e.kind === "column" ? Expr.column(...e.nameParts, name) : Expr.extract(e, Expr.literal(name, StringType));
      } else if (this.acceptOp("[")) {
        const key = this.expression();
        this.expectOp("]");
        e = Expr.extract(e, key);
      } else if (this.acceptOp("::")) {
        e = Expr.cast(e, this.dataType());
      } else return e;
    }
  }
  private primary(): Expression {
    const t = this.peek();
    switch (t.kind) {
      case "number": this.i++; return numberLiteral(t, this);
      case "string": this.i++; return Expr.literal(t.text, StringType);
      case "quotedIdent": this.i++; return this.afterIdentifier(t);
      case "op":
        if (t.text === "(") {
          this.i++;
          const e = this.expression();
          if (this.isOp(",")) {
            const items = [e];
            while (this.acceptOp(",")) items.push(this.expression());
            this.expectOp(")");
            return Expr.fn("struct", items);
          }
          this.expectOp(")");
          return e;
        }
        if (t.text === "*") { this.i++; return Expr.star(); }
        return this.fail(`Syntax error at or near ${this.describe(t)}`);
      case "eof": return this.fail("Syntax error at end of input: expected an expression");
      case "ident": break;
    }
    const word = t.text.toLowerCase();
    const nextIsString = this.peek(1).kind === "string";
    switch (word) {
      case "null": this.i++; return Expr.literal(null, NullType);
      case "true": this.i++; return Expr.literal(true, BooleanType);
      case "false": this.i++; return Expr.literal(false, BooleanType);
      case "cast": case "try_cast":
        if (this.isOp("(", 1)) {
          this.i += 2;
          const child = this.expression();
          this.expectKeyword("as");
          const to = this.dataType();
          this.expectOp(")");
          return Expr.cast(child, to, word === "try_cast" ? "try" : "cast");
        }
        break;
      case "extract":
        // EXTRACT(field FROM source): Spark's date_part.
        if (this.isOp("(", 1) && this.peek(2).kind === "ident" && this.peek(3).kind === "ident" && this.peek(3).text.toLowerCase() === "from") {
          const field = this.peek(2).text;
          this.i += 4;
          const source = this.expression();
          this.expectOp(")");
          return Expr.fn("extract", [Expr.literal(field, StringType), source]);
        }
        break;
      case "case": if (!this.isOp(".", 1)) { this.i++; return this.caseExpr(); } break;
      case "interval": if (!this.isOp(".", 1) && !this.isOp("(", 1)) { this.i++; return this.intervalLiteral(); } break;
      case "date": case "timestamp": case "timestamp_ntz": case "timestamp_ltz":
        if (nextIsString) {
          this.i++;
          const s = this.next();
          try {
            if (word === "date") return Expr.literal(parseDateLiteral(s.text), DateType);
            if (word === "timestamp_ntz") return Expr.literal(parseTimestampNtzLiteral(s.text), TimestampNTZType);
            // A TIMESTAMP literal is read in the session time zone, so it is resolved when the query runs.
            parseTimestampLiteral(s.text, "UTC");
            return Expr.fn(TIMESTAMP_LITERAL_FUNCTION, [Expr.literal(s.text, StringType)]);
          } catch (err) {
            throw new ParseException(`The value of the typed literal ${word.toUpperCase()} is invalid: '${s.text}'`, this.text, s.pos, err, "INVALID_TYPED_LITERAL");
          }
        }
        break;
      case "x":
        if (nextIsString) {
          this.i++;
          const s = this.next();
          if (!/^([0-9a-fA-F]{2})*$/.test(s.text)) this.fail("Invalid hexadecimal binary literal", s);
          return Expr.literal(Uint8Array.from(Buffer.from(s.text, "hex")), BinaryType);
        }
        break;
    }
    this.i++;
    return this.afterIdentifier(t);
  }
  private afterIdentifier(t: Token): Expression {
    if (t.kind === "ident" && this.isOp("(")) {
      this.i++;
      const name = t.text.toLowerCase();
      if (this.acceptOp(")")) return Expr.fn(name, []);
      if (this.isOp("*") && this.isOp(")", 1)) { this.i += 2; return Expr.fn(name, [Expr.star()]); }
      const distinct = this.acceptKeyword("distinct");
      if (!distinct) this.acceptKeyword("all");
      const args = [this.expression()];
      while (this.acceptOp(",")) args.push(this.expression());
      this.expectOp(")");
      return Expr.fn(name, args, distinct);
    }
    return Expr.column(t.text);
  }
  private caseExpr(): Expression {
    const subject = this.isKeyword("when") ? null : this.expression();
    const branches: [Expression, Expression][] = [];
    while (this.acceptKeyword("when")) {
      const cond = this.expression();
      this.expectKeyword("then");
      const value = this.expression();
      branches.push([subject === null ? cond : Expr.binary("=", subject, cond), value]);
    }
    if (branches.length === 0) this.fail(`Syntax error at or near ${this.describe(this.peek())}: expected WHEN`);
    const otherwise = this.acceptKeyword("else") ? this.expression() : null;
    this.expectKeyword("end");
    return { kind: "case", branches, otherwise };
  }
  /** `interval 15 minute`, `interval '15 minutes'`, `interval 1 hour 30 minutes`, `INTERVAL '1' DAY`. */
  private intervalLiteral(): Expression {
    const start = this.peek();
    let acc: CalendarInterval | undefined;
    for (;;) {
      const t = this.peek();
      let amount: number | undefined;
      let text: string | undefined;
      if (t.kind === "number") amount = Number(t.text.replace(/[LSYDF]$|BD$/i, ""));
      else if (t.kind === "op" && t.text === "-" && this.peek(1).kind === "number") { this.i++; amount = -Number(this.peek().text); }
      else if (t.kind === "string") text = t.text;
      else break;
      this.i++;
      const unitTok = this.peek();
      const unit = unitTok.kind === "ident" ? intervalUnit(unitTok.text) : undefined;
      let part: CalendarInterval | undefined;
      if (unit !== undefined) {
        this.i++;
        const n = amount ?? Number(text);
        part = Number.isFinite(n) ? intervalOf(n, unit) : undefined;
      } else if (text !== undefined) {
        part = parseInterval(text);
      }
      if (part === undefined) this.fail(`Cannot parse the INTERVAL value: ${this.text.slice(t.pos, unitTok.pos + unitTok.text.length)}`, t);
      acc = acc === undefined ? part : addIntervals(acc, part);
    }
    if (acc === undefined) this.fail("Syntax error: INTERVAL needs a value and a unit, as in interval 15 minutes", start);
    return Expr.literal(acc, CalendarIntervalType);
  }

  /** The `>` closing `array<...>`; a `>>` or `>>>` token (nested types) is consumed one `>` at a time. */
  private expectCloseAngle(): void {
    const t = this.peek();
    if (t.kind === "op" && (t.text === ">>" || t.text === ">>>")) {
      this.tokens[this.i] = { kind: "op", text: t.text.slice(1), pos: t.pos + 1 };
      return;
    }
    this.expectOp(">");
  }

  // ---- data types ----------------------------------------------------------------------------
  dataType(): DataType {
    return this.nest(() => this.dataTypeInner());
  }
  private dataTypeInner(): DataType {
    const t = this.peek();
    const word = this.identifier("data type").toLowerCase();
    switch (word) {
      case "string": case "varchar": case "char": case "text":
        if (this.acceptOp("(")) { this.next(); this.expectOp(")"); }
        return StringType;
      case "int": case "integer": return IntegerType;
      case "bigint": case "long": return LongType;
      case "smallint": case "short": return ShortType;
      case "tinyint": case "byte": return ByteType;
      case "double": return DoubleType;
      case "float": case "real": return FloatType;
      case "boolean": case "bool": return BooleanType;
      case "date": return DateType;
      case "timestamp": case "timestamp_ltz": return TimestampType;
      case "timestamp_ntz": return TimestampNTZType;
      case "binary": return BinaryType;
      case "void": return NullType;
      case "interval": return CalendarIntervalType;
      case "decimal": case "dec": case "numeric": {
        if (!this.acceptOp("(")) return decimalType(10, 0);
        const p = Number(this.next().text);
        const s = this.acceptOp(",") ? Number(this.next().text) : 0;
        this.expectOp(")");
        if (!(p >= 1 && p <= 38 && s >= 0 && s <= p)) this.fail(`Invalid decimal precision/scale (${p},${s})`, t);
        return decimalType(p, s);
      }
      case "array": {
        this.expectOp("<");
        const el = this.dataType();
        this.expectCloseAngle();
        return arrayType(el, true);
      }
      case "map": {
        this.expectOp("<");
        const k = this.dataType();
        this.expectOp(",");
        const v = this.dataType();
        this.expectCloseAngle();
        return mapType(k, v, true);
      }
      case "struct": {
        this.expectOp("<");
        const fields: StructField[] = [];
        if (!this.isOp(">")) {
          do {
            const name = this.identifier("field name");
            this.acceptOp(":");
            fields.push(this.columnDefinition(name));
          } while (this.acceptOp(","));
        }
        this.expectCloseAngle();
        return structType(fields);
      }
      default:
        return this.fail(`Unsupported data type '${word}'`, t);
    }
  }
  private columnDefinition(name: string): StructField {
    const type = this.dataType();
    let nullable = true;
    let comment: string | undefined;
    for (;;) {
      if (this.acceptKeyword("not", "null")) nullable = false;
      else if (this.acceptKeyword("comment")) {
        const c = this.next();
        if (c.kind !== "string") this.fail("COMMENT needs a string literal", c);
        comment = c.text;
      } else break;
    }
    return structField(name, type, nullable, comment === undefined ? undefined : { comment });
  }
  /** `a INT, b STRUCT<c: STRING>` (the DDL form accepted wherever a schema is). */
  schema(): StructType {
    const fields: StructField[] = [];
    do {
      const name = this.identifier("column name");
      this.acceptOp(":");
      fields.push(this.columnDefinition(name));
    } while (this.acceptOp(","));
    return structType(fields);
  }
}

/** How deep an expression may nest: deep enough for any real query, shallow enough for every recursive pass. */
export const MAX_EXPRESSION_DEPTH = 500;
const EXPRESSION_COST = 3;

/** Whether `e` nests deeper than `limit` (iterative: the check itself must not overflow the stack). */
function treeDepthExceeds(e: Expression, limit: number): boolean {
  const stack: [Expression, number][] = [[e, 1]];
  while (stack.length > 0) {
    const [x, d] = stack.pop()!;
    if (d > limit) return true;
    for (const c of children(x)) stack.push([c, d + 1]);
  }
  return false;
}

function starQualifier(e: Expression, p: SqlParser, t: Token): string[] {
  if (e.kind !== "column") p.fail("'.*' may only follow a column or table name", t);
  return [...e.nameParts];
}

function narrowLong(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function numberLiteral(t: Token, p: SqlParser, negative = false): Expression {
  const raw = negative ? `-${t.text}` : t.text;
  const upper = raw.toUpperCase();
  const fail = (what: string): never => p.fail(`Numeric literal ${raw} is outside the range of ${what}`, t);
  if (upper.endsWith("BD")) {
    const digits = raw.slice(0, -2);
    const [ip = "", fp = ""] = digits.replace(/^-/, "").split(".");
    const scale = fp.length;
    const precision = Math.max(ip.replace(/^0+/, "").length + scale, 1);
    return decimalLiteral(digits, Math.max(precision, scale), scale);
  }
  const suffix = upper[upper.length - 1]!;
  const body = /[LSYDF]/.test(suffix) ? raw.slice(0, -1) : raw;
  const isIntegral = /^-?\d+$/.test(body);
  switch (suffix) {
    case "L": { if (!isIntegral) fail("bigint"); const v = BigInt(body); if (v > 9223372036854775807n || v < -9223372036854775808n) fail("bigint"); return Expr.literal(narrowLong(v), LongType); }
    case "S": { const v = Number(body); if (!isIntegral || v > 32767 || v < -32768) fail("smallint"); return Expr.literal(v, ShortType); }
    case "Y": { const v = Number(body); if (!isIntegral || v > 127 || v < -128) fail("tinyint"); return Expr.literal(v, ByteType); }
    case "D": return Expr.literal(Number(body), DoubleType);
    case "F": return Expr.literal(Math.fround(Number(body)), FloatType);
  }
  if (isIntegral) {
    const v = BigInt(body);
    if (v <= 2147483647n && v >= -2147483648n) return Expr.literal(Number(v), IntegerType);
    if (v <= 9223372036854775807n && v >= -9223372036854775808n) return Expr.literal(narrowLong(v), LongType);
    const digits = body.replace(/^-?0*/, "");
    return decimalLiteral(body, Math.max(digits.length, 1), 0);
  }
  if (/e/i.test(body)) return Expr.literal(Number(body), DoubleType);
  // 1.5 is a decimal literal in Spark.
  const [ip = "", fp = ""] = body.replace(/^-/, "").split(".");
  const scale = fp.length;
  const precision = Math.max(ip.replace(/^0+/, "").length + scale, scale, 1);
  return decimalLiteral(body, precision, scale);
}

/** A decimal literal holds its unscaled value exactly (`12.96` → 1296n in DECIMAL(4,2)). */
function decimalLiteral(text: string, precision: number, scale: number): Expression {
  if (precision > MAX_PRECISION) {
    throw new SluiceError("DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION", `Decimal precision ${precision} exceeds max precision ${MAX_PRECISION}.`,
      { params: { precision, maxPrecision: MAX_PRECISION } });
  }
  return Expr.literal(textToUnscaled(text, scale)!, decimalType(precision, scale));
}

/** Parses a whole expression, e.g. `F.expr("CAST(value AS STRING)")`. */
export function parseExpression(text: string): Expression {
  const p = new SqlParser(text);
  const e = p.expression();
  p.expectEnd();
  return e;
}

/** Parses `expr [AS alias]`, as `selectExpr` does. */
export function parseNamedExpression(text: string): Expression {
  const p = new SqlParser(text);
  const e = p.namedExpression();
  p.expectEnd();
  return e;
}

export function parseDataType(text: string): DataType {
  const p = new SqlParser(text);
  const t = p.dataType();
  p.expectEnd();
  return t;
}

/** Parses a DDL schema string (`"a INT, b STRING"`) or a `STRUCT<...>` type string. */
export function parseSchema(text: string): StructType {
  const p = new SqlParser(text);
  if (p.isKeyword("struct") && p.isOp("<", 1)) {
    const t = p.dataType();
    p.expectEnd();
    return t as StructType;
  }
  const s = p.schema();
  p.expectEnd();
  return s;
}
