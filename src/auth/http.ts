/** Web Request/Response helpers for the auth endpoints, and the bridge to the MCP handler's HttpIn/HttpOut. */
import type { HttpIn, HttpOut } from "../transports/http/types.js";
import { OAuthError } from "./errors.js";
import { readLimitedText } from "../transports/http/fetch.js";
import { BodyTooLargeError } from "../transports/http/types.js";

export const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

export function oauthErrorResponse(e: OAuthError): Response {
  return json(e.toJSON(), e.status, { ...NO_STORE, ...e.headers });
}

export function redirect(location: string, headers: Record<string, string> = {}): Response {
  return new Response(null, { status: 302, headers: { location, "cache-control": "no-store", ...headers } });
}

export function html(body: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "x-frame-options": "DENY", "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'", ...headers },
  });
}

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** Largest form or JSON body an auth endpoint reads. */
export const AUTH_BODY_LIMIT = 64 * 1024;

async function limitedText(req: Request, limit = AUTH_BODY_LIMIT): Promise<string> {
  try {
    return await readLimitedText(req, limit);
  } catch (e) {
    if (e instanceof BodyTooLargeError) throw new OAuthError("invalid_request", "Request body too large", 413);
    throw e;
  }
}

/** A form body (application/x-www-form-urlencoded); a parameter given twice is an error (RFC 6749 §3.1). */
export async function readForm(req: Request): Promise<URLSearchParams> {
  const ct = req.headers.get("content-type") ?? "";
  if (!/^application\/x-www-form-urlencoded\b/i.test(ct)) throw new OAuthError("invalid_request", "Content-Type must be application/x-www-form-urlencoded");
  const form = new URLSearchParams(await limitedText(req));
  const seen = new Set<string>();
  for (const k of form.keys()) {
    if (seen.has(k)) throw new OAuthError("invalid_request", `Parameter ${k} given more than once`);
    seen.add(k);
  }
  return form;
}

export async function readJson(req: Request): Promise<unknown> {
  const ct = req.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(ct)) throw new OAuthError("invalid_request", "Content-Type must be application/json");
  try {
    return JSON.parse(await limitedText(req));
  } catch (e) {
    if (e instanceof OAuthError) throw e;
    throw new OAuthError("invalid_request", "Body is not valid JSON");
  }
}

/** The handler's HttpIn as a web Request (for the auth endpoints, which are few and small). */
export async function toRequest(inp: HttpIn): Promise<Request> {
  const method = inp.method.toUpperCase();
  const body = method === "GET" || method === "HEAD" ? undefined : await inp.text(AUTH_BODY_LIMIT);
  return new Request(inp.url, { method, headers: inp.headers(), body });
}

/** A web Response as the handler's HttpOut (bodies of auth endpoints are small and complete). */
export async function toHttpOut(res: Response): Promise<HttpOut> {
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => (headers[k] = v));
  const body = await res.text();
  return { status: res.status, headers, body: body || undefined };
}

/** HTTP Basic credentials (RFC 6749 §2.3.1: each part form-urlencoded before base64). */
export function parseBasic(header: string | null): { id: string; secret: string } | undefined {
  if (!header || !/^basic\s+/i.test(header)) return undefined;
  let raw: string;
  try {
    raw = atob(header.replace(/^basic\s+/i, "").trim());
  } catch {
    return undefined;
  }
  const i = raw.indexOf(":");
  if (i < 0) return undefined;
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, " "));
    } catch {
      return s;
    }
  };
  return { id: dec(raw.slice(0, i)), secret: dec(raw.slice(i + 1)) };
}

export function formatBasic(id: string, secret: string): string {
  const e = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
  const bytes = new TextEncoder().encode(`${e(id)}:${e(secret)}`);
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return `Basic ${btoa(s)}`;
}

export function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}
