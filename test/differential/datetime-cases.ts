/**
 * The cases of the datetimes differential suite (datetimes.test.ts) for dates and timestamps against real Spark: strict datetime patterns, ANSI errors and
 * NULLs, casts from strings, DST gaps and overlaps in session time zones, date arithmetic, microseconds in rows.
 */
import { Timestamp } from "../../src/index.js";
import type { DiffTable, SqlDiffCase } from "../support/sql-differential.js";

const NY = { "spark.sql.session.timeZone": "America/New_York" };
const BERLIN = { "spark.sql.session.timeZone": "Europe/Berlin" };
const NO_ANSI = { "spark.sql.ansi.enabled": "false" };

/** Text and pattern pairs: each must parse exactly as Spark's DateTimeFormatter-based parser does. */
const PATTERN_ROWS: [string, string][] = [
  ["2024-01-05 10:30:00", "yyyy-MM-dd HH:mm:ss"],
  ["2024-1-5 10:30:00", "yyyy-MM-dd HH:mm:ss"],
  ["2024-01-05 1:30:00", "yyyy-MM-dd HH:mm:ss"],
  ["24-01-05 10:30:00", "yyyy-MM-dd HH:mm:ss"],
  ["2024-01-05 10:30", "yyyy-MM-dd HH:mm:ss"],
  ["2024-01-05 10:30:00.5", "yyyy-MM-dd HH:mm:ss"],
  ["2024-02-30 10:00:00", "yyyy-MM-dd HH:mm:ss"],
  ["2023-02-29 10:00:00", "yyyy-MM-dd HH:mm:ss"],
  ["2024-02-29 10:00:00", "yyyy-MM-dd HH:mm:ss"],
  ["2024-01-05 24:00:00", "yyyy-MM-dd HH:mm:ss"],
  ["2024-01-05 23:60:00", "yyyy-MM-dd HH:mm:ss"],
  ["2024-01-05T10:30:00", "yyyy-MM-dd HH:mm:ss"],
  [" 2024-01-05 10:30:00", "yyyy-MM-dd HH:mm:ss"],
  ["2024-01-05 10:30:00 ", "yyyy-MM-dd HH:mm:ss"],
  ["12345-01-05 10:30:00", "yyyy-MM-dd HH:mm:ss"],
  ["+12345-01-05 10:30:00", "yyyy-MM-dd HH:mm:ss"],
  ["0001-01-01 00:00:00", "yyyy-MM-dd HH:mm:ss"],
  ["1969-12-31 23:59:59", "yyyy-MM-dd HH:mm:ss"],
  ["1900-03-01 12:00:00", "yyyy-MM-dd HH:mm:ss"],
  ["2024-1-5 7:3:9", "yyyy-M-d H:m:s"],
  ["2024-01-05 07:03:09", "yyyy-M-d H:m:s"],
  ["2024-001-05 7:3:9", "yyyy-M-d H:m:s"],
  ["2024-01-05 10:30:00.123456", "yyyy-MM-dd HH:mm:ss.SSSSSS"],
  ["2024-01-05 10:30:00.123", "yyyy-MM-dd HH:mm:ss.SSSSSS"],
  ["2024-01-05 10:30:00.1234567", "yyyy-MM-dd HH:mm:ss.SSSSSS"],
  ["2024-01-05 10:30:00.123", "yyyy-MM-dd HH:mm:ss.SSS"],
  ["2024-01-05 10:30:00.12", "yyyy-MM-dd HH:mm:ss.SSS"],
  ["2024-01-05 10:30:00.1234", "yyyy-MM-dd HH:mm:ss.SSS"],
  ["2024-01-05 10:30:00", "yyyy-MM-dd HH:mm:ss.SSS"],
  ["20240105103000", "yyyyMMddHHmmss"],
  ["2024010510300", "yyyyMMddHHmmss"],
  ["202401051030001", "yyyyMMddHHmmss"],
  ["05/01/2024", "dd/MM/yyyy"],
  ["5/1/2024", "dd/MM/yyyy"],
  ["Jan 5, 2024", "MMM d, yyyy"],
  ["jan 5, 2024", "MMM d, yyyy"],
  ["JAN 05, 2024", "MMM d, yyyy"],
  ["January 05 2024", "MMMM dd yyyy"],
  ["Janu 05 2024", "MMMM dd yyyy"],
  ["10:30 PM", "hh:mm a"],
  ["12:05 AM", "hh:mm a"],
  ["12:05 pm", "hh:mm a"],
  ["13:05 PM", "hh:mm a"],
  ["10:30", "hh:mm"],
  ["2024-01-05 10:30:00+02:00", "yyyy-MM-dd HH:mm:ssXXX"],
  ["2024-01-05 10:30:00Z", "yyyy-MM-dd HH:mm:ssXXX"],
  ["2024-01-05 10:30:00+0200", "yyyy-MM-dd HH:mm:ssXXX"],
  ["2024-01-05 10:30:00 +0530", "yyyy-MM-dd HH:mm:ss Z"],
  ["2024-01-05 10:30:00 -08", "yyyy-MM-dd HH:mm:ss X"],
  ["2024-01-05 10:30:00 +00", "yyyy-MM-dd HH:mm:ss x"],
  ["2024-01-05T10:30:00", "yyyy-MM-dd'T'HH:mm:ss"],
  ["24-01-05", "yy-MM-dd"],
  ["99-01-05", "yy-MM-dd"],
  ["2024-01-05", "yy-MM-dd"],
  ["2024 036", "yyyy DDD"],
  ["2024 36", "yyyy D"],
  ["2023 366", "yyyy DDD"],
  ["2024", "yyyy"],
  ["1/2024", "M/yyyy"],
  ["at 2024-01-05", "'at' yyyy-MM-dd"],
  ["2024-01-05 it's", "yyyy-MM-dd 'it''s'"],
  ["-0044-03-15", "yyyy-MM-dd"],
  ["12", "HH"],
  ["2024-01-05 10:30:00 America/New_York", "yyyy-MM-dd HH:mm:ss VV"],
  ["2024-03-10 02:30:00 America/New_York", "yyyy-MM-dd HH:mm:ss VV"],
  ["2024-01-05 10:30:00 UTC", "yyyy-MM-dd HH:mm:ss z"],
  ["2024-01-05 10:30:00 GMT+01:00", "yyyy-MM-dd HH:mm:ss OOOO"],
  ["2024-01-05 10:30:00 GMT+1", "yyyy-MM-dd HH:mm:ss O"],
  ["2024-01-05 10:30:00.123456789", "yyyy-MM-dd HH:mm:ss.SSSSSSSSS"],
  ["2024-01-05 10:30:00.1", "yyyy-MM-dd HH:mm:ss.S"],
  ["2024-01-05 10:30:00.12", "yyyy-MM-dd HH:mm:ss.S"],
  ["2024-01-05 10:30:00.123", "yyyy-MM-dd HH:mm:ss.[SSS]"],
  ["24:00", "kk:mm"],
  ["11:30 PM", "KK:mm a"],
  ["2024-01-05 10:30:00", "yyyy-MM-dd HH:mm:ss.SSS"],
  ["2024-W01", "yyyy-'W'MM"],
  ["0024-01-05", "yyyy-MM-dd"],
  ["24-1-5", "y-M-d"],
  ["024-1-5", "yyy-M-d"],
  ["2024-01-05 10:30:00 AD", "yyyy-MM-dd HH:mm:ss G"],
  ["20240105", "yyyyMMdd"],
  ["2024015", "yyyyMMd"],
  ["+20240105", "yyyyMMdd"],
  ["1/5/2024 10:30:00", "M/d/yyyy HH:mm:ss"],
  ["13/5/2024 10:30:00", "M/d/yyyy HH:mm:ss"],
  ["2024-01-05 10:30:00 -05:00", "yyyy-MM-dd HH:mm:ss xxx"],
  ["2024-01-05 10:30:00 +05:30:15", "yyyy-MM-dd HH:mm:ss XXXXX"],
  ["2024-01-05 10:30:00 +0000", "yyyy-MM-dd HH:mm:ss ZZZ"],
];

