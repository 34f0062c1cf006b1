/**
 * `requestState` for 2026-07-28 multi-round-trip calls. The client echoes it
 * back, so it is attacker-controlled: we sign it (HMAC-SHA-256 via Web Crypto),
 * give it an expiry, and bind it to the request (method, target and arguments)
 * and, when known, to the authenticated principal.
 */
import { ErrorCode, McpError } from "../protocol/errors.js";
import type { KeySource, Secret } from "../state/keys.js";

export interface StatePayload {
  /** Answers gathered in earlier rounds, keyed like `inputRequests`. */
  answers: Record<string, unknown>;
  /** Keys asked in the last round: the only inputResponses a retry may carry. */
  q?: string[];
  /** Binding: hash of method + target + arguments. */
  b: string;
  /** Principal (token subject or client id), if authenticated. */
  p?: string;
  /** Expiry, ms since epoch. */
  exp: number;
}

const te = new TextEncoder();
const b64u = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const unb64u = (s: string) => {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
};
const b64uText = (s: string) => {
  const bytes = te.encode(s);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};

export interface RequestStateOptions {
  /** Signing secrets, newest first: the first signs, all verify (rotation). Default: a random per-process key. */
  secrets?: Secret[];
  /**
   * Where the secrets come from when they change while serving (a fleet's shared,
   * rotating keyring such as `RedisKeyring` from mcpkit/redis). Takes precedence over `secrets`.
   */
  keys?: KeySource;
  /** How long a state stays valid (default 10 minutes). */
  ttlMs?: number;
}

/** A failed verification asks the key source again, at most this often. */
const MIN_REFETCH_MS = 1000;

export class RequestStateSealer {
  private keys: Promise<CryptoKey[]> | undefined;
  private fetchedAt = 0;
  private readonly imported = new Map<string, Promise<CryptoKey>>();
  readonly ttlMs: number;
  constructor(private readonly opts: RequestStateOptions = {}) {
    this.ttlMs = opts.ttlMs ?? 600_000;
  }

  private getKeys(force = false): Promise<CryptoKey[]> {
    const src = this.opts.keys;
    const stale = src && Date.now() - this.fetchedAt >= (force ? MIN_REFETCH_MS : (src.refreshMs ?? 30_000));
    if (this.keys && !stale) return this.keys;
    this.fetchedAt = Date.now();
    const previous = this.keys;
    const next = (async () => {
      const secrets = src ? await src.secrets() : this.opts.secrets?.length ? this.opts.secrets : [crypto.getRandomValues(new Uint8Array(32))];
      if (secrets.length === 0) throw new McpError(ErrorCode.InternalError, "The requestState key source returned no keys");
      return Promise.all(secrets.map((s) => this.importKey(s)));
    })();
    // A key source that fails keeps the keys it gave before (they still sign and verify);
    // with none before, the failure is the caller's error and the next call asks again.
    const keys = previous ? next.catch(() => previous) : next;
    this.keys = keys;
    if (!previous) next.catch(() => this.keys === keys && (this.keys = undefined));
    return keys;
  }

  private importKey(s: Secret): Promise<CryptoKey> {
    const id = typeof s === "string" ? `s:${s}` : `b:${b64u(s)}`;
    let k = this.imported.get(id);
    if (!k) {
      k = crypto.subtle.importKey("raw", (typeof s === "string" ? te.encode(s) : s) as BufferSource, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
      if (this.imported.size > 64) this.imported.clear();
      this.imported.set(id, k);
    }
    return k;
  }

  async seal(payload: StatePayload): Promise<string> {
    const body = b64uText(JSON.stringify(payload));
    const [key] = await this.getKeys();
    const sig = new Uint8Array(await crypto.subtle.sign("HMAC", key, te.encode(body)));
    return `${body}.${b64u(sig)}`;
  }

  /** Verify and decode; any failure is -32602 and says why (not which byte). */
  async open(state: unknown, binding: string, principal: string | undefined): Promise<StatePayload> {
    const bad = (why: string) => new McpError(ErrorCode.InvalidParams, `Invalid requestState: ${why}`);
    if (typeof state !== "string" || state.length > 1_000_000) throw bad("malformed");
    const dot = state.indexOf(".");
    if (dot < 1) throw bad("malformed");
    const body = state.slice(0, dot);
    let sig: Uint8Array;
    try {
      sig = unb64u(state.slice(dot + 1));
    } catch {
      throw bad("malformed");
    }
    let ok = await verifyWith(await this.getKeys(), sig, body);
    // Minted by a node that already rotated to a key we have not fetched yet: ask the source again.
    if (!ok && this.opts.keys) ok = await verifyWith(await this.getKeys(true), sig, body);
    if (!ok) throw bad("signature does not verify");
    let payload: StatePayload;
    try {
      payload = JSON.parse(new TextDecoder().decode(unb64u(body)));
    } catch {
      throw bad("malformed");
    }
    if (typeof payload.exp !== "number" || payload.exp < Date.now()) throw bad("expired");
    if (payload.b !== binding) throw bad("issued for a different request");
    if (payload.p !== principal) throw bad("issued to a different principal");
    return payload;
  }
}

async function verifyWith(keys: CryptoKey[], sig: Uint8Array, body: string): Promise<boolean> {
  for (const key of keys) if (await crypto.subtle.verify("HMAC", key, sig as BufferSource, te.encode(body))) return true;
  return false;
}

/** A short, stable digest of what a state is bound to. */
export async function bindingOf(method: string, target: string, args: unknown): Promise<string> {
  const data = te.encode(`${method}\n${target}\n${stableJson(args)}`);
  return b64u(new Uint8Array(await crypto.subtle.digest("SHA-256", data)).subarray(0, 16));
}

function stableJson(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((v as any)[k])}`).join(",")}}`;
}
