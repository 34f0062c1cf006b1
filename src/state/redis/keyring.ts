/**
 * The keys that sign 2026-07-28 `requestState`, shared by a fleet through
 * Redis: a list, newest first. The first key signs; every key in the list
 * verifies, so a state minted before a rotation still opens after it, on any
 * node. The list starts with one random key the first time any node asks.
 */
import type { KeySource } from "../keys.js";
import type { RedisConnection } from "./connection.js";

export interface RedisKeyringOptions {
  /** Keys kept, the signing one included (default 3): a retired key stops verifying. */
  keep?: number;
  /** Rotate by itself when the signing key is older than this (ms; default: only when `rotate()` is called). */
  rotateEveryMs?: number;
  /** How long a node caches the list (default 30 s; a state that fails to verify re-reads it sooner). */
  refreshMs?: number;
}

/** KEYS: list. ARGV: new entry, keep, now, rotate-if-older-than (0 = only if empty, -1 = always). */
const ENSURE = `
local head = redis.call('LINDEX', KEYS[1], 0)
local rotate = tonumber(ARGV[4])
local push = not head or rotate < 0
if head and rotate > 0 then
  local born = tonumber(string.match(head, '^(%d+):'))
  push = not born or tonumber(ARGV[3]) - born >= rotate
end
if push then
  redis.call('LPUSH', KEYS[1], ARGV[1])
  redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
end
return redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[2]) - 1)`;

export class RedisKeyring implements KeySource {
  readonly refreshMs: number;
  private readonly key: string;
  private readonly keep: number;
  private readonly rotateEveryMs: number;
  constructor(
    private readonly conn: RedisConnection,
    opts: RedisKeyringOptions = {},
  ) {
    this.key = conn.key("request-state-keys");
    this.keep = Math.max(1, opts.keep ?? 3);
    this.rotateEveryMs = opts.rotateEveryMs ?? 0;
    this.refreshMs = opts.refreshMs ?? 30_000;
    if (this.rotateEveryMs > 0 && this.rotateEveryMs < this.refreshMs) this.refreshMs = this.rotateEveryMs;
  }

  /** The secrets, newest first (creating the first one, or rotating when it is due). */
  async secrets(): Promise<string[]> {
    return this.ensure(this.rotateEveryMs > 0 ? this.rotateEveryMs : 0);
  }

  /** Put a new signing key first now; the old ones keep verifying until `keep` newer keys push them out. */
  async rotate(): Promise<string[]> {
    return this.ensure(-1);
  }

  private async ensure(rotate: number): Promise<string[]> {
    const entry = `${Date.now()}:${randomSecret()}`;
    const list = (await this.conn.run("read request-state keys", (c) => c.eval(ENSURE, 1, this.key, entry, this.keep, Date.now(), rotate))) as string[];
    return list.map((e) => e.slice(e.indexOf(":") + 1));
  }
}

function randomSecret(): string {
  const b = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...b));
}
