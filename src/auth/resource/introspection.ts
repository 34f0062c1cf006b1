/** A verifier that asks the authorization server about each token (RFC 7662 introspection). */
import { formatBasic } from "../http.js";
import { nowSeconds, sha256 } from "../util.js";
import { audienceList, confirmationOf, scopesOf, type TokenVerifier, type VerifiedToken } from "./verifier.js";

export interface IntrospectionVerifierOptions {
  /** The introspection endpoint (the AS metadata's `introspection_endpoint`). */
  endpoint: string | URL;
  /** This resource server's credentials at the AS. */
  clientId?: string;
  clientSecret?: string;
  /** How the credentials are sent (default client_secret_basic). */
  authMethod?: "client_secret_basic" | "client_secret_post";
  /** Or any headers of your own (e.g. a bearer token of the resource server). */
  headers?: Record<string, string>;
  /** Expected issuer (`iss` in the answer), when the AS sends one. */
  issuer?: string;
  /** Keep an "active" answer this long, never past the token's expiry (default 0: ask every time). */
  cacheMs?: number;
  /** Time limit of one introspection call (default 5 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function introspectionVerifier(o: IntrospectionVerifierOptions): TokenVerifier {
  const doFetch = o.fetch ?? globalThis.fetch.bind(globalThis);
  const cache = new Map<string, { until: number; info: VerifiedToken }>();
  return {
    async verify(token: string): Promise<VerifiedToken | undefined> {
      const key = o.cacheMs ? await sha256(token) : "";
      if (o.cacheMs) {
        const hit = cache.get(key);
        if (hit && hit.until > Date.now()) return hit.info;
        cache.delete(key);
      }
      const form = new URLSearchParams({ token, token_type_hint: "access_token" });
      const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json", ...o.headers };
      if (o.clientId !== undefined) {
        if (o.authMethod === "client_secret_post") {
          form.set("client_id", o.clientId);
          if (o.clientSecret !== undefined) form.set("client_secret", o.clientSecret);
        } else headers.authorization = formatBasic(o.clientId, o.clientSecret ?? "");
      }
      const res = await doFetch(String(o.endpoint), { method: "POST", headers, body: form.toString(), signal: AbortSignal.timeout(o.timeoutMs ?? 5000) });
      if (!res.ok) {
        await res.body?.cancel();
        throw new Error(`Token introspection failed: HTTP ${res.status}`);
      }
      const body = (await res.json()) as Record<string, unknown>;
      if (body.active !== true) return undefined;
      if (body.token_type === "refresh_token") return undefined;
      if (o.issuer !== undefined && body.iss !== undefined && body.iss !== o.issuer) return undefined;
      const exp = typeof body.exp === "number" ? body.exp : undefined;
      if (exp !== undefined && exp <= nowSeconds()) return undefined;
      const info: VerifiedToken = {
        token,
        subject: typeof body.sub === "string" ? body.sub : undefined,
        clientId: typeof body.client_id === "string" ? body.client_id : undefined,
        scopes: scopesOf(body),
        expiresAt: exp,
        audience: audienceList(body.aud),
        ...confirmationOf(body),
        extra: { introspection: body },
      };
      if (o.cacheMs) {
        if (cache.size > 10_000) cache.clear();
        cache.set(key, { until: Math.min(Date.now() + o.cacheMs, exp !== undefined ? exp * 1000 : Infinity), info });
      }
      return info;
    },
  };
}
