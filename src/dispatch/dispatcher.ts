/** A JSON-RPC peer over a message transport (stdio, in-memory pair, one HTTP exchange). */
import { McpError } from "../protocol/errors.js";
import { classify, makeError, parseMessage, type Classified, type JsonRpcMessage } from "../protocol/jsonrpc.js";
import { Endpoint } from "./endpoint.js";
import type { Transport } from "./types.js";

export class Dispatcher extends Endpoint {
  private started: Promise<void> | undefined;
  constructor(readonly transport: Transport) {
    super();
  }

  start(): Promise<void> {
    this.started ??= Promise.resolve(
      this.transport.start({
        message: (data) => this.receive(data),
        invalid: (error: McpError) => this.deliver(makeError(null, error)),
        closed: (reason) => this.onClosed(reason),
      }),
    );
    return this.started;
  }

  deliver(msg: JsonRpcMessage): void {
    if (this.closed) return;
    this.transport.send(msg);
  }

  protected closeTransport(): Promise<void> {
    return this.transport.close();
  }

  /** Entry point for every incoming value; malformed input is answered, never thrown. */
  receive(data: unknown): void {
    const c = typeof data === "string" ? parseMessage(data) : Array.isArray(data) ? data.map(classify) : classify(data);
    // 2025-03-26 batches: each member is handled (and answered) on its own.
    if (Array.isArray(c)) for (const one of c) this.route(one);
    else this.route(c);
  }

  private route(c: Classified): void {
    switch (c.kind) {
      case "request":
        this.onRequest(c.msg.id, c.msg.method, c.msg.params);
        return;
      case "notification":
        this.onNotification(c.msg.method, c.msg.params);
        return;
      case "response":
        this.onResponse(c.msg);
        return;
      case "invalid":
        this.deliver(makeError(c.id, c.error));
    }
  }
}
