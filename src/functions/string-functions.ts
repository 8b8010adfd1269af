/** Spark's string functions. */
import { createHash } from "node:crypto";
import { SluiceError } from "../errors/sluice-error.js";
import { BinaryType, BooleanType, IntegerType, LongType, StringType, arrayType, type DataType } from "../types/data-type.js";
import { codePointIndex, codePointLength, codePointSlice, codePoints, codeUnitOffset, encodeUtf8, replaceLoneSurrogates, utf8Length } from "../types/utf8-string.js";
import { valueToString } from "../types/value-format.js";
import { fixed, type FunctionDef, type RowFunction } from "./function-def.js";
import { compileJavaRegex, javaMatches, replaceAllJava, splitJava, type JavaPattern } from "./java-regex.js";

const S = StringType, I = IntegerType;

/** Spark's substring bounds over `n` characters or bytes: 1-based `pos`, negative counts from the end, 0 acts as 1. */
function substringBounds(n: number, pos: number, len: number): [start: number, end: number] {
  const from = pos > 0 ? pos - 1 : pos < 0 ? n + pos : 0;
  return [Math.max(0, from), Math.min(n, len === Number.MAX_SAFE_INTEGER ? n : from + len)];
}

/** Spark's `substring(str, pos, len)`, in code points. */
export function sparkSubstring(s: string, pos: number, len: number): string {
  const [start, end] = substringBounds(codePointLength(s), pos, len);
  return end <= start ? "" : codePointSlice(s, start, end);
}

/** `substring(str|bin, pos[, len])`: on binary it slices bytes and returns binary, as in Spark. */
function substringDef(name: string): FunctionDef {
  return {
    name, minArgs: 2, maxArgs: 3,
    resolve: (types) => {
      const binary = types[0]!.kind === "binary";
      return { argTypes: [binary ? undefined : S, I, I], returnType: binary ? BinaryType : S };
    },
    compile: ([t]) => {
      const len = (a: readonly unknown[]): number => (a.length > 2 ? (a[2] as number) : Number.MAX_SAFE_INTEGER);
      if (t!.kind !== "binary") return (a) => sparkSubstring(a[0] as string, a[1] as number, len(a));
      return (a) => {
        const b = a[0] as Uint8Array;
        const [start, end] = substringBounds(b.length, a[1] as number, len(a));
        return end <= start ? new Uint8Array(0) : b.slice(start, end);
      };
    },
  };
}

/** The longest string Sluice builds; Spark's limit is 2 GiB of UTF-8 bytes, V8's is about 2^29 code units. */
const MAX_RESULT_UNITS = 0x1fffffe8;

/** Spark's error for a string result past the limit (its `repeat` fails with an integer overflow of the byte size). */
function tooLong(functionName: string, units: number): SluiceError {
  return new SluiceError("COLLECTION_SIZE_LIMIT_EXCEEDED", `The result of \`${functionName}\` would have ${units} characters, above the limit ${MAX_RESULT_UNITS}`, {
    params: { subclass: "FUNCTION", functionName: `\`${functionName}\``, numberOfElements: String(units), maxRoundedArrayLength: String(MAX_RESULT_UNITS) },
  });
}

function repeatString(s: string, times: number): string {
  if (times <= 0 || s.length === 0) return "";
  if (utf8Length(s) * times > 0x7fffffff) {
    // Spark: Math.multiplyExact(numBytes, times) overflows an int.
    throw new SluiceError("ARITHMETIC_OVERFLOW", "integer overflow in repeat: the result would exceed 2147483647 bytes", { params: { functionName: "`repeat`" } });
  }
  if (s.length * times > MAX_RESULT_UNITS) throw tooLong("repeat", s.length * times);
  return s.repeat(times);
}

/** Spark's `lpad`/`rpad` in code points: a longer string is cut to `len`, an empty pad leaves it as it is. */
function pad(s: string, len: number, p: string, left: boolean, name: string): string {
  const n = codePointLength(s);
  if (len <= n || p.length === 0) return codePointSlice(s, 0, Math.max(len, 0));
  const padChars = codePoints(p), fill = len - n;
  const units = Math.floor(fill / padChars.length) * p.length + s.length;
  if (units > MAX_RESULT_UNITS) throw tooLong(name, units);
  const whole = p.repeat(Math.floor(fill / padChars.length)) + padChars.slice(0, fill % padChars.length).join("");
  return left ? whole + s : s + whole;
}

