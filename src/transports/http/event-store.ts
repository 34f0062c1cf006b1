/**
 * Resumability for legacy Streamable HTTP (2025-11-25): every SSE event a
 * session sends is stored under an id that names its stream, so a client that
 * lost a stream can GET it again with Last-Event-ID and receive what it missed
 * — from that stream only.
 */
import type { JsonRpcMessage } from "../../protocol/jsonrpc.js";

/** Event ids have the form `<streamId>.<n>`, n counting from 1; `<streamId>.0` means "from the start". */
export interface EventStore {
  /** Store one message of `streamId` and return its event id. */
  store(streamId: string, message: JsonRpcMessage): Promise<string> | string;
  /** Replay the events of the stream that `lastEventId` belongs to, after it. Returns that stream's id, or undefined if unknown. */
  replayAfter(lastEventId: string, send: (eventId: string, message: JsonRpcMessage) => void): Promise<string | undefined> | string | undefined;
  /** Forget a stream (its request is answered and delivered, or its session ended). */
  forget?(streamId: string): void;
}

/** In-memory default: bounded per stream and in total, oldest streams dropped first. */
export class InMemoryEventStore implements EventStore {
  private readonly streams = new Map<string, { seq: number; events: [number, JsonRpcMessage][] }>();
  constructor(
    private readonly maxEventsPerStream = 1000,
    private readonly maxStreams = 10_000,
  ) {}

  store(streamId: string, message: JsonRpcMessage): string {
    let s = this.streams.get(streamId);
    if (!s) {
      if (this.streams.size >= this.maxStreams) this.streams.delete(this.streams.keys().next().value!);
      s = { seq: 0, events: [] };
      this.streams.set(streamId, s);
    }
    const n = ++s.seq;
    s.events.push([n, message]);
    if (s.events.length > this.maxEventsPerStream) s.events.shift();
    return `${streamId}.${n}`;
  }

  replayAfter(lastEventId: string, send: (eventId: string, message: JsonRpcMessage) => void): string | undefined {
    const dot = lastEventId.lastIndexOf(".");
    if (dot < 1) return undefined;
    const streamId = lastEventId.slice(0, dot);
    const after = Number(lastEventId.slice(dot + 1));
    if (!Number.isInteger(after)) return undefined;
    const s = this.streams.get(streamId);
    if (s) for (const [n, m] of s.events) if (n > after) send(`${streamId}.${n}`, m);
    return streamId;
  }

  forget(streamId: string): void {
    this.streams.delete(streamId);
  }

  /** Forget every stream whose id starts with `prefix` (a session's streams). */
  forgetPrefix(prefix: string): void {
    for (const k of this.streams.keys()) if (k.startsWith(prefix)) this.streams.delete(k);
  }
}
