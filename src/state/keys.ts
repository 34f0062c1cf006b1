/**
 * Where the keys that sign 2026-07-28 `requestState` come from. A fleet shares
 * one source (e.g. `RedisKeyring` from `mcpkit/redis`) so every node verifies
 * the state any other node minted; rotation puts a new key first (it signs)
 * while older ones stay in the list (they still verify) until retired.
 */
export type Secret = string | Uint8Array;

export interface KeySource {
  /** The secrets, newest first: the first signs, every one verifies. */
  secrets(): readonly Secret[] | Promise<readonly Secret[]>;
  /** How long the secrets may be cached before asking again (default 30 s). A state that fails to verify asks again sooner. */
  readonly refreshMs?: number;
}

/** A fixed list of secrets, newest first. */
export class StaticKeys implements KeySource {
  readonly refreshMs = Infinity;
  constructor(private readonly list: readonly Secret[]) {
    if (list.length === 0) throw new Error("StaticKeys needs at least one secret");
  }
  secrets(): readonly Secret[] {
    return this.list;
  }
}
