/** All built-in scalar functions by lower-case name. */
import { collectionFunctions } from "./collection-functions.js";
import { conditionalFunctions, FUNCTION_ALIASES } from "./conditional-functions.js";
import { datetimeFunctions } from "./datetime-functions.js";
import { formatFunctions } from "./format-functions.js";
import { avroFunctions } from "./avro-functions.js";
import type { FunctionDef } from "./function-def.js";
import { mathFunctions } from "./math-functions.js";
import { stringFunctions } from "./string-functions.js";

const REGISTRY = new Map<string, FunctionDef>();
for (const family of [stringFunctions, mathFunctions, conditionalFunctions, datetimeFunctions, collectionFunctions, formatFunctions, avroFunctions]) {
  for (const f of family) REGISTRY.set(f.name, f);
}

export function lookupFunction(name: string): FunctionDef | undefined {
  const n = name.toLowerCase();
  return REGISTRY.get(FUNCTION_ALIASES[n] ?? n);
}
