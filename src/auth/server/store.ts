/**
 * Storage for the authorization server: a small key-value interface with expiry,
 * so any database (or Redis) can back it. Keys are namespaced by the callers
 * ("client:…", "code:…", "at:…", "rt:…"); tokens are stored under their SHA-256,
 * never in clear.
 */
export interface OAuthStore {
  get<T>(key: string): Promise<T | undefined>;
  /** Store `value`; it disappears after `ttlSeconds` when given. */
  set<T>(key: string, value: T, ttlSeconds?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Get and delete in one step (a code is used once, even under concurrent requests). */
  take<T>(key: string): Promise<T | undefined>;
}

/** The default store: a Map with lazy expiry and a periodic sweep. Lost on restart; one process only. */
export class InMemoryOAuthStore implements OAuthStore {
  private readonly data = new Map<string, { value: unknown; until: number }>();
  private writes = 0;

  async get<T>(key: string): Promise<T | undefined> {
    const e = this.data.get(key);
    if (!e) return undefined;
    if (e.until <= Date.now()) {
      this.data.delete(key);
      return undefined;
    }
    return structuredClone(e.value) as T;
  }

  async set<T>(key: string, value: T, ttlSeconds?: number): Promise<void> {
    this.data.set(key, { value: structuredClone(value), until: ttlSeconds === undefined ? Infinity : Date.now() + ttlSeconds * 1000 });
    if (++this.writes % 1000 === 0) this.sweep();
  }

  async delete(key: string): Promise<void> {
    this.data.delete(key);
  }

  async take<T>(key: string): Promise<T | undefined> {
    const v = await this.get<T>(key);
    this.data.delete(key);
    return v;
  }

  get size(): number {
    return this.data.size;
  }

  sweep(now = Date.now()): void {
    for (const [k, e] of this.data) if (e.until <= now) this.data.delete(k);
  }
}
