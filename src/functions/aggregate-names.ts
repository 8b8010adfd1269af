/** Names of Spark's aggregate functions that Sluice implements (see aggregate-functions.ts). */
export const AGGREGATE_NAMES: ReadonlySet<string> = new Set([
  "count", "sum", "avg", "mean", "min", "max", "first", "last", "first_value", "last_value", "any_value", "collect_list", "collect_set",
  "approx_count_distinct", "count_distinct", "stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop",
  "bool_and", "bool_or", "every", "some", "any",
]);
