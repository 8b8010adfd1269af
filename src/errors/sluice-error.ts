/** The closed error taxonomy of Sluice: every error carries a stable code, a domain and a retry hint. */

/** Where an error comes from: the user's program or data, an external system, or a bug in Sluice. */
export type ErrorDomain = "user" | "external" | "internal";

/**
 * Stable error codes. Tests and callers match on these, never on message text.
 * Names follow Spark's error classes where Spark has one.
 */
export type ErrorCode =
  | "PARSE_SYNTAX_ERROR"
  | "INVALID_SCHEMA"
  | "UNRESOLVED_COLUMN"
  | "AMBIGUOUS_REFERENCE"
  | "DATATYPE_MISMATCH"
  | "UNSUPPORTED_DATATYPE"
  | "UNRESOLVED_ROUTINE"
  | "INVALID_USAGE_OF_STAR"
  | "UNSUPPORTED_GENERATOR"
  | "UNSUPPORTED_EXPR_FOR_OPERATOR"
  | "MISSING_AGGREGATION"
  | "UNRESOLVED_USING_COLUMN_FOR_JOIN"
  | "WRONG_NUM_ARGS"
  | "TABLE_OR_VIEW_NOT_FOUND"
  | "STREAMING_UNSUPPORTED_OPERATION"
  | "STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION"
  | "WRITE_STREAM_NOT_ALLOWED"
  | "QUERY_ALREADY_ACTIVE"
  | "INVALID_OPTION"
  | "CAST_INVALID_INPUT"
  | "INVALID_PARAMETER_VALUE"
  | "INVALID_FORMAT"
  | "COLLECTION_SIZE_LIMIT_EXCEEDED"
  | "INVALID_INDEX_OF_ZERO"
  | "INVALID_REGEXP_REPLACE"
  | "REGEX_TIMEOUT"
  | "MALFORMED_CHARACTER_CODING"
  | "CANNOT_PARSE_TIMESTAMP"
  | "INVALID_DATETIME_PATTERN"
  | "INCONSISTENT_BEHAVIOR_CROSS_VERSION"
  | "DATETIME_FIELD_OUT_OF_BOUNDS"
  | "ILLEGAL_DAY_OF_WEEK"
  | "INVALID_TIMEZONE"
  | "INVALID_TYPED_LITERAL"
  | "INVALID_FRACTION_OF_SECOND"
  | "DIVIDE_BY_ZERO"
  | "ARITHMETIC_OVERFLOW"
  | "CAST_OVERFLOW"
  | "NUMERIC_VALUE_OUT_OF_RANGE"
  | "FAILED_READ_FILE.PARQUET_COLUMN_DATA_TYPE_MISMATCH"
  | "FAILED_READ_FILE.NO_HINT"
  | "INVALID_PARAMETER_VALUE"
  | "DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION"
  | "BINARY_ARITHMETIC_OVERFLOW"
  | "REMAINDER_BY_ZERO"
  | "INVALID_ARRAY_INDEX"
  | "INVALID_ARRAY_INDEX_IN_ELEMENT_AT"
  | "INVALID_INDEX_OF_ZERO"
  | "UNRESOLVED_COLUMN_AMONG_FIELD_NAMES"
  | "PARSE_MODE_UNSUPPORTED"
  | "MALFORMED_RECORD_IN_PARSING"
  | "PATH_NOT_FOUND"
  | "PATH_ALREADY_EXISTS"
  | "TABLE_OR_VIEW_ALREADY_EXISTS"
  | "UNABLE_TO_INFER_SCHEMA"
  | "CHECKPOINT_CORRUPT"
  | "CHECKPOINT_UNSUPPORTED_VERSION"
  | "CHECKPOINT_FOREIGN"
  | "CHECKPOINT_CONCURRENT_WRITER"
  | "STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE"
  | "STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE"
  | "STATE_STORE_MEMORY_LIMIT_EXCEEDED"
  | "STREAM_FAILED"
  | "IO_ERROR"
  | "KAFKA_DATA_LOSS"
  | "KAFKA_TIMEOUT"
  | "KAFKA_UNREACHABLE"
  | "KAFKA_AUTHENTICATION_FAILED"
  | "S3_TIMEOUT"
  | "S3_UNREACHABLE"
  | "S3_AUTHENTICATION_FAILED"
  | "S3_ACCESS_DENIED"
  | "S3_NOT_FOUND"
  | "JDBC_TIMEOUT"
  | "JDBC_UNREACHABLE"
  | "JDBC_AUTHENTICATION_FAILED"
  | "SCHEMA_REGISTRY_ERROR"
  | "UNKNOWN_FIELD_EXCEPTION"
  | "NOT_IMPLEMENTED"
  | "INTERNAL_ERROR";

