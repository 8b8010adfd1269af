/** Turns a JS value into a literal expression with the type PySpark's `lit` would give it. */
import { Expr, type Expression } from "../expressions/expression.js";
import {
  BinaryType, BooleanType, DoubleType, IntegerType, LongType, NullType, StringType, TimestampType, arrayType, decimalType, type DataType,
} from "../types/data-type.js";
import { Decimal, digitCount } from "../types/decimal.js";
import { Timestamp } from "../types/timestamp.js";

export function literalType(v: unknown): DataType {
  if (v === null || v === undefined) return NullType;
  if (typeof v === "boolean") return BooleanType;
  if (typeof v === "bigint") return LongType;
  if (typeof v === "number") return Number.isInteger(v) ? (v >= -2147483648 && v <= 2147483647 ? IntegerType : LongType) : DoubleType;
  if (typeof v === "string") return StringType;
  if (v instanceof Date) return TimestampType;
  if (v instanceof Uint8Array) return BinaryType;
  if (v instanceof Decimal) return decimalType(Math.max(digitCount(v.unscaled), v.scale, 1), v.scale);
  if (Array.isArray(v)) return arrayType(v.length > 0 ? literalType(v[0]) : NullType);
  return StringType;
}

export function literalExpression(v: unknown): Expression {
  if (v === undefined) v = null;
  if (v instanceof Timestamp) return Expr.literal(v.epochMicros, TimestampType);
  if (v instanceof Date) return Expr.literal(v.getTime() * 1000, TimestampType);
  if (Array.isArray(v)) return Expr.fn("array", v.map(literalExpression));
  if (v instanceof Decimal) return Expr.literal(v.unscaled, literalType(v));
  if (typeof v === "bigint") return Expr.literal(v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v, LongType);
  return Expr.literal(v, literalType(v));
}
