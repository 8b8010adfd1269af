/** Batch differential suite for dates and timestamps against real Spark (the cases: datetime-cases.ts). */
import { sqlDifferentialSuite } from "../support/sql-differential.js";
import { DATETIME_CASES, DATETIME_TABLES } from "./datetime-cases.js";

sqlDifferentialSuite("datetimes", DATETIME_TABLES, DATETIME_CASES);
