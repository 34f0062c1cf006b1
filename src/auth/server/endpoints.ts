/** The authorization server's endpoints: authorize, token, revocation (RFC 7009), introspection (RFC 7662). */
import { invalidGrant, invalidRequest, invalidScope, invalidTarget, OAuthError, unauthorizedClient, unsupportedGrantType } from "../errors.js";
import { escapeHtml, html, json, NO_STORE, readForm, redirect } from "../http.js";
import type { OAuthClientInformation } from "../types.js";
import { addQuery, canonicalResource, formatScopes, nowSeconds, parseScopes, pkceChallenge, safeEqual, VERIFIER_RE } from "../util.js";
import { authenticateClient, registeredMethod, type ClientAuthContext } from "./client-auth.js";
import type { AuthorizationParams, AuthorizeContext, OAuthAuthorizationServerProvider, TokenBinding } from "./provider.js";
import type { DPoPProofChecker } from "../dpop.js";

export interface EndpointContext extends ClientAuthContext {
  provider: OAuthAuthorizationServerProvider;
  scopesSupported?: string[];
  defaultScopes?: string[];
  /** Accepted resource indicators (canonical); undefined = any absolute URI. */
  resources?: string[];
  clientCredentials: boolean;
  /** Checks DPoP proofs at the token endpoint (absent: DPoP is off and a proof is ignored). */
  dpop?: DPoPProofChecker;
}

export function errorPage(status: number, title: string, message: string): Response {
  return html(`<!doctype html><meta charset="utf-8"><title>${escapeHtml(title)}</title><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`, status);
}

function single(p: URLSearchParams): string | undefined {
  const seen = new Set<string>();
  for (const k of p.keys()) {
    if (seen.has(k)) return k;
    seen.add(k);
  }
  return undefined;
}

/** A resource indicator (RFC 8707 §2): an absolute URI without a fragment, in canonical form. */
export function checkResource(value: string | null, ctx: EndpointContext): string | undefined {
  if (value === null) return ctx.resources?.length === 1 ? ctx.resources[0] : undefined;
  let canon: string;
  try {
    if (value.includes("#")) throw new Error();
    canon = canonicalResource(value);
  } catch {
    throw invalidTarget("resource must be an absolute URI without a fragment");
  }
  if (ctx.resources && !ctx.resources.includes(canon)) throw invalidTarget(`Unknown resource ${value}`);
  return canon;
}

