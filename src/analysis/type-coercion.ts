/** Spark's implicit type widening: which common type two operands meet at, and decimal result types. */
import type { Expression } from "../expressions/expression.js";
import {
  DoubleType, LongType, StringType, TimestampType, arrayType, decimalType, isIntegral, isNumeric, mapType, sameType, structField, structType,
  type DataType, type DecimalType,
} from "../types/data-type.js";

const NUMERIC_RANK: Record<string, number> = { byte: 1, short: 2, integer: 3, long: 4, decimal: 5, float: 6, double: 7 };

/** The decimal type able to hold every value of an integral type, as Spark's `DecimalType.forType`. */
export function decimalForIntegral(t: DataType): DecimalType {
  switch (t.kind) {
    case "byte": return decimalType(3, 0);
    case "short": return decimalType(5, 0);
    case "integer": return decimalType(10, 0);
    case "long": return decimalType(20, 0);
    default: return t as DecimalType;
  }
}

/**
 * The decimal type an operand of decimal arithmetic takes: its own if decimal; for an integral literal the decimal of
 * its digits (Spark's `DecimalType.fromLiteral`: 1 → DECIMAL(1,0)); otherwise `decimalForIntegral`.
 */
export function decimalOperandType(e: Expression, t: DataType): DecimalType {
  if (t.kind === "decimal") return t;
  if (e.kind === "literal" && e.value !== null && isIntegral(t)) {
    const digits = String(e.value).replace("-", "").length;
    return decimalType(Math.max(digits, 1), 0);
  }
  return decimalForIntegral(t);
}

function boundedDecimal(precision: number, scale: number): DecimalType {
  // Spark's adjustPrecisionScale with allowPrecisionLoss = true.
  if (precision <= 38) return decimalType(precision, scale);
  const intDigits = precision - scale;
  const minScale = Math.min(scale, 6);
  const adjustedScale = Math.max(38 - intDigits, minScale);
  return decimalType(38, adjustedScale);
}

export function widerDecimal(a: DecimalType, b: DecimalType): DecimalType {
  const scale = Math.max(a.scale, b.scale);
  const range = Math.max(a.precision - a.scale, b.precision - b.scale);
  return boundedDecimal(range + scale, scale);
}

/** The tightest common type of two types, or undefined if they have none (Spark's findWiderTypeForTwo). */
export function widerType(a: DataType, b: DataType): DataType | undefined {
  if (sameType(a, b, true)) return a;
  if (a.kind === "null") return b;
  if (b.kind === "null") return a;
  if (isNumeric(a) && isNumeric(b)) {
    if (a.kind === "decimal" || b.kind === "decimal") {
      if (a.kind === "float" || a.kind === "double" || b.kind === "float" || b.kind === "double") return DoubleType;
      return widerDecimal(decimalForIntegral(a), decimalForIntegral(b));
    }
    return NUMERIC_RANK[a.kind]! >= NUMERIC_RANK[b.kind]! ? a : b;
  }
  if ((a.kind === "date" && b.kind === "timestamp") || (a.kind === "timestamp" && b.kind === "date")) return TimestampType;
  if (a.kind === "string" && b.kind !== "binary" && b.kind !== "array" && b.kind !== "map" && b.kind !== "struct") return StringType;
  if (b.kind === "string" && a.kind !== "binary" && a.kind !== "array" && a.kind !== "map" && a.kind !== "struct") return StringType;
  if (a.kind === "array" && b.kind === "array") {
    const el = widerType(a.elementType, b.elementType);
    return el && arrayType(el, a.containsNull || b.containsNull);
  }
  if (a.kind === "map" && b.kind === "map") {
    const k = widerType(a.keyType, b.keyType), v = widerType(a.valueType, b.valueType);
    return k && v && mapType(k, v, a.valueContainsNull || b.valueContainsNull);
  }
  if (a.kind === "struct" && b.kind === "struct" && a.fields.length === b.fields.length) {
    const fields = [];
    for (let i = 0; i < a.fields.length; i++) {
      const fa = a.fields[i]!, fb = b.fields[i]!;
      if (fa.name.toLowerCase() !== fb.name.toLowerCase()) return undefined;
      const t = widerType(fa.dataType, fb.dataType);
      if (!t) return undefined;
      fields.push(structField(fa.name, t, fa.nullable || fb.nullable));
    }
    return structType(fields);
  }
  return undefined;
}

/** Common type for a comparison: like widerType, but strings meet numbers and dates at the non-string type. */
export function comparisonType(a: DataType, b: DataType): DataType | undefined {
  if (a.kind === "string" && (isNumeric(b) || b.kind === "date" || b.kind === "timestamp" || b.kind === "boolean")) return b.kind === "decimal" ? DoubleType : b;
  if (b.kind === "string" && (isNumeric(a) || a.kind === "date" || a.kind === "timestamp" || a.kind === "boolean")) return a.kind === "decimal" ? DoubleType : a;
  return widerType(a, b);
}

/** Result type of `+ - * / %` on decimals, per Spark's DecimalPrecision rules. */
export function decimalArithmeticType(op: string, a: DecimalType, b: DecimalType): DecimalType {
  const [p1, s1, p2, s2] = [a.precision, a.scale, b.precision, b.scale];
  switch (op) {
    case "+": case "-": {
      const scale = Math.max(s1, s2);
      return boundedDecimal(Math.max(p1 - s1, p2 - s2) + scale + 1, scale);
    }
    case "*": return boundedDecimal(p1 + p2 + 1, s1 + s2);
    case "/": {
      const scale = Math.max(6, s1 + p2 + 1);
      return boundedDecimal(p1 - s1 + s2 + scale, scale);
    }
    default: { // %
      const scale = Math.max(s1, s2);
      return boundedDecimal(Math.min(p1 - s1, p2 - s2) + scale, scale);
    }
  }
}

/** Result type of arithmetic between two numeric types. */
export function arithmeticType(op: string, a: DataType, b: DataType): DataType | undefined {
  if (a.kind === "string") a = DoubleType;
  if (b.kind === "string") b = DoubleType;
  if (a.kind === "null") a = b.kind === "null" ? DoubleType : b;
  if (b.kind === "null") b = a;
  if (!isNumeric(a) || !isNumeric(b)) return undefined;
  if (op === "div") return LongType;
  if (a.kind === "decimal" || b.kind === "decimal") {
    if (a.kind === "float" || a.kind === "double" || b.kind === "float" || b.kind === "double") return DoubleType;
    return decimalArithmeticType(op, decimalForIntegral(a), decimalForIntegral(b));
  }
  if (op === "/") return DoubleType;
  return widerType(a, b);
}
