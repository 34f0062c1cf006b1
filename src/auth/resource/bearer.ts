/**
 * The resource server: `withBearerAuth(handler, options)` wraps the MCP HTTP handler.
 * Every request to the endpoint must carry a valid bearer token for this resource
 * (RFC 6750 header only); the verified identity reaches handlers as `ctx.authInfo`.
 * It answers 401 and 403 with the challenges of MCP 2026-07-28, serves
 * protected-resource metadata (RFC 9728) at the path-aware and root well-known URLs,
 * enforces per-tool scopes on tools/call, and binds legacy sessions to the
 * principal that opened them. DPoP-bound tokens (RFC 9449) are accepted with the
 * DPoP scheme and a proof for the request, and refused without one.
 */
import { ErrorCode } from "../../protocol/errors.js";
import type { McpHttpHandler } from "../../transports/http/handler.js";
import { fromRequest, toResponse } from "../../transports/http/fetch.js";
import { errorOut, jsonOut } from "../../transports/http/exchange.js";
import { DEFAULTS } from "../../transports/http/options.js";
import { BodyTooLargeError, type HttpIn, type HttpOut } from "../../transports/http/types.js";
import { DPoPError, DPoPProofChecker, type CheckedProof, type DPoPOptions } from "../dpop.js";
import type { ProtectedResourceMetadata } from "../types.js";
import { canonicalResource, formatBearerChallenge, formatScopes, missingScopes, nowSeconds, unionScopes, wellKnownUrl } from "../util.js";
import type { TokenVerifier, VerifiedToken } from "./verifier.js";

/** An authorization server served beside the MCP endpoint (see `createAuthorizationServer`). */
export interface CoHostedAuthorizationServer {
  readonly issuer: string;
  /** Verifies the tokens this server issued, without a network round trip. */
  readonly verifier: TokenVerifier;
  servesPath(path: string): boolean;
  handle(inp: HttpIn): Promise<HttpOut>;
  /** It issues DPoP-bound tokens (so this resource must accept the DPoP scheme). */
  readonly bindsDpop?: boolean;
}

export interface BearerAuthOptions {
  /** This server's canonical resource identifier (RFC 8707), e.g. "https://mcp.example.com/mcp". */
  resource: string | URL;
  /** Checks tokens. Default: the co-hosted authorization server's own verifier. */
  verifier?: TokenVerifier;
  /** Issuers listed in the metadata's `authorization_servers` (default: the co-hosted server's issuer). */
  authorizationServers?: string[];
  /** Serve this authorization server's endpoints and metadata beside the MCP endpoint. */
  authorizationServer?: CoHostedAuthorizationServer;
  /** Scopes every request needs (named in the 401 challenge). */
  requiredScopes?: string[];
  /** Scopes a tools/call needs, by tool name (in addition to `requiredScopes`). */
  toolScopes?: Record<string, string[]> | ((tool: string) => string[] | undefined);
  /** `scopes_supported` in the metadata (default: every scope named above). */
  scopesSupported?: string[];
  /** More metadata fields (resource_name, resource_documentation, …). */
  metadata?: Partial<ProtectedResourceMetadata>;
  /** Audiences accepted besides `resource` itself. */
  audiences?: string[];
  /**
   * Accept a token whose verifier reports no audience. Default false: MCP requires the
   * server to check that each token was issued for it.
   */
  allowMissingAudience?: boolean;
  /** Bind each legacy session to the principal that opened it (default true). */
  bindSessions?: boolean;
  /** Body size read to find tool names (default: the handler's default, 4 MiB). */
  maxBodyBytes?: number;
  /**
   * DPoP (RFC 9449): tokens bound to a key (`cnf.jkt`) are accepted only as `DPoP <token>`
   * with a proof signed by that key. `required: true` refuses unbound (bearer) tokens too;
   * `false` turns the DPoP scheme off. Default: accepted, not required.
   */
  dpop?: (DPoPOptions & { required?: boolean }) | false;
}

