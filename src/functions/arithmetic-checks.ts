/** Spark's ANSI arithmetic checks and errors, shared by the operators and the functions (abs, pmod, try_*, ...). */
import { SluiceError } from "../errors/sluice-error.js";

export function divideByZero(): SluiceError {
  return new SluiceError("DIVIDE_BY_ZERO", "Division by zero. Use `try_divide` to tolerate divisor being 0 and return NULL instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error.", { params: { config: "\"spark.sql.ansi.enabled\"" } });
}

/** `arr[i]` (and `elt`) outside the array under ANSI. */
export function invalidArrayIndex(index: number, size: number): SluiceError {
  return new SluiceError("INVALID_ARRAY_INDEX", `The index ${index} is out of bounds. The array has ${size} elements. Use the SQL function \`get()\` to tolerate accessing element at invalid index and return NULL instead. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error.`,
    { params: { indexValue: String(index), arraySize: String(size), ansiConfig: "\"spark.sql.ansi.enabled\"" } });
}

export function remainderByZero(): SluiceError {
  return new SluiceError("REMAINDER_BY_ZERO", "Remainder by zero. Use `try_mod` to tolerate divisor being 0 and return NULL instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error.", { params: { config: "\"spark.sql.ansi.enabled\"" } });
}

const TRY_NAME: Record<string, string> = { "+": "try_add", "-": "try_subtract", "*": "try_multiply", "/": "try_divide", div: "try_divide", "%": "try_mod" };

/**
 * Spark's overflow errors: ARITHMETIC_OVERFLOW for INT and BIGINT (`integer overflow`, `long overflow`), and
 * BINARY_ARITHMETIC_OVERFLOW (with the operands) for TINYINT and SMALLINT, whose arithmetic Spark checks exactly.
 */
export function overflow(op: string, type: string, a?: unknown, b?: unknown): SluiceError {
  const alt = TRY_NAME[op];
  if ((type === "TINYINT" || type === "SMALLINT") && a !== undefined) {
    const suffix = type === "TINYINT" ? "Y" : "S";
    return new SluiceError("BINARY_ARITHMETIC_OVERFLOW", `${String(a)}${suffix} ${op} ${String(b)}${suffix} caused overflow. Use \`${alt}\` to ignore overflow problem and return NULL.`,
      { params: { value1: `${String(a)}${suffix}`, symbol: op, value2: `${String(b)}${suffix}`, functionName: `\`${alt}\`` } });
  }
  const message = op === "div" ? "Overflow in integral divide" : type === "BIGINT" ? "long overflow" : type === "INT" ? "integer overflow" : "overflow";
  return new SluiceError("ARITHMETIC_OVERFLOW", `${message}.${alt ? ` Use '${alt}' to tolerate overflow and return NULL instead.` : ""} If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error.`,
    { params: { message, alternative: alt ? ` Use '${alt}' to tolerate overflow and return NULL instead.` : "", config: "\"spark.sql.ansi.enabled\"", operator: op, type } });
}

/** Wraps an integral value into the range of `kind` (two's complement), as Java's legacy (non-ANSI) arithmetic. */
export function wrapIntegral(v: number | bigint, kind: string): number | bigint {
  if (kind === "long") { const w = BigInt.asIntN(64, BigInt(v)); return Number.isSafeInteger(Number(w)) ? Number(w) : w; }
  const n = Number(v);
  return kind === "integer" ? n | 0 : kind === "short" ? (n << 16) >> 16 : kind === "byte" ? (n << 24) >> 24 : n;
}

const INTEGRAL_RANGE: Record<string, readonly [bigint, bigint]> = {
  byte: [-128n, 127n], short: [-32768n, 32767n], integer: [-2147483648n, 2147483647n], long: [-9223372036854775808n, 9223372036854775807n],
};

/** An exact integral result checked against the range of `kind`: the value, or Spark's overflow (ANSI) or the wrapped value. */
export function checkIntegral(v: bigint, kind: string, ansi: boolean, op: string, a?: unknown, b?: unknown): number | bigint {
  const r = INTEGRAL_RANGE[kind]!;
  if (v < r[0] || v > r[1]) {
    if (ansi) throw overflow(op, kind === "long" ? "BIGINT" : kind === "integer" ? "INT" : kind === "short" ? "SMALLINT" : "TINYINT", a, b);
    return wrapIntegral(v, kind);
  }
  return Number.isSafeInteger(Number(v)) ? Number(v) : v;
}