/** Spark's `instr`/`locate` core: 1-based code point position of `sub` in `s` from code point `start`, 0 if absent. */
function indexOfCodePoint(s: string, sub: string, start: number): number {
  if (sub.length === 0) return 1; // UTF8String.indexOfEmpty: always 0 (SPARK-48284)
  const from = codeUnitOffset(s, start);
  if (start > 0 && from >= s.length) return 0;
  const i = s.indexOf(sub, from);
  return i < 0 ? 0 : codePointIndex(s, i) + 1;
}

/** Spark's `trim`/`ltrim`/`rtrim` with trim characters: removes any of their code points from the ends. */
function trimChars(s: string, chars: string, left: boolean, right: boolean): string {
  const set = new Set(codePoints(chars));
  const cps = codePoints(s);
  let a = 0, b = cps.length;
  if (left) while (a < b && set.has(cps[a]!)) a++;
  if (right) while (b > a && set.has(cps[b - 1]!)) b--;
  return a === 0 && b === cps.length ? s : cps.slice(a, b).join("");
}

/**
 * `trim(str)`, `ltrim(str)`, `rtrim(str)` remove spaces (U+0020) only; their two-argument forms take the trim
 * characters first, `trim(trimStr, str)`, as Spark's; `btrim(str, trimStr)` takes them second.
 */
function trimDef(name: string, left: boolean, right: boolean, trimFirst: boolean): FunctionDef {
  const spaces = left && right ? /^ +| +$/g : left ? /^ +/ : / +$/;
  return fixed(name, [S, S], S, () => (a) => {
    if (a.length < 2) return (a[0] as string).replace(spaces, "");
    const [chars, str] = trimFirst ? [a[0], a[1]] : [a[1], a[0]];
    return trimChars(str as string, chars as string, left, right);
  }, { optional: 1 });
}

/**
 * ICU's full title case of one code point (`ß` is `Ss`, `ŉ` is `ʼN`, `ǆ` is `ǅ`, `ᾳ` is `ᾼ`), as Spark's `initcap`
 * applies it: the upper case mapping with the letters after its first cased letter in lower case.
 */
function titleCase(c: string): string {
  const special = TITLE_SPECIAL[c];
  if (special !== undefined) return special;
  const code = c.codePointAt(0)!;
  // Greek with ypogegrammeni: the title form is one character with prosgegrammeni.
  if (code >= 0x1f80 && code <= 0x1faf) return String.fromCodePoint(code | 0x8);
  if (code === 0x1fb3 || code === 0x1fc3 || code === 0x1ff3) return String.fromCodePoint(code + 9);
  if (code === 0x1fb2 || code === 0x1fb4 || code === 0x1fb7 || code === 0x1fc2 || code === 0x1fc4 || code === 0x1fc7 || code === 0x1ff2 || code === 0x1ff4 || code === 0x1ff7) {
    return c.toUpperCase().slice(0, -1) + "\u0345";
  }
  const u = c.toUpperCase();
  if (codePointLength(u) === 1) return u;
  const cps = codePoints(u);
  const first = cps.findIndex((x) => CASED.test(x));
  return cps.slice(0, first + 1).join("") + cps.slice(first + 1).join("").toLowerCase();
}
const CASED = /\p{Cased}/u;
const TITLE_SPECIAL: Readonly<Record<string, string>> = {
  "\u01c4": "\u01c5", "\u01c5": "\u01c5", "\u01c6": "\u01c5", "\u01c7": "\u01c8", "\u01c8": "\u01c8", "\u01c9": "\u01c8",
  "\u01ca": "\u01cb", "\u01cb": "\u01cb", "\u01cc": "\u01cb", "\u01f1": "\u01f2", "\u01f2": "\u01f2", "\u01f3": "\u01f2",
};

