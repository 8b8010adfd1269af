/**
 * Exact arithmetic on decimals held as unscaled bigints (see src/types/decimal.ts), with Spark's semantics: the
 * result is computed exactly (division: to 38 decimal places, HALF_UP, as Spark's `Decimal./`), then rounded HALF_UP
 * to the result type's scale; a result beyond its precision is an overflow — `NUMERIC_VALUE_OUT_OF_RANGE` under ANSI,
 * NULL otherwise. Division or remainder by zero is `DIVIDE_BY_ZERO` under ANSI, NULL otherwise.
 */
import { SluiceError, internalError } from "../errors/sluice-error.js";
import { divideByZero, remainderByZero } from "../functions/arithmetic-checks.js";
import type { DecimalType } from "../types/data-type.js";
import { MAX_PRECISION, divideHalfUp, fitsPrecision, formatUnscaled, pow10, rescale } from "../types/decimal.js";

export function decimalOverflow(u: bigint, scale: number, t: DecimalType): SluiceError {
  return new SluiceError("NUMERIC_VALUE_OUT_OF_RANGE",
    ` ${formatUnscaled(u, scale)} cannot be represented as Decimal(${t.precision}, ${t.scale}). If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error.`,
    { params: { value: formatUnscaled(u, scale), precision: t.precision, scale: t.scale } });
}

/**
 * The row function of `op` on two decimals of types `lt` and `rt` giving `out`: unscaled in, unscaled (or null) out.
 * `failOnError` is ANSI mode (try_* functions pass false).
 */
export function decimalBinary(op: "+" | "-" | "*" | "/" | "%", lt: DecimalType, rt: DecimalType, out: DecimalType, failOnError: boolean): (a: bigint, b: bigint) => bigint | null {
  const ls = lt.scale, rs = rt.scale, os = out.scale;
  const finish = (u: bigint, scale: number): bigint | null => {
    const r = rescale(u, scale, os);
    if (fitsPrecision(r, out.precision)) return r;
    if (failOnError) throw decimalOverflow(u, scale, out);
    return null;
  };
  const s = Math.max(ls, rs);
  const lf = pow10(s - ls), rf = pow10(s - rs);
  switch (op) {
    case "+": return (a, b) => finish(a * lf + b * rf, s);
    case "-": return (a, b) => finish(a * lf - b * rf, s);
    case "*": return (a, b) => finish(a * b, ls + rs);
    case "/": {
      // a/10^ls ÷ b/10^rs at scale 38 = (a · 10^(rs + 38 - ls)) / b, with ls ≤ 38 always.
      const up = pow10(rs + MAX_PRECISION - ls);
      return (a, b) => {
        if (b === 0n) { if (failOnError) throw divideByZero(); return null; }
        return finish(divideHalfUp(a * up, b), MAX_PRECISION);
      };
    }
    case "%": return (a, b) => {
      if (b === 0n) { if (failOnError) throw remainderByZero(); return null; }
      return finish((a * lf) % (b * rf), s);
    };
  }
  throw internalError(`decimal operator ${String(op)}`);
}
