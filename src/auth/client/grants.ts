/**
 * Assertion grants for the client: the RFC 7523 JWT-bearer grant (workload identity
 * federation, SEP-1933, and the second leg of enterprise-managed authorization) and the
 * RFC 8693 token exchange at an enterprise IdP that yields the ID-JAG it presents
 * (SEP-990: an ID token exchanged for an Identity Assertion JWT Authorization Grant).
 */
import { OAuthError } from "../errors.js";
import { formatBasic } from "../http.js";
import { formatScopes, isSecureOrLoopback } from "../util.js";
import { oauthError } from "./requests.js";

export const JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
export const ID_JAG_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id-jag";

/** What an assertion is for: the authorization server it goes to, the resource and the scopes wanted. */
export interface AssertionContext {
  issuer: string;
  resource: string;
  scopes: string[];
}

/** Where the JWT-bearer grant's assertion comes from (a workload JWT, an ID-JAG from the IdP…). */
export type AssertionSource = string | ((ctx: AssertionContext) => string | Promise<string>);

export interface IdJagOptions {
  /** The enterprise IdP's token endpoint. */
  tokenEndpoint: string;
  /** The user's ID token at the IdP (or a function giving a fresh one). */
  idToken: string | (() => string | Promise<string>);
  /** This client at the IdP; with a secret, it authenticates with client_secret_basic. */
  clientId?: string;
  clientSecret?: string;
  fetch?: typeof fetch;
}

/**
 * An assertion source for enterprise-managed authorization: each time an authorization server
 * wants one, exchange the ID token at the IdP (RFC 8693) for an ID-JAG naming that server as
 * audience and the MCP server as resource.
 */
export function idJagAssertion(o: IdJagOptions): (ctx: AssertionContext) => Promise<string> {
  const f = o.fetch ?? globalThis.fetch.bind(globalThis);
  return async (ctx) => {
    if (!isSecureOrLoopback(o.tokenEndpoint)) throw new OAuthError("insecure_endpoint", `The IdP token endpoint ${o.tokenEndpoint} is not https`);
    const form = new URLSearchParams({
      grant_type: TOKEN_EXCHANGE_GRANT,
      requested_token_type: ID_JAG_TOKEN_TYPE,
      subject_token: typeof o.idToken === "function" ? await o.idToken() : o.idToken,
      subject_token_type: ID_TOKEN_TYPE,
      audience: ctx.issuer,
      resource: ctx.resource,
    });
    if (ctx.scopes.length) form.set("scope", formatScopes(ctx.scopes));
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
    if (o.clientId && o.clientSecret) headers.authorization = formatBasic(o.clientId, o.clientSecret);
    else if (o.clientId) form.set("client_id", o.clientId);
    const res = await f(o.tokenEndpoint, { method: "POST", headers, body: form.toString(), signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw await oauthError(res);
    const body = (await res.json()) as { access_token?: unknown; issued_token_type?: unknown };
    if (typeof body?.access_token !== "string") throw new OAuthError("invalid_response", "The token exchange response has no access_token");
    if (body.issued_token_type !== ID_JAG_TOKEN_TYPE) throw new OAuthError("invalid_response", `The IdP issued ${String(body.issued_token_type)}, not an ID-JAG`);
    return body.access_token;
  };
}
