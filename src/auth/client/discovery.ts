/**
 * Discovery for the client: protected-resource metadata (RFC 9728) from the
 * WWW-Authenticate header, else the path-aware well-known URL, else the root one;
 * then the authorization server's metadata at every location MCP requires, in order,
 * with the issuer checked. When a server publishes no resource metadata at all, the
 * 2025-03-26 fallback applies: the MCP server's origin is the authorization server,
 * with default endpoints if it has no metadata either.
 */
import type { AuthorizationServerMetadata, ProtectedResourceMetadata } from "../types.js";
import { canonicalResource, isSecureOrLoopback, resourceCovers } from "../util.js";

export class DiscoveryError extends Error {
  override name = "DiscoveryError";
}

export interface Discovery {
  /** The resource indicator to send (RFC 8707). */
  resource: string;
  resourceMetadata?: ProtectedResourceMetadata;
  issuer: string;
  metadata: AuthorizationServerMetadata;
  /** No metadata anywhere: the 2025-03-26 default endpoints. */
  fallbackEndpoints?: boolean;
}

async function getJson(f: typeof fetch, url: string): Promise<{ status: number; body?: unknown }> {
  let res: Response;
  try {
    res = await f(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(10_000) });
  } catch {
    return { status: 0 };
  }
  if (!res.ok) {
    await res.body?.cancel();
    return { status: res.status };
  }
  try {
    return { status: res.status, body: await res.json() };
  } catch {
    return { status: 0 };
  }
}

const wellKnown = (base: URL, suffix: string, path: string) => new URL(`/.well-known/${suffix}${path}`, base.origin).href;

export async function discoverProtectedResource(serverUrl: string | URL, f: typeof fetch, fromHeader?: string): Promise<ProtectedResourceMetadata | undefined> {
  const u = new URL(String(serverUrl));
  const path = u.pathname === "/" ? "" : u.pathname.replace(/\/$/, "");
  const candidates = [fromHeader, path ? wellKnown(u, "oauth-protected-resource", path) : undefined, wellKnown(u, "oauth-protected-resource", "")];
  for (const url of candidates) {
    if (!url) continue;
    if (!isSecureOrLoopback(url)) continue;
    const r = await getJson(f, url);
    if (!r.body) continue;
    const prm = r.body as ProtectedResourceMetadata;
    if (!prm || typeof prm !== "object" || typeof prm.resource !== "string") throw new DiscoveryError(`Protected resource metadata at ${url} has no resource`);
    // The metadata must be about this server (RFC 9728 §3.3): refuse to authorize for another resource.
    if (!resourceCovers(canonicalResource(prm.resource), canonicalResource(u))) {
      throw new DiscoveryError(`Protected resource metadata names ${prm.resource}, not ${canonicalResource(u)}: refusing to authorize`);
    }
    return prm;
  }
  return undefined;
}

/** The well-known URLs to try for an issuer, in the order MCP requires. */
export function authorizationServerMetadataUrls(issuer: string): string[] {
  const u = new URL(issuer);
  const path = u.pathname === "/" ? "" : u.pathname.replace(/\/$/, "");
  if (!path) return [wellKnown(u, "oauth-authorization-server", ""), wellKnown(u, "openid-configuration", "")];
  return [wellKnown(u, "oauth-authorization-server", path), wellKnown(u, "openid-configuration", path), new URL(`${path}/.well-known/openid-configuration`, u.origin).href];
}

export async function discoverAuthorizationServer(issuer: string, f: typeof fetch): Promise<AuthorizationServerMetadata | undefined> {
  if (!isSecureOrLoopback(issuer)) throw new DiscoveryError(`Authorization server ${issuer} is not https`);
  for (const url of authorizationServerMetadataUrls(issuer)) {
    const r = await getJson(f, url);
    if (!r.body) continue;
    const m = r.body as AuthorizationServerMetadata;
    // RFC 8414 §3.3: the issuer must be identical to the one the URL was built from.
    if (!m || typeof m !== "object" || m.issuer !== issuer) throw new DiscoveryError(`Authorization server metadata at ${url} names issuer ${String(m?.issuer)}, not ${issuer}`);
    return m;
  }
  return undefined;
}

/** PRM (or the 2025-03-26 fallback), then the authorization server's metadata. */
export async function discover(serverUrl: string | URL, f: typeof fetch, fromHeader?: string): Promise<Discovery> {
  const prm = await discoverProtectedResource(serverUrl, f, fromHeader);
  if (prm) {
    const issuer = prm.authorization_servers?.[0];
    if (!issuer) throw new DiscoveryError("Protected resource metadata lists no authorization server");
    const metadata = await discoverAuthorizationServer(issuer, f);
    if (!metadata) throw new DiscoveryError(`No metadata found for authorization server ${issuer}`);
    return { resource: canonicalResource(prm.resource), resourceMetadata: prm, issuer, metadata };
  }
  // 2025-03-26: the authorization server is at the MCP server's origin.
  const origin = new URL(String(serverUrl)).origin;
  const resource = canonicalResource(serverUrl);
  for (const url of authorizationServerMetadataUrls(origin)) {
    const r = await getJson(f, url);
    const m = r.body as AuthorizationServerMetadata | undefined;
    if (!m || typeof m !== "object") continue;
    // No PRM named an issuer to compare with: the metadata's issuer must be at the MCP server's
    // origin (it may have a path, e.g. <origin>/oauth, as 2025-03-26 servers published), nowhere else.
    if (!sameOriginIssuer(m.issuer, origin)) throw new DiscoveryError(`Authorization server metadata at ${url} names issuer ${String(m.issuer)}, not one at ${origin}`);
    return { resource, issuer: m.issuer, metadata: m };
  }
  return {
    resource,
    issuer: origin,
    fallbackEndpoints: true,
    metadata: { issuer: origin, authorization_endpoint: `${origin}/authorize`, token_endpoint: `${origin}/token`, registration_endpoint: `${origin}/register`, code_challenge_methods_supported: ["S256"] },
  };
}

/** An https (or loopback) issuer URL at `origin`, without query or fragment (RFC 8414 §2). */
function sameOriginIssuer(issuer: unknown, origin: string): issuer is string {
  if (typeof issuer !== "string") return false;
  try {
    const u = new URL(issuer);
    return u.origin === origin && !u.search && !u.hash && isSecureOrLoopback(issuer);
  } catch {
    return false;
  }
}
