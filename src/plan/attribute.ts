/** An output column of a plan node: name, type, and the identity that survives renames of its DataFrame. */
import type { DataType, StructField } from "../types/data-type.js";

export interface Attribute {
  readonly id: number;
  readonly name: string;
  readonly dataType: DataType;
  readonly nullable: boolean;
  /** Table or DataFrame alias this column can be qualified with (`t` in `t.a`). */
  readonly qualifier?: string;
  /** Set on an event-time column by `withWatermark` (and on windows over it): the watermark delay. */
  readonly watermarkDelayMs?: number;
  /** A `session_window` column: grouping by it merges overlapping sessions. */
  readonly sessionWindow?: boolean;
}

let nextId = 1;
export function newAttrId(): number {
  return nextId++;
}

export function attribute(name: string, dataType: DataType, nullable = true, qualifier?: string): Attribute {
  return qualifier === undefined ? { id: newAttrId(), name, dataType, nullable } : { id: newAttrId(), name, dataType, nullable, qualifier };
}

export function attributesOf(fields: readonly StructField[]): Attribute[] {
  return fields.map((f) => attribute(f.name, f.dataType, f.nullable));
}
