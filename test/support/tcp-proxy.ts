/**
 * A small TCP proxy on the loopback interface for network-fault tests, without root: Sluice talks to the proxy's port
 * and the proxy forwards to the real service (Kafka, MinIO, PostgreSQL, the schema registry). A test can then
 * delay, stall, drop or reset the connections, and restore them.
 *
 * - `delay(ms)`: every chunk, both ways, is forwarded `ms` later.
 * - `stall()`: connections are accepted but nothing is forwarded (reads pause; the peers wait) until `restore()`.
 * - `drop()`: new connections are closed at once and open ones are closed (FIN).
 * - `resetAll()`: open connections are reset (RST) now; `resetNext(n)`: the next n connections are reset as soon as
 *   their first request bytes arrive (a reset in the middle of a request).
 * - `restore()`: plain forwarding again (stalled connections resume where they were).
 *
 * Bounded: at most `maxConnections` at once (more are refused), only loopback targets.
 *
 * The proxy runs in a worker thread of its own, so it keeps forwarding while the main thread is blocked (Sluice's
 * synchronous probes, as `load()`'s, wait on a worker with Atomics.wait).
 *
 * @example
 * const proxy = await TcpProxy.start(19000);
 * // point the client at proxy.endpoint, then: await proxy.stall(); ...; await proxy.restore(); await proxy.close();
 */
import * as net from "node:net";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

type Mode = { kind: "pass" } | { kind: "delay"; ms: number } | { kind: "stall" } | { kind: "drop" };

interface Pair { readonly client: net.Socket; readonly upstream: net.Socket; resetPending: boolean }

class ProxyServer {
  private mode: Mode = { kind: "pass" };
  private readonly pairs = new Set<Pair>();
  private resetBudget = 0;
  /** Connections accepted so far, and those the proxy reset or dropped. */
  accepted = 0;
  resets = 0;

  private constructor(private readonly server: net.Server, readonly targetPort: number, readonly targetHost: string, readonly maxConnections: number) {}

  static async start(targetPort: number, opts: { targetHost?: string; maxConnections?: number } = {}): Promise<ProxyServer> {
    const targetHost = opts.targetHost ?? "127.0.0.1";
    const server = net.createServer();
    const proxy = new ProxyServer(server, targetPort, targetHost, opts.maxConnections ?? 64);
    server.on("connection", (c) => proxy.accept(c));
    await new Promise<void>((resolve, reject) => { server.once("error", reject); server.listen(0, "127.0.0.1", () => resolve()); });
    return proxy;
  }

  get port(): number { return (this.server.address() as net.AddressInfo).port; }
  get openConnections(): number { return this.pairs.size; }

  delay(ms: number): void { this.mode = { kind: "delay", ms }; this.resumeAll(); }
  stall(): void { this.mode = { kind: "stall" }; for (const p of this.pairs) { p.client.pause(); p.upstream.pause(); } }
  drop(): void { this.mode = { kind: "drop" }; for (const p of [...this.pairs]) this.end(p, false); }
  resetAll(): void { for (const p of [...this.pairs]) this.end(p, true); }
  resetNext(n: number): void { this.resetBudget += n; }
  restore(): void { this.mode = { kind: "pass" }; this.resumeAll(); }

