import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ParseException } from "../../src/errors/sluice-error.js";
import { sqlText } from "../../src/analysis/expression-types.js";
import { parseDataType, parseExpression, parseNamedExpression, parseSchema } from "../../src/sql/parser.js";
import { simpleString, treeString } from "../../src/types/data-type.js";

describe("SQL expression parser", () => {
  it("follows Spark's precedence", () => {
    assert.equal(sqlText(parseExpression("a + b * c - d")), "((a + (b * c)) - d)");
    assert.equal(sqlText(parseExpression("a = 1 OR b = 2 AND NOT c")), "((a = 1) OR ((b = 2) AND (NOT c)))");
    assert.equal(sqlText(parseExpression("a || b = 'xy'")), "((a || b) = xy)");
    assert.equal(sqlText(parseExpression("-a.b[0]")), "(- a.b[0])");
  });

  it("parses the seeds' expressions", () => {
    assert.equal(sqlText(parseExpression("CAST(value AS STRING)")), "CAST(value AS STRING)");
    assert.equal(sqlText(parseExpression("case when Type == 'BUY' then Amount else 0 end")), "CASE WHEN (Type = BUY) THEN Amount ELSE 0 END");
    assert.equal(sqlText(parseNamedExpression("explode(split(value,' ')) as word")), "word");
    const between = parseExpression("ClickTime BETWEEN ImpressionTime AND ImpressionTime + interval 15 minute");
    // Spark's parser keeps BETWEEN (named `between(...)`); the analyzer evaluates it as `>= AND <=`.
    assert.equal(sqlText(between), "between(ClickTime, ImpressionTime, (ImpressionTime + INTERVAL '900 seconds'))");
    assert.deepEqual(parseExpression("value.*"), { kind: "star", qualifier: ["value"] });
    assert.deepEqual(parseExpression("`my col`.`x.y`"), { kind: "column", nameParts: ["my col", "x.y"] });
    assert.equal(sqlText(parseExpression("x NOT IN (1, 2) AND y NOT LIKE 'a%' AND z RLIKE '^b' AND w IS NOT NULL")),
      "((((NOT (x IN (1, 2))) AND (NOT y LIKE a%)) AND RLIKE(z, ^b)) AND (w IS NOT NULL))");
  });

  it("types numeric literals as Spark does", () => {
    const t = (s: string): string => simpleString((parseExpression(s) as unknown as { dataType: never }).dataType);
    assert.equal(t("1"), "int");
    assert.equal(t("2147483648"), "bigint");
    assert.equal(t("10L"), "bigint");
    assert.equal(t("1.5"), "decimal(2,1)");
    assert.equal(t("1.5D"), "double");
    assert.equal(t("1e3"), "double");
    assert.equal(t("1S"), "smallint");
    assert.equal(t("1Y"), "tinyint");
    assert.deepEqual(parseExpression("9223372036854775807L"), { kind: "literal", value: 9223372036854775807n, dataType: { kind: "long" } });
  });

  it("parses interval literals in every accepted form", () => {
    const v = (s: string): unknown => (parseExpression(s) as { value: unknown }).value;
    assert.deepEqual(v("interval 15 minute"), { months: 0, days: 0, micros: 900_000_000 });
    assert.deepEqual(v("interval '15 minutes'"), { months: 0, days: 0, micros: 900_000_000 });
    assert.deepEqual(v("INTERVAL '1' DAY"), { months: 0, days: 1, micros: 0 });
    assert.deepEqual(v("interval 1 hour 30 minutes"), { months: 0, days: 0, micros: 5_400_000_000 });
  });

  it("reports syntax errors with a stable code and the offending position", () => {
    const cases: [string, number][] = [["a +", 3], ["CAST(a AS)", 9], ["f(a,", 4], ["a b c", 4], ["'open", 0], ["a = = b", 4], ["CASE a END", 7]];
    for (const [text, pos] of cases) {
      assert.throws(() => parseNamedExpression(text), (e: unknown) => {
        assert.ok(e instanceof ParseException, text);
        assert.equal(e.code, "PARSE_SYNTAX_ERROR");
        assert.equal(e.position, pos, `position for ${JSON.stringify(text)}`);
        return true;
      });
    }
  });

  it("round-trips integer and string literals (property)", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2147483647 }), (n) => {
      assert.deepEqual(parseExpression(String(n)), { kind: "literal", value: n, dataType: { kind: "integer" } });
    }));
    fc.assert(fc.property(fc.string(), (s) => {
      const quoted = `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
      assert.deepEqual(parseExpression(quoted), { kind: "literal", value: s, dataType: { kind: "string" } });
    }));
  });

  it("round-trips backquoted identifiers (property)", () => {
    fc.assert(fc.property(fc.string({ minLength: 1 }), (name) => {
      const e = parseExpression("`" + name.replace(/`/g, "``") + "`");
      assert.deepEqual(e, { kind: "column", nameParts: [name] });
    }));
  });

  it("never throws anything but a ParseException on arbitrary text (property)", () => {
    fc.assert(fc.property(fc.string(), (text) => {
      try { parseExpression(text); } catch (e) {
        assert.ok(e instanceof ParseException, `unexpected ${String(e)} for ${JSON.stringify(text)}`);
        assert.ok(e.position >= 0 && e.position <= text.length);
      }
    }), { numRuns: 2000 });
  });

  it("keeps sqlText a fixpoint for generated arithmetic (property)", () => {
    const leaf = fc.oneof(fc.constantFrom("a", "b", "c"), fc.integer({ min: 0, max: 99 }).map(String));
    const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf,
        fc.tuple(tie("e"), fc.constantFrom("+", "-", "*", "/", "%"), tie("e")).map(([l, op, r]) => `${l} ${op} ${r}`),
        tie("e").map((x) => `(${x})`)),
    })).e;
    fc.assert(fc.property(expr, (text) => {
      const once = sqlText(parseExpression(text));
      assert.equal(sqlText(parseExpression(once)), once);
    }));
  });
});

describe("DDL types and schemas", () => {
  it("parses nested DDL and prints it as Spark's printSchema", () => {
    const s = parseSchema("CreatedTime STRING, Amount INT NOT NULL, b STRUCT<c: STRING, d: ARRAY<DOUBLE>>, m MAP<STRING, BIGINT>");
    assert.equal(treeString(s), [
      "root",
      " |-- CreatedTime: string (nullable = true)",
      " |-- Amount: integer (nullable = false)",
      " |-- b: struct (nullable = true)",
      " |    |-- c: string (nullable = true)",
      " |    |-- d: array (nullable = true)",
      " |    |    |-- element: double (containsNull = true)",
      " |-- m: map (nullable = true)",
      " |    |-- key: string",
      " |    |-- value: long (valueContainsNull = true)",
      "",
    ].join("\n"));
  });

  it("accepts Spark's type names and rejects unknown ones with a position", () => {
    assert.equal(simpleString(parseDataType("decimal(10, 2)")), "decimal(10,2)");
    assert.equal(simpleString(parseDataType("array<struct<a:int>>")), "array<struct<a:int>>");
    assert.equal(simpleString(parseDataType("LONG")), "bigint");
    assert.throws(() => parseSchema("a INT, b FOO"), { code: "PARSE_SYNTAX_ERROR", position: 9 });
    assert.throws(() => parseDataType("decimal(40,2)"), { code: "PARSE_SYNTAX_ERROR" });
  });
});
