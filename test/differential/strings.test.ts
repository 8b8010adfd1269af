/**
 * Strings against real Spark: code point positions and lengths (characters outside the BMP, combining marks, empty
 * strings, nulls, zero/negative/huge positions), UTF-8 byte order, UTF-8 casts between binary and string, and Java
 * regular expressions (rlike, regexp_extract, regexp_replace, split) with Spark's error classes.
 */
import { F, type DataFrame } from "../../src/index.js";
import { sqlDifferentialSuite, type SqlDiffCase } from "../support/sql-differential.js";

const rows = [
  { id: 1, s: "héllo €" },
  { id: 2, s: "𝄞 clef" },
  { id: 3, s: "a😀b😀c" },
  { id: 4, s: "e\u0301te\u0301" },
  { id: 5, s: "" },
  { id: 6, s: null },
  { id: 7, s: "abc" },
  { id: 8, s: "\uffff\ue000z" },
  { id: 9, s: "😀😀x😀" },
  { id: 10, s: "ǆungla tab\tx ßtraße" },
];

/** One row per table row: `id` and each expression, aliased (auto-generated names are not what these cases test). */
const per = (name: string, exprs: readonly string[], extra: Partial<SqlDiffCase> = {}): SqlDiffCase =>
  ({ name, sql: `SELECT id, ${exprs.map((e, i) => `${e} AS c${i}`).join(", ")} FROM t`, ...extra });
/** The same DataFrame query in Sluice and PySpark, written once (`spark.table`, `F.expr`, `agg`, `groupBy`, `orderBy`). */
const df = (name: string, code: string, extra: Partial<SqlDiffCase> = {}): SqlDiffCase =>
  ({ name, sluice: (spark) => new Function("spark", "F", `return ${code}`)(spark, F) as DataFrame, pyspark: code, ...extra });

