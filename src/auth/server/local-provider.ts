/**
 * A complete provider over an `OAuthStore` (in memory by default): opaque random
 * codes and tokens stored only as hashes, single-use codes (a replayed code revokes
 * what it issued), refresh-token rotation with reuse detection, revocation. You say
 * who the user is with `authenticate` — your login session, or a fixed subject in tests.
 */
import { invalidGrant } from "../errors.js";
import type { OAuthClientInformation, OAuthTokens } from "../types.js";
import { addQuery, formatScopes, nowSeconds, randomToken, sha256 } from "../util.js";
import { registeredMethod } from "./client-auth.js";
import type { AccessToken, AuthorizationCode, AuthorizationParams, AuthorizeContext, OAuthAuthorizationServerProvider, RefreshToken, TokenBinding } from "./provider.js";
import { InMemoryOAuthStore, type OAuthStore } from "./store.js";
import type { AccessTokenMinter } from "./jwt-tokens.js";

/** Who approved the request: the user (subject), optionally fewer scopes than asked, anything else to keep. */
export interface Approval {
  subject: string;
  scopes?: string[];
  extra?: Record<string, unknown>;
}

export interface LocalProviderOptions {
  store?: OAuthStore;
  /**
   * Decide an authorization request: an Approval, a Response (e.g. your login page, which later
   * calls `provider.approve`), or undefined to deny (access_denied).
   */
  authenticate(req: Request, client: OAuthClientInformation, params: AuthorizationParams): Promise<Approval | Response | undefined> | Approval | Response | undefined;
  /** Pre-registered clients. */
  clients?: OAuthClientInformation[];
  /** Lifetimes in seconds: access token 1 h, refresh token 30 days, code 5 min. */
  accessTokenTtl?: number;
  refreshTokenTtl?: number;
  codeTtl?: number;
  /** How access tokens are made (default: random opaque strings); e.g. `new JwtAccessTokens({ issuer })`. */
  accessTokens?: AccessTokenMinter;
}

interface Grant {
  grantId: string;
  clientId: string;
  scopes: string[];
  resource?: string;
  subject?: string;
  expiresAt?: number;
  extra?: Record<string, unknown>;
  /** DPoP key of the access token; on a refresh-token record, of a public client's refresh token. */
  jkt?: string;
}
type StoredCode = Omit<AuthorizationCode, "code"> & { grantId: string };

export class LocalAuthorizationProvider implements OAuthAuthorizationServerProvider {
  readonly store: OAuthStore;
  private readonly ttl: { at: number; rt: number; code: number };

  constructor(private readonly o: LocalProviderOptions) {
    this.store = o.store ?? new InMemoryOAuthStore();
    this.ttl = { at: o.accessTokenTtl ?? 3600, rt: o.refreshTokenTtl ?? 30 * 86400, code: o.codeTtl ?? 300 };
  }

  async getClient(clientId: string): Promise<OAuthClientInformation | undefined> {
    return this.o.clients?.find((c) => c.client_id === clientId) ?? (await this.store.get<OAuthClientInformation>(`client:${clientId}`));
  }

  async registerClient(client: OAuthClientInformation): Promise<void> {
    await this.store.set(`client:${client.client_id}`, client);
  }

  async authorize(client: OAuthClientInformation, params: AuthorizationParams, ctx: AuthorizeContext): Promise<string | Response> {
    const r = await this.o.authenticate(ctx.request, client, params);
    if (r instanceof Response) return r;
    if (!r) return ctx.redirectWithError(params, "access_denied", "The request was denied");
    return this.approve(params, r, ctx.issuer);
  }

  /**
   * Finish an authorization request — e.g. from your login page's handler, after `authenticate`
   * answered with that page and kept `params` in your session: the URL to redirect the user agent
   * to (`redirect_uri?code=…&state=…&iss=…`).
   */
  async approve(params: AuthorizationParams, approval: Approval, issuer: string): Promise<string> {
    const code = randomToken();
    const record: StoredCode = {
      clientId: params.clientId,
      redirectUri: params.redirectUri,
      redirectUriProvidedExplicitly: params.redirectUriProvidedExplicitly,
      codeChallenge: params.codeChallenge,
      scopes: approval.scopes ?? params.scopes,
      resource: params.resource,
      expiresAt: nowSeconds() + this.ttl.code,
      subject: approval.subject,
      extra: approval.extra,
      grantId: randomToken(16),
    };
    await this.store.set(`code:${await sha256(code)}`, record, this.ttl.code);
    return addQuery(params.redirectUri, { code, state: params.state, iss: issuer });
  }

  async loadAuthorizationCode(_client: OAuthClientInformation, code: string): Promise<AuthorizationCode | undefined> {
    const h = await sha256(code);
    const rec = await this.store.get<StoredCode>(`code:${h}`);
    if (!rec) {
      // A code used twice: revoke everything the first use issued (OAuth 2.1 §4.1.3).
      const used = await this.store.get<string>(`used-code:${h}`);
      if (used) await this.revokeGrant(used);
      return undefined;
    }
    return { ...rec, code };
  }