export async function handleAuthorize(req: Request, ctx: EndpointContext): Promise<Response> {
  if (req.method !== "GET" && req.method !== "POST") return new Response(null, { status: 405, headers: { allow: "GET, POST" } });
  const q = req.method === "GET" ? new URL(req.url).searchParams : await readForm(req).catch(() => new URLSearchParams());
  const dup = single(q);
  if (dup) return errorPage(400, "Invalid request", `Parameter ${dup} given more than once`);
  const clientId = q.get("client_id");
  if (!clientId) return errorPage(400, "Invalid request", "client_id is required");
  let client: OAuthClientInformation | undefined;
  try {
    client = await ctx.getClient(clientId);
  } catch (e) {
    return errorPage(400, "Invalid client", e instanceof OAuthError ? e.message : "The client could not be loaded");
  }
  if (!client) return errorPage(400, "Invalid client", "Unknown client_id");
  const registered = client.redirect_uris ?? [];
  const given = q.get("redirect_uri");
  // Exact string match against the registration (no normalisation, no prefixes).
  const redirectUri = given !== null ? registered.find((r) => r === given) : registered.length === 1 ? registered[0] : undefined;
  if (!redirectUri) return errorPage(400, "Invalid redirect URI", given === null ? "redirect_uri is required" : "redirect_uri does not match a registered redirect URI");
  const state = q.get("state") ?? undefined;
  const fail = (error: string, description: string) => redirect(addQuery(redirectUri, { error, error_description: description, state, iss: ctx.issuer }));
  if (q.get("response_type") !== "code") return fail("unsupported_response_type", "response_type must be code");
  if (client.grant_types && !client.grant_types.includes("authorization_code")) return fail("unauthorized_client", "This client may not use the authorization code grant");
  // A code the client could never redeem (its auth method is no longer accepted) is not issued.
  if (ctx.authMethods && !ctx.authMethods.has(registeredMethod(client))) return fail("unauthorized_client", `This server no longer accepts ${registeredMethod(client)} client authentication`);
  const challenge = q.get("code_challenge");
  if (!challenge) return fail("invalid_request", "code_challenge is required (PKCE)");
  if (q.get("code_challenge_method") !== "S256") return fail("invalid_request", "code_challenge_method must be S256");
  if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) return fail("invalid_request", "code_challenge is not an S256 challenge");
  let scopes = parseScopes(q.get("scope"));
  if (!scopes.length) scopes = client.scope ? parseScopes(client.scope) : (ctx.defaultScopes ?? []);
  const unknown = ctx.scopesSupported ? scopes.filter((s) => !ctx.scopesSupported!.includes(s)) : [];
  if (unknown.length) return fail("invalid_scope", `Unknown scope: ${unknown.join(" ")}`);
  let resource: string | undefined;
  try {
    resource = checkResource(q.get("resource"), ctx);
  } catch (e) {
    return fail("invalid_target", (e as Error).message);
  }
  const params: AuthorizationParams = { clientId, redirectUri, redirectUriProvidedExplicitly: given !== null, codeChallenge: challenge, state, scopes, resource };
  const actx: AuthorizeContext = {
    request: req,
    issuer: ctx.issuer,
    redirectWithCode: (p, code) => addQuery(p.redirectUri, { code, state: p.state, iss: ctx.issuer }),
    redirectWithError: (p, error, description) => addQuery(p.redirectUri, { error, error_description: description, state: p.state, iss: ctx.issuer }),
  };
  const out = await ctx.provider.authorize(client, params, actx);
  return typeof out === "string" ? redirect(out) : out;
}

export async function handleToken(req: Request, ctx: EndpointContext): Promise<Response> {
  if (req.method !== "POST") return new Response(null, { status: 405, headers: { allow: "POST" } });
  const form = await readForm(req);
  const { client, confidential } = await authenticateClient(req, form, ctx);
  const grant = form.get("grant_type");
  if (!grant) throw invalidRequest("grant_type is required");
  // DPoP (RFC 9449 §5): a proof of possession binds what is issued to the client's key.
  const proof = req.headers.get("dpop");
  let binding: TokenBinding | undefined;
  if (ctx.dpop && proof !== null) {
    const checked = await ctx.dpop.check(proof, { method: "POST", url: ctx.tokenEndpoint, status: 400 });
    checked.commit(); // the client is authenticated already
    binding = { jkt: checked.jkt };
  }
  if (client.grant_types && !client.grant_types.includes(grant)) throw unauthorizedClient(`This client may not use the ${grant} grant`);
  const p = ctx.provider;
  switch (grant) {
    case "authorization_code": {
      const value = form.get("code");
      if (!value) throw invalidRequest("code is required");
      const code = await p.loadAuthorizationCode(client, value);
      if (!code || code.clientId !== client.client_id) throw invalidGrant("The authorization code is invalid");
      if (code.expiresAt <= nowSeconds()) throw invalidGrant("The authorization code has expired");
      const redirectUri = form.get("redirect_uri");
      if (code.redirectUriProvidedExplicitly ? redirectUri !== code.redirectUri : redirectUri !== null && redirectUri !== code.redirectUri) {
        throw invalidGrant("redirect_uri does not match the authorization request");
      }
      const verifier = form.get("code_verifier");
      if (!verifier || !VERIFIER_RE.test(verifier)) throw invalidGrant("code_verifier is missing or malformed");
      if (!safeEqual(await pkceChallenge(verifier), code.codeChallenge)) throw invalidGrant("code_verifier does not match the code_challenge");
      const resource = form.get("resource");
      if (resource !== null && checkResource(resource, ctx) !== code.resource) throw invalidTarget("resource differs from the authorization request");
      return tokenResponse(await p.exchangeAuthorizationCode(client, code, binding));
    }
    case "refresh_token": {
      const value = form.get("refresh_token");
      if (!value) throw invalidRequest("refresh_token is required");
      const rt = await p.loadRefreshToken(client, value);
      if (!rt || rt.clientId !== client.client_id) throw invalidGrant("The refresh token is invalid");
      if (rt.expiresAt !== undefined && rt.expiresAt <= nowSeconds()) throw invalidGrant("The refresh token has expired");
      const asked = form.get("scope");
      const scopes = asked === null ? rt.scopes : parseScopes(asked);
      const extra = scopes.filter((s) => !rt.scopes.includes(s));
      if (extra.length) throw invalidScope(`Scope beyond the original grant: ${extra.join(" ")}`);
      const resource = form.get("resource");
      if (resource !== null && checkResource(resource, ctx) !== rt.resource) throw invalidTarget("resource differs from the original grant");
      if (!confidential && rt.jkt !== undefined && rt.jkt !== binding?.jkt) throw invalidGrant("The refresh token is bound to another DPoP key");
      return tokenResponse(await p.exchangeRefreshToken(client, rt, scopes, binding));
    }
    case "client_credentials": {
      if (!ctx.clientCredentials || !p.issueClientCredentialsToken) throw unsupportedGrantType("client_credentials is not offered");
      if (!confidential) throw unauthorizedClient("client_credentials needs a confidential client");
      const scopes = parseScopes(form.get("scope") ?? client.scope);
      const allowed = client.scope ? parseScopes(client.scope) : ctx.scopesSupported;
      const extra = allowed ? scopes.filter((s) => !allowed.includes(s)) : [];
      if (extra.length) throw invalidScope(`Scope not allowed: ${extra.join(" ")}`);
      return tokenResponse(await p.issueClientCredentialsToken(client, scopes, checkResource(form.get("resource"), ctx), binding));
    }
    default:
      throw unsupportedGrantType(`Unsupported grant_type ${grant}`);
  }
}

