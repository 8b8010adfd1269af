/** fast-check arbitraries of Spark SQL expression text over the fuzz table's columns: grammar-generated, mutated, random, deep. */
import fc from "fast-check";

const COLUMNS = ["a", "b", "l", "s", "x", "arr", "m", "st", "st.x", "j", "d", "`a`", "nope"];
const FUNCTIONS = ["abs", "negative", "positive", "pmod", "mod", "try_add", "try_subtract", "try_multiply", "try_divide", "try_mod",
  "element_at", "try_element_at", "get", "elt", "sequence", "shiftleft", "shiftright", "shiftrightunsigned", "size", "array",
  "map", "struct", "named_struct", "coalesce", "nvl", "if", "upper", "lower", "concat", "length", "substring", "round", "floor",
  "ceil", "sqrt", "greatest", "least", "from_json", "to_json", "get_json_object", "array_contains", "sort_array", "array_distinct",
  "map_keys", "map_values", "cast", "date_add", "year", "current_date", "isnull", "nullif", "factorial", "nosuchfn", "explode", "json_tuple",
  "from_csv", "to_csv", "concat_ws", "array_join", "bround", "log", "pow", "atan2", "md5", "base64", "trim", "left", "instr", "cardinality"];
const OPERATORS = ["+", "-", "*", "/", "%", "div", "=", "==", "!=", "<>", "<", "<=", ">", ">=", "<=>", "AND", "OR", "&", "|", "^", "||",
  "<<", ">>", ">>>"];
const LITERALS = ["0", "1", "-1", "2147483647", "-2147483648", "9223372036854775807", "-9223372036854775808L", "1.5", "1e308", "2.0D",
  "0.1F", "10L", "3S", "4Y", "12.50BD", "NULL", "true", "false", "'x'", "''", "'{\"a\": 1}'", "'[1, 2]'", "'$.a'", "'a INT'",
  "DATE '2020-01-01'", "TIMESTAMP '2020-01-01 00:00:00'", "X'0A'", "INTERVAL 1 DAY", "array(1, 2, 3)", "map('k', 1)", "-0.0"];
const TYPES = ["INT", "BIGINT", "STRING", "DOUBLE", "DECIMAL(10,2)", "BOOLEAN", "DATE", "TIMESTAMP", "ARRAY<INT>", "MAP<STRING, INT>",
  "STRUCT<x: INT>", "BINARY", "TINYINT", "NOPE"];

export const { expr } = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof({ depthSize: "small", withCrossShrink: true },
    fc.constantFrom(...COLUMNS),
    fc.constantFrom(...LITERALS),
    fc.tuple(tie("expr"), fc.constantFrom(...OPERATORS), tie("expr")).map(([l, op, r]) => `${l} ${op} ${r}`),
    tie("expr").map((e) => `(${e})`),
    fc.tuple(fc.constantFrom("-", "NOT ", "~", "+"), tie("expr")).map(([op, e]) => `${op}${e}`),
    fc.tuple(fc.constantFrom(...FUNCTIONS), fc.array(tie("expr"), { maxLength: 4 })).map(([f, args]) => `${f}(${args.join(", ")})`),
    fc.tuple(tie("expr"), fc.constantFrom(...TYPES)).map(([e, t]) => `CAST(${e} AS ${t})`),
    fc.tuple(tie("expr"), tie("expr"), tie("expr")).map(([c, a, b]) => `CASE WHEN ${c} THEN ${a} ELSE ${b} END`),
    fc.tuple(tie("expr"), tie("expr")).map(([e, i]) => `${e}[${i}]`),
    fc.tuple(tie("expr"), tie("expr"), tie("expr")).map(([e, lo, hi]) => `${e} BETWEEN ${lo} AND ${hi}`),
    fc.tuple(tie("expr"), fc.array(tie("expr"), { minLength: 1, maxLength: 3 })).map(([e, l]) => `${e} IN (${l.join(", ")})`),
    fc.tuple(tie("expr"), fc.constantFrom("IS NULL", "IS NOT NULL", "LIKE 'a%'", "IS TRUE")).map(([e, p]) => `${e} ${p}`),
  ),
}));

const ALPHABET = "abcdefxyz0123456789 ()[]{}.,'\"`+-*/%<>=!&|^~:;$#@\\\n\t_AS";
/** A valid text with a few characters inserted, deleted or replaced. */
export const mutated = fc.tuple(expr, fc.array(fc.tuple(fc.nat(), fc.constantFrom("insert", "delete", "replace"), fc.constantFrom(...ALPHABET)), { minLength: 1, maxLength: 4 }))
  .map(([text, edits]) => {
    let t = text;
    for (const [pos, kind, ch] of edits) {
      const i = t.length === 0 ? 0 : pos % (t.length + 1);
      t = kind === "insert" ? t.slice(0, i) + ch + t.slice(i) : kind === "delete" ? t.slice(0, i) + t.slice(i + 1) : t.slice(0, i) + ch + t.slice(i + 1);
    }
    return t;
  });
export const randomText = fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 40 });
export const deep = fc.tuple(fc.integer({ min: 100, max: 3000 }), fc.constantFrom("(", "abs(", "- ", "NOT ", "array(", "a + ")).map(([n, open]) =>
  open === "a + " ? `${open.repeat(n)}a` : open === "- " || open === "NOT " ? `${open.repeat(n)}a` : `${open.repeat(n)}a${")".repeat(n)}`);

