/** Spark's null and conditional functions (`coalesce`, `nvl`, `nullif`, `isnull`, ...); `if` and CASE are rewritten by the analyzer. */
import { widerType } from "../analysis/type-coercion.js";
import { BooleanType, DoubleType, type DataType } from "../types/data-type.js";
import { typeMismatch, type FunctionDef } from "./function-def.js";

function common(name: string, types: readonly DataType[]): DataType {
  let t: DataType | undefined = types[0];
  for (const x of types.slice(1)) t = t && widerType(t, x);
  if (t === undefined) throw typeMismatch(name, "arguments must share a common type");
  return t;
}

export const conditionalFunctions: readonly FunctionDef[] = [
  {
    name: "coalesce", minArgs: 1, maxArgs: 1_000, nullSafe: true,
    resolve: (types) => { const t = common("coalesce", types); return { argTypes: types.map(() => t), returnType: t }; },
    compile: () => (a) => { for (const v of a) if (v !== null) return v; return null; },
  },
  {
    name: "nullif", minArgs: 2, maxArgs: 2, nullSafe: true,
    resolve: (types) => { const t = common("nullif", types); return { argTypes: [t, t], returnType: t }; },
    compile: () => (a) => (a[0] !== null && a[1] !== null && a[0] === a[1] ? null : a[0]),
  },
  {
    name: "isnull", minArgs: 1, maxArgs: 1, nullSafe: true,
    resolve: () => ({ argTypes: [undefined], returnType: BooleanType, nullable: false }),
    compile: () => (a) => a[0] === null,
  },
  {
    name: "isnotnull", minArgs: 1, maxArgs: 1, nullSafe: true,
    resolve: () => ({ argTypes: [undefined], returnType: BooleanType, nullable: false }),
    compile: () => (a) => a[0] !== null,
  },
  {
    name: "isnan", minArgs: 1, maxArgs: 1, nullSafe: true,
    resolve: () => ({ argTypes: [DoubleType], returnType: BooleanType, nullable: false }),
    compile: () => (a) => a[0] !== null && Number.isNaN(a[0]),
  },
  {
    name: "nanvl", minArgs: 2, maxArgs: 2,
    resolve: () => ({ argTypes: [DoubleType, DoubleType], returnType: DoubleType }),
    compile: () => (a) => (Number.isNaN(a[0]) ? a[1] : a[0]),
  },
];

/** Names the analyzer rewrites to other forms before lookup. */
export const FUNCTION_ALIASES: Readonly<Record<string, string>> = {
  nvl: "coalesce", ifnull: "coalesce", "<<": "shiftleft", ">>": "shiftright", ">>>": "shiftrightunsigned",
};