function tokenResponse(tokens: object): Response {
  return json(tokens, 200, NO_STORE);
}

export async function handleRevoke(req: Request, ctx: EndpointContext): Promise<Response> {
  if (req.method !== "POST") return new Response(null, { status: 405, headers: { allow: "POST" } });
  const form = await readForm(req);
  const { client } = await authenticateClient(req, form, ctx);
  const token = form.get("token");
  if (!token) throw invalidRequest("token is required");
  const hint = form.get("token_type_hint");
  const p = ctx.provider;
  const lookups = hint === "refresh_token" ? [() => p.loadRefreshToken(client, token), () => p.loadAccessToken(token)] : [() => p.loadAccessToken(token), () => p.loadRefreshToken(client, token)];
  for (const look of lookups) {
    const t = await look();
    if (t) {
      // Only the client the token was issued to may revoke it; others get the same 200 (RFC 7009 §2.2).
      if (t.clientId === client.client_id) await p.revokeToken(client, t);
      break;
    }
  }
  return new Response(null, { status: 200, headers: NO_STORE });
}

export async function handleIntrospect(req: Request, ctx: EndpointContext): Promise<Response> {
  if (req.method !== "POST") return new Response(null, { status: 405, headers: { allow: "POST" } });
  const form = await readForm(req);
  const { confidential } = await authenticateClient(req, form, ctx);
  if (!confidential) throw new OAuthError("invalid_client", "Introspection needs a confidential client", 401);
  const token = form.get("token");
  if (!token) throw invalidRequest("token is required");
  const at = await ctx.provider.loadAccessToken(token);
  if (!at || (at.expiresAt !== undefined && at.expiresAt <= nowSeconds())) return json({ active: false }, 200, NO_STORE);
  return json(
    { active: true, client_id: at.clientId, scope: formatScopes(at.scopes), sub: at.subject, exp: at.expiresAt, aud: at.resource, iss: ctx.issuer, token_type: at.jkt ? "DPoP" : "Bearer", ...(at.jkt ? { cnf: { jkt: at.jkt } } : {}) },
    200,
    NO_STORE,
  );
}