/** Spark's `initcap`: lower case, then title case of the first character and of every character after a space (U+0020). */
function initcap(s: string): string {
  const cps = codePoints(s.toLowerCase());
  let out = "";
  for (let i = 0; i < cps.length; i++) out += i === 0 || cps[i - 1] === " " ? titleCase(cps[i]!) : cps[i];
  return out;
}

/** Spark's `substring_index(str, delim, count)`. */
function substringIndex(s: string, delim: string, count: number): string {
  if (delim.length === 0 || count === 0) return "";
  if (count > 0) {
    let idx = -1;
    for (; count > 0; count--) { idx = s.indexOf(delim, idx + 1); if (idx < 0) return s; }
    return s.slice(0, idx);
  }
  let idx = s.length - delim.length + 1;
  for (; count < 0; count++) { idx = idx - 1 < 0 ? -1 : s.lastIndexOf(delim, idx - 1); if (idx < 0) return s; }
  return s.slice(idx + delim.length);
}

/** Spark's `split_part(str, delim, partNum)`: literal delimiter, 1-based part, negative from the end. */
function splitPart(s: string, delim: string, part: number): string {
  if (part === 0) {
    throw new SluiceError("INVALID_INDEX_OF_ZERO", "The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1).", { params: {} });
  }
  const parts = delim.length === 0 ? [s] : s.split(delim);
  const k = part > 0 ? part - 1 : parts.length + part;
  return k >= 0 && k < parts.length ? parts[k]! : "";
}

/** Spark's `split(str, regex[, limit])`: Java's String.split with limit 0 as -1; an empty regex splits code points. */
function splitRegex(): RowFunction {
  let cached: string | undefined, re: JavaPattern | undefined;
  return (a) => {
    const s = a[0] as string, p = a[1] as string;
    let limit = a.length > 2 ? (a[2] as number) : -1;
    if (limit === 0) limit = -1;
    if (p.length === 0 && s.length > 0) {
      const cps = codePoints(s);
      const n = limit > cps.length || limit <= 0 ? cps.length : limit;
      return [...cps.slice(0, n - 1), cps.slice(n - 1).join("")];
    }
    if (p !== cached) { re = compileJavaRegex(p, "split"); cached = p; }
    return splitJava(re!, s, limit);
  };
}

/** A function whose pattern argument is compiled once per distinct pattern. */
function withPattern(name: string, impl: (re: JavaPattern, a: readonly unknown[]) => unknown): () => RowFunction {
  return () => {
    let cached: string | undefined, re: JavaPattern | undefined;
    return (a) => {
      if (a[1] !== cached) { re = compileJavaRegex(a[1] as string, name); cached = a[1] as string; }
      return impl(re!, a);
    };
  };
}

function regexGroupIndex(name: string, re: JavaPattern, idx: number): void {
  if (idx < 0 || idx > re.groupCount) {
    throw new SluiceError("INVALID_PARAMETER_VALUE", `The value of parameter(s) \`idx\` in \`${name}\` is invalid: Expects group index between 0 and ${re.groupCount}, but got ${idx}.`, {
      params: { subclass: "REGEX_GROUP_INDEX", parameter: "`idx`", functionName: `\`${name}\``, groupCount: String(re.groupCount), groupIndex: String(idx) },
    });
  }
}

/** Spark's `chr(n)`: the character of `n mod 256`; negative gives "", a multiple of 256 gives U+0000. */
function chr(n: bigint | number): string {
  const v = BigInt(n);
  if (v < 0n) return "";
  return String.fromCharCode(Number(v & 0xffn));
}

/** Spark's `overlay(input, replace, pos[, len])`: `len` defaults to the replacement's length, in code points. */
function overlay(s: string, r: string, pos: number, len?: number): string {
  const l = len ?? codePointLength(r);
  return sparkSubstring(s, 1, pos - 1) + r + sparkSubstring(s, pos + l, Number.MAX_SAFE_INTEGER);
}

const hash = (algo: string) => (a: readonly unknown[]): string =>
  createHash(algo).update(typeof a[0] === "string" ? Buffer.from(a[0] as string) : (a[0] as Uint8Array)).digest("hex");

