/**
 * Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document): a
 * client_id that is an https URL names a JSON document describing the client. The
 * authorization server fetches it on the client's say-so, so the fetch is fenced:
 * https only, public addresses only (checked after DNS and pinned for the
 * connection), no redirects, a size limit and a time limit.
 */
import { OAuthError } from "../errors.js";
import { isIpLiteral, isPublicAddress } from "../ip.js";
import type { OAuthClientInformation } from "../types.js";
import { validRedirectUri } from "./register.js";

export interface ClientMetadataFetchOptions {
  /** Largest document accepted (default 5 KiB). */
  maxBytes?: number;
  /** Time limit for DNS, connection and body together (default 5 s). */
  timeoutMs?: number;
  /** How long a fetched document is reused (default 5 min). */
  cacheSeconds?: number;
  /** Resolve a host name to addresses (default: node:dns). */
  lookup?: (hostname: string) => Promise<string[]>;
  /**
   * Fetch with this instead of the built-in node:https client that pins the checked
   * address. With your own fetch the addresses are still checked first, but the
   * connection resolves again (a DNS-rebinding window): prefer the default on Node.
   */
  fetch?: typeof fetch;
}

const DEFAULT_MAX = 5 * 1024;

/** Does this client_id name a metadata document (an https URL with a path)? */
export function isClientIdUrl(clientId: string): boolean {
  return /^https:\/\/[^/]+\/./i.test(clientId);
}

function fail(msg: string): never {
  throw new OAuthError("invalid_client", `Client ID Metadata Document: ${msg}`, 400);
}

/** Check the form of a client_id URL (https, a path, no dot segments, credentials or fragment). */
export function checkClientIdUrl(clientId: string): URL {
  let u: URL;
  try {
    u = new URL(clientId);
  } catch {
    fail("client_id is not a URL");
  }
  if (u.protocol !== "https:") fail("client_id must be an https URL");
  if (u.username || u.password) fail("client_id must not contain credentials");
  if (clientId.includes("#")) fail("client_id must not contain a fragment");
  if (u.pathname === "/" || u.pathname === "") fail("client_id must have a path");
  if (/\/\.\.?(\/|$)/.test(clientId.replace(/^https:\/\/[^/]+/i, "").split("?")[0])) fail("client_id must not contain . or .. path segments");
  return u;
}

async function defaultLookup(hostname: string): Promise<string[]> {
  const dns = await import("node:dns/promises");
  return (await dns.lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);
}

/** The host's addresses, every one of which must be public. */
async function checkedAddresses(u: URL, o: ClientMetadataFetchOptions): Promise<string[]> {
  const host = u.hostname.replace(/^\[|\]$/g, "");
  if (/^localhost$|\.localhost$/i.test(host)) fail("client_id host is local");
  const addrs = isIpLiteral(host) ? [host] : await (o.lookup ?? defaultLookup)(host).catch(() => fail(`cannot resolve ${host}`));
  if (!addrs.length) fail(`cannot resolve ${host}`);
  for (const a of addrs) if (!isPublicAddress(a)) fail(`client_id host ${host} resolves to a non-public address`);
  return addrs;
}

