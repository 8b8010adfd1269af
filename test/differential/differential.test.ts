/** The first differential corpus (test/differential/corpus.ts) against real Spark, batch by batch. */
import { streamingDifferentialSuite } from "../support/streaming-differential.js";
import { CORPUS } from "./corpus.js";

streamingDifferentialSuite("corpus", CORPUS);
