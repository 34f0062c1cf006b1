/**
 * `mcpkit/redis`: the state a fleet of mcpkit servers shares, in Redis, so the
 * fleet behaves like one server — change notifications (bus), legacy sessions
 * and their resumable streams (session and event stores), and the keys that
 * sign 2026-07-28 `requestState` (keyring). Needs the `ioredis` package.
 *
 * ```ts
 * const redis = createRedisState({ url: process.env.REDIS_URL });
 * await redis.ready();
 * const mcp = new McpServer({ name: "app", bus: redis.bus, requestState: { keys: redis.keyring } });
 * await serveHttp(mcp, { legacy: { sessionStore: redis.sessions, eventStore: redis.events } });
 * ```
 */
import { RedisBus } from "./bus.js";
import { RedisConnection, type RedisConnectionOptions } from "./connection.js";
import { RedisEventStore, type RedisEventStoreOptions } from "./event-store.js";
import { RedisKeyring, type RedisKeyringOptions } from "./keyring.js";
import { RedisSessionStore } from "./session-store.js";

export { RedisBus, RedisConnection, RedisEventStore, RedisKeyring, RedisSessionStore };
export { RedisStateError, type RedisConnectionOptions } from "./connection.js";
export type { RedisEventStoreOptions, RedisKeyringOptions };

export interface RedisStateOptions extends RedisConnectionOptions {
  events?: RedisEventStoreOptions;
  keyring?: RedisKeyringOptions;
}

export interface RedisState {
  readonly connection: RedisConnection;
  /** For `new McpServer({ bus })` / `new Server(info, { bus })`. */
  readonly bus: RedisBus;
  /** For `serveHttp(mcp, { legacy: { sessionStore } })`. */
  readonly sessions: RedisSessionStore;
  /** For `serveHttp(mcp, { legacy: { eventStore } })`. */
  readonly events: RedisEventStore;
  /** For `new McpServer({ requestState: { keys } })`. */
  readonly keyring: RedisKeyring;
  /** Resolves once Redis answers and the bus listens; rejects with a clear error if Redis is unreachable. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** Everything a fleet node shares, over one pair of connections. */
export function createRedisState(opts: RedisStateOptions = {}): RedisState {
  const connection = new RedisConnection(opts);
  const bus = new RedisBus(connection);
  return {
    connection,
    bus,
    sessions: new RedisSessionStore(connection),
    events: new RedisEventStore(connection, opts.events),
    keyring: new RedisKeyring(connection, opts.keyring),
    async ready() {
      await connection.ready();
      await bus.ready();
    },
    close: () => connection.close(),
  };
}
