/**
 * The thread that runs the few Java patterns RE2 cannot express (backreferences, lookahead) on V8's backtracking
 * engine, so that a catastrophic one can be stopped: the caller waits with a time limit and terminates this thread.
 * Request: `{ source, flags, input, all }`; answer: `{ found }`, `{ matches: [start, end, groups][] }` or `{ error }`,
 * then the shared flag is set to 1 and notified.
 */
import { workerData, type MessagePort } from "node:worker_threads";

interface Request { readonly source: string; readonly flags: string; readonly input: string; readonly all: boolean }

const { port, flag } = workerData as { port: MessagePort; flag: Int32Array };
const cache = new Map<string, RegExp>();

function answer(m: Request): unknown {
  const key = `${m.flags}/${m.source}`;
  let re = cache.get(key);
  if (re === undefined) { re = new RegExp(m.source, `${m.flags}g`); cache.set(key, re); }
  const s = m.input;
  re.lastIndex = 0;
  if (!m.all) return { found: re.exec(s) !== null };
  const out: [number, number, (string | null)[]][] = [];
  for (let x = re.exec(s); x !== null; x = re.exec(s)) {
    const start = x.index, end = start + x[0].length;
    out.push([start, end, Array.from(x, (g) => g ?? null)]);
    if (end === start) re.lastIndex = end + (end < s.length && s.codePointAt(end)! > 0xffff ? 2 : 1);
    if (re.lastIndex > s.length) break;
  }
  return { matches: out };
}

port.on("message", (m: Request) => {
  let r: unknown;
  try { r = answer(m); } catch (e) { r = { error: String((e as Error)?.message ?? e) }; }
  port.postMessage(r);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