  async close(): Promise<void> {
    for (const p of [...this.pairs]) this.end(p, true);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private resumeAll(): void { for (const p of this.pairs) { p.client.resume(); p.upstream.resume(); } }

  private end(p: Pair, reset: boolean): void {
    this.pairs.delete(p);
    if (reset) { this.resets++; p.client.resetAndDestroy(); p.upstream.resetAndDestroy(); } else { p.client.destroy(); p.upstream.destroy(); }
  }

  private accept(client: net.Socket): void {
    this.accepted++;
    if (this.mode.kind === "drop" || this.pairs.size >= this.maxConnections) { client.destroy(); return; }
    const upstream = net.connect(this.targetPort, this.targetHost);
    const pair: Pair = { client, upstream, resetPending: this.resetBudget > 0 };
    if (pair.resetPending) this.resetBudget--;
    this.pairs.add(pair);
    if (this.mode.kind === "stall") { client.pause(); upstream.pause(); }
    const forward = (from: net.Socket, to: net.Socket, request: boolean) => {
      from.on("data", (chunk: Buffer) => {
        if (request && pair.resetPending) { this.end(pair, true); return; }
        const m = this.mode;
        if (m.kind === "delay") setTimeout(() => { if (!to.destroyed) to.write(chunk); }, m.ms).unref();
        else if (!to.destroyed) to.write(chunk);
      });
      from.on("end", () => { if (!to.destroyed) to.end(); });
      from.on("error", () => { this.pairs.delete(pair); to.destroy(); });
      from.on("close", () => { this.pairs.delete(pair); if (!to.destroyed) to.destroy(); });
    };
    forward(client, upstream, true);
    forward(upstream, client, false);
  }
}

export interface ProxyStats { readonly accepted: number; readonly resets: number; readonly open: number }

type Command = "delay" | "stall" | "drop" | "resetAll" | "resetNext" | "restore" | "stats" | "close";

/** The handle: a proxy running in its own worker thread. */
export class TcpProxy {
  private next = 0;
  private readonly pending = new Map<number, (s: ProxyStats) => void>();

  private constructor(private readonly worker: Worker, readonly port: number) {
    worker.on("message", (m: { id: number; stats: ProxyStats }) => { this.pending.get(m.id)?.(m.stats); this.pending.delete(m.id); });
  }

  static async start(targetPort: number, opts: { targetHost?: string; maxConnections?: number } = {}): Promise<TcpProxy> {
    const targetHost = opts.targetHost ?? "127.0.0.1";
    if (!["127.0.0.1", "localhost", "::1"].includes(targetHost)) throw new Error(`TcpProxy forwards to loopback only, not ${targetHost}`);
    const worker = new Worker(new URL(import.meta.url), { workerData: { tcpProxy: { targetPort, targetHost, maxConnections: opts.maxConnections ?? 64 } } });
    const port = await new Promise<number>((resolve, reject) => { worker.once("message", (m: { port: number }) => resolve(m.port)); worker.once("error", reject); });
    return new TcpProxy(worker, port);
  }

  /** `127.0.0.1:<port>`. */
  get address(): string { return `127.0.0.1:${this.port}`; }
  /** `http://127.0.0.1:<port>` (for HTTP services). */
  get endpoint(): string { return `http://${this.address}`; }

  delay(ms: number): Promise<ProxyStats> { return this.send("delay", ms); }
  stall(): Promise<ProxyStats> { return this.send("stall"); }
  drop(): Promise<ProxyStats> { return this.send("drop"); }
  resetAll(): Promise<ProxyStats> { return this.send("resetAll"); }
  resetNext(n: number): Promise<ProxyStats> { return this.send("resetNext", n); }
  restore(): Promise<ProxyStats> { return this.send("restore"); }
  stats(): Promise<ProxyStats> { return this.send("stats"); }
  async close(): Promise<void> { await this.send("close"); await this.worker.terminate(); }

  private send(cmd: Command, arg?: number): Promise<ProxyStats> {
    const id = this.next++;
    return new Promise((resolve) => { this.pending.set(id, resolve); this.worker.postMessage({ id, cmd, arg }); });
  }
}

const spec = (workerData as { tcpProxy?: { targetPort: number; targetHost: string; maxConnections: number } } | null)?.tcpProxy;
if (!isMainThread && spec !== undefined && parentPort !== null) {
  const port = parentPort;
  const server = await ProxyServer.start(spec.targetPort, spec);
  port.postMessage({ port: server.port });
  port.on("message", async (m: { id: number; cmd: Command; arg?: number }) => {
    switch (m.cmd) {
      case "delay": server.delay(m.arg!); break;
      case "stall": server.stall(); break;
      case "drop": server.drop(); break;
      case "resetAll": server.resetAll(); break;
      case "resetNext": server.resetNext(m.arg!); break;
      case "restore": server.restore(); break;
      case "close": await server.close(); break;
      case "stats": break;
    }
    port.postMessage({ id: m.id, stats: { accepted: server.accepted, resets: server.resets, open: server.openConnections } });
  });
}
