/** The contract of a built-in scalar function: arity, type checking with implicit casts, row-level implementation. */
import { AnalysisException } from "../errors/sluice-error.js";
import type { EvalContext } from "../expressions/eval-context.js";
import type { Expression } from "../expressions/expression.js";
import { simpleString, type DataType } from "../types/data-type.js";

/** What type checking decided: the types the arguments are cast to, and the result type. */
export interface ResolvedSignature {
  /** Per argument, the type to cast it to, or undefined to keep it as it is. */
  readonly argTypes: readonly (DataType | undefined)[];
  readonly returnType: DataType;
  readonly nullable?: boolean;
}

/** A row-level implementation; receives non-null arguments unless the function is `nullSafe`. */
export type RowFunction = (args: readonly unknown[]) => unknown;

export interface FunctionDef {
  readonly name: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  /** When true, the implementation sees null arguments; otherwise a null argument gives null without a call. */
  readonly nullSafe?: boolean;
  /** Non-deterministic or batch-dependent (current_timestamp): never constant-folded. */
  readonly volatile?: boolean;
  resolve(argTypes: readonly DataType[], args: readonly Expression[]): ResolvedSignature;
  compile(argTypes: readonly DataType[], returnType: DataType, ctx: EvalContext, args: readonly Expression[]): RowFunction;
}

export function typeMismatch(fn: string, message: string, params: Record<string, string> = {}): AnalysisException {
  return new AnalysisException("DATATYPE_MISMATCH", `Cannot resolve "${fn}": ${message}`, { params: { functionName: fn, ...params } });
}

/** Returns the constant value of a literal argument, or fails with a message naming the function. */
export function literalArg(fn: string, args: readonly Expression[], i: number): unknown {
  const a = args[i];
  if (a === undefined) return undefined;
  if (a.kind === "literal") return a.value;
  if (a.kind === "cast" && a.child.kind === "literal") return a.child.value;
  throw typeMismatch(fn, `argument ${i + 1} must be a constant`, { argument: String(i + 1) });
}

export function requireType(fn: string, t: DataType, ok: (t: DataType) => boolean, expected: string, i: number): void {
  if (!ok(t)) throw typeMismatch(fn, `argument ${i + 1} requires ${expected}, but got ${simpleString(t)}`, { argument: String(i + 1), expected, actual: simpleString(t) });
}

/** A function whose arguments are implicitly cast to fixed types. */
export function fixed(
  name: string, params: readonly DataType[], returnType: DataType,
  impl: (ctx: EvalContext) => RowFunction, opts: { optional?: number; nullSafe?: boolean } = {},
): FunctionDef {
  return {
    name, minArgs: params.length - (opts.optional ?? 0), maxArgs: params.length, nullSafe: opts.nullSafe ?? false,
    resolve: (argTypes) => ({ argTypes: argTypes.map((_, i) => params[i]), returnType }),
    compile: (_t, _r, ctx) => impl(ctx),
  };
}