const CAST_ROWS = [
  "2024-01-05", "2024-01-05 10:30", "2024-01-05 10:30:00", "2024-01-05T10:30:00Z", "2024-01-05 10:30:00+01:00",
  "2024-01-05 10:30:00-0800", "2024-01-05 10:30:00 UTC", "2024-01-05 10:30:00UTC", "2024-01-05 10:30:00 America/Los_Angeles",
  "2024-01-05 10:30:00GMT+01:00", "2024-01-05 10:30:00 +01:00", "2024", "2024-01", "2024-1-5", "2024-01-05 1:2:3",
  "2024-01-05 10:30:00.1234567", "2024-01-05 10:30:00.", "2024-01-05 25:00:00", "2024-13-01", "2024-02-30", " 2024-01-05 ",
  "+2024-01-05", "-0044-03-15", "02024-01-05", "2024-01-05T", "2024-01-05 ", "2024-01-05garbage", "2024-01-05 garbage",
  "abc", "", "20240105", "2024-01-05 24:00:00", "2024-01-05 10:30:60", "2024-01-05 10:30:00 PST", "2024-01-05 10:30:00 EST",
  "2024-01-05 10:30:00+1:00", "2024-01-05 10:30:00 +01", "2024-01-05 10:30:00+14:00", "2024-01-05 10:30:00+19:00", "+12345-01-05",
  "2024-01-05 10:30:00 CET", "2024-01-05 10:30:00 Europe/Nowhere", "2024-1-5T1:2", "12024-01-05", "2024-01-05T10:30:00.123+02:00", "2024-01-05 10:30:00.123456789Z", "1969-12-31 23:59:59.999999", "2024-01-05T10", "2024-01-05 10:30:00 Z",
];

