/** Tagged JSON for state values: keeps bigints, Maps, byte arrays, timestamps and non-finite numbers exact across restarts. */
import { Timestamp } from "../types/timestamp.js";

export function encodeState(v: unknown): string {
  return JSON.stringify(v, function (this: unknown, key: string, x: unknown) {
    const raw = (this as Record<string, unknown>)[key];
    if (typeof raw === "bigint") return { $b: raw.toString() };
    if (typeof raw === "number" && !Number.isFinite(raw)) return { $n: String(raw) };
    if (raw instanceof Map) return { $m: [...raw.entries()] };
    if (raw instanceof Uint8Array) return { $u: Buffer.from(raw).toString("base64") };
    if (raw instanceof Timestamp) return { $t: raw.epochMicros };
    if (raw instanceof Date) return { $d: raw.getTime() };
    return x;
  });
}

export function decodeState(text: string): unknown {
  return JSON.parse(text, (_k, x: unknown) => {
    if (x !== null && typeof x === "object" && !Array.isArray(x)) {
      const o = x as Record<string, unknown>;
      if ("$b" in o) return BigInt(o["$b"] as string);
      if ("$n" in o) return Number(o["$n"]);
      if ("$m" in o) return new Map(o["$m"] as [unknown, unknown][]);
      if ("$u" in o) return new Uint8Array(Buffer.from(o["$u"] as string, "base64"));
      if ("$t" in o) return new Timestamp(o["$t"] as number);
      if ("$d" in o) return new Date(o["$d"] as number);
    }
    return x;
  });
}
