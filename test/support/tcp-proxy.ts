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
 * @example
 * const proxy = await TcpProxy.start(19000);
 * // point the client at proxy.endpoint, then: proxy.stall(); ...; proxy.restore(); await proxy.close();
 */
import * as net from "node:net";

type Mode = { kind: "pass" } | { kind: "delay"; ms: number } | { kind: "stall" } | { kind: "drop" };

interface Pair { readonly client: net.Socket; readonly upstream: net.Socket; resetPending: boolean }

export class TcpProxy {
  private mode: Mode = { kind: "pass" };
  private readonly pairs = new Set<Pair>();
  private resetBudget = 0;
  /** Connections accepted so far, and those the proxy reset or dropped. */
  accepted = 0;
  resets = 0;

  private constructor(private readonly server: net.Server, readonly targetPort: number, readonly targetHost: string, readonly maxConnections: number) {}

  static async start(targetPort: number, opts: { targetHost?: string; maxConnections?: number } = {}): Promise<TcpProxy> {
    const targetHost = opts.targetHost ?? "127.0.0.1";
    if (!["127.0.0.1", "localhost", "::1"].includes(targetHost)) throw new Error(`TcpProxy forwards to loopback only, not ${targetHost}`);
    const server = net.createServer();
    const proxy = new TcpProxy(server, targetPort, targetHost, opts.maxConnections ?? 64);
    server.on("connection", (c) => proxy.accept(c));
    await new Promise<void>((resolve, reject) => { server.once("error", reject); server.listen(0, "127.0.0.1", () => resolve()); });
    return proxy;
  }

  get port(): number { return (this.server.address() as net.AddressInfo).port; }
  /** `127.0.0.1:<port>`. */
  get address(): string { return `127.0.0.1:${this.port}`; }
  /** `http://127.0.0.1:<port>` (for HTTP services). */
  get endpoint(): string { return `http://${this.address}`; }
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
