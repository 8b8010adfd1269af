/**
 * A timestamp as a user sees it in a row: a `Date` that also carries the exact microseconds Spark keeps.
 *
 * @example
 * const t = Timestamp.fromEpochMicros(1_700_000_000_123_456);
 * t.epochMicros;   // 1700000000123456
 * t.getTime();     // 1700000000123 (floor of the microseconds / 1000)
 * String(t);       // "2023-11-14T22:13:20.123456Z" (a whole millisecond prints as a Date does)
 */
export class Timestamp extends Date {
  #micros: number;

  /** `new Timestamp(epochMicros)`; `Timestamp.fromEpochMicros` says the same with its unit in the name. */
  constructor(epochMicros: number) {
    super(Math.floor(epochMicros / 1000));
    this.#micros = epochMicros;
  }

  static fromEpochMicros(epochMicros: number): Timestamp {
    return new Timestamp(epochMicros);
  }

  /** Microseconds since 1970-01-01T00:00:00Z (the Date's own time, when it was changed with a setter, times 1000). */
  get epochMicros(): number {
    const ms = super.getTime();
    if (Number.isNaN(ms)) return NaN;
    return Math.floor(this.#micros / 1000) === ms ? this.#micros : ms * 1000;
  }

  /**
   * ISO 8601 in UTC with the microseconds when there are any below the millisecond (`2024-01-31T12:00:00.123456Z`),
   * otherwise exactly as a `Date` prints (`2024-01-31T12:00:00.123Z`).
   */
  override toISOString(): string {
    const iso = super.toISOString();
    const us = this.epochMicros - Math.floor(this.epochMicros / 1000) * 1000;
    return us === 0 ? iso : `${iso.slice(0, -1)}${String(us).padStart(3, "0")}Z`;
  }

  override toJSON(): string {
    return this.toISOString();
  }

  override toString(): string {
    return this.toISOString();
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toISOString();
  }
}