/** Spark's `levenshtein` over code points; with a threshold, -1 when the distance is above it. */
function levenshtein(a: string, b: string, threshold?: number): number {
  const x = codePoints(a), y = codePoints(b);
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) cur[j] = Math.min(cur[j - 1]! + 1, prev[j]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  const d = prev[y.length]!;
  return threshold !== undefined && d > threshold ? -1 : d;
}

/** Spark's `find_in_set(str, list)`: 1-based index in the comma-separated list, 0 if absent or `str` has a comma. */
function findInSet(s: string, list: string): number {
  if (s.includes(",")) return 0;
  const k = list.split(",").indexOf(s);
  return k + 1;
}

/** Charsets of Spark's `encode`/`decode` (spark.sql.legacy.javaCharsets off) and Node's names for them. */
const CHARSETS: Readonly<Record<string, BufferEncoding | "utf-16be" | "utf-32">> = {
  "US-ASCII": "ascii", "ISO-8859-1": "latin1", "UTF-8": "utf8", "UTF-16BE": "utf-16be", "UTF-16LE": "utf16le", "UTF-16": "utf-16be", "UTF-32": "utf-32",
};

function charset(name: string, fn: string): BufferEncoding | "utf-16be" | "utf-32" {
  const c = CHARSETS[name.toUpperCase()];
  if (c === undefined) {
    throw new SluiceError("INVALID_PARAMETER_VALUE", `The value of parameter(s) \`charset\` in \`${fn}\` is invalid: expects one of the ${Object.keys(CHARSETS).join(", ")}, but got ${name}.`, {
      params: { subclass: "CHARSET", parameter: "`charset`", functionName: `\`${fn}\``, charset: name },
    });
  }
  return c;
}

/** Spark 4's error for a value the charset cannot encode or decode (spark.sql.legacy.codingErrorAction off). */
function malformedCoding(fn: string, cs: string): SluiceError {
  return new SluiceError("MALFORMED_CHARACTER_CODING", `Invalid value found when performing \`${fn}\` with ${cs}`, { params: { function: `\`${fn}\``, charset: cs } });
}

function encode(s: string, cs: string): Uint8Array {
  const c = charset(cs, "encode");
  const t = replaceLoneSurrogates(s);
  if (c === "utf8") return encodeUtf8(t);
  if (c === "ascii" || c === "latin1") {
    const limit = c === "ascii" ? 0x7f : 0xff;
    return Uint8Array.from(codePoints(t), (ch) => { const cp = ch.codePointAt(0)!; if (cp > limit) throw malformedCoding("encode", cs); return cp; });
  }
  if (c === "utf16le") return new Uint8Array(Buffer.from(t, "utf16le"));
  if (c === "utf-16be") { const b = Buffer.from(t, "utf16le"); b.swap16(); return cs.toUpperCase() === "UTF-16" ? new Uint8Array([0xfe, 0xff, ...b]) : new Uint8Array(b); }
  const cps = codePoints(t), out = new Uint8Array(cps.length * 4), v = new DataView(out.buffer);
  cps.forEach((ch, i) => v.setUint32(i * 4, ch.codePointAt(0)!));
  return out;
}

function decode(b: Uint8Array, cs: string): string {
  const c = charset(cs, "decode");
  try {
    if (c === "utf8") return new TextDecoder("utf-8", { fatal: true }).decode(b);
    if (c === "ascii") return Array.from(b, (x) => { if (x >= 0x80) throw malformedCoding("decode", cs); return String.fromCharCode(x); }).join("");
    if (c === "latin1") return Buffer.from(b).toString("latin1");
    if (c === "utf-32") {
      if (b.length % 4 !== 0) throw malformedCoding("decode", cs);
      let out = "";
      for (let i = 0; i < b.length; i += 4) {
        const cp = new DataView(b.buffer, b.byteOffset + i, 4).getUint32(0);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw malformedCoding("decode", cs);
        out += String.fromCodePoint(cp);
      }
      return out;
    }
    const bom = c === "utf-16be" && cs.toUpperCase() === "UTF-16" && b.length >= 2 ? (b[0] === 0xfe && b[1] === 0xff ? "be" : b[0] === 0xff && b[1] === 0xfe ? "le" : undefined) : undefined;
    const body = bom !== undefined ? b.subarray(2) : b;
    return new TextDecoder(c === "utf16le" || bom === "le" ? "utf-16le" : "utf-16be", { fatal: true }).decode(body);
  } catch (e) {
    if (e instanceof SluiceError) throw e;
    throw malformedCoding("decode", cs);
  }
}

