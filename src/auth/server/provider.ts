/**
 * The authorization server's provider interface — the twin of the Python SDK's
 * `OAuthAuthorizationServerProvider`. The routes (`createAuthorizationServer`) do
 * the protocol work: parameter and client checks, exact redirect-URI matching,
 * PKCE S256 verification, expiry, scope and resource (RFC 8707) checks, `iss`
 * (RFC 9207). A provider decides who the user is and keeps codes and tokens.
 * `LocalAuthorizationProvider` is a complete one over a pluggable store.
 */
import type { OAuthClientInformation, OAuthTokens } from "../types.js";

/** A validated authorization request. */
export interface AuthorizationParams {
  clientId: string;
  /** The redirect URI, exactly as registered. */
  redirectUri: string;
  /** redirect_uri was in the request, so the token request must repeat it. */
  redirectUriProvidedExplicitly: boolean;
  /** PKCE S256 challenge (the only method accepted). */
  codeChallenge: string;
  state?: string;
  scopes: string[];
  /** RFC 8707 resource indicator (canonical form). */
  resource?: string;
}

export interface AuthorizationCode {
  code: string;
  clientId: string;
  redirectUri: string;
  redirectUriProvidedExplicitly: boolean;
  codeChallenge: string;
  scopes: string[];
  resource?: string;
  /** Seconds since the epoch. */
  expiresAt: number;
  subject?: string;
  extra?: Record<string, unknown>;
}

/** What a refresh or access token stands for. */
export interface IssuedToken {
  token: string;
  clientId: string;
  scopes: string[];
  /** The resource (audience) the token is for. */
  resource?: string;
  /** Seconds since the epoch. */
  expiresAt?: number;
  subject?: string;
  /** The DPoP key it is bound to (RFC 9449): an access token's `cnf.jkt` (token_type "DPoP"); a public client's refresh token. */
  jkt?: string;
}

export type RefreshToken = IssuedToken;

export interface AccessToken extends IssuedToken {
  extra?: Record<string, unknown>;
}

/** The key a token request proved possession of (RFC 9449): bind what you issue to it. */
export interface TokenBinding {
  jkt: string;
}

/** What `authorize` may use to answer. */
export interface AuthorizeContext {
  /** The user agent's request (cookies, a login session…). */
  request: Request;
  issuer: string;
  /** The redirect that finishes authorization: `redirect_uri?code=…&state=…&iss=…`. */
  redirectWithCode(params: AuthorizationParams, code: string): string;
  /** The redirect that reports an error to the client: `redirect_uri?error=…&state=…&iss=…`. */
  redirectWithError(params: AuthorizationParams, error: string, description?: string): string;
}

export interface OAuthAuthorizationServerProvider {
  /** A registered client (or undefined). Client ID Metadata Documents are fetched by the routes, not here. */
  getClient(clientId: string): Promise<OAuthClientInformation | undefined>;
  /** Store a dynamically registered client (absent: registration is off). */
  registerClient?(client: OAuthClientInformation): Promise<void>;
  /**
   * Handle a validated authorization request: return the URL to send the user agent to
   * (a login or consent page, or straight back with `ctx.redirectWithCode`), or a Response.
   */
  authorize(client: OAuthClientInformation, params: AuthorizationParams, ctx: AuthorizeContext): Promise<string | Response>;
  loadAuthorizationCode(client: OAuthClientInformation, code: string): Promise<AuthorizationCode | undefined>;
  /** Trade a code (already checked: client, expiry, redirect URI, PKCE, resource) for tokens; the code must stop working. */
  exchangeAuthorizationCode(client: OAuthClientInformation, code: AuthorizationCode, binding?: TokenBinding): Promise<OAuthTokens>;
  loadRefreshToken(client: OAuthClientInformation, token: string): Promise<RefreshToken | undefined>;
  /**
   * Trade a refresh token for new tokens with `scopes` (a subset, already checked). Rotate it for public
   * clients. A public client's bound refresh token has been checked against `binding` already.
   */
  exchangeRefreshToken(client: OAuthClientInformation, token: RefreshToken, scopes: string[], binding?: TokenBinding): Promise<OAuthTokens>;
  /** The access token's grant, or undefined when it is unknown, expired or revoked. */
  loadAccessToken(token: string): Promise<AccessToken | undefined>;
  /** Revoke a token (and, for a refresh token, its access tokens). */
  revokeToken(client: OAuthClientInformation, token: AccessToken | RefreshToken): Promise<void>;
  /** The client_credentials grant for a confidential client (absent: the grant is not offered). */
  issueClientCredentialsToken?(client: OAuthClientInformation, scopes: string[], resource: string | undefined, binding?: TokenBinding): Promise<OAuthTokens>;
  /** Further endpoints of the provider (login form, upstream callback…), by path below the issuer, e.g. "/callback". */
  readonly routes?: Record<string, (req: Request) => Promise<Response>>;
}
