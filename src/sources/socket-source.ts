/**
 * `format("socket")`: lines of UTF-8 text read from a TCP server (`host`, `port`), with an arrival timestamp when
 * `includeTimestamp` is true. As in Spark, it is for testing and demos only: lines live in memory until their batch
 * commits, so it cannot replay after a restart.
 */
import { connect, type Socket } from "node:net";
import { RecordBatch } from "../columnar/record-batch.js";
import { SluiceError } from "../errors/sluice-error.js";
import { StringType, TimestampType, structField, structType, type StructType } from "../types/data-type.js";
import { counterOffsetProblem, type Offset, type ReadLimit, type StreamingSource } from "./streaming-source.js";

export function socketSchema(includeTimestamp: boolean): StructType {
  return structType(includeTimestamp ? [structField("value", StringType), structField("timestamp", TimestampType)] : [structField("value", StringType)]);
}

export class SocketSource implements StreamingSource {
  readonly description: string;
  readonly schema: StructType;
  private readonly lines: [string, number][] = [];
  /** Offset of lines[0]; lines before it were committed and dropped. */
  private base = 0;
  private partial = "";
  private error: Error | undefined;

  private constructor(private readonly socket: Socket, host: string, port: number, private readonly includeTimestamp: boolean) {
    this.description = `TextSocketV2[host: ${host}, port: ${port}]`;
    this.schema = socketSchema(includeTimestamp);
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      const parts = (this.partial + chunk).split("\n");
      this.partial = parts.pop()!;
      const now = Date.now() * 1000;
      for (const p of parts) this.lines.push([p.endsWith("\r") ? p.slice(0, -1) : p, now]);
    });
    socket.on("error", (e) => { this.error = e; });
  }

  static async create(options: Readonly<Record<string, string>>): Promise<SocketSource> {
    const host = options["host"], portText = options["port"];
    if (host === undefined || portText === undefined) {
      throw new SluiceError("INVALID_OPTION", "Set the 'host' and 'port' options for the socket source.", { params: { option: host === undefined ? "host" : "port" } });
    }
    const port = Number(portText);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new SluiceError("INVALID_OPTION", `Invalid port '${portText}' for the socket source.`, { params: { option: "port", value: portText } });
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect({ host, port }, () => resolve(s));
      s.once("error", (e) => reject(new SluiceError("IO_ERROR", `Could not connect to ${host}:${port}: ${e.message}`, { cause: e, domain: "external", retryable: true, params: { host, port } })));
    });
    return new SocketSource(socket, host, port, (options["includeTimestamp"] ?? "false").toLowerCase() === "true");
  }

  defaultReadLimit(): ReadLimit { return { kind: "all" }; }

  async latestOffset(start: Offset | null): Promise<Offset | null> {
    if (this.error) throw new SluiceError("IO_ERROR", `The socket source lost its connection: ${this.error.message}`, { cause: this.error, domain: "external" });
    const last = this.base + this.lines.length - 1;
    return last < 0 || last === start ? start : last;
  }

  async getBatch(start: Offset | null, end: Offset): Promise<RecordBatch[]> {
    const from = (start === null ? -1 : (start as number)) + 1, to = end as number;
    if (from < this.base) {
      throw new SluiceError("NOT_IMPLEMENTED", "The socket source cannot replay lines of an earlier run: it keeps no log (as in Spark). Use a new checkpointLocation.", {});
    }
    const slice = this.lines.slice(from - this.base, to - this.base + 1);
    return [RecordBatch.fromRows(this.schema, slice.map(([v, ts]) => (this.includeTimestamp ? [v, ts] : [v])))];
  }

  async commit(end: Offset): Promise<void> {
    const drop = (end as number) + 1 - this.base;
    if (drop > 0) { this.lines.splice(0, drop); this.base += drop; }
  }

  offsetProblem(offset: Offset): string | undefined { return counterOffsetProblem(offset, "a socket source offset"); }
  async stop(): Promise<void> { this.socket.destroy(); }
}