sqlDifferentialSuite("strings", { t: { schema: "id INT, s STRING", rows } }, [
  per("length and its aliases count code points", ["length(s)", "char_length(s)", "character_length(s)", "len(s)"]),
  per("octet_length and bit_length count UTF-8 bytes", ["octet_length(s)", "bit_length(s)"]),
  per("substring from positive positions", ["substring(s, 1, 2)", "substring(s, 2)", "substring(s, 3, 1)", "substr(s, 2, 3)"]),
  per("substring from negative positions", ["substring(s, -2)", "substring(s, -3, 2)", "substring(s, -1, 1)", "substring(s, -100, 102)"]),
  per("substring from zero, huge and negative lengths", ["substring(s, 0, 2)", "substring(s, 100)", "substring(s, 2, -1)", "substring(s, 2147483647)", "substring(s, -2147483647, 2147483647)"]),
  per("left and right", ["left(s, 2)", "right(s, 2)", "left(s, 0)", "right(s, -1)", "left(s, 100)", "right(s, 100)"]),
  per("lpad and rpad with multi-character pads", ["lpad(s, 10, '𝄞x')", "rpad(s, 9, 'ab😀')", "lpad(s, 3)", "rpad(s, 2)", "lpad(s, 8, '')", "lpad(s, -1, 'x')", "rpad(s, 0, 'x')"]),
  per("instr", ["instr(s, '😀')", "instr(s, 'c')", "instr(s, '')", "instr(s, 'zz')", "instr(s, 'e\u0301')"]),
  per("locate and position", ["locate('c', s)", "locate('😀', s, 3)", "locate('', s, 2)", "locate('b', s, 0)", "locate('x', s, 100)", "position('😀', s)"]),
  per("locate with a null position is 0", ["locate('a', s, CAST(NULL AS INT))"]),
  per("reverse", ["reverse(s)"]),
  per("translate", ["translate(s, '😀é', 'X')", "translate(s, 'a😀c', '𝄞')", "translate(s, '€𝄞', '😀😀')"]),
  per("overlay", ["overlay(s, '😀', 2, 1)", "overlay(s, 'XY', 3)", "overlay(s, '', 1, 2)", "overlay(s, '𝄞', -1, 2)", "overlay(s, '𝄞', 100)"]),
  per("repeat", ["repeat(s, 3)", "repeat(s, 0)", "repeat(s, -1)"]),
  per("split by an empty regex splits code points", ["split(s, '')", "split(s, '', 2)", "split(s, '', -1)"]),
  per("split by characters outside the BMP", ["split(s, '😀')", "split(s, '[😀𝄞]')", "split(s, 'b', 2)", "split(s, 'x', 0)"]),
  per("split by regex classes", ["split(s, '.')", "split(s, '\\\\s+')", "split(s, 'l*')", "split(s, '(?i)L')"]),
  per("split_part", ["split_part(s, '😀', 2)", "split_part(s, '😀', -1)", "split_part(s, '', 1)", "split_part(s, 'x', 5)"]),
  per("substring_index", ["substring_index(s, '😀', 1)", "substring_index(s, '😀', -1)", "substring_index(s, '😀', 0)", "substring_index(s, '😀', 2)", "substring_index(s, '😀', -5)", "substring_index(s, '', 1)"]),
  per("initcap upper lower", ["initcap(s)", "upper(s)", "lower(s)"]),
  per("trim with trim characters", ["trim('😀a', s)", "ltrim('a😀', s)", "rtrim('€ ', s)", "btrim(s, 'c😀a')", "ltrim(s, '😀')", "rtrim(s, '😀x')", "trim(concat('  ', s, ' '))", "ltrim(concat(' \t', s))"]),
  per("ascii", ["ascii(s)"]),
  per("chr and char", ["chr(65)", "chr(233)", "chr(321)", "chr(256)", "chr(-1)", "chr(0)", "char(128512)", "chr(id + 127)"]),
  // Ordering: UTF-8 bytes (code points), where UTF-16 puts characters outside the BMP before U+E000..U+FFFF.
  { name: "ORDER BY uses UTF-8 byte order", sql: "SELECT s FROM t ORDER BY s", ordered: true },
  { name: "ORDER BY DESC", sql: "SELECT id, s FROM t ORDER BY s DESC, id", ordered: true },
  df("min and max", `spark.table("t").agg(F.expr("min(s) AS mn"), F.expr("max(s) AS mx"))`),
  df("sort_array", `spark.table("t").agg(F.expr("sort_array(collect_list(s)) AS a"), F.expr("sort_array(collect_list(s), false) AS d"))`),
  df("array_sort", `spark.table("t").agg(F.expr("array_sort(collect_list(s)) AS a"))`),
  per("array_sort and sort_array with nulls", ["array_sort(array(s, '😀', NULL, '\uffff'))", "sort_array(array(s, '😀', NULL, '\uffff'), false)"]),
  df("group by then order by strings", `spark.table("t").groupBy("s").agg(F.expr("count(*) AS n")).orderBy("s")`, { ordered: true }),
  per("comparisons", ["s < '\uffff'", "s > '\ue000'", "s >= '😀'", "s <= '𝄞'"]),
  per("greatest and least", ["greatest(s, '\uffff')", "least(s, '😀')"]),
  // UTF-8 casts between binary and string.
  per("CAST(binary AS STRING) decodes UTF-8", ["CAST(unbase64('aMOpbGxvIOKCrA==') AS STRING)", "CAST(unbase64('8J2Mng==') AS STRING)"]),
  per("CAST(binary AS STRING) with malformed bytes", ["CAST(unbase64('wyg=') AS STRING)", "CAST(unbase64('8J+Y') AS STRING)", "CAST(unbase64('7aCA') AS STRING)", "CAST(unbase64('wIA=') AS STRING)", "CAST(unbase64('/w==') AS STRING)", "CAST(unbase64('4oJh') AS STRING)", "CAST(unbase64('9JCAgA==') AS STRING)"]),
  per("CAST(string AS BINARY) encodes UTF-8", ["CAST(s AS BINARY)"]),
  per("binary round trip", ["CAST(CAST(s AS BINARY) AS STRING)"]),
  // Java regular expressions.
  per("rlike", ["s RLIKE '^.$'", "s RLIKE '😀.😀'", "s RLIKE '(?i)ABC'", "s RLIKE '\\\\Qa😀\\\\E'", "s RLIKE 'c$'", "s RLIKE '^\\\\p{Alpha}+$'", "s rlike '\\\\u00e9'"]),
  per("regexp_like", ["regexp_like(s, '[😀𝄞]')", "regexp_like(s, '^\\\\S+$')"]),
  per("regexp_extract", ["regexp_extract(s, '(.)(.)', 2)", "regexp_extract(s, '^(.)', 1)", "regexp_extract(s, '([^😀]+)😀', 1)", "regexp_extract(s, 'z(q)?', 1)", "regexp_extract(s, 'l+', 0)"]),
  per("regexp_replace", ["regexp_replace(s, '(.)(😀)', '$2$1')", "regexp_replace(s, '.', '-')", "regexp_replace(s, '', '|')", "regexp_replace(s, 'l', '\\\\$')"]),
  per("regexp_replace with a position", ["regexp_replace(s, '.', '-', 3)", "regexp_replace(s, 'l', 'L', 100)"]),
  per("regexp with a backreference", ["s RLIKE '(l)\\\\1'", "regexp_replace(s, '(😀)(.)\\\\1', '!')"]),
  per("regexp with a lookahead", ["regexp_extract(s, 'b(?=😀)', 0)", "regexp_replace(s, 'l(?!o)', 'L')"]),
  per("regexp with a lookbehind", ["regexp_extract(s, '(?<=😀)(.)', 1)", "regexp_replace(s, '(?<!l)l', 'L')", "regexp_extract(s, '(?<=(é))l', 1)", "s RLIKE '(?<=a)b'"]),
  per("$ matches before a final line terminator", ["concat(s, '\\n') RLIKE 'c$'", "concat(s, '\\n') RLIKE 'c\\\\z'"]),
  per("dot does not match line terminators", ["concat('a', '\\r', s) RLIKE '^a.'", "concat('a', '\\r', s) RLIKE '(?s)^a.'"]),
  per("like with characters outside the BMP", ["s LIKE '_😀%'", "s LIKE '%😀_'", "s LIKE '𝄞%'", "s LIKE 'a\\\\%%'", "s ILIKE 'ABC'", "s LIKE '%\\n%'"]),
  // Errors.
  per("invalid regex in regexp_extract", ["regexp_extract(s, '(', 1)"]),
  per("invalid regex in regexp_replace", ["regexp_replace(s, '[a', 'x')"]),
  per("invalid replacement in regexp_replace", ["regexp_replace(s, '😀', '$')"]),
  per("replacement naming a missing group", ["regexp_replace(s, '(😀)', '$2')"]),
  per("regexp_extract group index out of range", ["regexp_extract(s, '(a)', 2)"]),
  per("split_part index 0", ["split_part(s, 'a', 0)"]),
  per("LIKE escape before an ordinary character", ["s LIKE 'a\\\\bc'"]),
  per("LIKE ending with the escape character", ["s LIKE 'a\\\\'"]),
  per("LIKE with a custom escape", ["s LIKE 'a!%%' ESCAPE '!'", "s LIKE '%!_%' ESCAPE '!'"]),
  per("regexp_extract_all", ["regexp_extract_all(s, '(.)😀', 1)", "regexp_extract_all(s, 'l', 0)", "regexp_extract_all(s, '(l)(x)?', 2)", "regexp_extract_all(s, 'x*', 0)"]),
  per("regexp_count, regexp_substr, regexp_instr", ["regexp_count(s, '😀')", "regexp_count(s, '')", "regexp_substr(s, '[😀𝄞].')", "regexp_substr(s, 'zz')", "regexp_instr(s, 'c')", "regexp_instr(s, '(b)(😀)', 2)", "regexp_instr(s, 'q')"]),
  per("levenshtein and find_in_set", ["levenshtein(s, 'a😀c')", "levenshtein(s, '𝄞', 2)", "find_in_set(s, concat('x,', s))", "find_in_set('😀', s)"]),
  per("hex and unhex of UTF-8 bytes", ["hex(s)", "hex(CAST(s AS BINARY))", "hex(id - 3)", "unhex(hex(s))", "unhex('F09F9880A')", "unhex('zz')"]),
  per("encode and decode", ["encode(s, 'UTF-8')", "encode(s, 'utf-16le')", "encode(s, 'UTF-16BE')", "encode(substring(s, 1, 1), 'ISO-8859-1')", "decode(encode(s, 'UTF-16'), 'UTF-16')", "decode(encode(s, 'UTF-32'), 'UTF-32')"]),
  per("encode and decode ASCII", ["encode(concat('ab', id), 'US-ASCII')", "decode(encode(concat('ab', id), 'US-ASCII'), 'us-ascii')", "decode(CAST(s AS BINARY), 'ISO-8859-1')"]),
  per("encode of a character ASCII lacks", ["encode(s, 'US-ASCII')"]),
  per("decode of malformed UTF-16", ["decode(unbase64('2DQ='), 'UTF-16BE')"]),
  per("decode of malformed UTF-8", ["decode(unbase64('wyg='), 'UTF-8')"]),
  per("decode with an unknown charset", ["decode(CAST(s AS BINARY), 'EBCDIC')"]),
  // Java regex syntax that RE2 spells differently.
  per("Java classes and escapes", ["s RLIKE '\\\\h'", "concat(s, '\r\n') RLIKE 'c\\\\R'", "s RLIKE '^\\\\p{Lu}'", "s RLIKE '\\\\p{IsLatin}'", "s RLIKE '\\\\0141'", "s RLIKE '\\\\x41|\\\\x{1F600}'", "s RLIKE '[x[bc]]'", "s RLIKE '\\\\p{javaLowerCase}$'", "s RLIKE '\\\\P{Alpha}'", "regexp_replace(s, '[\\\\P{Alpha}l]', '_')", "regexp_replace(s, '[^\\\\p{Punct}\\\\p{Space}]', '')"]),
  per("possessive quantifiers and atomic groups", ["s RLIKE '^a*+b'", "s RLIKE '(?>l+)o'", "regexp_extract(s, '(l++)', 1)"]),
  per("anchors \\Z and multiline", ["concat(s, '\n') RLIKE 'c\\\\Z'", "concat('x\n', s) RLIKE '(?m)^a'", "concat('x\n', s) RLIKE '^a'"]),
  per("case-insensitive matching", ["s RLIKE '(?i)É'", "s RLIKE '(?i)HÉ'", "s RLIKE '(?iu)HÉ'", "s ILIKE '%É%'", "s ILIKE 'A😀%'"]),
  per("split with limits and leading matches", ["split(concat(',', s), ',')", "split(s, '😀', 1)", "split(s, '😀', 2)", "split(s, 'l', 10)", "split(concat(s, ',,'), ',', 0)"]),
  per("regexp_replace replacement escapes", ["regexp_replace(s, '(l)', '$10')", "regexp_replace(s, 'l', '\\\\\\\\')", "regexp_replace(s, '(l)(l)?', '<$2>')", "regexp_replace(s, 'x*', '-')"]),
  per("initcap of special letters", ["initcap(concat(' ', s, '  ﬀ ŉ 𐐨x ǈx ᾳx ᾲx ǰx ᾀx'))"]),
  per("upper and lower outside the BMP", ["upper(concat(s, '𐐨İ'))", "lower(concat(s, '𐐀İ'))"]),
  per("translate with repeated characters", ["translate(s, 'll😀😀', 'xyzw')", "translate(s, '😀', '')"]),
  per("substring_index with overlapping delimiters", ["substring_index(concat(s, 'aaa'), 'aa', 1)", "substring_index(concat('aaa', s), 'aa', -1)"]),
  per("repeat and pad outside the BMP", ["repeat(s, 2)", "lpad(s, 4, '😀')", "rpad(s, 5, '😀€')"]),
  per("string comparisons in BETWEEN and CASE", ["s BETWEEN '\ue000' AND '😀'", "CASE WHEN s > '\uffff' THEN 'astral' ELSE 'bmp' END"]),
]);