  async exchangeAuthorizationCode(client: OAuthClientInformation, code: AuthorizationCode, binding?: TokenBinding): Promise<OAuthTokens> {
    const h = await sha256(code.code);
    const rec = await this.store.take<StoredCode>(`code:${h}`);
    if (!rec) throw invalidGrant("The authorization code was already used");
    await this.store.set(`used-code:${h}`, rec.grantId, this.ttl.rt);
    const { grantId, clientId, scopes, resource, subject, extra } = rec;
    return this.issue(client, { grantId, clientId, scopes, resource, subject, extra, jkt: binding?.jkt }, true);
  }

  async loadRefreshToken(_client: OAuthClientInformation, token: string): Promise<RefreshToken | undefined> {
    const h = await sha256(token);
    const g = await this.store.get<Grant>(`rt:${h}`);
    if (!g) {
      // A rotated refresh token presented again: someone has a copy; end the grant.
      const used = await this.store.get<string>(`rt-used:${h}`);
      if (used) await this.revokeGrant(used);
      return undefined;
    }
    if (await this.store.get(`grant-revoked:${g.grantId}`)) return undefined;
    return { token, clientId: g.clientId, scopes: g.scopes, resource: g.resource, expiresAt: g.expiresAt, subject: g.subject, jkt: g.jkt };
  }

  async exchangeRefreshToken(client: OAuthClientInformation, token: RefreshToken, scopes: string[], binding?: TokenBinding): Promise<OAuthTokens> {
    const h = await sha256(token.token);
    const g = await this.store.take<Grant>(`rt:${h}`);
    if (!g) throw invalidGrant("The refresh token was already used");
    await this.store.set(`rt-used:${h}`, g.grantId, this.ttl.rt);
    const tokens = await this.issue(client, { ...g, scopes, jkt: binding?.jkt }, false);
    // The new refresh token keeps the grant's full scopes (RFC 6749 §6); only the access token is narrowed.
    // A public client's refresh token stays bound to its first key; a confidential client may change keys.
    const rt = randomToken();
    await this.store.set(`rt:${await sha256(rt)}`, { ...g, jkt: registeredMethod(client) === "none" ? g.jkt : binding?.jkt, expiresAt: nowSeconds() + this.ttl.rt }, this.ttl.rt);
    return { ...tokens, refresh_token: rt };
  }

  async loadAccessToken(token: string): Promise<AccessToken | undefined> {
    const g = await this.store.get<Grant>(`at:${await sha256(token)}`);
    if (!g || (g.expiresAt !== undefined && g.expiresAt <= nowSeconds())) return undefined;
    if (await this.store.get(`grant-revoked:${g.grantId}`)) return undefined;
    return { token, clientId: g.clientId, scopes: g.scopes, resource: g.resource, expiresAt: g.expiresAt, subject: g.subject, extra: g.extra, jkt: g.jkt };
  }

  async revokeToken(client: OAuthClientInformation, token: AccessToken | RefreshToken): Promise<void> {
    const h = await sha256(token.token);
    const g = (await this.store.get<Grant>(`rt:${h}`)) ?? (await this.store.get<Grant>(`at:${h}`));
    if (!g || g.clientId !== client.client_id) return;
    if (await this.store.get(`rt:${h}`)) await this.revokeGrant(g.grantId);
    else await this.store.delete(`at:${h}`);
  }

  async issueClientCredentialsToken(client: OAuthClientInformation, scopes: string[], resource: string | undefined, binding?: TokenBinding): Promise<OAuthTokens> {
    return this.issue(client, { grantId: randomToken(16), clientId: client.client_id, scopes, resource, jkt: binding?.jkt }, false);
  }

  private async revokeGrant(grantId: string): Promise<void> {
    await this.store.set(`grant-revoked:${grantId}`, true, this.ttl.rt);
  }

  private async issue(client: OAuthClientInformation, g: Grant, withRefresh: boolean): Promise<OAuthTokens> {
    const now = nowSeconds();
    const expiresAt = now + this.ttl.at;
    const at = this.o.accessTokens ? await this.o.accessTokens.mint({ clientId: g.clientId, subject: g.subject, scopes: g.scopes, resource: g.resource, expiresAt, jkt: g.jkt }) : randomToken();
    await this.store.set(`at:${await sha256(at)}`, { ...g, expiresAt }, this.ttl.at);
    const tokens: OAuthTokens = { access_token: at, token_type: g.jkt ? "DPoP" : "Bearer", expires_in: this.ttl.at, scope: formatScopes(g.scopes) };
    const refreshAllowed = !client.grant_types || client.grant_types.includes("refresh_token");
    if (withRefresh && refreshAllowed) {
      const rt = randomToken();
      await this.store.set(`rt:${await sha256(rt)}`, { ...g, expiresAt: now + this.ttl.rt }, this.ttl.rt);
      tokens.refresh_token = rt;
    }
    return tokens;
  }
}
