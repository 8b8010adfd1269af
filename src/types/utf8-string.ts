/**
 * Spark's strings are UTF-8 byte sequences (UTF8String): positions and lengths count Unicode code points and order is
 * the unsigned byte order. JavaScript strings are UTF-16; these helpers give Spark's view of them. Strings without
 * surrogates (the common case) take fast paths where a code unit is a code point.
 */

const SURROGATE = /[\uD800-\uDFFF]/;

/** Whether `s` has characters outside the BMP (or lone surrogates), where code units and code points differ. */
export function hasSurrogates(s: string): boolean {
  return SURROGATE.test(s);
}

/** Number of code points (Spark's `numChars`). */
export function codePointLength(s: string): number {
  if (!hasSurrogates(s)) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** The UTF-16 index of code point `k` of `s` (its length when `k` is past the end; 0 for k <= 0). */
export function codeUnitOffset(s: string, k: number): number {
  if (k <= 0) return 0;
  if (!hasSurrogates(s)) return Math.min(k, s.length);
  let i = 0;
  for (let c = 0; c < k && i < s.length; c++) {
    const u = s.charCodeAt(i);
    i += u >= 0xd800 && u <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
  }
  return i;
}

/** Code points `[start, end)` of `s`. */
export function codePointSlice(s: string, start: number, end?: number): string {
  if (!hasSurrogates(s)) return s.slice(Math.max(0, start), end);
  const a = codeUnitOffset(s, start);
  return end === undefined ? s.slice(a) : end <= start ? "" : s.slice(a, codeUnitOffset(s, end));
}

/** The code points of `s` as one-character strings. */
export function codePoints(s: string): string[] {
  return hasSurrogates(s) ? Array.from(s) : s.split("");
}

/** Code points of `s` before UTF-16 index `unit`. */
export function codePointIndex(s: string, unit: number): number {
  return codePointLength(s.slice(0, unit));
}

/** Spark's binary compare of two strings: the order of their UTF-8 bytes, which is code point order. */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i), y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Surrogates (code points above U+FFFF) sort after U+E000..U+FFFF in UTF-8, before them in UTF-16.
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** Number of UTF-8 bytes of `s` (Spark's `numBytes`). */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

const UTF8 = new TextDecoder("utf-8");

/**
 * The text of UTF-8 bytes as Java's `new String(bytes, UTF_8)` gives it (Spark's `UTF8String.toString`): malformed
 * sequences become U+FFFD, one per maximal invalid subpart as in the WHATWG decoder, except that Java replaces an
 * encoded surrogate (ED A0..BF 80..BF) by one U+FFFD where WHATWG gives three.
 */
export function decodeUtf8(b: Uint8Array): string {
  let out = "", from = 0;
  for (let i = 0; i + 2 < b.length; i++) {
    if (b[i] === 0xed && b[i + 1]! >= 0xa0 && b[i + 1]! <= 0xbf && (b[i + 2]! & 0xc0) === 0x80) {
      out += UTF8.decode(b.subarray(from, i)) + "\ufffd";
      from = i + 3;
      i += 2;
    }
  }
  return from === 0 ? UTF8.decode(b) : out + UTF8.decode(b.subarray(from));
}

/** Java's `String.getBytes(UTF_8)` view of a string with lone surrogates: each becomes '?', as Spark stores it. */
export function replaceLoneSurrogates(s: string): string {
  return hasSurrogates(s) ? s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "?") : s;
}

/** UTF-8 bytes of `s` (Spark's `UTF8String.fromString`). */
export function encodeUtf8(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, "utf8"));
}