const DATE_ROWS = [
  "2024-01-31", "2024-02-29", "2023-02-28", "2023-03-31", "1969-12-31", "1900-03-01", "1582-10-04", "2024-12-30", "2021-01-03",
  "2020-12-31", "2024-03-10", "1600-02-29",
];

const TS_ROWS = [
  "2024-01-05 10:30:00.123456", "1969-12-31 23:59:59.999999", "2024-03-10 01:59:59", "2024-11-03 01:30:00", "2024-02-29 23:00:00",
  "1900-01-01 00:00:00.000001", "2024-03-31 02:30:00", "2024-10-27 02:30:00", "2024-12-31 23:59:59.5",
];

export const DATETIME_CASES: SqlDiffCase[] = [
  // Strict datetime patterns.
  { name: "try_to_timestamp parses patterns strictly", sql: "SELECT s, f, unix_micros(try_to_timestamp(s, f)) AS ts FROM p" },
  { name: "to_timestamp is null on a mismatch without ANSI", sql: "SELECT s, f, unix_micros(to_timestamp(s, f)) AS ts FROM p", conf: NO_ANSI },
  { name: "unix_timestamp is null on a mismatch without ANSI", sql: "SELECT s, f, unix_timestamp(s, f) AS u FROM p", conf: NO_ANSI },
  { name: "to_unix_timestamp is null on a mismatch without ANSI", sql: "SELECT s, f, to_unix_timestamp(s, f) AS u FROM p", conf: NO_ANSI },
  { name: "to_date with a pattern without ANSI", sql: "SELECT s, f, unix_date(to_date(s, f)) AS d FROM p", conf: NO_ANSI },
  { name: "patterns in New York", sql: "SELECT s, f, unix_micros(try_to_timestamp(s, f)) AS ts FROM p", conf: NY },
  { name: "to_timestamp raises CANNOT_PARSE_TIMESTAMP under ANSI", sql: "SELECT to_timestamp('2024-1-5', 'yyyy-MM-dd') AS ts FROM one" },
  { name: "to_timestamp of an invalid date raises under ANSI", sql: "SELECT to_timestamp('2024-02-30', 'yyyy-MM-dd') AS ts FROM one" },
  { name: "to_date raises CANNOT_PARSE_TIMESTAMP under ANSI", sql: "SELECT to_date('05/01/24', 'dd/MM/yyyy') AS d FROM one" },
  { name: "unix_timestamp raises under ANSI", sql: "SELECT unix_timestamp('2024-01-05', 'yyyy-MM-dd HH:mm:ss') AS u FROM one" },
  { name: "to_unix_timestamp raises under ANSI", sql: "SELECT to_unix_timestamp('x', 'yyyy') AS u FROM one" },
  { name: "unix_timestamp default pattern", sql: "SELECT unix_timestamp('2024-01-05 10:30:00') AS u, unix_timestamp('1969-12-31 23:59:59') AS v FROM one" },
  { name: "unix_timestamp of a timestamp and a date", sql: "SELECT unix_timestamp(CAST('2024-01-05 10:30:00.9' AS TIMESTAMP)) AS u, unix_timestamp(CAST('1960-01-01' AS DATE)) AS v FROM one" },
  { name: "try_to_timestamp is null under ANSI", sql: "SELECT try_to_timestamp('2024-1-5', 'yyyy-MM-dd') AS a, try_to_timestamp('2024-01-05', 'yyyy-MM-dd') AS b FROM one" },
  { name: "to_timestamp without a pattern is a cast", sql: "SELECT to_timestamp('2024-01-05 10:30:00.123456') AS a, to_timestamp('2024-01-05') AS b FROM one" },
  { name: "to_timestamp without a pattern raises under ANSI", sql: "SELECT to_timestamp('2024-01-05 x') AS a FROM one" },
  { name: "to_date without a pattern", sql: "SELECT to_date('2024-01-05 10:30:00') AS a, to_date('2024-1-5') AS b FROM one" },
  { name: "to_date without a pattern raises under ANSI", sql: "SELECT to_date('2024-02-30') AS a FROM one" },
  { name: "a week-based pattern is rejected", sql: "SELECT try_to_timestamp('2024', 'YYYY') AS a FROM one" },
  { name: "too many pattern letters", sql: "SELECT to_timestamp('2024-01-05', 'yyyy-MM-ddd') AS a FROM one" },
  { name: "an unknown pattern letter", sql: "SELECT date_format(CAST('2024-01-05' AS DATE), 'yyyy-MM-dd b') AS a FROM one" },
  { name: "to_timestamp with a zone pattern in Berlin", sql: "SELECT to_timestamp('2024-07-01 12:00:00 +0000', 'yyyy-MM-dd HH:mm:ss Z') AS a, to_timestamp('2024-07-01 12:00:00', 'yyyy-MM-dd HH:mm:ss') AS b FROM one", conf: BERLIN },

  // Formatting.
  {
    name: "date_format patterns",
    sql: "SELECT date_format(CAST(s AS TIMESTAMP), 'yyyy-MM-dd HH:mm:ss.SSSSSS') AS a, date_format(CAST(s AS TIMESTAMP), 'EEE, d MMM yyyy') AS b, date_format(CAST(s AS TIMESTAMP), 'EEEE MMMM') AS c, "
      + "date_format(CAST(s AS TIMESTAMP), 'hh:mm a') AS d, date_format(CAST(s AS TIMESTAMP), 'D yy') AS e, date_format(CAST(s AS TIMESTAMP), \"'at' H 'o''clock'\") AS f, date_format(CAST(s AS TIMESTAMP), 'SSS') AS g, "
      + "date_format(CAST(s AS TIMESTAMP), 'yyyy-MM-dd HH:mm:ssXXX') AS h, date_format(CAST(s AS TIMESTAMP), 'Z') AS i, date_format(CAST(s AS TIMESTAMP), 'k K') AS j FROM tsr",
  },
  {
    name: "date_format in New York",
    sql: "SELECT date_format(CAST(s AS TIMESTAMP), 'yyyy-MM-dd HH:mm:ss XXX') AS a, date_format(CAST(s AS TIMESTAMP), 'yyyy-MM-dd HH:mm:ss Z') AS b, date_format(CAST(s AS TIMESTAMP), 'x') AS c FROM tsr",
    conf: NY,
  },
  { name: "date_format of dates", sql: "SELECT date_format(CAST(d AS DATE), 'yyyy/MM/dd EEE') AS a FROM dr" },
  { name: "from_unixtime", sql: "SELECT from_unixtime(0) AS a, from_unixtime(-1) AS b, from_unixtime(1700000000, 'yyyy-MM-dd HH:mm') AS c, from_unixtime(-2208988800, 'yyyy-MM-dd') AS d FROM one" },
  { name: "from_unixtime in New York", sql: "SELECT from_unixtime(1710054000) AS a, from_unixtime(1730611800, 'yyyy-MM-dd HH:mm:ss XXX') AS b FROM one", conf: NY },

  { name: "date_format with eras, quarters and zones", sql: "SELECT date_format(CAST(s AS TIMESTAMP), 'G QQQ Q VV OOOO O') AS a, date_format(CAST(s AS TIMESTAMP), 'XXXXX xxxx ZZZZ ZZZZZ') AS b FROM tsr", conf: NY },
  { name: "date_format of years past 9999 and before 1", sql: "SELECT date_format(make_timestamp(12345, 1, 5, 0, 0, 0), 'yyyy-MM-dd yy y') AS a, date_format(make_timestamp(-44, 3, 15, 0, 0, 0), 'yyyy-MM-dd G') AS b, CAST(make_timestamp(-44, 3, 15, 0, 0, 0) AS STRING) AS c FROM one" },
  { name: "a date cast to string past 9999", sql: "SELECT CAST(make_date(12345, 1, 5) AS STRING) AS a, CAST(make_date(-44, 3, 15) AS STRING) AS b, unix_date(make_date(-44, 3, 15)) AS c FROM one" },
  { name: "from_unixtime of a literal pattern with an invalid letter", sql: "SELECT from_unixtime(0, 'yyyy-MM-dd HH:mm:ss b') AS a FROM one" },
  { name: "to_timestamp with a week-based pattern under ANSI off", sql: "SELECT to_timestamp('2024-01-05', 'YYYY-MM-dd') AS a FROM one", conf: NO_ANSI },
  { name: "parsing with E is rejected", sql: "SELECT to_timestamp('Fri 2024-01-05', 'EEE yyyy-MM-dd') AS a FROM one" },

  // Casts from strings.
  { name: "try_cast string as timestamp", sql: "SELECT s, unix_micros(try_cast(s AS TIMESTAMP)) AS ts FROM c" },
  { name: "try_cast string as timestamp in Berlin", sql: "SELECT s, unix_micros(try_cast(s AS TIMESTAMP)) AS ts FROM c", conf: BERLIN },
  { name: "try_cast string as date", sql: "SELECT s, unix_date(try_cast(s AS DATE)) AS d FROM c" },
  { name: "cast string as timestamp without ANSI", sql: "SELECT s, unix_micros(CAST(s AS TIMESTAMP)) AS ts FROM c", conf: NO_ANSI },
  { name: "cast string as timestamp_ntz", sql: "SELECT s, CAST(try_cast(s AS TIMESTAMP_NTZ) AS STRING) AS ts FROM c" },
  { name: "cast of an invalid timestamp raises under ANSI", sql: "SELECT CAST('2024-02-30 10:00:00' AS TIMESTAMP) AS ts FROM one" },
  { name: "cast of an invalid date raises under ANSI", sql: "SELECT CAST('2024-13-01' AS DATE) AS d FROM one" },

  // DST gaps and overlaps.
  {
    name: "casts in a New York gap and overlap",
    sql: "SELECT CAST('2024-03-10 02:30:00' AS TIMESTAMP) AS gap, CAST('2024-11-03 01:30:00' AS TIMESTAMP) AS overlap, "
      + "CAST('2024-03-10 02:00:00' AS TIMESTAMP) AS gap_start, CAST('2024-11-03 01:00:00' AS TIMESTAMP) AS overlap_start, CAST('2024-03-10' AS TIMESTAMP) AS midnight FROM one",
    conf: NY,
  },
  {
    name: "casts in a Berlin gap and overlap",
    sql: "SELECT CAST('2024-03-31 02:30:00' AS TIMESTAMP) AS gap, CAST('2024-10-27 02:30:00' AS TIMESTAMP) AS overlap, CAST('1980-04-06 02:30:00' AS TIMESTAMP) AS old_gap FROM one",
    conf: BERLIN,
  },
  {
    name: "to_timestamp with a pattern in a gap and an overlap",
    sql: "SELECT to_timestamp('2024-03-10 02:30', 'yyyy-MM-dd HH:mm') AS gap, to_timestamp('2024-11-03 01:59:59.5', 'yyyy-MM-dd HH:mm:ss.S') AS overlap FROM one",
    conf: NY,
  },
  { name: "to_date across the gap", sql: "SELECT to_date('2024-03-10 02:30', 'yyyy-MM-dd HH:mm') AS d, CAST(CAST('2024-03-10 02:30:00' AS TIMESTAMP) AS DATE) AS e FROM one", conf: NY },
  {
    name: "make_timestamp in a gap and an overlap",
    sql: "SELECT make_timestamp(2024, 3, 10, 2, 30, 0) AS gap, make_timestamp(2024, 11, 3, 1, 30, 0) AS overlap, make_timestamp(2024, 1, 5, 10, 30, 45.123456) AS frac, "
      + "make_timestamp(2024, 3, 31, 2, 30, 0, 'Europe/Berlin') AS tz FROM one",
    conf: NY,
  },
  { name: "make_timestamp with 60 seconds", sql: "SELECT make_timestamp(2024, 1, 5, 10, 30, 60) AS a FROM one" },
  { name: "make_timestamp out of range raises under ANSI", sql: "SELECT make_timestamp(2024, 2, 30, 10, 30, 0) AS a FROM one" },
  { name: "make_timestamp out of range is null without ANSI", sql: "SELECT make_timestamp(2024, 2, 30, 10, 30, 0) AS a, make_timestamp(2024, 1, 5, 24, 0, 0) AS b FROM one", conf: NO_ANSI },
  { name: "make_date", sql: "SELECT make_date(2024, 2, 29) AS a, make_date(1969, 12, 31) AS b FROM one" },
  { name: "make_date out of range raises under ANSI", sql: "SELECT make_date(2023, 2, 29) AS a FROM one" },
  {
    name: "from_utc_timestamp and to_utc_timestamp",
    sql: "SELECT from_utc_timestamp(CAST(s AS TIMESTAMP), 'America/New_York') AS a, to_utc_timestamp(CAST(s AS TIMESTAMP), 'America/New_York') AS b, from_utc_timestamp(CAST(s AS TIMESTAMP), 'Europe/Berlin') AS c, "
      + "to_utc_timestamp(CAST(s AS TIMESTAMP), 'Europe/Berlin') AS d, from_utc_timestamp(CAST(s AS TIMESTAMP), '+05:30') AS e FROM tsr",
  },
  {
    name: "timestamp plus intervals across a New York gap",
    sql: "SELECT CAST(s AS TIMESTAMP) + INTERVAL 1 DAY AS a, CAST(s AS TIMESTAMP) + INTERVAL 24 HOURS AS b, CAST(s AS TIMESTAMP) + INTERVAL 1 MONTH AS c, CAST(s AS TIMESTAMP) - INTERVAL 1 MONTH AS d, CAST(s AS TIMESTAMP) + INTERVAL '1' YEAR AS f, "
      + "CAST(s AS TIMESTAMP) + INTERVAL '1 day 2 hours' AS g FROM tsr",
    conf: NY,
  },
  {
    name: "timestamp plus intervals in Berlin",
    sql: "SELECT CAST(s AS TIMESTAMP) + INTERVAL 1 DAY AS a, CAST(s AS TIMESTAMP) + INTERVAL 1 MONTH AS b, CAST(s AS TIMESTAMP) - INTERVAL 30 MINUTES AS c FROM tsr",
    conf: BERLIN,
  },

  // Date arithmetic.
  {
    name: "date plus intervals",
    sql: "SELECT CAST(d AS DATE) + INTERVAL 1 MONTH AS a, CAST(d AS DATE) - INTERVAL 1 MONTH AS b, CAST(d AS DATE) + INTERVAL 1 YEAR AS c, CAST(d AS DATE) + INTERVAL 1 DAY AS e, CAST(d AS DATE) + INTERVAL 2 HOURS AS f, "
      + "CAST(d AS DATE) + INTERVAL '1' DAY AS g, CAST(d AS DATE) + INTERVAL '1 day 2 hours' AS h, CAST(d AS DATE) - INTERVAL '2' YEAR AS i FROM dr",
  },
  { name: "date plus an interval month in New York", sql: "SELECT CAST(d AS DATE) + INTERVAL 1 MONTH AS a, CAST(d AS DATE) + INTERVAL 3 HOURS AS b FROM dr", conf: NY },
  {
    name: "date_add, date_sub, add_months, datediff",
    sql: "SELECT date_add(CAST(d AS DATE), 1) AS a, date_sub(CAST(d AS DATE), 1) AS b, add_months(CAST(d AS DATE), 1) AS c, add_months(CAST(d AS DATE), -1) AS e, add_months(CAST(d AS DATE), 12) AS f, add_months(CAST(d AS DATE), -13) AS g, "
      + "datediff(CAST(d AS DATE), CAST('2024-03-01' AS DATE)) AS h, datediff(CAST('1970-01-01' AS DATE), CAST(d AS DATE)) AS i, CAST(d AS DATE) + 1 AS j, CAST(d AS DATE) - 366 AS k FROM dr",
  },
  {
    name: "months_between",
    sql: "SELECT months_between(CAST(d AS DATE), CAST('2024-03-31' AS DATE)) AS a, months_between(CAST('2024-03-31' AS DATE), CAST(d AS DATE)) AS b, months_between(CAST(d AS DATE), CAST('2000-01-15' AS DATE), false) AS c "
      + "FROM dr",
  },
  {
    name: "months_between of timestamps",
    sql: "SELECT months_between(CAST(s AS TIMESTAMP), CAST('2024-01-01 00:00:00' AS TIMESTAMP)) AS a FROM tsr",
  },
  {
    name: "trunc and date_trunc",
    sql: "SELECT trunc(CAST(d AS DATE), 'MM') AS a, trunc(CAST(d AS DATE), 'YEAR') AS b, trunc(CAST(d AS DATE), 'Q') AS c, trunc(CAST(d AS DATE), 'WEEK') AS e, trunc(CAST(d AS DATE), 'DD') AS f, date_trunc('MONTH', CAST(d AS DATE)) AS g, "
      + "date_trunc('WEEK', CAST(d AS DATE)) AS h, date_trunc('QUARTER', CAST(d AS DATE)) AS i FROM dr",
  },
  {
    name: "date_trunc of timestamps in New York",
    sql: "SELECT date_trunc('DAY', CAST(s AS TIMESTAMP)) AS a, date_trunc('HOUR', CAST(s AS TIMESTAMP)) AS b, date_trunc('YEAR', CAST(s AS TIMESTAMP)) AS c, date_trunc('SECOND', CAST(s AS TIMESTAMP)) AS e, date_trunc('MILLISECOND', CAST(s AS TIMESTAMP)) AS f, "
      + "date_trunc('WEEK', CAST(s AS TIMESTAMP)) AS g, date_trunc('MINUTE', CAST(s AS TIMESTAMP)) AS h FROM tsr",
    conf: NY,
  },
  {
    name: "last_day and next_day",
    sql: "SELECT last_day(CAST(d AS DATE)) AS a, next_day(CAST(d AS DATE), 'Mon') AS b, next_day(CAST(d AS DATE), 'sunday') AS c, next_day(CAST(d AS DATE), 'FR') AS e FROM dr",
  },
  { name: "next_day with a bad day name raises under ANSI", sql: "SELECT next_day(CAST('2024-01-05' AS DATE), 'xx') AS a FROM one" },
  { name: "next_day with a bad day name is null without ANSI", sql: "SELECT next_day(CAST('2024-01-05' AS DATE), 'xx') AS a FROM one", conf: NO_ANSI },
  {
    name: "date fields",
    sql: "SELECT year(CAST(d AS DATE)) AS y, month(CAST(d AS DATE)) AS m, dayofmonth(CAST(d AS DATE)) AS dm, dayofweek(CAST(d AS DATE)) AS dw, weekday(CAST(d AS DATE)) AS wd, dayofyear(CAST(d AS DATE)) AS dy, weekofyear(CAST(d AS DATE)) AS wy, quarter(CAST(d AS DATE)) AS q "
      + "FROM dr",
  },
  {
    name: "timestamp fields in Berlin",
    sql: "SELECT year(CAST(s AS TIMESTAMP)) AS y, month(CAST(s AS TIMESTAMP)) AS m, dayofmonth(CAST(s AS TIMESTAMP)) AS dm, hour(CAST(s AS TIMESTAMP)) AS h, minute(CAST(s AS TIMESTAMP)) AS mi, second(CAST(s AS TIMESTAMP)) AS s, dayofweek(CAST(s AS TIMESTAMP)) AS dw, weekofyear(CAST(s AS TIMESTAMP)) AS wy "
      + "FROM tsr",
    conf: BERLIN,
  },
  {
    name: "date_part of dates",
    sql: "SELECT date_part('YEAR', CAST(d AS DATE)) AS y, date_part('MONTH', CAST(d AS DATE)) AS m, date_part('DAY', CAST(d AS DATE)) AS dd, date_part('DOW', CAST(d AS DATE)) AS dw, date_part('WEEK', CAST(d AS DATE)) AS w, "
      + "date_part('doy', CAST(d AS DATE)) AS dy, date_part('QUARTER', CAST(d AS DATE)) AS q, date_part('DOW_ISO', CAST(d AS DATE)) AS di FROM dr",
  },
  {
    name: "date_part of timestamps in New York",
    sql: "SELECT date_part('HOUR', CAST(s AS TIMESTAMP)) AS h, date_part('MINUTE', CAST(s AS TIMESTAMP)) AS m, date_part('DAY', CAST(s AS TIMESTAMP)) AS d FROM tsr",
    conf: NY,
  },

  {
    name: "EXTRACT of dates and timestamps",
    sql: "SELECT extract(YEAR FROM CAST(d AS DATE)) AS y, extract(MONTH FROM CAST(d AS DATE)) AS m, extract(DAY FROM CAST(d AS DATE)) AS dd, "
      + "extract(DOW FROM CAST(d AS DATE)) AS dw, extract(WEEK FROM CAST(d AS DATE)) AS w, extract(DOY FROM CAST(d AS DATE)) AS dy, "
      + "extract(HOUR FROM CAST(d AS TIMESTAMP)) AS h FROM dr",
    conf: BERLIN,
  },
  {
    name: "intervals and truncation from inside a New York overlap",
    sql: "SELECT timestamp_micros(u) AS ts, timestamp_micros(u) + INTERVAL 1 DAY AS a, timestamp_micros(u) - INTERVAL 1 DAY AS b, timestamp_micros(u) + INTERVAL 1 HOUR AS c, timestamp_micros(u) + INTERVAL 1 MONTH AS e, date_trunc('HOUR', timestamp_micros(u)) AS f, "
      + "date_trunc('MINUTE', timestamp_micros(u)) AS g, date_trunc('DAY', timestamp_micros(u)) AS h, CAST(timestamp_micros(u) AS STRING) AS i, hour(timestamp_micros(u)) AS j, date_format(timestamp_micros(u), 'HH:mm XXX') AS k "
      + "FROM micros",
    conf: NY,
  },
  { name: "dates in Berlin from timestamps around its transitions", sql: "SELECT CAST(timestamp_micros(u) AS DATE) AS d, date_format(timestamp_micros(u), 'yyyy-MM-dd HH:mm:ss.SSSSSS XXX') AS f FROM micros", conf: BERLIN },

  { name: "from_utc_timestamp with an unknown zone", sql: "SELECT from_utc_timestamp(CAST('2024-01-05 10:00:00' AS TIMESTAMP), 'Nowhere/Zone') AS a FROM one" },
  { name: "make_timestamp with a fraction past 60 seconds", sql: "SELECT make_timestamp(2024, 1, 5, 10, 30, 60.5) AS a FROM one" },
  { name: "make_timestamp with a fraction past 60 seconds without ANSI", sql: "SELECT make_timestamp(2024, 1, 5, 10, 30, 60.5) AS a FROM one", conf: NO_ANSI },
  { name: "unknown truncation units are null", sql: "SELECT date_trunc('fortnight', CAST('2024-01-05 10:00:00' AS TIMESTAMP)) AS a, trunc(CAST('2024-01-05' AS DATE), 'fortnight') AS b FROM one" },
  { name: "nulls through the datetime functions", sql: "SELECT to_timestamp(NULL) AS a, to_timestamp('2024-01-05', NULL) AS b, unix_timestamp(NULL, 'yyyy') AS c, date_format(NULL, 'yyyy') AS d, to_date(NULL) AS e FROM one" },
  {
    name: "dates and timestamps across New York midnights",
    sql: "SELECT CAST(CAST(d AS DATE) AS TIMESTAMP) AS a, date_diff(CAST(d AS DATE), DATE'2024-01-01') AS e, date_from_unix_date(unix_date(CAST(d AS DATE))) AS f FROM dr",
    conf: NY,
  },
  { name: "timestamps to dates in New York", sql: "SELECT CAST(timestamp_micros(u) AS DATE) AS b, to_date(timestamp_micros(u)) AS c FROM micros", conf: NY },
  {
    name: "timestamp_ntz arithmetic ignores the session zone",
    sql: "SELECT CAST(CAST(s AS TIMESTAMP_NTZ) + INTERVAL 1 DAY AS STRING) AS a, CAST(CAST(s AS TIMESTAMP_NTZ) + INTERVAL 1 MONTH AS STRING) AS b, hour(CAST(s AS TIMESTAMP_NTZ)) AS c FROM tsr",
    conf: NY,
  },

  { name: "typed literals are read in the session time zone", sql: "SELECT TIMESTAMP '2024-03-10 02:30:00' AS gap, TIMESTAMP '2024-01-05 10:30:00.5' AS a, TIMESTAMP '2024-01-05T10:30:00Z' AS z, TIMESTAMP_NTZ '2024-03-10 02:30:00' AS ntz, DATE '2024-03-10' AS d FROM one", conf: NY },
  { name: "typed literals name their columns", sql: "SELECT TIMESTAMP '2024-01-05 10:30:00', DATE '2024-01-05', TIMESTAMP_NTZ '2024-01-05 10:30:00.25' FROM one" },
  { name: "an invalid typed literal fails to parse", sql: "SELECT TIMESTAMP '2024-02-30 10:30:00' AS a FROM one" },

  { name: "JSON timestamps and dates read in UTC", sql: "SELECT unix_micros(ts) AS ts, d FROM jt" },
  { name: "JSON timestamps and dates read in New York", sql: "SELECT unix_micros(ts) AS ts, d FROM jt", conf: NY },

  { name: "months_between of timestamps in New York", sql: "SELECT months_between(timestamp_micros(u), CAST('2024-02-29 12:00:00' AS TIMESTAMP)) AS a, months_between(timestamp_micros(u), CAST('2024-02-29 12:00:00' AS TIMESTAMP), false) AS b FROM micros", conf: NY },
  { name: "unix_timestamp in a New York gap", sql: "SELECT unix_timestamp('2024-03-10 02:30:00') AS a, to_unix_timestamp(CAST('2024-03-10 02:30:00' AS TIMESTAMP)) AS b, unix_timestamp('2024-11-03 01:30:00') AS c FROM one", conf: NY },
  { name: "last_day and next_day of timestamps", sql: "SELECT last_day(timestamp_micros(u)) AS a, next_day(timestamp_micros(u), 'TU') AS b, add_months(timestamp_micros(u), 1) AS c FROM micros", conf: BERLIN },

  // Microseconds in rows.
  {
    name: "createDataFrame keeps microseconds",
    sluice: (spark) => spark.createDataFrame([{ ts: new Timestamp(1_704_450_600_123_456) }, { ts: "1969-12-31T23:59:59.999999Z" }], "ts TIMESTAMP"),
    pyspark: "spark.createDataFrame([(__import__('datetime').datetime(2024, 1, 5, 10, 30, 0, 123456),), (__import__('datetime').datetime(1969, 12, 31, 23, 59, 59, 999999),)], 'ts timestamp')",
  },
  { name: "collected timestamps keep microseconds", sql: "SELECT CAST(s AS TIMESTAMP) AS ts, CAST(s AS TIMESTAMP_NTZ) AS ntz FROM tsr" },
  { name: "timestamp_micros and timestamp_millis", sql: "SELECT timestamp_micros(1700000000123457) AS a, timestamp_micros(-1) AS b, timestamp_millis(-1) AS c, timestamp_seconds(1.5) AS e FROM one" },
  { name: "unix_micros of a timestamp", sql: "SELECT unix_micros(CAST(s AS TIMESTAMP)) AS u, unix_millis(CAST(s AS TIMESTAMP)) AS m, unix_seconds(CAST(s AS TIMESTAMP)) AS e FROM tsr" },
];

