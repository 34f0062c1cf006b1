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
  /** A stream opened (its priming event went out): a fleet store records it, so it can be resumed before it stored anything. */
  opened?(streamId: string): void | Promise<void>;
  /**
   * Stores shared by a fleet: replay like `replayAfter`, then go on sending the
   * stream's events as any process stores them (each once, in order) until
   * `stop()`. A stream resumed on another node than the one producing it
   * continues live this way.
   */
  follow?(lastEventId: string, send: (eventId: string, message: JsonRpcMessage) => void): Promise<{ streamId: string; stop(): void } | undefined>;
}

/** `<streamId>.<n>` → [streamId, n], or undefined when malformed. */
export function parseEventId(eventId: string): [string, number] | undefined {
  const dot = eventId.lastIndexOf(".");
  if (dot < 1) return undefined;
  const n = Number(eventId.slice(dot + 1));
  return Number.isInteger(n) ? [eventId.slice(0, dot), n] : undefined;
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
    const parsed = parseEventId(lastEventId);
    if (!parsed) return undefined;
    const [streamId, after] = parsed;
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
