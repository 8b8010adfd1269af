/**
 * Aggregate functions as buffer algebras: `init`, `update` with one row's arguments, `merge` two buffers, `finish`.
 * Buffers are plain values (numbers, bigints, arrays, Maps) so the state store can persist them.
 */
import { AnalysisException, SluiceError } from "../errors/sluice-error.js";
import { decimalOverflow } from "../execution/decimal-arithmetic.js";
import { DoubleType, LongType, arrayType, decimalType, isNumeric, simpleString, type DataType, type DecimalType } from "../types/data-type.js";
import { divideHalfUp, fitsPrecision, pow10, rescale, unscaledToDouble } from "../types/decimal.js";
import { compareValues } from "./math-functions.js";
import { rowKey } from "../execution/row-key.js";

export interface AggregateFunction {
  readonly name: string;
  readonly resultType: DataType;
  /** Result when no row was aggregated (count gives 0; most give null). */
  readonly nullable: boolean;
  init(): unknown;
  /** `args` are the evaluated argument values of one row. */
  update(buffer: unknown, args: readonly unknown[]): unknown;
  merge(a: unknown, b: unknown): unknown;
  finish(buffer: unknown): unknown;
}

function mismatch(name: string, t: DataType): AnalysisException {
  return new AnalysisException("DATATYPE_MISMATCH", `Cannot resolve "${name}" due to data type mismatch: requires a numeric type, not ${simpleString(t)}.`, { params: { functionName: name, inputType: simpleString(t) } });
}

function sumOverflow(kind = "decimals"): SluiceError {
  return new SluiceError("ARITHMETIC_OVERFLOW", `Overflow in sum of ${kind}. Use 'try_sum' to tolerate overflow and return NULL instead. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error.`, { params: { message: `Overflow in sum of ${kind}` } });
}

/** A 64-bit sum: exact, wrapping past the BIGINT range as Spark's non-ANSI Add does, ARITHMETIC_OVERFLOW under ANSI. */
const addExact = (a: number | bigint, b: number | bigint, ansi: boolean): number | bigint => {
  if (typeof a === "number" && typeof b === "number") {
    const s = a + b;
    if (Number.isSafeInteger(s)) return s;
  }
  let s = BigInt(a) + BigInt(b);
  if (s > 9223372036854775807n || s < -9223372036854775808n) {
    if (ansi) throw new SluiceError("ARITHMETIC_OVERFLOW", "long overflow. Use 'try_add' to tolerate overflow and return NULL instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error.", { params: { message: "long overflow" } });
    s = BigInt.asIntN(64, s);
  }
  return s >= -9007199254740991n && s <= 9007199254740991n ? Number(s) : s;
};

function checkDecimalSum(u: bigint, t: DecimalType, ansi: boolean): bigint | null {
  if (fitsPrecision(u, t.precision)) return u;
  if (ansi) throw sumOverflow();
  return null;
}

