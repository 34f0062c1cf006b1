/**
 * `createAuthorizationServer`: an OAuth 2.1 authorization server as one fetch-style
 * handler (plus `handle` for the Node adapter and `withBearerAuth`). It serves the
 * metadata (RFC 8414 and OpenID Discovery, at every well-known location a client may
 * try), authorize, token, registration (RFC 7591), revocation, introspection, and
 * accepts Client ID Metadata Documents as client ids.
 */
import type { HttpIn, HttpOut } from "../../transports/http/types.js";
import { OAuthError } from "../errors.js";
import { json, oauthErrorResponse, toHttpOut, toRequest } from "../http.js";
import type { CoHostedAuthorizationServer } from "../resource/bearer.js";
import type { TokenVerifier } from "../resource/verifier.js";
import type { AuthorizationServerMetadata, OAuthClientInformation, TokenEndpointAuthMethod } from "../types.js";
import { canonicalResource, isSecureOrLoopback } from "../util.js";
import { DPoPProofChecker, type DPoPOptions } from "../dpop.js";
import { JwtAccessTokens } from "./jwt-tokens.js";
import { clientMetadataResolver, fencedFetchJson, isClientIdUrl, type ClientMetadataFetchOptions } from "./cimd.js";
import { errorPage, handleAuthorize, handleIntrospect, handleRevoke, handleToken, type EndpointContext } from "./endpoints.js";
import { LocalAuthorizationProvider, type LocalProviderOptions } from "./local-provider.js";
import type { OAuthAuthorizationServerProvider } from "./provider.js";
import { handleRegister, REGISTRABLE_METHODS, type RegistrationOptions } from "./register.js";

export interface AuthorizationServerOptions {
  /** The issuer identifier: an https URL (http only on loopback), optionally with a path. */
  issuer: string;
  /** Your provider; default a `LocalAuthorizationProvider` built from `local`. */
  provider?: OAuthAuthorizationServerProvider;
  /** Options of the default provider (its `authenticate` says who the user is). */
  local?: LocalProviderOptions;
  scopesSupported?: string[];
  /** Scopes granted when a request names none and the client registered none. */
  defaultScopes?: string[];
  /** Resource indicators this server issues tokens for (RFC 8707); with one, it is the default. Default: any. */
  resources?: string[];
  /** Dynamic client registration (default on when the provider can store clients). */
  registration?: RegistrationOptions | false;
  /** Accept https client_ids naming a Client ID Metadata Document (default on). */
  clientIdMetadataDocuments?: ClientMetadataFetchOptions | false;
  /**
   * Client authentication methods accepted at the token, revocation and introspection
   * endpoints, advertised and enforced (default all: client_secret_basic,
   * client_secret_post, none, private_key_jwt). Leave out "none" to admit only
   * confidential clients.
   */
  tokenEndpointAuthMethods?: TokenEndpointAuthMethod[];
  /** Offer the client_credentials grant (default true, when the provider implements it). */
  clientCredentials?: boolean;
  /** Serve revocation (default true) and introspection (default true). */
  revocation?: boolean;
  introspection?: boolean;
  /**
   * DPoP (RFC 9449) at the token endpoint: advertised, and a request with a proof gets tokens
   * bound to the client's key (token_type "DPoP"; a public client's refresh token too). Off by
   * default: turn it on when every resource server that takes these tokens understands DPoP
   * (`withBearerAuth` does); a bearer-only resource server would refuse bound tokens.
   */
  dpop?: boolean | DPoPOptions;
  /**
   * Access tokens: "opaque" (default) or "jwt" (RFC 9068, ES256, a key made at start-up;
   * `jwks_uri` served at <issuer>/jwks) for resource servers that verify offline with
   * `jwtVerifier`. A `JwtAccessTokens` instance gives your own key; with your own provider,
   * give the same instance to it (e.g. `LocalProviderOptions.accessTokens`) and here (for the JWKS).
   */
  accessTokens?: "opaque" | "jwt" | JwtAccessTokens;
  /** More metadata fields (service_documentation, op_policy_uri, …). */
  metadata?: Partial<AuthorizationServerMetadata>;
}

const ALL_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none", "private_key_jwt"];

