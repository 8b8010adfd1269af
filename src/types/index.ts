/** `T`: PySpark's `pyspark.sql.types`. Each type is a function, usable with or without `new`. */
import * as dt from "./data-type.js";
import { parseSchema } from "../sql/parser.js";

export type { DataType, StructField as StructFieldType, StructType as StructTypeValue, ArrayType as ArrayTypeValue, MapType as MapTypeValue } from "./data-type.js";
export { treeString, simpleString } from "./data-type.js";
export { Timestamp } from "./timestamp.js";

export const StringType = (): dt.DataType => dt.StringType;
export const IntegerType = (): dt.DataType => dt.IntegerType;
export const LongType = (): dt.DataType => dt.LongType;
export const ShortType = (): dt.DataType => dt.ShortType;
export const ByteType = (): dt.DataType => dt.ByteType;
export const DoubleType = (): dt.DataType => dt.DoubleType;
export const FloatType = (): dt.DataType => dt.FloatType;
export const BooleanType = (): dt.DataType => dt.BooleanType;
export const TimestampType = (): dt.DataType => dt.TimestampType;
export const TimestampNTZType = (): dt.DataType => dt.TimestampNTZType;
export const DateType = (): dt.DataType => dt.DateType;
export const BinaryType = (): dt.DataType => dt.BinaryType;
export const NullType = (): dt.DataType => dt.NullType;
export const DecimalType = (precision = 10, scale = 0): dt.DataType => dt.decimalType(precision, scale);
export const ArrayType = (elementType: dt.DataType, containsNull = true): dt.DataType => dt.arrayType(elementType, containsNull);
export const MapType = (keyType: dt.DataType, valueType: dt.DataType, valueContainsNull = true): dt.DataType => dt.mapType(keyType, valueType, valueContainsNull);
export const StructField = (name: string, dataType: dt.DataType, nullable = true): dt.StructField => dt.structField(name, dataType, nullable);
export const StructType = (fields: readonly dt.StructField[] = []): dt.StructType => dt.structType(fields);
/** Parses a DDL schema: `T.fromDDL("a INT, b STRING")`. */
export const fromDDL = (ddl: string): dt.StructType => parseSchema(ddl);
