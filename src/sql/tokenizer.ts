/** Splits SQL text into tokens; string escapes and backquoted identifiers are decoded here. */
import { ParseException } from "../errors/sluice-error.js";
import type { Token } from "./token.js";

const OPERATORS = [">>>", "<=>", "<<", ">>", "<>", "!=", "<=", ">=", "==", "||", "::", "=", "<", ">", "+", "-", "*", "/", "%", "&", "|", "^", "~",
  "(", ")", "[", "]", ",", ".", ":", ";", "!"];

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", "0": "\0", Z: "\x1a", "\\": "\\", "'": "'", '"': '"', "%": "\\%", _: "\\_" };

function isIdentStart(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_" || c > "\x7f";
}
function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") { i++; continue; }
    if (c === "-" && text[i + 1] === "-") { while (i < n && text[i] !== "\n") i++; continue; }
    if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) throw new ParseException("Unclosed comment", text, i);
      i = end + 2; continue;
    }
    const start = i;
    if (isDigit(c) || (c === "." && isDigit(text[i + 1] ?? ""))) {
      while (i < n && isDigit(text[i]!)) i++;
      if (text[i] === "." && !isIdentStart(text[i + 1] ?? "")) { i++; while (i < n && isDigit(text[i]!)) i++; }
      if ((text[i] === "e" || text[i] === "E") && (isDigit(text[i + 1] ?? "") || ((text[i + 1] === "-" || text[i + 1] === "+") && isDigit(text[i + 2] ?? "")))) {
        i += 2; while (i < n && isDigit(text[i]!)) i++;
      }
      // Type suffixes: 10L, 1S, 1Y, 1.5D, 1.5F, 1.5BD
      const rest = text.slice(i, i + 2).toUpperCase();
      if (rest === "BD") i += 2;
      else if (/^[LSYDF]/.test(rest) && !isIdentStart(text[i + 1] ?? "") && !isDigit(text[i + 1] ?? "")) i += 1;
      if (isIdentStart(text[i] ?? "")) {
        // `1a` is an identifier in Spark only when quoted; treat digits followed by letters as an identifier.
        while (i < n && (isIdentStart(text[i]!) || isDigit(text[i]!))) i++;
        tokens.push({ kind: "ident", text: text.slice(start, i), pos: start });
      } else {
        tokens.push({ kind: "number", text: text.slice(start, i), pos: start });
      }
      continue;
    }
    if (isIdentStart(c)) {
      while (i < n && (isIdentStart(text[i]!) || isDigit(text[i]!))) i++;
      tokens.push({ kind: "ident", text: text.slice(start, i), pos: start });
      continue;
    }
    if (c === "`") {
      let out = "";
      i++;
      for (;;) {
        if (i >= n) throw new ParseException("Unclosed backquoted identifier", text, start);
        if (text[i] === "`") {
          if (text[i + 1] === "`") { out += "`"; i += 2; continue; }
          i++; break;
        }
        out += text[i++];
      }
      tokens.push({ kind: "quotedIdent", text: out, pos: start });
      continue;
    }
    if (c === "'" || c === '"') {
      let out = "";
      i++;
      for (;;) {
        if (i >= n) throw new ParseException("Unclosed string literal", text, start);
        const d = text[i]!;
        if (d === "\\" && i + 1 < n) {
          const e = text[i + 1]!;
          out += ESCAPES[e] ?? e;
          i += 2; continue;
        }
        if (d === c) {
          if (text[i + 1] === c) { out += c; i += 2; continue; }
          i++; break;
        }
        out += d; i++;
      }
      // Adjacent string literals concatenate: 'a' 'b' = 'ab'.
      const prev = tokens[tokens.length - 1];
      if (prev?.kind === "string" && prev.pos >= 0 && text.slice(prev.pos, start).trim().length > 0 && /['"]\s*$/.test(text.slice(prev.pos, start))) {
        tokens[tokens.length - 1] = { kind: "string", text: prev.text + out, pos: prev.pos };
      } else {
        tokens.push({ kind: "string", text: out, pos: start });
      }
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op === undefined) throw new ParseException(`Unexpected character '${c}'`, text, i);
    tokens.push({ kind: "op", text: op, pos: i });
    i += op.length;
  }
  tokens.push({ kind: "eof", text: "", pos: n });
  return tokens;
}
