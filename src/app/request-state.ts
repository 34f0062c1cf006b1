/**
 * `requestState` for 2026-07-28 multi-round-trip calls. The client echoes it
 * back, so it is attacker-controlled: we sign it (HMAC-SHA-256 via Web Crypto),
 * give it an expiry, and bind it to the request (method, target and arguments)
 * and, when known, to the authenticated principal.
 */
import { ErrorCode, McpError } from "../protocol/errors.js";

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
  secrets?: (string | Uint8Array)[];
  /** How long a state stays valid (default 10 minutes). */
  ttlMs?: number;
}

export class RequestStateSealer {
  private keys: Promise<CryptoKey[]> | undefined;
  readonly ttlMs: number;
  constructor(private readonly opts: RequestStateOptions = {}) {
    this.ttlMs = opts.ttlMs ?? 600_000;
  }

  private getKeys(): Promise<CryptoKey[]> {
    this.keys ??= (async () => {
      const secrets = this.opts.secrets?.length ? this.opts.secrets : [crypto.getRandomValues(new Uint8Array(32))];
      return Promise.all(
        secrets.map((s) =>
          crypto.subtle.importKey("raw", (typeof s === "string" ? te.encode(s) : s) as BufferSource, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]),
        ),
      );
    })();
    return this.keys;
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
    let ok = false;
    for (const key of await this.getKeys()) {
      if (await crypto.subtle.verify("HMAC", key, sig as BufferSource, te.encode(body))) {
        ok = true;
        break;
      }
    }
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
