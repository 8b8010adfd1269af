/**
 * Spark's regular expressions are Java's (java.util.regex). Sluice runs them on RE2 (the re2js engine), whose
 * matching time is linear in the input: a catastrophically backtracking pattern such as `(a+)+$` cannot hang a query.
 * Java syntax is translated to RE2's (`\uXXXX`, `\p{Alpha}`, `\h`, `\R`, Java's `.` and `$` line terminators,
 * possessive quantifiers and atomic groups as their greedy forms; lookbehind without captures is RE2JS's linear-time
 * lookbehind). Only patterns RE2 cannot express (backreferences, lookahead, captures in lookbehind, repeat counts
 * above 1000) fall back to V8's backtracking engine; they run in a thread of their own, each evaluation with a time
 * limit, so that a catastrophic one fails with REGEX_TIMEOUT where Spark would hang. Matches, replacement strings (`$1`, `${name}`, `\$`) and `split`
 * follow `java.util.regex.Matcher` and `String.split`.
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { RE2JS } from "re2js";
import { SluiceError } from "../errors/sluice-error.js";
import { replaceLoneSurrogates } from "../types/utf8-string.js";

/** A match: its bounds (UTF-16 indices, as Java's) and its groups (null when a group took no part). */
export interface RegexMatch {
  readonly start: number;
  readonly end: number;
  group(i: number): string | null;
}

/** A compiled Java pattern. */
export interface JavaPattern {
  readonly source: string;
  readonly groupCount: number;
  /** Whether some part of `s` matches (`Matcher.find`, Spark's `rlike`). */
  find(s: string): boolean;
  /** Successive matches as `Matcher.find` gives them. */
  matches(s: string): Iterable<RegexMatch>;
  /** Group names to indices. */
  readonly namedGroups: Readonly<Record<string, number>>;
}

/** Spark's error for a pattern Java rejects. */
export function invalidPattern(functionName: string, pattern: string, cause?: unknown): SluiceError {
  const why = cause instanceof Error ? cause.message : "";
  return new SluiceError("INVALID_PARAMETER_VALUE", `The value of parameter(s) \`regexp\` in \`${functionName}\` is invalid: ${why || pattern}`, {
    params: { subclass: "PATTERN", parameter: "`regexp`", functionName: `\`${functionName}\``, value: pattern }, cause,
  });
}

const POSIX: Readonly<Record<string, string>> = {
  Lower: "a-z", Upper: "A-Z", ASCII: "\\x00-\\x7F", Alpha: "A-Za-z", Digit: "0-9", Alnum: "0-9A-Za-z",
  Punct: "!-/:-@\\[-`{-~", Graph: "!-~", Print: " -~", Blank: " \\t", Cntrl: "\\x00-\\x1F\\x7F", XDigit: "0-9A-Fa-f",
  Space: " \\t\\n\\x0B\\f\\r",
};
const UNICODE_ALIASES: Readonly<Record<string, string>> = {
  javaLowerCase: "Ll", javaUpperCase: "Lu", javaDigit: "Nd", javaLetter: "L", IsAlphabetic: "L", IsLetter: "L",
  IsDigit: "Nd", IsUppercase: "Lu", IsLowercase: "Ll",
};
const LINE_TERMINATORS = "\\n\\r\\x{85}\\x{2028}\\x{2029}";
const H_SPACE = "\\t \\x{A0}\\x{1680}\\x{180E}\\x{2000}-\\x{200A}\\x{202F}\\x{205F}\\x{3000}";
const V_SPACE = "\\n\\x{0B}\\f\\r\\x{85}\\x{2028}\\x{2029}";
const JAVA_SPACE = "\\t\\n\\x{0B}\\f\\r ";

const hex = (cp: number, target: "re2" | "js"): string => (target === "re2" ? `\\x{${cp.toString(16)}}` : `\\u{${cp.toString(16)}}`);
const quote = (s: string, target: "re2" | "js"): string =>
  Array.from(s).map((ch) => (/[A-Za-z0-9_ ]/.test(ch) ? ch : hex(ch.codePointAt(0)!, target))).join("");