/** Instants around New York's and Berlin's 2024 transitions, as microseconds since the epoch. */
const MICROS_ROWS = [
  1730611800000000, 1730615400000000, 1730613599999999, 1730613600000000, 1730527200000000, 1710052200000000, 1710055800000000,
  1711846800000000, 1711846799999999, 1729990800000000, 1729987200000000, 1729994400000000, -1,
];

export const DATETIME_TABLES: Readonly<Record<string, DiffTable>> = {
  micros: { schema: "u BIGINT", rows: MICROS_ROWS.map((u) => ({ u })) },
  jt: { schema: "ts TIMESTAMP, d DATE", rows: [
    { ts: "2024-01-05T10:30:00.123456", d: "2024-01-05" }, { ts: "2024-01-05 10:30:00", d: "2024-1-5" }, { ts: "2024-03-10T02:30:00", d: "2024-03-10T10:00" },
    { ts: "2024-01-05T10:30:00+01:00", d: "1969-12-31" }, { ts: "2024-11-03T01:30:00.5Z", d: "2024-02-29" },
  ] },
  one: { schema: "k INT", rows: [{ k: 1 }] },
  p: { schema: "s STRING, f STRING", rows: PATTERN_ROWS.map(([s, f]) => ({ s, f })) },
  c: { schema: "s STRING", rows: CAST_ROWS.map((s) => ({ s })) },
  dr: { schema: "d STRING", rows: DATE_ROWS.map((d) => ({ d })) },
  tsr: { schema: "s STRING", rows: TS_ROWS.map((s) => ({ s })) },
};
