/** The `sluice` package: Spark Structured Streaming for TypeScript. */
export { Session, SessionBuilder, MemoryStream } from "./api/session.js";
export { DataFrame } from "./api/dataframe.js";
export { Column } from "./api/column.js";
export type { ColumnOrName } from "./api/column.js";
export { DataFrameReader } from "./api/dataframe-reader.js";
export { DataStreamReader } from "./api/data-stream-reader.js";
export { DataFrameWriter } from "./api/dataframe-writer.js";
export { DataStreamWriter } from "./api/data-stream-writer.js";
export { RuntimeConfig } from "./api/runtime-config.js";
export { StreamingQuery } from "./streaming/streaming-query.js";
export { StreamingQueryManager } from "./streaming/streaming-query-manager.js";
export type { StreamingQueryProgress, StreamingQueryStatus, StreamingQueryListener, SourceProgress, SinkProgress } from "./streaming/progress.js";
export type { TriggerSpec } from "./streaming/trigger.js";
export type { ForeachWriter } from "./sinks/foreach-batch-sink.js";
export type { Row } from "./types/external-value.js";
export { Decimal } from "./types/decimal.js";
export { Timestamp } from "./types/timestamp.js";
export { SluiceError, AnalysisException, ParseException, StreamingQueryException } from "./errors/sluice-error.js";
export type { ErrorCode, ErrorDomain } from "./errors/sluice-error.js";
export * as F from "./api/functions.js";
export * as T from "./types/index.js";
export type {
  StatefulProcessor, StatefulProcessorHandle, ValueState, ListState, MapState, TimerValues, TTLConfig, ExpiredTimerInfo, TimeMode,
} from "./streaming/stateful-processor/stateful-processor.js";
