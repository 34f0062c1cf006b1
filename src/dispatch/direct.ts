/**
 * Two peers wired to each other with no serialization and no transport: each
 * message object is handed to the other side on the next microtask. For tests
 * of everything above the wire.
 */
import type { JsonRpcMessage } from "../protocol/jsonrpc.js";
import { Endpoint } from "./endpoint.js";

export class DirectPeer extends Endpoint {
  other: DirectPeer | undefined;
  start(): Promise<void> {
    return Promise.resolve();
  }
  deliver(msg: JsonRpcMessage): void {
    const other = this.other;
    if (this.closed || !other || other.closed) return;
    queueMicrotask(() => other.accept(msg));
  }
  private accept(msg: JsonRpcMessage): void {
    if (this.closed) return;
    if ("method" in msg) {
      if ("id" in msg) this.onRequest(msg.id, msg.method, msg.params);
      else this.onNotification(msg.method, msg.params);
    } else this.onResponse(msg);
  }
  protected async closeTransport(): Promise<void> {
    const other = this.other;
    this.other = undefined;
    if (other) queueMicrotask(() => other.onClosed());
  }
}

export function createDirectPair(): [DirectPeer, DirectPeer] {
  const a = new DirectPeer();
  const b = new DirectPeer();
  a.other = b;
  b.other = a;
  return [a, b];
}