/** Parameters that explain an error; stable per code. */
export type ErrorParams = Readonly<Record<string, string | number | boolean | undefined>>;

/** Options for constructing an error. */
export interface SluiceErrorOptions {
  readonly params?: ErrorParams;
  readonly cause?: unknown;
  readonly domain?: ErrorDomain;
  readonly retryable?: boolean;
}

const DEFAULT_DOMAIN: Partial<Record<ErrorCode, ErrorDomain>> = {
  IO_ERROR: "external",
  KAFKA_DATA_LOSS: "external",
  KAFKA_TIMEOUT: "external",
  KAFKA_UNREACHABLE: "external",
  KAFKA_AUTHENTICATION_FAILED: "external",
  S3_TIMEOUT: "external",
  S3_UNREACHABLE: "external",
  S3_AUTHENTICATION_FAILED: "external",
  S3_ACCESS_DENIED: "external",
  S3_NOT_FOUND: "external",
  JDBC_TIMEOUT: "external",
  JDBC_UNREACHABLE: "external",
  JDBC_AUTHENTICATION_FAILED: "external",
  SCHEMA_REGISTRY_ERROR: "external",
  INTERNAL_ERROR: "internal",
  STREAM_FAILED: "internal",
};

/**
 * Base class of every error Sluice raises on purpose.
 *
 * @example
 * try { df.select("nope") } catch (e) {
 *   if (e instanceof SluiceError && e.code === "UNRESOLVED_COLUMN") console.log(e.params.name);
 * }
 */
export class SluiceError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams;
  readonly domain: ErrorDomain;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: SluiceErrorOptions = {}) {
    super(`[${code}] ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SluiceError";
    this.code = code;
    this.params = options.params ?? {};
    this.domain = options.domain ?? DEFAULT_DOMAIN[code] ?? "user";
    this.retryable = options.retryable ?? false;
  }
}

/** Raised at analysis time, as Spark's AnalysisException: the query is wrong, not the data. */
export class AnalysisException extends SluiceError {
  constructor(code: ErrorCode, message: string, options: SluiceErrorOptions = {}) {
    super(code, message, options);
    this.name = "AnalysisException";
  }
}

/** Raised when SQL or DDL text cannot be parsed; carries the position of the offending token. */
export class ParseException extends SluiceError {
  readonly position: number;
  constructor(message: string, text: string, position: number, cause?: unknown, code: ErrorCode = "PARSE_SYNTAX_ERROR") {
    super(code, `${message} (position ${position})\n${text}\n${" ".repeat(position)}^`, {
      params: { position, text },
      cause,
    });
    this.name = "ParseException";
    this.position = position;
  }
}

/** Raised when a running streaming query fails; the original error is the cause. */
export class StreamingQueryException extends SluiceError {
  constructor(message: string, options: SluiceErrorOptions) {
    super("STREAM_FAILED", message, options);
    this.name = "StreamingQueryException";
  }
}

/** Shorthand for an internal invariant violation (a bug in Sluice). */
export function internalError(message: string, cause?: unknown): SluiceError {
  return new SluiceError("INTERNAL_ERROR", `${message}. This is a bug in Sluice; please report it.`, { cause, domain: "internal" });
}
