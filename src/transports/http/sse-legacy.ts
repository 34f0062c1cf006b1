/**
 * The deprecated HTTP+SSE transport (2024-11-05): a GET opens an SSE stream
 * whose first event names the POST endpoint; the client POSTs messages there
 * and every answer travels on the stream. Each stream is a transport to the
 * ordinary server connection, so the era engine is the same as stdio's.
 */
import { ErrorCode } from "../../protocol/errors.js";
import type { JsonRpcMessage } from "../../protocol/jsonrpc.js";
import type { Transport, TransportSink } from "../../dispatch/types.js";
import type { Server } from "../../server/server.js";
import { emptyOut, errorOut } from "./exchange.js";
import { SseStream } from "./sse.js";
import { SSE_HEADERS, type HttpIn, type HttpOut } from "./types.js";

class SseServerTransport implements Transport {
  private sink: TransportSink | undefined;
  constructor(
    readonly id: string,
    readonly sse: SseStream,
  ) {}
  start(sink: TransportSink): void {
    this.sink = sink;
  }
  send(message: JsonRpcMessage): void {
    this.sse.send(message);
  }
  receive(text: string): void {
    this.sink?.message(text);
  }
  async close(): Promise<void> {
    this.sse.end();
    this.sink?.closed();
  }
  gone(): void {
    this.sink?.closed();
  }
}

export class LegacySse {
  private readonly streams = new Map<string, SseServerTransport>();
  constructor(
    private readonly server: Server<any>,
    private readonly messagesPath: string,
    private readonly maxStreams: number,
    private readonly keepAliveMs: number,
    private readonly maxBodyBytes: number,
  ) {}

  async open(inp: HttpIn): Promise<HttpOut> {
    if (this.streams.size >= this.maxStreams) return errorOut(503, ErrorCode.InternalError, "Too many SSE sessions");
    const id = crypto.randomUUID();
    const sse = new SseStream();
    const t = new SseServerTransport(id, sse);
    this.streams.set(id, t);
    sse.onCancel(() => {
      this.streams.delete(id);
      t.gone();
    });
    sse.keepAliveEvery(this.keepAliveMs);
    // The endpoint event is relative to the mount, so a server mounted under a prefix keeps working.
    sse.event("endpoint", `${this.messagesPath}?sessionId=${id}`);
    await this.server.connect(t);
    return { status: 200, headers: { ...SSE_HEADERS }, stream: sse };
  }

  async post(inp: HttpIn): Promise<HttpOut> {
    const id = inp.query("sessionId");
    const t = id ? this.streams.get(id) : undefined;
    if (!t) return errorOut(404, ErrorCode.InvalidRequest, "Unknown or missing sessionId");
    let text: string;
    try {
      text = await inp.text(this.maxBodyBytes);
    } catch {
      return errorOut(413, ErrorCode.InvalidRequest, `Request body exceeds ${this.maxBodyBytes} bytes`);
    }
    t.receive(text);
    return { ...emptyOut(202), body: "Accepted" };
  }

  closeAll(): void {
    for (const t of this.streams.values()) void t.close();
    this.streams.clear();
  }
}