/** The aggregate named `name` over arguments of `argTypes`. */
export function aggregateFunction(name: string, argTypes: readonly DataType[], distinct: boolean, ansi = true): AggregateFunction {
  const t = argTypes[0];
  const fn = ((): AggregateFunction => {
    switch (name) {
      case "count": return {
        name, resultType: LongType, nullable: false,
        init: () => 0,
        update: (b, a) => (a.every((x) => x !== null) ? (b as number) + 1 : b),
        merge: (a, b) => (a as number) + (b as number),
        finish: (b) => b,
      };
      case "sum": {
        if (!t || !(isNumeric(t) || t.kind === "null")) throw mismatch(name, t ?? LongType);
        const integral = t.kind === "byte" || t.kind === "short" || t.kind === "integer" || t.kind === "long";
        if (t.kind === "decimal") {
          // Exact: unscaled bigints at the input's scale; the result type is DECIMAL(p + 10, s), checked at the end.
          const resultType = decimalType(Math.min(38, t.precision + 10), t.scale);
          return {
            name, resultType, nullable: true,
            init: () => null,
            update: (b, [x]) => (x === null ? b : b === null ? x : (b as bigint) + (x as bigint)),
            merge: (a, b) => (a === null ? b : b === null ? a : (a as bigint) + (b as bigint)),
            finish: (b) => (b === null ? null : checkDecimalSum(b as bigint, resultType, ansi)),
          };
        }
        const add = (a: number | bigint, b: number | bigint): number | bigint => addExact(a, b, ansi);
        const resultType = integral ? LongType : DoubleType;
        return {
          name, resultType, nullable: true,
          init: () => null,
          update: (b, [x]) => (x === null ? b : b === null ? (integral ? x : Number(x)) : integral ? add(b as number, x as number) : (b as number) + Number(x)),
          merge: (a, b) => (a === null ? b : b === null ? a : integral ? add(a as number, b as number) : (a as number) + (b as number)),
          finish: (b) => b,
        };
      }
      case "avg": case "mean": {
        if (!t || !(isNumeric(t) || t.kind === "null")) throw mismatch(name, t ?? DoubleType);
        if (t.kind === "decimal") {
          // Spark: sum as DECIMAL(p + 10, s) divided by the count as DECIMAL(20,0), cast to DECIMAL(p + 4, s + 4).
          const resultType = decimalType(Math.min(38, t.precision + 4), Math.min(38, t.scale + 4));
          const sumType = decimalType(Math.min(38, t.precision + 10), t.scale);
          // Spark divides the sum by the count as Decimal./ does (HALF_UP at 38 places, unchecked), then casts.
          const up = pow10(38 - sumType.scale);
          return {
            name, resultType, nullable: true,
            init: () => [0n, 0],
            update: (b, [x]) => { if (x === null) return b; const [s, c] = b as [bigint, number]; return [s + (x as bigint), c + 1]; },
            merge: (a, b) => { const [s1, c1] = a as [bigint, number], [s2, c2] = b as [bigint, number]; return [s1 + s2, c1 + c2]; },
            finish: (b) => {
              const [s, c] = b as [bigint, number];
              if (c === 0) return null;
              if (!fitsPrecision(s, sumType.precision)) { if (ansi) throw sumOverflow(); return null; }
              const q = divideHalfUp(s * up, BigInt(c));
              const r = rescale(q, 38, resultType.scale);
              if (fitsPrecision(r, resultType.precision)) return r;
              if (ansi) throw decimalOverflow(q, 38, resultType);
              return null;
            },
          };
        }
        return {
          name, resultType: DoubleType, nullable: true,
          init: () => [0, 0],
          update: (b, [x]) => { if (x === null) return b; const [s, c] = b as [number, number]; return [s + Number(x), c + 1]; },
          merge: (a, b) => { const [s1, c1] = a as [number, number], [s2, c2] = b as [number, number]; return [s1 + s2, c1 + c2]; },
          finish: (b) => { const [s, c] = b as [number, number]; return c === 0 ? null : s / c; },
        };
      }
      case "min": case "max": {
        const better = name === "min" ? (c: number) => c < 0 : (c: number) => c > 0;
        return {
          name, resultType: t!, nullable: true,
          init: () => null,
          update: (b, [x]) => (x === null ? b : b === null || better(compareValues(x, b)) ? x : b),
          merge: (a, b) => (a === null ? b : b === null ? a : better(compareValues(b, a)) ? b : a),
          finish: (b) => b,
        };
      }
      case "first": case "first_value": case "any_value": case "last": case "last_value": {
        const isFirst = !name.startsWith("last");
        // Buffer: [seen, value]; the optional second argument is ignoreNulls (Spark's default false).
        return {
          name, resultType: t!, nullable: true,
          init: () => [false, null],
          update: (b, [x, ignoreNulls]) => {
            const [seen] = b as [boolean, unknown];
            if (ignoreNulls === true && x === null) return b;
            return isFirst && seen ? b : [true, x];
          },
          merge: (a, b) => { const [sa] = a as [boolean, unknown], [sb] = b as [boolean, unknown]; return isFirst ? (sa ? a : b) : (sb ? b : a); },
          finish: (b) => (b as [boolean, unknown])[1],
        };
      }
      case "collect_list": return {
        name, resultType: arrayType(t!, false), nullable: false,
        init: () => [],
        update: (b, [x]) => (x === null ? b : [...(b as unknown[]), x]),
        merge: (a, b) => [...(a as unknown[]), ...(b as unknown[])],
        finish: (b) => b,
      };
      case "collect_set": case "approx_count_distinct": case "count_distinct": {
        // Exact sets (approx_count_distinct is exact here: Spark's HLL++ estimate equals it at small cardinalities).
        const asCount = name !== "collect_set";
        return {
          name, resultType: asCount ? LongType : arrayType(t!, false), nullable: false,
          init: () => new Map<string, unknown>(),
          update: (b, a) => {
            if (a.some((x) => x === null)) return b;
            const m = b as Map<string, unknown>;
            m.set(rowKey(asCount ? a : [a[0]]), a[0]);
            return m;
          },
          merge: (a, b) => { const m = new Map(a as Map<string, unknown>); for (const [k, v] of b as Map<string, unknown>) m.set(k, v); return m; },
          finish: (b) => (asCount ? (b as Map<string, unknown>).size : [...(b as Map<string, unknown>).values()]),
        };
      }
      case "stddev": case "stddev_samp": case "stddev_pop": case "variance": case "var_samp": case "var_pop": {
        if (!t || !(isNumeric(t) || t.kind === "null")) throw mismatch(name, t ?? DoubleType);
        const pop = name.endsWith("_pop"), sqrt = name.startsWith("stddev");
        // Spark casts the input to double (a decimal's value, not its unscaled integer).
        const toDouble = t.kind === "decimal" ? ((x: unknown) => unscaledToDouble(x as bigint, t.scale)) : Number;
        // Welford's algorithm: [n, mean, m2].
        return {
          name, resultType: DoubleType, nullable: true,
          init: () => [0, 0, 0],
          update: (b, [x]) => {
            if (x === null) return b;
            const [n, mean, m2] = b as [number, number, number];
            const v = toDouble(x), n1 = n + 1, d = v - mean, mean1 = mean + d / n1;
            return [n1, mean1, m2 + d * (v - mean1)];
          },
          merge: (a, b) => {
            const [na, ma, sa] = a as [number, number, number], [nb, mb, sb] = b as [number, number, number];
            const n = na + nb;
            if (n === 0) return a;
            const d = mb - ma;
            return [n, ma + (d * nb) / n, sa + sb + (d * d * na * nb) / n];
          },
          finish: (b) => {
            const [n, , m2] = b as [number, number, number];
            if (n === 0) return null;
            if (!pop && n === 1) return null;
            const v = m2 / (pop ? n : n - 1);
            return sqrt ? Math.sqrt(v) : v;
          },
        };
      }
      case "bool_and": case "every": case "bool_or": case "some": case "any": {
        const and = name === "bool_and" || name === "every";
        return {
          name, resultType: { kind: "boolean" }, nullable: true,
          init: () => null,
          update: (b, [x]) => (x === null ? b : b === null ? x : and ? (b as boolean) && (x as boolean) : (b as boolean) || (x as boolean)),
          merge: (a, b) => (a === null ? b : b === null ? a : and ? (a as boolean) && (b as boolean) : (a as boolean) || (b as boolean)),
          finish: (b) => b,
        };
      }
      default:
        throw new AnalysisException("UNRESOLVED_ROUTINE", `Cannot resolve function \`${name}\` on search path [\`system\`.\`builtin\`].`, { params: { routineName: `\`${name}\`` } });
    }
  })();
  if (!distinct || name === "collect_set" || name === "approx_count_distinct") return fn;
  // f(DISTINCT x): feed each distinct argument tuple once.
  return {
    ...fn,
    init: () => new Map<string, readonly unknown[]>(),
    update: (b, a) => { (b as Map<string, readonly unknown[]>).set(rowKey(a), [...a]); return b; },
    merge: (a, b) => new Map([...(a as Map<string, readonly unknown[]>), ...(b as Map<string, readonly unknown[]>)]),
    finish: (b) => {
      let buf = fn.init();
      for (const a of (b as Map<string, readonly unknown[]>).values()) buf = fn.update(buf, a);
      return fn.finish(buf);
    },
  };
}