export type AuthenticatedHttpHandler = McpHttpHandler & {
  /** Does this wrapper answer `path` itself (metadata, authorization server)? */
  servesPath(path: string): boolean;
  /** The protected-resource metadata document. */
  readonly metadata: ProtectedResourceMetadata;
  /** The URL of that document named in challenges. */
  readonly metadataUrl: string;
};

const CORS = { "access-control-allow-origin": "*", "access-control-allow-methods": "GET, OPTIONS", "access-control-allow-headers": "mcp-protocol-version" };

export function withBearerAuth(inner: McpHttpHandler, o: BearerAuthOptions): AuthenticatedHttpHandler {
  const resource = canonicalResource(o.resource);
  const as = o.authorizationServer;
  const verifier = o.verifier ?? as?.verifier;
  if (!verifier) throw new TypeError("withBearerAuth: give a verifier (or a co-hosted authorizationServer)");
  const servers = o.authorizationServers ?? (as ? [as.issuer] : undefined);
  if (!servers?.length) throw new TypeError("withBearerAuth: authorizationServers must name at least one issuer");
  const required = o.requiredScopes ?? [];
  const toolScopes = typeof o.toolScopes === "function" ? o.toolScopes : o.toolScopes ? (name: string) => (o.toolScopes as Record<string, string[]>)[name] : undefined;
  const declared = typeof o.toolScopes === "object" ? Object.values(o.toolScopes).flat() : [];
  const supported = o.scopesSupported ?? unionScopes(required, declared);
  const metadata: ProtectedResourceMetadata = {
    resource,
    authorization_servers: servers,
    ...(supported.length ? { scopes_supported: supported } : {}),
    bearer_methods_supported: ["header"],
    ...o.metadata,
  };
  const pathUrl = wellKnownUrl(resource, "oauth-protected-resource");
  const rootUrl = wellKnownUrl(resource, "oauth-protected-resource", false);
  const metadataUrl = pathUrl.href;
  const audiences = new Set([resource, ...(o.audiences ?? []).map((a) => canonicalResource(a))]);
  const maxBody = o.maxBodyBytes ?? DEFAULTS.maxBodyBytes;
  const sessions = new Map<string, string>(); // legacy session id → principal
  if (o.dpop === false && as?.bindsDpop) throw new TypeError("withBearerAuth: the co-hosted authorization server issues DPoP-bound tokens, so dpop cannot be false here");
  const dpop = o.dpop === false ? undefined : new DPoPProofChecker(o.dpop ?? {});
  const dpopRequired = o.dpop !== false && !!o.dpop?.required;
  const resourceOrigin = new URL(resource).origin;
  if (dpop) {
    metadata.dpop_signing_alg_values_supported ??= dpop.algs;
    if (dpopRequired) metadata.dpop_bound_access_tokens_required ??= true;
  }

  const isMetadataPath = (p: string) => p === pathUrl.pathname || p === rootUrl.pathname;
  const servesPath = (p: string) => isMetadataPath(p) || !!as?.servesPath(p);

  /**
   * A 401/403. The Bearer challenge always names the metadata and scope; when DPoP is in play
   * (the request used it, it is required, or the proof failed) a DPoP challenge with `algs`
   * follows. The error goes on the challenge of the scheme the request used (RFC 9449 §7.1),
   * DPoP's own errors (invalid_dpop_proof, use_dpop_nonce) always on the DPoP one.
   */
  function challenge(status: 401 | 403, params: { error?: string; description?: string; scopes?: string[]; dpop?: boolean; nonce?: string }): HttpOut {
    const onDpop = !!dpop && (params.dpop || params.error === "invalid_dpop_proof" || params.error === "use_dpop_nonce");
    const scope = params.scopes?.length ? formatScopes(params.scopes) : undefined;
    const error = { error: params.error, error_description: params.description };
    let header = formatBearerChallenge({ ...(onDpop ? {} : error), scope, resource_metadata: metadataUrl });
    if (dpop && (onDpop || dpopRequired)) {
      header += `, ${formatBearerChallenge({ ...(onDpop ? error : {}), ...(onDpop ? { scope } : {}), algs: dpop.algs.join(" ") }).replace(/^Bearer/, "DPoP")}`;
    }
    const body = params.error ? { error: params.error, error_description: params.description } : { error: "invalid_token", error_description: "Authorization required" };
    return jsonOut(status, body, { "www-authenticate": header, "cache-control": "no-store", ...(params.nonce ? { "dpop-nonce": params.nonce } : {}) });
  }

  async function authenticate(inp: HttpIn): Promise<VerifiedToken | HttpOut> {
    const h = inp.header("authorization");
    if (inp.query("access_token") !== null) return challenge(401, { error: "invalid_request", description: "Tokens in the query string are not accepted" });
    const m = h ? /^(Bearer|DPoP)[ ]+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(h) : null;
    if (!h) return challenge(401, { scopes: required });
    const scheme = m?.[1].toLowerCase();
    const usedDpop = scheme === "dpop" && !!dpop;
    if (!m || (scheme === "dpop" && !dpop)) return challenge(401, { error: "invalid_request", description: "Malformed Authorization header (want: Bearer <token>)", scopes: required });
    const token = m[2];
    const refuse = (error: string, description: string, nonce?: string) => challenge(401, { error, description, scopes: required, dpop: usedDpop, nonce });
    // The proof first: it is checked locally, before any token lookup (introspection may be remote).
    // htu is compared with this resource's public origin and the request's path, never with
    // a URL built from the Host header (which the client controls).
    let proof: CheckedProof | undefined;
    if (usedDpop) {
      try {
        proof = await dpop!.check(inp.header("dpop"), { method: inp.method, url: `${resourceOrigin}${inp.path}`, accessToken: token, status: 401 });
      } catch (e) {
        if (e instanceof DPoPError) return refuse(e.error, e.message, e.headers["dpop-nonce"]);
        throw e;
      }
    } else if (dpopRequired) return refuse("invalid_token", "This resource accepts only DPoP-bound tokens (Authorization: DPoP)");
    let info: VerifiedToken | undefined;
    try {
      info = await verifier!.verify(token);
    } catch {
      info = undefined;
    }
    if (!info) return refuse("invalid_token", "The access token is invalid or expired");
    if (info.expiresAt !== undefined && info.expiresAt <= nowSeconds()) return refuse("invalid_token", "The access token has expired");
    const aud = info.audience;
    const ours = aud?.some((a) => audiences.has(safeCanonical(a)));
    if (aud ? !ours : !o.allowMissingAudience) return refuse("invalid_token", "The access token was not issued for this resource");
    const bound = info.confirmation?.jkt;
    // A bound token without its proof is a stolen token as far as we can tell; an unbound one sent as DPoP is a mix-up.
    if (bound !== undefined ? bound !== proof?.jkt : usedDpop) return refuse("invalid_token", bound !== undefined ? "The access token is bound to a DPoP key: send it as DPoP with a proof of that key" : "The access token is not DPoP-bound");
    if (proof) {
      try {
        proof.commit();
      } catch (e) {
        if (e instanceof DPoPError) return refuse(e.error, e.message);
        throw e;
      }
    }
    return { ...info, scopes: info.scopes ?? [] };
  }

  /** tools/call names in a POST body (one message or a batch), with the body kept for the handler. */
  async function toolsCalled(inp: HttpIn): Promise<{ names: string[]; inp: HttpIn }> {
    let text: string;
    try {
      text = await inp.text(maxBody);
    } catch (e) {
      const err = e;
      return { names: [], inp: derive(inp, { text: () => Promise.reject(err) }) };
    }
    const again = derive(inp, {
      text: async (limit) => {
        if (text.length * 3 > limit && new TextEncoder().encode(text).length > limit) throw new BodyTooLargeError(limit);
        return text;
      },
    });
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return { names: [], inp: again };
    }
    const names: string[] = [];
    for (const m of Array.isArray(msg) ? msg : [msg]) {
      if (m && typeof m === "object" && (m as any).method === "tools/call") {
        const n = (m as any).params?.name;
        if (typeof n === "string") names.push(n);
      }
    }
    return { names, inp: again };
  }

  const principalOf = (a: VerifiedToken) => a.subject ?? (a.clientId !== undefined ? `client:${a.clientId}` : `token:${a.token}`);

  async function handle(inp: HttpIn): Promise<HttpOut> {
    if (isMetadataPath(inp.path)) {
      if (inp.method === "OPTIONS") return { status: 204, headers: CORS };
      if (inp.method !== "GET" && inp.method !== "HEAD") return { status: 405, headers: { allow: "GET, OPTIONS" } };
      return jsonOut(200, metadata, { ...CORS, "cache-control": "max-age=3600" });
    }
    if (as?.servesPath(inp.path)) return as.handle(inp);
    const auth = await authenticate(inp);
    if ("status" in auth) return auth;
    const missing = missingScopes(auth.scopes, required);
    // Accepted means a bound token came with the DPoP scheme, an unbound one with Bearer.
    const usedDpop = auth.confirmation?.jkt !== undefined;
    if (missing.length) return challenge(403, { error: "insufficient_scope", description: `Missing scope: ${missing.join(" ")}`, scopes: required, dpop: usedDpop });
    let next: HttpIn = withoutAuthorization(inp, auth);
    if (toolScopes && inp.method === "POST") {
      const t = await toolsCalled(next);
      next = t.inp;
      const need = unionScopes(required, ...t.names.map((n) => toolScopes(n)));
      const lacking = missingScopes(auth.scopes, need);
      if (lacking.length) return challenge(403, { error: "insufficient_scope", description: `Missing scope: ${lacking.join(" ")}`, scopes: need, dpop: usedDpop });
    }
    const principal = principalOf(auth);
    const sid = inp.header("mcp-session-id");
    if (o.bindSessions !== false && sid !== null) {
      const owner = sessions.get(sid);
      if (owner !== undefined ? owner !== principal : inner.legacy.sessions.has(sid)) return errorOut(404, ErrorCode.ConnectionClosed, "Session not found");
    }
    const out = await inner.handle(next);
    // With nonces on, every answer carries the current one, so a client rarely meets use_dpop_nonce.
    const nonce = usedDpop ? await dpop?.nonce() : undefined;
    if (nonce) out.headers["dpop-nonce"] = nonce;
    if (o.bindSessions !== false) {
      const opened = out.headers["mcp-session-id"];
      if (sid === null && opened && out.status < 300) bind(opened, principal);
      if (inp.method === "DELETE" && sid !== null && out.status < 300) sessions.delete(sid);
    }
    return out;
  }

  function bind(sid: string, principal: string): void {
    sessions.set(sid, principal);
    if (sessions.size > 2 * inner.legacy.sessions.size + 1000) {
      for (const id of sessions.keys()) if (!inner.legacy.sessions.has(id)) sessions.delete(id);
    }
  }

  return {
    handle,
    fetch: async (req: Request) => toResponse(await handle(fromRequest(req))),
    close: () => inner.close(),
    get legacy() {
      return inner.legacy;
    },
    servesPath,
    metadata,
    metadataUrl,
  };
}

/**
 * The request as the MCP handler sees it: the verified identity in `auth`, and no
 * Authorization header, so a handler that forwards headers cannot pass the token on.
 */
function withoutAuthorization(inp: HttpIn, auth: VerifiedToken): HttpIn {
  let headers: Headers | undefined;
  return derive(inp, {
    auth,
    header: (n) => (n === "authorization" ? null : inp.header(n)),
    headers: () => {
      if (!headers) {
        headers = new Headers(inp.headers());
        headers.delete("authorization");
      }
      return headers;
    },
  });
}

/** A view of `inp` with some members replaced (HttpIn may be a class instance: never spread it). */
function derive(inp: HttpIn, o: Partial<HttpIn>): HttpIn {
  return {
    method: inp.method,
    path: inp.path,
    url: inp.url,
    auth: inp.auth,
    query: (n) => inp.query(n),
    header: (n) => inp.header(n),
    headers: () => inp.headers(),
    text: (limit) => inp.text(limit),
    onAbort: (fn) => inp.onAbort(fn),
    ...o,
  };
}

function safeCanonical(a: string): string {
  try {
    return canonicalResource(a);
  } catch {
    return a;
  }
}
