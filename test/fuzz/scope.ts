/** What a fuzz run draws from: categories, functions, families, time zones, streaming shapes. */
import type { Category } from "./catalogue.js";
import type { Family } from "./typed-values.js";

export type StreamShape = "stateless" | "aggregate" | "windowed" | "dedup" | "union";

export interface FuzzScope {
  readonly categories: readonly Category[];
  /** Catalogue entry names allowed; undefined: all of the categories'. */
  readonly functions?: ReadonlySet<string>;
  readonly aggregates?: ReadonlySet<string>;
  /** The families of the table's columns and of generated subexpressions. */
  readonly families: readonly Family[];
  /** Table columns and SQL literals left out (by name / by text). */
  readonly excludeColumns?: ReadonlySet<string>;
  readonly excludeLiterals?: ReadonlySet<string>;
  readonly timeZones: readonly string[];
  /** Probability of a case with spark.sql.ansi.enabled=false. */
  readonly nonAnsi: number;
  readonly streamShapes: readonly StreamShape[];
}

/** Everything: what `./dev fuzz` runs. */
export const FULL_SCOPE: FuzzScope = {
  categories: ["arithmetic", "comparison", "logic", "cast", "conditional", "string", "regex", "math", "datetime", "collection", "json", "aggregate"],
  families: ["bool", "int", "frac", "dec", "str", "date", "ts", "bin", "arr_int", "arr_str"],
  timeZones: ["UTC", "UTC", "America/New_York", "Europe/Oslo", "Asia/Kolkata", "Australia/Lord_Howe"],
  nonAnsi: 0.25,
  streamShapes: ["stateless", "aggregate", "windowed", "dedup", "union"],
};