export interface AuthorizationServer extends CoHostedAuthorizationServer {
  readonly metadata: AuthorizationServerMetadata;
  readonly provider: OAuthAuthorizationServerProvider;
  fetch(req: Request): Promise<Response>;
  /** The client, looking up a Client ID Metadata Document when the id is an https URL. */
  getClient(clientId: string): Promise<OAuthClientInformation | undefined>;
}

export function createAuthorizationServer(o: AuthorizationServerOptions): AuthorizationServer {
  const issuerUrl = new URL(o.issuer);
  if (!isSecureOrLoopback(issuerUrl) || issuerUrl.search || issuerUrl.hash) throw new TypeError("issuer must be an https URL (http only on loopback) without query or fragment");
  const issuer = o.issuer;
  const base = issuerUrl.pathname.replace(/\/$/, "");
  if (o.accessTokens === "jwt" && o.provider) throw new TypeError('accessTokens "jwt" needs the default provider; with your own, give a JwtAccessTokens to both');
  const jwt = o.accessTokens === "jwt" ? new JwtAccessTokens({ issuer: o.issuer }) : o.accessTokens instanceof JwtAccessTokens ? o.accessTokens : undefined;
  const local: LocalProviderOptions = o.local ?? { authenticate: () => undefined };
  const provider: OAuthAuthorizationServerProvider = o.provider ?? new LocalAuthorizationProvider(jwt && !local.accessTokens ? { ...local, accessTokens: jwt } : local);
  const at = (p: string) => new URL(`${base}${p}`, issuerUrl.origin).href;
  const paths = { authorize: `${base}/authorize`, token: `${base}/token`, register: `${base}/register`, revoke: `${base}/revoke`, introspect: `${base}/introspect`, jwks: `${base}/jwks` };
  const authMethods: string[] = [...new Set(o.tokenEndpointAuthMethods ?? ALL_AUTH_METHODS)];
  if (!authMethods.length || authMethods.some((m) => !ALL_AUTH_METHODS.includes(m))) throw new TypeError(`tokenEndpointAuthMethods must be a non-empty list of ${ALL_AUTH_METHODS.join(", ")}`);
  // Each feature is offered only when a client could use it under these methods: registration
  // issues none/secret clients, metadata documents carry none or private_key_jwt, introspection
  // needs an authenticated client.
  const registration = o.registration !== false && !!provider.registerClient && authMethods.some((m) => REGISTRABLE_METHODS.includes(m));
  const cimdOpts = o.clientIdMetadataDocuments;
  const cimdUsable = authMethods.includes("none") || authMethods.includes("private_key_jwt");
  const resolveCimd = cimdOpts === false || !cimdUsable ? undefined : clientMetadataResolver(cimdOpts ?? {});
  const introspectionMethods = authMethods.filter((m) => m !== "none");
  const introspection = o.introspection !== false && introspectionMethods.length > 0;
  const clientCredentials = o.clientCredentials !== false && !!provider.issueClientCredentialsToken;
  const dpop = !o.dpop ? undefined : new DPoPProofChecker(o.dpop === true ? {} : o.dpop);
  const grants = ["authorization_code", "refresh_token", ...(clientCredentials ? ["client_credentials"] : [])];
  const metadata: AuthorizationServerMetadata = {
    issuer,
    authorization_endpoint: at("/authorize"),
    token_endpoint: at("/token"),
    ...(registration ? { registration_endpoint: at("/register") } : {}),
    ...(o.revocation !== false ? { revocation_endpoint: at("/revoke"), revocation_endpoint_auth_methods_supported: authMethods } : {}),
    ...(introspection ? { introspection_endpoint: at("/introspect"), introspection_endpoint_auth_methods_supported: introspectionMethods } : {}),
    ...(o.scopesSupported ? { scopes_supported: o.scopesSupported } : {}),
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: grants,
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: authMethods,
    token_endpoint_auth_signing_alg_values_supported: ["RS256", "PS256", "ES256", "ES384", "EdDSA"],
    authorization_response_iss_parameter_supported: true,
    client_id_metadata_document_supported: !!resolveCimd,
    ...(dpop ? { dpop_signing_alg_values_supported: dpop.algs } : {}),
    ...(jwt ? { jwks_uri: at("/jwks") } : {}),
    ...o.metadata,
  };
  const wellKnown = new Set([
    `/.well-known/oauth-authorization-server${base}`,
    `/.well-known/openid-configuration${base}`,
    `${base}/.well-known/openid-configuration`,
  ]);

  async function getClient(id: string): Promise<OAuthClientInformation | undefined> {
    const known = await provider.getClient(id);
    if (known) return known;
    return resolveCimd && isClientIdUrl(id) ? resolveCimd(id) : undefined;
  }

  const ctx: EndpointContext = {
    provider,
    issuer,
    tokenEndpoint: at("/token"),
    getClient,
    seenJti: new Map(),
    authMethods: new Set(authMethods),
    fetchJson: (url) => fencedFetchJson(url, cimdOpts || {}),
    scopesSupported: o.scopesSupported,
    defaultScopes: o.defaultScopes,
    resources: o.resources?.map((r) => canonicalResource(r)),
    clientCredentials,
    dpop,
  };
  const endpointPaths = new Set(Object.values(paths).filter((p) => (p !== paths.register || registration) && (p !== paths.revoke || o.revocation !== false) && (p !== paths.introspect || introspection) && (p !== paths.jwks || !!jwt)));

  async function route(req: Request): Promise<Response> {
    const path = new URL(req.url).pathname;
    if (wellKnown.has(path)) {
      if (req.method === "OPTIONS") return new Response(null, { status: 204, headers: { "access-control-allow-origin": "*", "access-control-allow-methods": "GET, OPTIONS" } });
      return json(metadata, 200, { "access-control-allow-origin": "*", "cache-control": "max-age=3600" });
    }
    switch (path) {
      case paths.authorize:
        return handleAuthorize(req, ctx);
      case paths.token:
        return handleToken(req, ctx);
      case paths.register:
        if (registration) return handleRegister(req, { validScopes: o.scopesSupported, ...o.registration, authMethods }, (c) => provider.registerClient!(c));
        break;
      case paths.revoke:
        if (o.revocation !== false) return handleRevoke(req, ctx);
        break;
      case paths.introspect:
        if (introspection) return handleIntrospect(req, ctx);
        break;
      case paths.jwks:
        if (jwt) return json(await jwt.jwks(), 200, { "access-control-allow-origin": "*", "cache-control": "max-age=300" });
        break;
    }
    const extra = path.startsWith(base) ? provider.routes?.[path.slice(base.length)] : undefined;
    return extra ? extra(req) : errorPage(404, "Not found", "No such endpoint");
  }

  // Browser-based clients call these endpoints across origins (the user-facing authorize endpoint is not among them).
  const corsPaths = new Set([paths.token, paths.register, paths.revoke]);
  async function fetchHandler(req: Request): Promise<Response> {
    const cors = corsPaths.has(new URL(req.url).pathname);
    if (cors && req.method === "OPTIONS") {
      return new Response(null, { status: 204, headers: { "access-control-allow-origin": "*", "access-control-allow-methods": "POST, OPTIONS", "access-control-allow-headers": "authorization, content-type, dpop", "access-control-expose-headers": "dpop-nonce", "access-control-max-age": "86400" } });
    }
    let res: Response;
    try {
      res = await route(req);
    } catch (e) {
      res = oauthErrorResponse(e instanceof OAuthError ? e : new OAuthError("server_error", "Internal error", 500));
    }
    if (cors) {
      res.headers.set("access-control-allow-origin", "*");
      res.headers.set("access-control-expose-headers", "dpop-nonce");
    }
    return res;
  }

  const verifier: TokenVerifier = {
    async verify(token) {
      const t = await provider.loadAccessToken(token);
      if (!t) return undefined;
      return { token, clientId: t.clientId, scopes: t.scopes, expiresAt: t.expiresAt, subject: t.subject, audience: t.resource ? [t.resource] : undefined, extra: t.extra, ...(t.jkt ? { confirmation: { jkt: t.jkt } } : {}) };
    },
  };

  return {
    issuer,
    metadata,
    provider,
    verifier,
    getClient,
    bindsDpop: !!dpop,
    fetch: fetchHandler,
    servesPath: (p) => wellKnown.has(p) || endpointPaths.has(p) || (p.startsWith(base) && !!provider.routes?.[p.slice(base.length)]),
    handle: async (inp: HttpIn): Promise<HttpOut> => {
      let req: Request;
      try {
        req = await toRequest(inp);
      } catch {
        return { status: 413, headers: { "content-type": "application/json" }, body: JSON.stringify({ error: "invalid_request", error_description: "Request body too large" }) };
      }
      return toHttpOut(await fetchHandler(req));
    },
  };
}
