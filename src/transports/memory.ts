/** An in-memory linked pair of transports. Messages are JSON-cloned so neither side can mutate the other's objects. */
import type { JsonRpcMessage } from "../protocol/jsonrpc.js";
import type { Transport, TransportSink } from "../dispatch/types.js";

export class MemoryTransport implements Transport {
  other: MemoryTransport | undefined;
  private sink: TransportSink | undefined;
  private queue: string[] = [];
  private closed = false;

  start(sink: TransportSink): void {
    this.sink = sink;
    const q = this.queue;
    this.queue = [];
    for (const m of q) sink.message(m);
  }
  send(message: JsonRpcMessage): void {
    if (this.closed) return;
    const other = this.other;
    // Serialize now, as a real wire would: later mutation of `message` cannot leak across.
    const text = JSON.stringify(message);
    queueMicrotask(() => other?.receive(text));
  }
  private receive(text: string): void {
    if (this.closed) return;
    if (this.sink) this.sink.message(text);
    else this.queue.push(text);
  }
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const other = this.other;
    this.other = undefined;
    this.sink?.closed();
    if (other) queueMicrotask(() => void other.close());
  }
}

export function createMemoryTransportPair(): [MemoryTransport, MemoryTransport] {
  const a = new MemoryTransport();
  const b = new MemoryTransport();
  a.other = b;
  b.other = a;
  return [a, b];
}
