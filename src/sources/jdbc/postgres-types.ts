/** Sluice's types as PostgreSQL column types (Spark's PostgresDialect), and PostgreSQL's as Sluice's. */
import { SluiceError } from "../../errors/sluice-error.js";
import {
  BinaryType, BooleanType, DateType, DoubleType, FloatType, IntegerType, LongType, ShortType, StringType, TimestampType, decimalType, simpleString,
  type DataType,
} from "../../types/data-type.js";

export function postgresType(t: DataType): string {
  switch (t.kind) {
    case "boolean": return "BOOLEAN";
    case "byte": case "short": return "SMALLINT";
    case "integer": return "INTEGER";
    case "long": return "BIGINT";
    case "float": return "REAL";
    case "double": return "DOUBLE PRECISION";
    case "decimal": return `NUMERIC(${t.precision},${t.scale})`;
    case "string": return "TEXT";
    case "binary": return "BYTEA";
    case "date": return "DATE";
    case "timestamp": return "TIMESTAMP WITH TIME ZONE";
    case "timestamp_ntz": return "TIMESTAMP";
    default: throw new SluiceError("UNSUPPORTED_DATATYPE", `Can't get JDBC type for ${simpleString(t)}: PostgreSQL columns hold atomic values; serialize it first (for example with to_json).`, { params: { type: simpleString(t) } });
  }
}

/** Type of a result column from its OID and type modifier (numeric: ((precision << 16) | scale) + 4). */
export function sluiceType(oid: number, typmod: number): DataType {
  switch (oid) {
    case 16: return BooleanType;
    case 21: return ShortType;
    case 23: case 26: return IntegerType;
    case 20: return LongType;
    case 700: return FloatType;
    case 701: return DoubleType;
    case 1700: return typmod >= 4 ? decimalType(((typmod - 4) >> 16) & 0xffff, (typmod - 4) & 0xffff) : decimalType(38, 18);
    case 17: return BinaryType;
    case 1082: return DateType;
    case 1114: case 1184: return TimestampType;
    default: return StringType; // text, varchar, char, json, uuid, ... read as their text
  }
}
