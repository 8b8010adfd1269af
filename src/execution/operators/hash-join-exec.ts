/**
 * Hash join: equality conjuncts of the condition become hash keys (the right input is the build side), the rest is
 * checked on each candidate pair. Null keys never match under `=` (they do under `<=>`). Outer joins pad with nulls;
 * semi and anti joins emit left rows only. A condition without equality conjuncts joins every pair.
 */
import { getValue } from "../../columnar/column-vector.js";
import { RecordBatch } from "../../columnar/record-batch.js";
import { VectorBuilder } from "../../columnar/vector-builder.js";
import { sqlText } from "../../analysis/expression-types.js";
import { anyNode, conjuncts, transformUp, type Expression } from "../../expressions/expression.js";
import type { JoinType } from "../../plan/logical-plan.js";
import type { StructType } from "../../types/data-type.js";
import { compileExpression, type Evaluator } from "../expression-compiler.js";
import { rowKey } from "../row-key.js";
import type { ExecutionInput, PhysicalContext, PhysicalOperator } from "./physical-operator.js";

interface EquiKeys { readonly left: Expression[]; readonly right: Expression[]; readonly nullSafe: boolean[]; readonly residual: Expression | null }

/** True when every column `e` reads is at an ordinal in [lo, hi). */
function refsWithin(e: Expression, lo: number, hi: number): boolean {
  return !anyNode(e, (x) => x.kind === "boundRef" && (x.ordinal < lo || x.ordinal >= hi));
}

/** Rebases right-side references of an expression on the right input alone. */
function shift(e: Expression, by: number): Expression {
  return transformUp(e, (x) => (x.kind === "boundRef" ? { ...x, ordinal: x.ordinal - by } : x));
}

export function equiKeys(condition: Expression | null, leftWidth: number, width: number): EquiKeys {
  const keys: EquiKeys = { left: [], right: [], nullSafe: [], residual: null };
  if (condition === null) return keys;
  const rest: Expression[] = [];
  for (const c of conjuncts(condition)) {
    if (c.kind === "binary" && (c.op === "=" || c.op === "<=>")) {
      const l = c.left, r = c.right;
      if (refsWithin(l, 0, leftWidth) && refsWithin(r, leftWidth, width) && !refsWithin(l, leftWidth, width)) {
        keys.left.push(l); keys.right.push(shift(r, leftWidth)); keys.nullSafe.push(c.op === "<=>"); continue;
      }
      if (refsWithin(r, 0, leftWidth) && refsWithin(l, leftWidth, width) && !refsWithin(r, leftWidth, width)) {
        keys.left.push(r); keys.right.push(shift(l, leftWidth)); keys.nullSafe.push(c.op === "<=>"); continue;
      }
    }
    rest.push(c);
  }
  return { ...keys, residual: rest.length === 0 ? null : rest.reduce((a, b) => ({ kind: "binary", op: "and", left: a, right: b })) };
}

export class HashJoinExec implements PhysicalOperator {
  readonly name = "HashJoin";
  readonly children: readonly PhysicalOperator[];
  private readonly keys: EquiKeys;
  private readonly leftKeys: Evaluator[];
  private readonly rightKeys: Evaluator[];
  private readonly residual: Evaluator | null;
  constructor(readonly left: PhysicalOperator, readonly right: PhysicalOperator, readonly joinType: JoinType, readonly condition: Expression | null,
    readonly leftSchema: StructType, readonly rightSchema: StructType, readonly schema: StructType, ctx: PhysicalContext) {
    this.children = [left, right];
    const lw = leftSchema.fields.length;
    this.keys = equiKeys(condition, lw, lw + rightSchema.fields.length);
    this.leftKeys = this.keys.left.map((k) => compileExpression(k, ctx.evalCtx));
    this.rightKeys = this.keys.right.map((k) => compileExpression(k, ctx.evalCtx));
    this.residual = this.keys.residual === null ? null : compileExpression(this.keys.residual, ctx.evalCtx);
  }

  private keyOf(vecs: readonly import("../../columnar/column-vector.js").ColumnVector[], i: number): string | null {
    const vals = new Array<unknown>(vecs.length);
    for (let k = 0; k < vecs.length; k++) {
      const v = getValue(vecs[k]!, i);
      if (v === null && !this.keys.nullSafe[k]) return null; // `=` never matches a null key
      vals[k] = v;
    }
    return rowKey(vals);
  }