/** Spark's `hex`: a number's two's complement digits (Long.toHexString), a string's UTF-8 bytes, a binary's bytes. */
function hexDef(): FunctionDef {
  return {
    name: "hex", minArgs: 1, maxArgs: 1,
    resolve: ([t]) => ({ argTypes: [t!.kind === "binary" || t!.kind === "string" ? undefined : LongType], returnType: S }),
    compile: ([t]) => (a) => {
      const v = a[0];
      if (t!.kind === "string") return Buffer.from(encodeUtf8(replaceLoneSurrogates(v as string))).toString("hex").toUpperCase();
      if (t!.kind === "binary") return Buffer.from(v as Uint8Array).toString("hex").toUpperCase();
      return BigInt.asUintN(64, BigInt(v as number)).toString(16).toUpperCase();
    },
  };
}

/** Spark's `unhex`: pairs of hex digits to bytes (an odd length gets a leading 0); null on a non-hex character. */
function unhex(s: string): Uint8Array | null {
  const t = s.length % 2 === 1 ? `0${s}` : s;
  if (!/^[0-9a-fA-F]*$/.test(t)) return null;
  return new Uint8Array(Buffer.from(t, "hex"));
}

const length: () => RowFunction = () => (a) => codePointLength(a[0] as string);

export const stringFunctions: readonly FunctionDef[] = [
  fixed("upper", [S], S, () => (a) => (a[0] as string).toUpperCase()),
  fixed("ucase", [S], S, () => (a) => (a[0] as string).toUpperCase()),
  fixed("lower", [S], S, () => (a) => (a[0] as string).toLowerCase()),
  fixed("lcase", [S], S, () => (a) => (a[0] as string).toLowerCase()),
  fixed("length", [S], I, length),
  fixed("len", [S], I, length),
  fixed("char_length", [S], I, length),
  fixed("character_length", [S], I, length),
  fixed("octet_length", [S], I, () => (a) => utf8Length(a[0] as string)),
  fixed("bit_length", [S], I, () => (a) => utf8Length(a[0] as string) * 8),
  trimDef("trim", true, true, true),
  trimDef("btrim", true, true, false),
  trimDef("ltrim", true, false, true),
  trimDef("rtrim", false, true, true),
  fixed("reverse", [S], S, () => (a) => codePoints(a[0] as string).reverse().join("")),
  fixed("initcap", [S], S, () => (a) => initcap(a[0] as string)),
  fixed("repeat", [S, I], S, () => (a) => repeatString(a[0] as string, a[1] as number)),
  substringDef("substring"),
  substringDef("substr"),
  fixed("left", [S, I], S, () => (a) => sparkSubstring(a[0] as string, 1, a[1] as number)),
  fixed("right", [S, I], S, () => (a) => ((a[1] as number) <= 0 ? "" : sparkSubstring(a[0] as string, -(a[1] as number), a[1] as number))),
  fixed("instr", [S, S], I, () => (a) => indexOfCodePoint(a[0] as string, a[1] as string, 0)),
  // locate(substr, str[, pos]) and position(substr, str[, pos]): a null position gives 0, as in Spark.
  fixed("locate", [S, S, I], I, () => (a) => {
      if (a.length > 2 && a[2] === null) return 0;
      if (a[0] === null || a[1] === null) return null;
      const start = a.length > 2 ? (a[2] as number) : 1;
      return start < 1 ? 0 : indexOfCodePoint(a[1] as string, a[0] as string, start - 1);
    }, { optional: 1, nullSafe: true }),
  fixed("position", [S, S, I], I, () => (a) => {
      if (a.length > 2 && a[2] === null) return 0;
      if (a[0] === null || a[1] === null) return null;
      const start = a.length > 2 ? (a[2] as number) : 1;
      return start < 1 ? 0 : indexOfCodePoint(a[1] as string, a[0] as string, start - 1);
    }, { optional: 1, nullSafe: true }),
  fixed("lpad", [S, I, S], S, () => (a) => pad(a[0] as string, a[1] as number, a.length > 2 ? (a[2] as string) : " ", true, "lpad"), { optional: 1 }),
  fixed("rpad", [S, I, S], S, () => (a) => pad(a[0] as string, a[1] as number, a.length > 2 ? (a[2] as string) : " ", false, "rpad"), { optional: 1 }),
  fixed("replace", [S, S, S], S, () => (a) => ((a[1] as string) === "" ? a[0] : (a[0] as string).split(a[1] as string).join(a.length > 2 ? (a[2] as string) : "")), { optional: 1 }),
  fixed("translate", [S, S, S], S, () => (a) => {
    const from = codePoints(a[1] as string), to = codePoints(a[2] as string);
    return codePoints(a[0] as string).map((c) => { const k = from.indexOf(c); return k < 0 ? c : (to[k] ?? ""); }).join("");
  }),
  fixed("overlay", [S, S, I, I], S, () => (a) => overlay(a[0] as string, a[1] as string, a[2] as number, a.length > 3 ? (a[3] as number) : undefined), { optional: 1 }),
  fixed("substring_index", [S, S, I], S, () => (a) => substringIndex(a[0] as string, a[1] as string, a[2] as number)),
  fixed("split_part", [S, S, I], S, () => (a) => splitPart(a[0] as string, a[1] as string, a[2] as number)),
  fixed("startswith", [S, S], BooleanType, () => (a) => (a[0] as string).startsWith(a[1] as string)),
  fixed("endswith", [S, S], BooleanType, () => (a) => (a[0] as string).endsWith(a[1] as string)),
  fixed("contains", [S, S], BooleanType, () => (a) => (a[0] as string).includes(a[1] as string)),
  fixed("levenshtein", [S, S, I], I, () => (a) => levenshtein(a[0] as string, a[1] as string, a.length > 2 ? (a[2] as number) : undefined), { optional: 1 }),
  fixed("find_in_set", [S, S], I, () => (a) => findInSet(a[0] as string, a[1] as string)),
  fixed("encode", [S, S], BinaryType, () => (a) => encode(a[0] as string, a[1] as string)),
  fixed("decode", [BinaryType, S], S, () => (a) => decode(a[0] as Uint8Array, a[1] as string)),
  hexDef(),
  fixed("unhex", [S], BinaryType, () => (a) => unhex(a[0] as string)),
  fixed("ascii", [S], I, () => (a) => (a[0] as string).codePointAt(0) ?? 0),
  fixed("chr", [LongType], S, () => (a) => chr(a[0] as number)),
  fixed("char", [LongType], S, () => (a) => chr(a[0] as number)),
  fixed("base64", [BinaryType], S, () => (a) => Buffer.from(a[0] as Uint8Array).toString("base64")),
  fixed("unbase64", [S], BinaryType, () => (a) => new Uint8Array(Buffer.from(a[0] as string, "base64"))),
  fixed("md5", [BinaryType], S, () => hash("md5")),
  fixed("sha1", [BinaryType], S, () => hash("sha1")),
  fixed("sha", [BinaryType], S, () => hash("sha1")),
  fixed("sha2", [BinaryType, I], S, () => (a) => {
    const bits = a[1] as number;
    const algo = bits === 0 || bits === 256 ? "sha256" : bits === 224 ? "sha224" : bits === 384 ? "sha384" : bits === 512 ? "sha512" : undefined;
    return algo === undefined ? null : createHash(algo).update(a[0] as Uint8Array).digest("hex");
  }),
  fixed("split", [S, S, I], arrayType(S, false), splitRegex, { optional: 1 }),
  fixed("regexp_replace", [S, S, S, I], S, withPattern("regexp_replace", (re, a) => {
    // The position counts code points (Spark 4 offsets by code points into the Java string).
    const s = a[0] as string, pos = a.length > 3 ? (a[3] as number) : 1;
    return pos === 1 || pos - 1 < codePointLength(s) ? replaceAllJava(re, s, a[2] as string, codeUnitOffset(s, pos - 1), pos) : s;
  }), { optional: 1 }),
  fixed("regexp_extract", [S, S, I], S, withPattern("regexp_extract", (re, a) => {
    const idx = a.length > 2 ? (a[2] as number) : 1;
    regexGroupIndex("regexp_extract", re, idx);
    for (const m of re.matches(a[0] as string)) return m.group(idx) ?? "";
    return "";
  }), { optional: 1 }),
  fixed("regexp_like", [S, S], BooleanType, withPattern("regexp_like", (re, a) => re.find(a[0] as string))),
  fixed("regexp_extract_all", [S, S, I], arrayType(S), withPattern("regexp_extract_all", (re, a) => {
    const idx = a.length > 2 ? (a[2] as number) : 1;
    regexGroupIndex("regexp_extract_all", re, idx);
    return Array.from(javaMatches(re, a[0] as string), (m) => m.group(idx) ?? "");
  }), { optional: 1 }),
  fixed("regexp_count", [S, S], I, withPattern("regexp_count", (re, a) => { let n = 0; for (const _ of javaMatches(re, a[0] as string)) n++; return n; })),
  fixed("regexp_substr", [S, S], S, withPattern("regexp_substr", (re, a) => { for (const m of re.matches(a[0] as string)) return m.group(0); return null; })),
  fixed("regexp_instr", [S, S, I], I, withPattern("regexp_instr", (re, a) => {
    const idx = a.length > 2 ? (a[2] as number) : 0;
    regexGroupIndex("regexp_instr", re, idx);
    const s = a[0] as string;
    for (const m of re.matches(s)) return codePointIndex(s, m.start) + 1;
    return 0;
  }), { optional: 1 }),
  {
    name: "concat", minArgs: 0, maxArgs: 1_000,
    resolve: (types) => {
      const allArrays = types.length > 0 && types.every((t) => t.kind === "array");
      return allArrays ? { argTypes: types.map(() => undefined), returnType: types[0]! } : { argTypes: types.map(() => S), returnType: S };
    },
    compile: (_t, ret) => (ret.kind === "array" ? (a) => (a as unknown[][]).flat(1) : (a) => (a as string[]).join("")),
  },
  {
    name: "concat_ws", minArgs: 1, maxArgs: 1_000, nullSafe: true,
    resolve: (types) => ({ argTypes: types.map((t, i) => (i > 0 && t.kind === "array" ? arrayType(S) : S)), returnType: S }),
    compile: () => (a) => {
      if (a[0] === null) return null;
      const parts: string[] = [];
      for (let i = 1; i < a.length; i++) {
        const v = a[i];
        if (v === null) continue;
        if (Array.isArray(v)) { for (const x of v) if (x !== null) parts.push(x as string); } else parts.push(v as string);
      }
      return parts.join(a[0] as string);
    },
  },
  {
    name: "format_string", minArgs: 1, maxArgs: 1_000, nullSafe: true,
    resolve: (types) => ({ argTypes: types.map((_, i) => (i === 0 ? S : undefined)), returnType: S }),
    compile: (types, _r, ctx) => (a) => {
      if (a[0] === null) return null;
      let k = 1;
      return (a[0] as string).replace(/%(-?\d*)(?:\.(\d+))?([sdf%])/g, (_m, w: string, prec: string | undefined, conv: string) => {
        if (conv === "%") return "%";
        const v = a[k], t = types[k++] as DataType;
        let s = v === null ? "null" : conv === "f" ? (v as number).toFixed(prec === undefined ? 6 : Number(prec)) : conv === "d" ? String(v) : valueToString(v, t, ctx.timeZone);
        const width = Math.abs(Number(w || 0));
        if (s.length < width) s = w.startsWith("-") ? s.padEnd(width) : s.padStart(width);
        return s;
      });
    },
  },
];