interface Translation { readonly source: string; readonly flags: string; readonly backtracking: boolean; readonly lookbehind: boolean }

/** Java regex syntax to RE2's (or V8's, for the fallback). */
function translate(p: string, target: "re2" | "js"): Translation {
  const globalFlags = /^\(\?([a-zA-Z]+)\)/.exec(p)?.[1] ?? "";
  const dotAll = /\(\?[a-zA-Z]*s[a-zA-Z-]*[:)]/.test(p);
  const multiline = /\(\?[a-zA-Z]*m[a-zA-Z-]*[:)]/.test(p);
  // Java's (?i) folds ASCII only unless (?u) is on too; RE2's folds Unicode, so non-ASCII literals are kept exact.
  const asciiFold = target === "re2" && /\(\?[a-zA-Z]*i[a-zA-Z-]*[:)]/.test(p) && !/\(\?[a-zA-Z]*u[a-zA-Z-]*[:)]/.test(p);
  const x = (v: string): string => (target === "re2" ? v : v.replace(/\\x\{([0-9A-Fa-f]+)\}/g, "\\u{$1}"));
  let out = "", inClass = 0, backtracking = false, lookbehind = false;
  let flags = "";
  let i = 0;
  if (target === "js" && globalFlags !== "") {
    for (const f of globalFlags) if ("ims".includes(f) && !flags.includes(f)) flags += f;
    i = globalFlags.length + 3;
  }
  while (i < p.length) {
    const c = p[i]!;
    if (c === "\\") {
      const d = p[i + 1];
      if (d === undefined) { out += "\\"; i++; continue; }
      if (d === "Q") {
        const end = p.indexOf("\\E", i + 2);
        const lit = p.slice(i + 2, end < 0 ? p.length : end);
        out += quote(lit, target);
        i = end < 0 ? p.length : end + 2;
        continue;
      }
      if (d === "u" && /^[0-9a-fA-F]{4}$/.test(p.slice(i + 2, i + 6))) {
        let cp = parseInt(p.slice(i + 2, i + 6), 16);
        i += 6;
        if (cp >= 0xd800 && cp <= 0xdbff && p.slice(i, i + 2) === "\\u" && /^[dD][c-fC-F][0-9a-fA-F]{2}$/.test(p.slice(i + 2, i + 6))) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (parseInt(p.slice(i + 2, i + 6), 16) - 0xdc00);
          i += 6;
        }
        out += hex(cp, target);
        continue;
      }
      if (d === "0") {
        const m = /^[0-3]?[0-7]{1,2}|^[0-7]/.exec(p.slice(i + 2));
        if (m !== null) { out += hex(parseInt(m[0], 8), target); i += 2 + m[0].length; continue; }
      }
      if (d === "x" && p[i + 2] === "{") {
        const end = p.indexOf("}", i + 3);
        const cp = end < 0 ? NaN : parseInt(p.slice(i + 3, end), 16);
        if (!/^[0-9a-fA-F]+$/.test(end < 0 ? "" : p.slice(i + 3, end)) || cp > 0x10ffff) throw new SyntaxError(`Illegal hexadecimal escape sequence near index ${i}`);
        out += hex(cp, target);
        i = end + 1;
        continue;
      }
      if (d === "c" && i + 2 < p.length) { out += hex(p.charCodeAt(i + 2) ^ 64, target); i += 3; continue; }
      if ((d === "p" || d === "P") && i + 2 < p.length) {
        let name: string, len: number;
        if (p[i + 2] === "{") { const end = p.indexOf("}", i + 3); name = end < 0 ? "" : p.slice(i + 3, end); len = end < 0 ? 2 : end - i + 1; }
        else { name = p[i + 2]!; len = 3; }
        const posixName = name.replace(/^Is/, ""), posix = POSIX[posixName];
        if (posix !== undefined) {
          if (inClass === 0) out += d === "p" ? `[${posix}]` : `[^${posix}]`;
          else if (d === "p") out += posix;
          else if (target === "re2") out += `[:^${posixName.toLowerCase()}:]`; // RE2's POSIX classes are Java's (ASCII)
          else throw new SyntaxError(`\\P{${name}} inside a character class is not supported here`);
          i += len;
          continue;
        }
        const alias = UNICODE_ALIASES[name] ?? (name.startsWith("Is") ? name.slice(2) : name);
        out += `\\${d}{${alias}}`;
        i += len;
        continue;
      }
      const cls = d === "h" ? H_SPACE : d === "v" ? V_SPACE : d === "s" ? JAVA_SPACE : undefined;
      if (cls !== undefined) { out += x(inClass > 0 ? cls : `[${cls}]`); i += 2; continue; }
      const neg = d === "H" ? H_SPACE : d === "V" ? V_SPACE : d === "S" ? JAVA_SPACE : undefined;
      if (neg !== undefined && inClass === 0) { out += x(`[^${neg}]`); i += 2; continue; }
      if (d === "R" && inClass === 0) { out += x(`(?:\\r\\n|[${V_SPACE}])`); i += 2; continue; }
      if (d === "Z" && inClass === 0) { out += x(`(?:(?:\\r\\n|[${LINE_TERMINATORS}])?$)`); i += 2; continue; }
      if (d === "z" && target === "js") { out += "$"; i += 2; continue; }
      if (d === "e") { out += hex(0x1b, target); i += 2; continue; }
      if (d === "a") { out += hex(0x07, target); i += 2; continue; }
      if (/[1-9k]/.test(d) && inClass === 0) backtracking = true;
      out += c + d;
      i += 2;
      continue;
    }
    if (inClass > 0) {
      if (c === "[") {
        // A nested class adds its members (Java's union); its brackets are dropped.
        if (p[i + 1] === "^") backtracking = true;
        inClass++;
        i++;
        continue;
      }
      if (c === "]") { inClass--; if (inClass > 0) { i++; continue; } }
      if (c === "&" && p[i + 1] === "&") backtracking = true;
      out += c;
      i++;
      continue;
    }
    if (c === "[") {
      inClass = 1;
      out += "[";
      i++;
      if (p[i] === "^") { out += "^"; i++; }
      if (p[i] === "]") { out += "\\]"; i++; }
      continue;
    }
    if (c === ".") { out += dotAll ? "." : x(`[^${LINE_TERMINATORS}]`); i++; continue; }
    if (c === "$" && !multiline) { out += x(`(?:(?:\\r\\n|[${LINE_TERMINATORS}])?$)`); i++; continue; }
    if (c === "(" && p[i + 1] === "?") {
      const rest = p.slice(i + 2);
      if (/^(?:=|!)/.test(rest)) { backtracking = true; out += c; i++; continue; } // lookahead: not in RE2
      if (/^(?:<=|<!)/.test(rest)) { lookbehind = true; out += `(?${rest.slice(0, 2)}`; i += 4; continue; } // RE2JS: linear-time lookbehind
      if (rest.startsWith(">")) { out += "(?:"; i += 3; continue; }
      const m = /^([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(rest);
      if (m !== null) {
        const keep = (f: string | undefined): string => [...(f ?? "")].filter((ch) => "ims".includes(ch)).join("");
        const on = keep(m[1]), off = keep(m[2]);
        if (m[3] === ")" && on === "" && off === "") { i += 2 + m[0].length; continue; }
        out += `(?${on}${off === "" ? "" : `-${off}`}${m[3]}`;
        i += 2 + m[0].length;
        continue;
      }
    }
    if ((c === "+" || c === "*" || c === "?" || c === "}") && p[i + 1] === "+") { out += c; i += 2; continue; }
    if (c === "{" && !/^\{\d+(?:,\d*)?\}/.test(p.slice(i))) throw new SyntaxError(`Illegal repetition near index ${i}`); // Java's rule; RE2 would take it literally
    const cp = p.codePointAt(i)!;
    if (asciiFold && cp > 0x7f && /\p{Cased}/u.test(String.fromCodePoint(cp))) {
      out += `(?-i:${String.fromCodePoint(cp)})`;
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    out += c;
    i++;
  }
  return { source: out, flags, backtracking, lookbehind };
}

class Re2Pattern implements JavaPattern {
  readonly groupCount: number;
  readonly namedGroups: Readonly<Record<string, number>>;
  constructor(readonly source: string, private readonly re: RE2JS) {
    this.groupCount = re.groupCount();
    this.namedGroups = re.namedGroups();
  }
  find(s: string): boolean { return this.re.test(s); }
  *matches(s: string): Iterable<RegexMatch> {
    const m = this.re.matcher(s);
    while (m.find()) {
      const start = m.start(), end = m.end(), groups: (string | null)[] = [];
      if (this.groupCount === 0) { const g0 = s.slice(start, end); yield { start, end, group: (g) => (g === 0 ? g0 : null) }; continue; }
      for (let g = 0; g <= this.groupCount; g++) groups.push(m.group(g));
      yield { start, end, group: (g) => groups[g] ?? null };
    }
  }
}

/** A pattern without metacharacters: plain substring search (Java's String.split has the same fast path). */
class LiteralPattern implements JavaPattern {
  readonly groupCount = 0;
  readonly namedGroups: Readonly<Record<string, number>> = {};
  constructor(readonly source: string) {}
  find(s: string): boolean { return s.includes(this.source); }
  *matches(s: string): Iterable<RegexMatch> {
    const lit = this.source;
    for (let i = s.indexOf(lit); i >= 0; i = s.indexOf(lit, i + lit.length)) {
      const start = i;
      yield { start, end: start + lit.length, group: (g) => (g === 0 ? lit : null) };
    }
  }
}

/** How long one evaluation of a backtracking pattern may run before it is stopped (Spark would hang). */
let backtrackingTimeLimitMs = 10_000;

/** Sets the time limit of backtracking patterns (tests); returns the previous one. */
export function setBacktrackingTimeLimit(ms: number): number {
  const old = backtrackingTimeLimitMs;
  backtrackingTimeLimitMs = ms;
  return old;
}

/** The thread that runs backtracking patterns; started on first use, replaced after a pattern ran past the limit. */
class BacktrackingThread {
  private static current: BacktrackingThread | undefined;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(new URL("./backtracking-regex-worker.js", import.meta.url), { workerData: { port: port2, flag: this.flag }, transferList: [port2] });
    this.worker.unref();
    this.port.unref();
  }
  static call(pattern: BacktrackingPattern, input: string, all: boolean): unknown {
    const t = (BacktrackingThread.current ??= new BacktrackingThread());
    Atomics.store(t.flag, 0, 0);
    t.port.postMessage({ source: pattern.re.source, flags: pattern.re.flags, input, all });
    if (Atomics.wait(t.flag, 0, 0, backtrackingTimeLimitMs) === "timed-out") {
      BacktrackingThread.current = undefined;
      void t.worker.terminate();
      throw new SluiceError("REGEX_TIMEOUT", `The regular expression '${pattern.source}' ran longer than ${backtrackingTimeLimitMs} ms on one value and was stopped; it needs backtracking (backreferences or lookahead), which can take exponential time`, {
        params: { pattern: pattern.source, timeoutMs: String(backtrackingTimeLimitMs) },
      });
    }
    const r = receiveMessageOnPort(t.port)?.message as { found?: boolean; matches?: [number, number, (string | null)[]][]; error?: string } | undefined;
    if (r === undefined || r.error !== undefined) throw new SluiceError("INTERNAL_ERROR", `backtracking regex thread failed: ${r?.error ?? "no answer"}`);
    return r;
  }
}

/**
 * Patterns RE2 cannot express run on V8's backtracking engine in a thread of their own, each evaluation with a time
 * limit, so that a catastrophic one ends with an error instead of hanging the query.
 */
class BacktrackingPattern implements JavaPattern {
  readonly groupCount: number;
  readonly namedGroups: Readonly<Record<string, number>>;
  constructor(readonly source: string, readonly re: RegExp) {
    this.groupCount = new RegExp(`${re.source}|`, re.flags).exec("")!.length - 1;
    const names: Record<string, number> = {};
    let k = 0;
    for (const m of re.source.matchAll(/\\.|\((\?<([A-Za-z][A-Za-z0-9]*)>|\?)?/g)) {
      if (m[0].startsWith("\\") || m[1] === "?") continue;
      k++;
      if (m[2] !== undefined) names[m[2]] = k;
    }
    this.namedGroups = names;
  }
  find(s: string): boolean { return (BacktrackingThread.call(this, s, false) as { found: boolean }).found; }
  *matches(s: string): Iterable<RegexMatch> {
    const { matches } = BacktrackingThread.call(this, s, true) as { matches: [number, number, (string | null)[]][] };
    for (const [start, end, groups] of matches) yield { start, end, group: (i) => groups[i] ?? null };
  }
}

/**
 * Successive matches as Java's `Matcher.find` gives them: after an empty match Java moves on by one UTF-16 unit, so
 * an empty match before a character outside the BMP is followed by one between its two surrogates (Spark then
 * stores each lone surrogate as '?'). The engines move on by code points; the match between is added here.
 */
export function* javaMatches(p: JavaPattern, s: string): Iterable<RegexMatch> {
  for (const m of p.matches(s)) {
    yield m;
    const c = s.charCodeAt(m.end);
    if (m.start === m.end && c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(m.end + 1) & 0xfc00) === 0xdc00) {
      const at = m.end + 1;
      yield { start: at, end: at, group: (i) => (m.group(i) === "" ? "" : null) };
    }
  }
}

/** Compiles a Java pattern; an invalid one fails with Spark's `INVALID_PARAMETER_VALUE.PATTERN`. */
export function compileJavaRegex(pattern: string, functionName: string): JavaPattern {
  if (pattern.length > 0 && !/[\\.[\]{}()*+?^$|]/.test(pattern)) return new LiteralPattern(pattern);
  let t: Translation;
  try { t = translate(pattern, "re2"); } catch (e) { throw invalidPattern(functionName, pattern, e); }
  let re2Error: unknown;
  if (!t.backtracking) {
    try { return new Re2Pattern(pattern, RE2JS.compile(t.source, t.lookbehind ? RE2JS.LOOKBEHINDS : 0)); } catch (e) { re2Error = e; }
  }
  try {
    const j = translate(pattern, "js");
    return new BacktrackingPattern(pattern, new RegExp(j.source, `${j.flags}u`));
  } catch (e) {
    throw invalidPattern(functionName, pattern, re2Error ?? e);
  }
}

/** Java's `Matcher.appendReplacement` text for one match: `$n` (longest group number that exists), `${name}`, `\x`. */
function expandReplacement(rep: string, m: RegexMatch, p: JavaPattern, functionName: string): string {
  let out = "";
  for (let i = 0; i < rep.length; i++) {
    const c = rep[i]!;
    if (c === "\\") {
      if (i + 1 >= rep.length) throw badReplacement(functionName, rep, "character to be escaped is missing");
      out += rep[++i];
    } else if (c === "$") {
      if (i + 1 >= rep.length) throw badReplacement(functionName, rep, "Illegal group reference: group index is missing");
      let g: number;
      if (rep[i + 1] === "{") {
        const end = rep.indexOf("}", i + 2);
        const name = end < 0 ? "" : rep.slice(i + 2, end);
        if (end < 0 || !/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw badReplacement(functionName, rep, "named capturing group is missing trailing '}'");
        const k = p.namedGroups[name];
        if (k === undefined) throw badReplacement(functionName, rep, `No group with name {${name}}`);
        g = k;
        i = end;
      } else {
        const d = rep.charCodeAt(i + 1) - 48;
        if (d < 0 || d > 9) throw badReplacement(functionName, rep, "Illegal group reference");
        g = d;
        i++;
        if (g > p.groupCount) throw badReplacement(functionName, rep, `No group ${g}`);
        while (i + 1 < rep.length) {
          const e = rep.charCodeAt(i + 1) - 48;
          if (e < 0 || e > 9 || g * 10 + e > p.groupCount) break;
          g = g * 10 + e;
          i++;
        }
      }
      out += m.group(g) ?? "";
    } else out += c;
  }
  return out;
}

class BadReplacement extends Error {}

function badReplacement(_functionName: string, _rep: string, why: string): BadReplacement {
  return new BadReplacement(why);
}

/**
 * Java's `Matcher.replaceAll` over `s` from UTF-16 index `from` (Spark's `regexp_replace` with a position); a
 * replacement Java rejects fails with Spark's `INVALID_REGEXP_REPLACE`.
 */
export function replaceAllJava(p: JavaPattern, s: string, rep: string, from = 0, position = 1): string {
  const tail = from > 0 ? s.slice(from) : s;
  let out = "", last = 0;
  const literal = !rep.includes("$") && !rep.includes("\\");
  try {
    for (const m of javaMatches(p, tail)) {
      out += tail.slice(last, m.start) + (literal ? rep : expandReplacement(rep, m, p, "regexp_replace"));
      last = m.end;
    }
  } catch (e) {
    if (!(e instanceof BadReplacement)) throw e;
    throw new SluiceError("INVALID_REGEXP_REPLACE", `Could not perform regexp_replace for source = "${s}", pattern = "${p.source}", replacement = "${rep}" and position = ${position}: ${e.message}`, {
      params: { source: s, pattern: p.source, replacement: rep, position: String(position) }, cause: e,
    });
  }
  return replaceLoneSurrogates((from > 0 ? s.slice(0, from) : "") + out + tail.slice(last));
}

/** Java's `Pattern.split(s, limit)`: a zero-width match at the start gives no leading empty string. */
export function splitJava(p: JavaPattern, s: string, limit: number): string[] {
  if (p instanceof LiteralPattern) {
    // Never an empty match: JS's split, then Java's limit (the last part keeps the rest) and trailing-empty rule.
    const parts = s.split(p.source);
    if (limit > 0 && parts.length > limit) parts.splice(limit - 1, parts.length, parts.slice(limit - 1).join(p.source));
    if (limit === 0) while (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
    if (limit === 0 && parts.length === 1 && parts[0] === "" && s !== "") return [];
    return parts;
  }
  const out: string[] = [];
  let index = 0;
  const limited = limit > 0;
  for (const m of javaMatches(p, s)) {
    if (!limited || out.length < limit - 1) {
      if (index === 0 && m.start === 0 && m.end === 0) continue;
      out.push(s.slice(index, m.start));
      index = m.end;
    } else if (out.length === limit - 1) {
      out.push(s.slice(index));
      index = m.end;
      break;
    }
  }
  if (index === 0) return [s];
  if (!limited || out.length < limit) out.push(s.slice(index));
  if (limit === 0) while (out.length > 0 && out[out.length - 1] === "") out.pop();
  return out.map(replaceLoneSurrogates);
}

/** Spark's `LIKE` pattern (`%`, `_`, an escape before `%`, `_` or itself) as a linear-time matcher of the whole string. */
export function compileLike(pattern: string, escape: string): (s: string) => boolean {
  let re = "", wild = false;
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === escape) {
      const d = chars[++i];
      if (d === undefined) throw likeFormat(pattern, "ESC_AT_THE_END", "it is not allowed to end with the escape character");
      if (d !== "%" && d !== "_" && d !== escape) throw likeFormat(pattern, "ESC_IN_THE_MIDDLE", `the escape character is not allowed to precede '${d}'`);
      re += quote(d, "re2");
      continue;
    }
    if (c === "%" || c === "_") wild = true;
    re += c === "%" ? "(?s:.*)" : c === "_" ? "(?s:.)" : quote(c, "re2");
  }
  if (!wild) { const lit = pattern.includes(escape) ? unescapeLike(chars, escape) : pattern; return (s) => s === lit; }
  const compiled = RE2JS.compile(re);
  return (s) => compiled.testExact(s);
}

function unescapeLike(chars: readonly string[], escape: string): string {
  let out = "";
  for (let i = 0; i < chars.length; i++) out += chars[i] === escape ? chars[++i]! : chars[i]!;
  return out;
}

function likeFormat(pattern: string, subclass: string, why: string): SluiceError {
  return new SluiceError("INVALID_FORMAT", `The format is invalid: '${pattern}'. ${why}`, { params: { subclass, format: pattern } });
}
