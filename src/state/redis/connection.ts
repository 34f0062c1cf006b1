/**
 * The Redis connections the fleet state shares: one for commands, one in
 * subscriber mode for pub/sub, with many local listeners per channel. Failures
 * are reported, never swallowed: a command that cannot reach Redis rejects
 * within a few seconds with an error that says so, and a lost or restored
 * connection is logged.
 */
import { Redis, type RedisOptions } from "ioredis";

export interface RedisConnectionOptions {
  /** `redis://[:password@]host:port[/db]` (default redis://127.0.0.1:6379). */
  url?: string;
  /** ioredis options (merged over the URL's), e.g. TLS, username, sentinels. */
  redis?: RedisOptions;
  /** Prefix of every key and channel (default "mcpkit:"): several apps can share one Redis. */
  prefix?: string;
  /**
   * How often a command is retried over reconnects before it fails (default 2):
   * while Redis is unreachable requests fail fast with a clear error instead of hanging.
   */
  maxRetriesPerRequest?: number;
  /** Where connection problems are reported (default: console.error). */
  onError?: (message: string, err?: unknown) => void;
}

/** A Redis failure, with what was being done. */
export class RedisStateError extends Error {
  constructor(what: string, cause: unknown) {
    super(`Redis unavailable (${what}): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "RedisStateError";
  }
}

export class RedisConnection {
  readonly cmd: Redis;
  readonly sub: Redis;
  readonly prefix: string;
  /** Report a problem (the `onError` option). */
  readonly report: (message: string, err?: unknown) => void;
  private readonly channels = new Map<string, { fns: Set<(m: string) => void>; ready: Promise<void> }>();
  private closed = false;

  constructor(o: RedisConnectionOptions = {}) {
    this.prefix = o.prefix ?? "mcpkit:";
    this.report = o.onError ?? ((m, e) => console.error(`[mcpkit/redis] ${m}${e ? `: ${e instanceof Error ? e.message : e}` : ""}`));
    const opts: RedisOptions = {
      maxRetriesPerRequest: o.maxRetriesPerRequest ?? 2,
      connectTimeout: 3000,
      retryStrategy: (times) => Math.min(100 * times, 1000),
      ...o.redis,
    };
    const make = (name: string) => {
      const r = o.url ? new Redis(o.url, opts) : new Redis(opts);
      let down = false;
      r.on("error", (e) => {
        if (!down && !this.closed) this.report(`${name} connection failed; retrying`, e);
        down = true;
      });
      r.on("ready", () => {
        if (down && !this.closed) this.report(`${name} connection restored${name === "pub/sub" ? " (messages published while it was down were not received)" : ""}`);
        down = false;
      });
      return r;
    };
    this.cmd = make("command");
    this.sub = make("pub/sub");
    this.sub.on("message", (channel: string, message: string) => {
      const c = this.channels.get(channel);
      if (c) for (const fn of c.fns) fn(message);
    });
  }

  key(...parts: string[]): string {
    return this.prefix + parts.join(":");
  }

  /** Listen on a channel; resolves once Redis has confirmed the subscription. */
  async subscribe(channel: string, fn: (message: string) => void): Promise<() => void> {
    let c = this.channels.get(channel);
    if (!c) {
      const fresh = { fns: new Set<(m: string) => void>(), ready: this.sub.subscribe(channel).then(() => undefined) };
      this.channels.set(channel, (c = fresh));
      fresh.ready.catch(() => this.channels.get(channel) === fresh && this.channels.delete(channel));
    }
    c.fns.add(fn);
    try {
      await c.ready;
    } catch (e) {
      c.fns.delete(fn);
      throw new RedisStateError(`subscribe ${channel}`, e);
    }
    const entry = c;
    return () => {
      entry.fns.delete(fn);
      if (entry.fns.size === 0 && this.channels.get(channel) === entry) {
        this.channels.delete(channel);
        if (!this.closed) this.sub.unsubscribe(channel).catch((e) => this.report(`unsubscribe ${channel} failed`, e));
      }
    };
  }

  /** Run a command, turning a failure into an error that names Redis and the operation. */
  async run<T>(what: string, fn: (r: Redis) => Promise<T>): Promise<T> {
    try {
      return await fn(this.cmd);
    } catch (e) {
      throw new RedisStateError(what, e);
    }
  }

  /** Resolves when both connections answer (use at startup: fail early when Redis is unreachable). */
  async ready(): Promise<void> {
    await this.run("ping", (r) => r.ping());
    try {
      await this.sub.ping();
    } catch (e) {
      throw new RedisStateError("ping (pub/sub)", e);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.channels.clear();
    await Promise.allSettled([this.cmd.quit(), this.sub.quit()]);
    this.cmd.disconnect();
    this.sub.disconnect();
  }
}
