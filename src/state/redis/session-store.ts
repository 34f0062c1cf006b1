/**
 * Legacy sessions in Redis, shared by a fleet. Each session is a hash (its
 * state) and a set (its resource subscriptions), both expiring when the session
 * is idle; a sorted set of live sessions scored by expiry enforces the session
 * cap across every node. Each session has a pub/sub channel for the processes
 * holding it.
 */
import type { SessionMessage, SessionPatch, SessionRecord, SessionStore } from "../session-store.js";
import type { RedisConnection } from "./connection.js";

const FIELDS = ["state", "protocolVersion", "clientCapabilities", "clientInfo", "logLevel", "streamNode"] as const;

/** KEYS: live-set, hash, subs. ARGV: now, idleMs, max, id, field/value pairs… */
const CREATE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), ARGV[4])
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('HSET', KEYS[2], unpack(ARGV, 5))
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1`;

/** KEYS: hash, subs. ARGV: subscribe|'', unsubscribe|'', field/value pairs… (an expired session stays expired) */
const UPDATE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[1] ~= '' then
  redis.call('SADD', KEYS[2], ARGV[1])
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
end
if ARGV[2] ~= '' then redis.call('SREM', KEYS[2], ARGV[2]) end
if #ARGV > 2 then redis.call('HSET', KEYS[1], unpack(ARGV, 3)) end
return 1`;

/** KEYS: live-set, then hash/subs pairs. ARGV: expiry (ms since epoch), idleMs, ids… */
const TOUCH = `
for i = 3, #ARGV do
  local h = KEYS[2 * (i - 3) + 2]
  if redis.call('PEXPIRE', h, ARGV[2]) == 1 then
    redis.call('PEXPIRE', KEYS[2 * (i - 3) + 3], ARGV[2])
    redis.call('ZADD', KEYS[1], 'XX', ARGV[1], ARGV[i])
  end
end
return 1`;

export class RedisSessionStore implements SessionStore {
  private readonly live: string;
  constructor(private readonly conn: RedisConnection) {
    this.live = conn.key("sessions");
  }
  private hash(id: string): string {
    return this.conn.key("session", id);
  }
  private subs(id: string): string {
    return this.conn.key("session", id, "subs");
  }
  private channel(id: string): string {
    return this.conn.key("session", id, "ch");
  }

  async create(id: string, record: SessionRecord, limits: { max: number; idleMs: number }): Promise<boolean> {
    const r = await this.conn.run("create session", (c) =>
      c.eval(CREATE, 3, this.live, this.hash(id), this.subs(id), Date.now(), limits.idleMs, limits.max, id, ...fields(record)),
    );
    return r === 1;
  }

  async load(id: string): Promise<SessionRecord | undefined> {
    const [h, subs] = await this.conn.run("load session", async (c) => {
      const res = await c.multi().hgetall(this.hash(id)).smembers(this.subs(id)).exec();
      if (!res) throw new Error("transaction aborted");
      for (const [err] of res) if (err) throw err;
      return [res[0][1] as Record<string, string>, res[1][1] as string[]] as const;
    });
    if (!h || Object.keys(h).length === 0) return undefined;
    const rec: Record<string, unknown> = { subscriptions: subs };
    for (const f of FIELDS) if (h[f] !== undefined) rec[f] = JSON.parse(h[f]);
    return rec as unknown as SessionRecord;
  }

  async update(id: string, patch: SessionPatch): Promise<void> {
    await this.conn.run("update session", (c) => c.eval(UPDATE, 2, this.hash(id), this.subs(id), patch.subscribe ?? "", patch.unsubscribe ?? "", ...fields(patch)));
  }

  async touch(ids: string[], idleMs: number): Promise<void> {
    if (ids.length === 0) return;
    const keys = [this.live, ...ids.flatMap((id) => [this.hash(id), this.subs(id)])];
    await this.conn.run("touch sessions", (c) => c.eval(TOUCH, keys.length, ...keys, Date.now() + idleMs, idleMs, ...ids));
  }

  async delete(id: string): Promise<void> {
    await this.conn.run("delete session", (c) => c.multi().zrem(this.live, id).del(this.hash(id), this.subs(id)).exec());
  }

  async publish(id: string, message: SessionMessage): Promise<void> {
    await this.conn.run("publish to session", (c) => c.publish(this.channel(id), JSON.stringify(message)));
  }

  subscribe(id: string, fn: (m: SessionMessage) => void): Promise<() => void> {
    return this.conn.subscribe(this.channel(id), (raw) => {
      let m: SessionMessage;
      try {
        m = JSON.parse(raw);
      } catch {
        return;
      }
      fn(m);
    });
  }

  /** Live sessions across the fleet (expired ones not counted). */
  async count(): Promise<number> {
    return this.conn.run("count sessions", (c) => c.zcount(this.live, Date.now(), "+inf"));
  }
}

/** A record's or patch's fields as hash field/value pairs (values JSON-encoded). */
function fields(r: Partial<SessionRecord> | SessionPatch): string[] {
  const out: string[] = [];
  for (const f of FIELDS) if ((r as any)[f] !== undefined) out.push(f, JSON.stringify((r as any)[f]));
  return out;
}