  async execute(input: ExecutionInput): Promise<RecordBatch[][]> {
    const [lparts, rparts] = await Promise.all([this.left.execute(input), this.right.execute(input)]);
    const L = RecordBatch.concat(this.leftSchema, lparts.flat()), R = RecordBatch.concat(this.rightSchema, rparts.flat());
    const table = new Map<string, number[]>();
    const rk = this.rightKeys.map((f) => f(R));
    for (let j = 0; j < R.numRows; j++) {
      const k = this.keyOf(rk, j);
      if (k === null) continue;
      let list = table.get(k);
      if (!list) table.set(k, (list = []));
      list.push(j);
    }
    const lk = this.leftKeys.map((f) => f(L));
    const allRight = Array.from({ length: R.numRows }, (_, j) => j);
    const pairsL: number[] = [], pairsR: number[] = [];
    for (let i = 0; i < L.numRows; i++) {
      const candidates = this.keys.left.length === 0 ? allRight : (() => { const k = this.keyOf(lk, i); return k === null ? [] : table.get(k) ?? []; })();
      for (const j of candidates) { pairsL.push(i); pairsR.push(j); }
    }
    // Residual condition over candidate pairs.
    let keep = pairsL.map((_, k) => k);
    if (this.residual !== null && pairsL.length > 0) {
      const joined = this.combine(L.take(pairsL), R.take(pairsR));
      const ok = this.residual(joined);
      keep = keep.filter((k) => getValue(ok, k) === true);
    }
    const mL = keep.map((k) => pairsL[k]!), mR = keep.map((k) => pairsR[k]!);
    switch (this.joinType) {
      case "inner": case "cross": return [[this.combine(L.take(mL), R.take(mR))]];
      case "left_semi": return [[L.take([...new Set(mL)].sort((a, b) => a - b))]];
      case "left_anti": { const hit = new Set(mL); return [[L.take(allIndexes(L.numRows).filter((i) => !hit.has(i)))]]; }
      default: {
        const outL = [...mL], outR: (number | null)[] = [...mR];
        if (this.joinType === "left_outer" || this.joinType === "full_outer") {
          const hit = new Set(mL);
          for (let i = 0; i < L.numRows; i++) if (!hit.has(i)) { outL.push(i); outR.push(null); }
        }
        const leftNulls: number[] = [];
        if (this.joinType === "right_outer" || this.joinType === "full_outer") {
          const hit = new Set(mR);
          for (let j = 0; j < R.numRows; j++) if (!hit.has(j)) leftNulls.push(j);
        }
        const matched = this.combine(withNulls(L, outL.map((i) => i)), withNulls(R, outR));
        if (leftNulls.length === 0) return [[matched]];
        const pad = this.combine(withNulls(L, leftNulls.map(() => null)), R.take(leftNulls));
        return [[RecordBatch.concat(this.schema, [matched, pad])]];
      }
    }
  }

  private combine(l: RecordBatch, r: RecordBatch): RecordBatch {
    return new RecordBatch(this.schema, [...l.columns, ...r.columns].map((c, k) => ({ ...c, type: this.schema.fields[k]!.dataType })), l.numRows);
  }

  describe(): string {
    return `HashJoin ${this.joinType}${this.keys.left.length > 0 ? ` keys=[${this.keys.left.map((k, i) => `${sqlText(k)} = ${sqlText(this.keys.right[i]!)}`).join(", ")}]` : ""}${this.keys.residual ? ` condition=${sqlText(this.keys.residual)}` : ""}`;
  }
}

function allIndexes(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Rows of `b` at `idx`, with null for a null index (outer-join padding). */
function withNulls(b: RecordBatch, idx: readonly (number | null)[]): RecordBatch {
  if (idx.every((i) => i !== null)) return b.take(idx as number[]);
  const cols = b.schema.fields.map((f, c) => {
    const v = new VectorBuilder(f.dataType, Math.max(idx.length, 1));
    for (const i of idx) v.append(i === null ? null : getValue(b.columns[c]!, i));
    return v.build();
  });
  return new RecordBatch(b.schema, cols, idx.length);
}