/** Fetch with node:https, connecting only to `address` (already checked). */
async function pinnedGet(u: URL, address: string, maxBytes: number, signal: AbortSignal): Promise<{ status: number; type: string; body: string }> {
  const https = await import("node:https");
  return new Promise((resolve, reject) => {
    const family = address.includes(":") ? 6 : 4;
    const req = https.request(u, {
      method: "GET",
      headers: { accept: "application/json" },
      signal,
      lookup: ((_h: string, opts: { all?: boolean }, cb: (...a: unknown[]) => void) =>
        opts?.all ? cb(null, [{ address, family }]) : cb(null, address, family)) as any,
    });
    req.on("response", (res) => {
      const type = String(res.headers["content-type"] ?? "");
      const status = res.statusCode ?? 0;
      if (Number(res.headers["content-length"]) > maxBytes) {
        req.destroy();
        return reject(new OAuthError("invalid_client", "Client ID Metadata Document: document too large"));
      }
      const parts: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) {
          req.destroy();
          reject(new OAuthError("invalid_client", "Client ID Metadata Document: document too large"));
        } else parts.push(c);
      });
      res.on("end", () => resolve({ status, type, body: Buffer.concat(parts).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

async function viaFetch(f: typeof fetch, u: URL, maxBytes: number, signal: AbortSignal): Promise<{ status: number; type: string; body: string }> {
  const res = await f(u.href, { headers: { accept: "application/json" }, redirect: "manual", signal });
  const type = res.headers.get("content-type") ?? "";
  if (Number(res.headers.get("content-length")) > maxBytes) {
    await res.body?.cancel();
    fail("document too large");
  }
  const reader = res.body?.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel();
      fail("document too large");
    }
    parts.push(value);
  }
  const all = new Uint8Array(size);
  let o = 0;
  for (const p of parts) (all.set(p, o), (o += p.length));
  return { status: res.status, type, body: new TextDecoder().decode(all) };
}

/** Fetch and validate the document a client_id URL names. */
export async function fetchClientMetadataDocument(clientId: string, o: ClientMetadataFetchOptions = {}): Promise<OAuthClientInformation> {
  return validateClientMetadataDocument(clientId, await fencedGet(checkClientIdUrl(clientId), o));
}

/** A client-named JSON document (e.g. a `jwks_uri`), fetched with the same fences. */
export async function fencedFetchJson(url: string, o: ClientMetadataFetchOptions = {}): Promise<unknown> {
  const text = await fencedGet(checkClientIdUrl(url), o);
  try {
    return JSON.parse(text);
  } catch {
    fail("not valid JSON");
  }
}

async function fencedGet(u: URL, o: ClientMetadataFetchOptions): Promise<string> {
  const maxBytes = o.maxBytes ?? DEFAULT_MAX;
  const signal = AbortSignal.timeout(o.timeoutMs ?? 5000);
  let got: { status: number; type: string; body: string };
  try {
    const addrs = await Promise.race([checkedAddresses(u, o), new Promise<never>((_, rej) => signal.addEventListener("abort", () => rej(signal.reason), { once: true }))]);
    got = o.fetch ? await viaFetch(o.fetch, u, maxBytes, signal) : await pinnedGet(u, addrs[0], maxBytes, signal);
  } catch (e) {
    if (e instanceof OAuthError) throw e;
    if (signal.aborted) fail("fetching the document timed out");
    fail(`fetching the document failed: ${(e as Error)?.message ?? e}`);
  }
  if (got.status >= 300 && got.status < 400) fail("redirects are not followed");
  if (got.status !== 200) fail(`HTTP ${got.status}`);
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(got.type.trim())) fail("content type must be application/json");
  return got.body;
}

export function validateClientMetadataDocument(clientId: string, text: string): OAuthClientInformation {
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch {
    fail("not valid JSON");
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) fail("not a JSON object");
  if (doc.client_id !== clientId) fail("client_id in the document differs from its URL");
  if (typeof doc.client_name !== "string" || !doc.client_name) fail("client_name is required");
  if (!Array.isArray(doc.redirect_uris) || !doc.redirect_uris.length || !doc.redirect_uris.every((r: unknown) => typeof r === "string")) fail("redirect_uris is required");
  for (const r of doc.redirect_uris) if (!validRedirectUri(r, doc.application_type)) fail(`redirect URI not allowed: ${r}`);
  if ("client_secret" in doc || "client_secret_expires_at" in doc) fail("a metadata document must not carry a client secret");
  const method = doc.token_endpoint_auth_method ?? "none";
  if (method !== "none" && method !== "private_key_jwt") fail(`token_endpoint_auth_method ${method} is not allowed (no shared secrets)`);
  if (method === "private_key_jwt" && !doc.jwks && !doc.jwks_uri) fail("private_key_jwt needs jwks or jwks_uri");
  return { ...doc, client_id: clientId, token_endpoint_auth_method: method };
}

/** A small cache in front of `fetchClientMetadataDocument`. */
export function clientMetadataResolver(o: ClientMetadataFetchOptions = {}): (clientId: string) => Promise<OAuthClientInformation> {
  const cache = new Map<string, { until: number; doc: OAuthClientInformation }>();
  const ttl = (o.cacheSeconds ?? 300) * 1000;
  return async (clientId) => {
    const hit = cache.get(clientId);
    if (hit && hit.until > Date.now()) return hit.doc;
    const doc = await fetchClientMetadataDocument(clientId, o);
    if (cache.size >= 1000) cache.delete(cache.keys().next().value!);
    cache.set(clientId, { until: Date.now() + ttl, doc });
    return doc;
  };
}
