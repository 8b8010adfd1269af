/** Session settings that change how expressions evaluate, plus the per-batch clock. */
export interface EvalContext {
  /** `spark.sql.session.timeZone`. */
  readonly timeZone: string;
  /** `spark.sql.ansi.enabled` (Spark 4 default: true): invalid casts and division by zero raise errors. */
  readonly ansi: boolean;
  /**
   * What `current_timestamp()` returns, in microseconds. In a streaming query it is the batch's timestamp, the same
   * for every row of the batch, as Spark does; set by the executor before each batch.
   */
  currentTimestampMicros: number;
}

export function evalContext(timeZone: string, ansi: boolean): EvalContext {
  return { timeZone, ansi, currentTimestampMicros: Date.now() * 1000 };
}
