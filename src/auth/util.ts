/** Small helpers shared by every part of mcpkit/auth; web standards only (crypto.subtle, URL). */

const enc = new TextEncoder();

export function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function base64urlDecode(s: string): Uint8Array {
  const b = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4));
  return Uint8Array.from(b, (c) => c.charCodeAt(0));
}

/** One part of a JWT (0: header, 1: payload) as a JSON object, not verified; undefined when it is not one. */
export function decodeJwtPart(jwt: string, index: 0 | 1): Record<string, unknown> | undefined {
  try {
    const p = JSON.parse(new TextDecoder().decode(base64urlDecode(jwt.split(".")[index] ?? "")));
    return p && typeof p === "object" && !Array.isArray(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

/** The payload of a JWT, not verified (for claims read over a trusted channel, or to route before verifying). */
export const decodeJwtPayload = (jwt: string) => decodeJwtPart(jwt, 1);

/** A compact JWS signed ES256 with WebCrypto (JWS ECDSA signatures are raw r‖s, as WebCrypto makes them). */
export async function signEs256(header: Record<string, unknown>, payload: Record<string, unknown>, privateKey: CryptoKey): Promise<string> {
  const input = `${base64url(enc.encode(JSON.stringify({ ...header, alg: "ES256" })))}.${base64url(enc.encode(JSON.stringify(payload)))}`;
  const sig = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, privateKey, enc.encode(input));
  return `${input}.${base64url(new Uint8Array(sig))}`;
}

/** A random URL-safe token with `bytes` bytes of entropy (default 32). */
export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

export async function sha256(text: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", enc.encode(text))));
}

/** RFC 7636 S256: BASE64URL(SHA256(verifier)). */
export const pkceChallenge = sha256;

/** A code_verifier is 43–128 characters of [A-Za-z0-9-._~]. */
export const VERIFIER_RE = /^[A-Za-z0-9\-._~]{43,128}$/;

/** Compare two strings in time independent of where they differ. */
export function safeEqual(a: string, b: string): boolean {
  const x = enc.encode(a);
  const y = enc.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

// ---- scopes ------------------------------------------------------------------------------------

export const parseScopes = (s: string | null | undefined): string[] => (s ? s.split(" ").filter(Boolean) : []);
export const formatScopes = (s: Iterable<string>): string => [...new Set(s)].join(" ");
export const unionScopes = (...lists: (Iterable<string> | undefined)[]): string[] => {
  const out = new Set<string>();
  for (const l of lists) for (const s of l ?? []) out.add(s);
  return [...out];
};
export const missingScopes = (have: readonly string[], need: readonly string[]): string[] => need.filter((s) => !have.includes(s));

// ---- WWW-Authenticate (RFC 9110 §11.6.1) --------------------------------------------------------

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parse every challenge of a WWW-Authenticate header value. Parameter names are lower-cased. */
export function parseWwwAuthenticate(header: string | null | undefined): Challenge[] {
  const out: Challenge[] = [];
  const s = header ?? "";
  let i = 0;
  const ws = () => {
    while (s[i] === " " || s[i] === "\t") i++;
  };
  const token = () => {
    const m = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/.exec(s.slice(i));
    i += m ? m[0].length : 0;
    return m ? m[0] : "";
  };
  // At i: `name =` with a value after it (not a token68's trailing "=")?
  const paramAhead = () => /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+[ \t]*=[ \t]*[^=, \t]/.test(s.slice(i));
  while (i < s.length) {
    while (s[i] === "," || s[i] === " " || s[i] === "\t") i++;
    const scheme = token();
    if (!scheme) break;
    const ch: Challenge = { scheme, params: {} };
    out.push(ch);
    ws();
    if (!paramAhead()) {
      const m = /^[A-Za-z0-9\-._~+/]+=*/.exec(s.slice(i)); // token68
      if (m && s[i] !== ",") i += m[0].length;
      continue;
    }
    while (paramAhead()) {
      const name = token().toLowerCase();
      ws();
      i++; // "="
      ws();
      let value = "";
      if (s[i] === '"') {
        i++;
        while (i < s.length && s[i] !== '"') {
          if (s[i] === "\\" && i + 1 < s.length) i++;
          value += s[i++];
        }
        i++;
      } else value = token();
      ch.params[name] = value;
      ws();
      if (s[i] !== ",") break;
      i++;
      ws();
    }
  }
  return out;
}

/** The Bearer challenge of a response, if any. */
export function bearerChallenge(header: string | null | undefined): Record<string, string> | undefined {
  return parseWwwAuthenticate(header).find((c) => c.scheme.toLowerCase() === "bearer")?.params;
}

const quote = (v: string) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

export function formatBearerChallenge(params: Record<string, string | undefined>): string {
  const parts = Object.entries(params).filter(([, v]) => v !== undefined && v !== "").map(([k, v]) => `${k}=${quote(v!)}`);
  return parts.length ? `Bearer ${parts.join(", ")}` : "Bearer";
}

// ---- URLs --------------------------------------------------------------------------------------

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);
export const isLoopbackHost = (hostname: string): boolean => LOOPBACK.has(hostname.toLowerCase()) || /^127\./.test(hostname);

/** The canonical form of a resource identifier (RFC 8707): scheme and host lower-case, no fragment, no trailing slash. */
export function canonicalResource(u: string | URL): string {
  const url = new URL(String(u));
  url.hash = "";
  let s = url.href;
  if (url.pathname === "/" && !url.search) s = s.slice(0, -1);
  else if (s.endsWith("/") && !url.search) s = s.slice(0, -1);
  return s;
}

/** Is `requested` the resource `allowed`, or below it (same origin, path prefix on a segment boundary)? */
export function resourceCovers(allowed: string, requested: string): boolean {
  let a: URL, r: URL;
  try {
    a = new URL(allowed);
    r = new URL(requested);
  } catch {
    return false;
  }
  if (a.origin !== r.origin) return false;
  const ap = a.pathname.endsWith("/") ? a.pathname : `${a.pathname}/`;
  const rp = r.pathname.endsWith("/") ? r.pathname : `${r.pathname}/`;
  return rp.startsWith(ap);
}

/** Is this an https URL, or http on a loopback host? */
export function isSecureOrLoopback(u: string | URL): boolean {
  try {
    const url = new URL(String(u));
    return url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname));
  } catch {
    return false;
  }
}

/** The well-known URL of `suffix` for a URL with a path: `/.well-known/<suffix>/<path>` (RFC 8414 §3 / RFC 9728 §3). */
export function wellKnownUrl(base: string | URL, suffix: string, pathAware = true): URL {
  const u = new URL(String(base));
  const path = pathAware && u.pathname !== "/" ? u.pathname.replace(/\/$/, "") : "";
  return new URL(`/.well-known/${suffix}${path}`, u.origin);
}

export function addQuery(url: string, params: Record<string, string | undefined>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return u.href;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
