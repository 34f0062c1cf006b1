/** Options of the Streamable HTTP handler, their safe defaults, and Host/Origin checks. */
import type { SessionStore } from "../../state/session-store.js";
import type { EventStore } from "./event-store.js";

export interface HttpHandlerOptions {
  /**
   * Hosts (with or without port) accepted in the Host header. Default: loopback
   * names only (localhost, 127.0.0.1, [::1]), which is right for a local server.
   * Set this when serving on a public name.
   */
  allowedHosts?: string[];
  /** Origins accepted in the Origin header (exact, e.g. "https://app.example.com"). Default: loopback origins. */
  allowedOrigins?: string[];
  /** Turn off Host/Origin validation (only behind a proxy that does it). Default: on. */
  dnsRebindingProtection?: boolean;
  /** Largest accepted request body (default 4 MiB) → 413. */
  maxBodyBytes?: number;
  /** Legacy (2025-03-26 … 2025-11-25) session handling. */
  legacy?: {
    /** "stateful" (default): Mcp-Session-Id sessions. "stateless": no sessions, no GET stream. */
    mode?: "stateful" | "stateless";
    /** Answer legacy POSTs with JSON only, never SSE (server → client requests then need the GET stream). */
    jsonResponse?: boolean;
    /** Most sessions at once (default 10,000) → 503 beyond. */
    maxSessions?: number;
    /** A session unused for this long is closed (default 15 minutes). */
    idleTimeoutMs?: number;
    /** Resumability store (default: in memory). `false` turns resumability off. */
    eventStore?: EventStore | false;
    /**
     * Where sessions live beyond this process (default: in memory, this process only).
     * Give every node of a fleet the same shared store (`RedisSessionStore` from mcpkit/redis)
     * and a request may land on any node; use a shared `eventStore` with it.
     */
    sessionStore?: SessionStore;
    /** The `retry` hint sent with priming events, in ms (default 1000). */
    retryMs?: number;
  };
  /** Interval of `:` keep-alive comments on long-lived SSE streams (default 15 s; 0 = never). */
  keepAliveMs?: number;
  /** Also serve the deprecated HTTP+SSE transport (2024-11-05) at these paths. Default: off in the handler. */
  legacySse?: { ssePath: string; messagesPath: string } | false;
}

export const DEFAULTS = {
  maxBodyBytes: 4 * 1024 * 1024,
  maxSessions: 10_000,
  idleTimeoutMs: 15 * 60_000,
  retryMs: 1000,
  keepAliveMs: 15_000,
};

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

function hostname(hostHeader: string): string {
  if (hostHeader.startsWith("[")) return hostHeader.slice(0, hostHeader.indexOf("]") + 1);
  const i = hostHeader.lastIndexOf(":");
  return (i === -1 ? hostHeader : hostHeader.slice(0, i)).toLowerCase();
}

/** Null when acceptable, else the reason (the caller answers 403). */
export function checkHostAndOrigin(host: string | null, origin: string | null, o: HttpHandlerOptions): string | null {
  if (o.dnsRebindingProtection === false) return null;
  if (host !== null) {
    const h = host.toLowerCase();
    const ok = o.allowedHosts ? o.allowedHosts.some((a) => a.toLowerCase() === h || a.toLowerCase() === hostname(h)) : LOOPBACK.has(hostname(h));
    if (!ok) return `Host ${host} is not allowed`;
  }
  if (origin !== null && origin !== "null") {
    if (o.allowedOrigins?.includes(origin)) return null;
    let u: URL;
    try {
      u = new URL(origin);
    } catch {
      return `Origin ${origin} is not allowed`;
    }
    const loopbackOrigin = LOOPBACK.has(u.hostname) || LOOPBACK.has(`[${u.hostname}]`);
    if (o.allowedOrigins || !loopbackOrigin) {
      // With an allow-list, a loopback origin is fine only if our host is loopback too.
      if (!(loopbackOrigin && !o.allowedHosts)) return `Origin ${origin} is not allowed`;
    }
  } else if (origin === "null") return "Origin null is not allowed";
  return null;
}

/** `Accept` must allow both JSON and SSE (a wildcard counts). Clients repeat one value, so the last verdict is kept. */
let lastAccept: string | null = null;
let lastVerdict = false;
export function acceptsBoth(accept: string | null): boolean {
  if (accept === lastAccept) return lastVerdict;
  lastAccept = accept;
  return (lastVerdict = computeAccepts(accept));
}
function computeAccepts(accept: string | null): boolean {
  if (!accept) return false;
  const a = accept.toLowerCase();
  const any = a.includes("*/*");
  return (any || a.includes("application/json") || a.includes("application/*")) && (any || a.includes("text/event-stream") || a.includes("text/*"));
}
