/**
 * Resumability for a fleet: every SSE event of a legacy session is a Redis
 * Streams entry (`<n>-1`, n counting from 1 per stream), so any node can replay
 * a stream after a Last-Event-ID. Storing also publishes the event on the
 * stream's channel, in the same script, so a stream resumed on another node
 * than the one producing it continues live; a follower subscribes before it
 * replays and skips what it has already sent: nothing lost, nothing twice.
 * Streams expire `ttlMs` after their last event.
 */
import type { JsonRpcMessage } from "../../protocol/jsonrpc.js";
import { parseEventId, type EventStore } from "../../transports/http/event-store.js";
import type { RedisConnection } from "./connection.js";

/** KEYS: stream, counter. ARGV: message, ttlMs, max entries, channel. */
const STORE = `
local n = redis.call('INCR', KEYS[2])
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], n .. '-1', 'm', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('PUBLISH', ARGV[4], n .. ' ' .. ARGV[1])
return n`;

export interface RedisEventStoreOptions {
  /** How long a stream's events are kept after its last one (default 30 minutes; keep it above the session idle timeout). */
  ttlMs?: number;
  /** Most events kept per stream (default 1,000; older ones are trimmed). */
  maxEventsPerStream?: number;
}

export class RedisEventStore implements EventStore {
  private readonly ttlMs: number;
  private readonly max: number;
  constructor(
    private readonly conn: RedisConnection,
    opts: RedisEventStoreOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? 30 * 60_000;
    this.max = opts.maxEventsPerStream ?? 1000;
  }
  private stream(id: string): string {
    return this.conn.key("ev", id);
  }
  private counter(id: string): string {
    return this.conn.key("ev", id, "n");
  }
  private channel(id: string): string {
    return this.conn.key("ev", id, "ch");
  }

  async store(streamId: string, message: JsonRpcMessage): Promise<string> {
    const n = await this.conn.run("store event", (c) =>
      c.eval(STORE, 2, this.stream(streamId), this.counter(streamId), JSON.stringify(message), this.ttlMs, this.max, this.channel(streamId)),
    );
    return `${streamId}.${n}`;
  }

  /** A stream that has only sent its priming event is known too, so it can be resumed from any node. */
  async opened(streamId: string): Promise<void> {
    await this.conn.run("record stream", (c) => c.set(this.counter(streamId), 0, "PX", this.ttlMs, "NX"));
  }

  /** The stream's events after `after`, and whether the stream is known at all. */
  private async read(streamId: string, after: number): Promise<{ known: boolean; events: [number, JsonRpcMessage][] }> {
    const res = await this.conn.run("replay events", async (c) => {
      const r = await c.multi().exists(this.counter(streamId)).xrange(this.stream(streamId), after >= 0 ? `${after + 1}-0` : "-", "+").exec();
      if (!r) throw new Error("transaction aborted");
      for (const [err] of r) if (err) throw err;
      return r;
    });
    const entries = res[1][1] as [string, string[]][];
    const events = entries.map(([id, f]) => [Number(id.slice(0, id.indexOf("-"))), JSON.parse(f[1])] as [number, JsonRpcMessage]);
    return { known: res[0][1] === 1 || events.length > 0, events };
  }

  async replayAfter(lastEventId: string, send: (eventId: string, message: JsonRpcMessage) => void): Promise<string | undefined> {
    const parsed = parseEventId(lastEventId);
    if (!parsed) return undefined;
    const [streamId, after] = parsed;
    const { known, events } = await this.read(streamId, after);
    if (!known) return undefined;
    for (const [n, m] of events) send(`${streamId}.${n}`, m);
    return streamId;
  }

  async follow(lastEventId: string, send: (eventId: string, message: JsonRpcMessage) => void): Promise<{ streamId: string; stop(): void } | undefined> {
    const parsed = parseEventId(lastEventId);
    if (!parsed) return undefined;
    const [streamId, after] = parsed;
    let last = after;
    let held: [number, JsonRpcMessage][] | undefined = [];
    const deliver = (n: number, m: JsonRpcMessage) => {
      if (n <= last) return;
      last = n;
      send(`${streamId}.${n}`, m);
    };
    const stop = await this.conn.subscribe(this.channel(streamId), (raw) => {
      const sp = raw.indexOf(" ");
      const n = Number(raw.slice(0, sp));
      let m: JsonRpcMessage;
      try {
        m = JSON.parse(raw.slice(sp + 1));
      } catch {
        return;
      }
      if (held) held.push([n, m]);
      else deliver(n, m);
    });
    let read;
    try {
      read = await this.read(streamId, after);
    } catch (e) {
      stop();
      throw e;
    }
    if (!read.known) {
      stop();
      return undefined;
    }
    for (const [n, m] of read.events) deliver(n, m);
    const early = held;
    held = undefined;
    for (const [n, m] of early) deliver(n, m);
    return { streamId, stop };
  }

  async forget(streamId: string): Promise<void> {
    await this.conn.run("forget stream", (c) => c.del(this.stream(streamId), this.counter(streamId)));
  }
}
