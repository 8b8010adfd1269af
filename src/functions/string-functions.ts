/** Spark's string functions. */
import { createHash } from "node:crypto";
import { BinaryType, BooleanType, IntegerType, StringType, arrayType, type DataType } from "../types/data-type.js";
import { valueToString } from "../types/value-format.js";
import { fixed, type FunctionDef } from "./function-def.js";

const S = StringType, I = IntegerType;

/** Spark's substring bounds over `n` characters or bytes: 1-based `pos`, negative counts from the end, 0 acts as 1. */
function substringBounds(n: number, pos: number, len: number): [start: number, end: number] {
  const from = pos > 0 ? pos - 1 : pos < 0 ? n + pos : 0;
  return [Math.max(0, from), Math.min(n, len === Number.MAX_SAFE_INTEGER ? n : from + len)];
}

/** Spark's `substring(str, pos, len)`. */
export function sparkSubstring(s: string, pos: number, len: number): string {
  const [start, end] = substringBounds(s.length, pos, len);
  return end <= start ? "" : s.slice(start, end);
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

/** Java regex to JS: Spark patterns are Java regular expressions; the common subset is the same. */
export function javaRegex(pattern: string, flags = ""): RegExp {
  const p = pattern.replace(/\(\?i\)/g, () => { flags += flags.includes("i") ? "" : "i"; return ""; }).replace(/\\Q(.*?)\\E/g, (_m, lit: string) => lit.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(p, flags + "u");
}

function pad(s: string, len: number, p: string, left: boolean): string {
  if (len <= s.length) return s.slice(0, Math.max(len, 0));
  if (p.length === 0) return s;
  const fill = p.repeat(Math.ceil((len - s.length) / p.length)).slice(0, len - s.length);
  return left ? fill + s : s + fill;
}

const hash = (algo: string) => (a: readonly unknown[]): string =>
  createHash(algo).update(typeof a[0] === "string" ? Buffer.from(a[0] as string) : (a[0] as Uint8Array)).digest("hex");

export const stringFunctions: readonly FunctionDef[] = [
  fixed("upper", [S], S, () => (a) => (a[0] as string).toUpperCase()),
  fixed("ucase", [S], S, () => (a) => (a[0] as string).toUpperCase()),
  fixed("lower", [S], S, () => (a) => (a[0] as string).toLowerCase()),
  fixed("lcase", [S], S, () => (a) => (a[0] as string).toLowerCase()),
  fixed("length", [S], I, () => (a) => [...(a[0] as string)].length),
  fixed("char_length", [S], I, () => (a) => [...(a[0] as string)].length),
  fixed("character_length", [S], I, () => (a) => [...(a[0] as string)].length),
  fixed("trim", [S], S, () => (a) => (a[0] as string).replace(/^ +| +$/g, "")),
  fixed("ltrim", [S], S, () => (a) => (a[0] as string).replace(/^ +/, "")),
  fixed("rtrim", [S], S, () => (a) => (a[0] as string).replace(/ +$/, "")),
  fixed("reverse", [S], S, () => (a) => [...(a[0] as string)].reverse().join("")),
  fixed("initcap", [S], S, () => (a) => (a[0] as string).toLowerCase().replace(/(^|\s)(\S)/g, (_m, sp: string, c: string) => sp + c.toUpperCase())),
  fixed("repeat", [S, I], S, () => (a) => (a[0] as string).repeat(Math.max(0, a[1] as number))),
  substringDef("substring"),
  substringDef("substr"),
  fixed("left", [S, I], S, () => (a) => sparkSubstring(a[0] as string, 1, a[1] as number)),
  fixed("right", [S, I], S, () => (a) => ((a[1] as number) <= 0 ? "" : (a[0] as string).slice(-(a[1] as number)))),
  fixed("instr", [S, S], I, () => (a) => (a[0] as string).indexOf(a[1] as string) + 1),
  fixed("locate", [S, S, I], I, () => (a) => {
    const start = a.length > 2 ? (a[2] as number) : 1;
    if (start < 1) return 0;
    return (a[1] as string).indexOf(a[0] as string, start - 1) + 1;
  }, { optional: 1 }),
  fixed("lpad", [S, I, S], S, () => (a) => pad(a[0] as string, a[1] as number, a.length > 2 ? (a[2] as string) : " ", true), { optional: 1 }),
  fixed("rpad", [S, I, S], S, () => (a) => pad(a[0] as string, a[1] as number, a.length > 2 ? (a[2] as string) : " ", false), { optional: 1 }),
  fixed("replace", [S, S, S], S, () => (a) => ((a[1] as string) === "" ? a[0] : (a[0] as string).split(a[1] as string).join(a.length > 2 ? (a[2] as string) : "")), { optional: 1 }),
  fixed("translate", [S, S, S], S, () => (a) => {
    const from = [...(a[1] as string)], to = [...(a[2] as string)];
    return [...(a[0] as string)].map((c) => { const k = from.indexOf(c); return k < 0 ? c : (to[k] ?? ""); }).join("");
  }),
  fixed("startswith", [S, S], BooleanType, () => (a) => (a[0] as string).startsWith(a[1] as string)),
  fixed("endswith", [S, S], BooleanType, () => (a) => (a[0] as string).endsWith(a[1] as string)),
  fixed("contains", [S, S], BooleanType, () => (a) => (a[0] as string).includes(a[1] as string)),
  fixed("ascii", [S], I, () => (a) => (a[0] as string).codePointAt(0) ?? 0),
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
  fixed("split", [S, S, I], arrayType(S, false), () => {
    let cachedPattern: string | undefined, re: RegExp | undefined;
    return (a) => {
      const s = a[0] as string, p = a[1] as string, limit = a.length > 2 ? (a[2] as number) : -1;
      if (p !== cachedPattern) { cachedPattern = p; re = javaRegex(p, "g"); }
      if (s.length === 0) return [""];
      const out: string[] = [];
      let last = 0;
      re!.lastIndex = 0;
      for (let m = re!.exec(s); m !== null; m = re!.exec(s)) {
        if (m[0].length === 0) { if (m.index >= s.length) break; re!.lastIndex++; if (m.index === 0) continue; }
        if (limit > 0 && out.length === limit - 1) break;
        out.push(s.slice(last, m.index));
        last = m.index + m[0].length;
      }
      out.push(s.slice(last));
      if (limit <= 0) while (out.length > 1 && out[out.length - 1] === "" && limit === 0) out.pop();
      return out;
    };
  }, { optional: 1 }),
  fixed("regexp_replace", [S, S, S], S, () => {
    let cached: string | undefined, re: RegExp | undefined;
    return (a) => {
      if (a[1] !== cached) { cached = a[1] as string; re = javaRegex(cached, "g"); }
      return (a[0] as string).replace(re!, (a[2] as string).replace(/\$(\d)/g, "$$$1"));
    };
  }),
  fixed("regexp_extract", [S, S, I], S, () => {
    let cached: string | undefined, re: RegExp | undefined;
    return (a) => {
      if (a[1] !== cached) { cached = a[1] as string; re = javaRegex(cached); }
      const m = re!.exec(a[0] as string);
      return m === null ? "" : (m[a.length > 2 ? (a[2] as number) : 1] ?? "");
    };
  }, { optional: 1 }),
  fixed("regexp_like", [S, S], BooleanType, () => (a) => javaRegex(a[1] as string).test(a[0] as string)),
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
