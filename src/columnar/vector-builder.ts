/** Builds a ColumnVector row by row without boxing fixed-width values; longs fall back to exact bigints. */
import type { DataType } from "../types/data-type.js";
import { typedArrayFor, type ColumnVector, type TypedValues } from "./column-vector.js";

export class VectorBuilder {
  private typed: TypedValues | null;
  private nulls: Uint8Array | null = null;
  private boxed: unknown[] | null;
  private n = 0;

  constructor(readonly type: DataType, private capacity = 1024) {
    this.typed = typedArrayFor(type, capacity);
    this.boxed = this.typed === null ? [] : null;
  }

  get length(): number { return this.n; }

  private grow(): void {
    this.capacity *= 2;
    const t = this.typed!;
    const next = new (t.constructor as { new(n: number): TypedValues })(this.capacity);
    next.set(t);
    this.typed = next;
    if (this.nulls !== null) { const nn = new Uint8Array(this.capacity); nn.set(this.nulls); this.nulls = nn; }
  }

  /** Appends a value in internal representation (`null` for null). */
  append(value: unknown): void {
    if (this.boxed !== null) { this.boxed.push(value ?? null); this.n++; return; }
    if (value === null || value === undefined) { this.appendNull(); return; }
    if (typeof value === "bigint") {
      if (value >= -9007199254740991n && value <= 9007199254740991n) { this.appendNumber(Number(value)); return; }
      this.toBoxed();
      this.boxed!.push(value); this.n++;
      return;
    }
    this.appendNumber(typeof value === "boolean" ? (value ? 1 : 0) : (value as number));
  }

  appendNumber(v: number): void {
    if (this.boxed !== null) { this.boxed.push(this.type.kind === "boolean" ? v !== 0 : v); this.n++; return; }
    if (this.n === this.capacity) this.grow();
    this.typed![this.n++] = v;
  }

  appendNull(): void {
    if (this.boxed !== null) { this.boxed.push(null); this.n++; return; }
    if (this.n === this.capacity) this.grow();
    this.nulls ??= new Uint8Array(this.capacity);
    this.nulls[this.n] = 1;
    this.typed![this.n++] = 0;
  }

  private toBoxed(): void {
    const t = this.typed!;
    const out: unknown[] = new Array(this.n);
    for (let i = 0; i < this.n; i++) out[i] = this.nulls !== null && this.nulls[i] === 1 ? null : t[i];
    this.boxed = out;
    this.typed = null;
    this.nulls = null;
  }

  build(): ColumnVector {
    if (this.boxed !== null) return { type: this.type, length: this.n, values: this.boxed, nulls: null };
    return {
      type: this.type, length: this.n,
      values: this.typed!.subarray(0, this.n),
      nulls: this.nulls === null ? null : this.nulls.subarray(0, this.n),
    };
  }
}
