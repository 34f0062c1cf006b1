/**
 * OAuth for the MCP client — the twin of the Python SDK's `OAuthClientProvider`.
 * Give it to `StreamableHttpClientTransport` as `auth`: it adds the bearer token to
 * each request, refreshes silently, and on 401 discovers the authorization server
 * (PRM, then AS metadata with the issuer checked), registers (pre-registered, CIMD,
 * then DCR, per issuer), runs the authorization-code flow with PKCE S256 and
 * `resource`, checks `state` and `iss`, and retries; on 403 insufficient_scope it
 * steps up with the union of scopes, a bounded number of times. Other grants: client
 * credentials, and the RFC 7523 JWT-bearer grant (workload JWT, or an ID-JAG from the
 * enterprise IdP); tokens are DPoP-bound (RFC 9449) where the server offers it.
 */
import { OAuthError } from "../errors.js";
import type { AuthorizationServerMetadata, OAuthClientInformation, OAuthClientMetadata, OAuthTokens } from "../types.js";
import { formatScopes, parseWwwAuthenticate, isSecureOrLoopback, parseScopes, pkceChallenge, randomToken, unionScopes } from "../util.js";
import { discover, type Discovery } from "./discovery.js";
import { JWT_BEARER_GRANT, type AssertionSource } from "./grants.js";
import { DPoPSigner, wantsNonce } from "./dpop.js";
import { headlessAuthorize } from "./headless.js";
import { registerClient, tokenRequest, type ClientKey } from "./requests.js";
import { InMemoryTokenStorage, type StoredTokens, type TokenStorage } from "./storage.js";

export interface OAuthClientOptions {
  /** The MCP server's URL. */
  serverUrl: string | URL;
  /** Metadata for registration (DCR) and the authorization request: redirect_uris, client_name, grant_types, application_type… */
  clientMetadata?: OAuthClientMetadata;
  /** The https URL of a Client ID Metadata Document you host, used when the server supports CIMD. */
  clientMetadataUrl?: string;
  /** Pre-registered credentials: the same for every authorization server, or chosen by issuer. */
  clientInformation?: OAuthClientInformation | ((issuer: string) => OAuthClientInformation | undefined);
  /**
   * "authorization_code" (default; a user authorizes), "client_credentials" (machine to machine) or
   * "jwt_bearer" (RFC 7523: present `assertion`, e.g. a workload JWT or an ID-JAG from `idJagAssertion`).
   */
  grant?: "authorization_code" | "client_credentials" | "jwt_bearer";
  /**
   * DPoP (RFC 9449): by default used when the authorization server advertises ES256 in
   * dpop_signing_alg_values_supported; false never; a CryptoKeyPair (ECDSA P-256) to use that key.
   */
  dpop?: boolean | CryptoKeyPair;
  /** The assertion for the "jwt_bearer" grant. */
  assertion?: AssertionSource;
  /** A key for private_key_jwt client authentication. */
  clientKey?: ClientKey;
  storage?: TokenStorage;
  /** Send the user to the authorization URL (e.g. open a browser). */
  redirectHandler?(url: URL): void | Promise<void>;
  /** Wait for the redirect back; give the callback URL or its query parameters. */
  callbackHandler?(): Promise<string | URL | URLSearchParams>;
  /** No user: fetch the authorization URL and take the redirect it answers with (tests, conformance). */
  headless?: boolean;
  /** Scopes to ask for, instead of those from the challenge or the metadata. */
  scope?: string;
  /** Step-up authorizations allowed for one set of scopes (default 2, i.e. three authorizations in all). */
  maxStepUps?: number;
  fetch?: typeof fetch;
}

export class OAuthClientProvider {
  private readonly storage: TokenStorage;
  private readonly f: typeof fetch;
  private pending: Promise<boolean> | undefined;
  private refreshing: Promise<StoredTokens | undefined> | undefined;
  private requested: string[] = [];
  private readonly stepUps = new Map<string, number>();
  private readonly signer: DPoPSigner;
  /** The last discovery (for inspection and tests). */
  discovery: Discovery | undefined;

  constructor(readonly o: OAuthClientOptions) {
    this.storage = o.storage ?? new InMemoryTokenStorage();
    this.f = o.fetch ?? globalThis.fetch.bind(globalThis);
    this.signer = new DPoPSigner(typeof o.dpop === "object" ? o.dpop : undefined);
  }

  /** The DPoP signer for token requests at `m`, when DPoP is on there. */
  private dpopAt(m: AuthorizationServerMetadata): DPoPSigner | undefined {
    if (this.o.dpop === false) return undefined;
    const algs = m.dpop_signing_alg_values_supported;
    return Array.isArray(algs) && algs.includes("ES256") ? this.signer : undefined;
  }

  // ---- the transport hook ---------------------------------------------------------------------

  /** Headers for the next request: the token (refreshed first if it has expired), with a fresh DPoP proof for a DPoP-bound one. */
  async headers(request?: { url: URL | string; method: string }): Promise<Record<string, string>> {
    let t = await this.storage.getTokens();
    if (t?.expires_at !== undefined && t.expires_at <= Date.now() + 5000) t = t.refresh_token ? await this.refresh(t) : undefined;
    if (!t) return {};
    if (t.token_type.toLowerCase() !== "dpop") return { authorization: `Bearer ${t.access_token}` };
    const proof = await this.signer.proof(request?.method ?? "POST", request?.url ?? this.o.serverUrl, t.access_token);
    return { authorization: `DPoP ${t.access_token}`, dpop: proof };
  }

  /** A 401 or 403 came back: authorize (or refresh, or step up) and say whether to retry. */
  onUnauthorized(res: Response, url: URL): Promise<boolean> {
    return (this.pending ??= this.handle(res, url).finally(() => (this.pending = undefined)));
  }

  // ---- flows --------------------------------------------------------------------------------

  private async handle(res: Response, url: URL): Promise<boolean> {
    const www = res.headers.get("www-authenticate");
    // A DPoP request's error comes on the DPoP challenge, the metadata URL on the Bearer one: read both.
    const challenges = parseWwwAuthenticate(www);
    const params = (scheme: string) => challenges.find((c) => c.scheme.toLowerCase() === scheme)?.params;
    const ch: Record<string, string> = { ...params("dpop"), ...params("bearer") };
    const held = await this.storage.getTokens();
    // RFC 9449 §9: the resource server wants a nonce in the proof; retry with the one it gave.
    if (held?.token_type.toLowerCase() === "dpop" && res.status === 401 && this.signer.takeNonce(url, res) && (await wantsNonce(res))) return true;
    if (res.status === 403) {
      if (ch.error !== "insufficient_scope") return false;
      const union = unionScopes(this.requested, parseScopes(held?.scope), parseScopes(ch.scope));
      const key = [...union].sort().join(" ");
      const n = this.stepUps.get(key) ?? 0;
      if (n >= (this.o.maxStepUps ?? 2)) return false;
      this.stepUps.set(key, n + 1);
      return this.authorize(await this.discover(ch.resource_metadata), union);
    }
    if (res.status !== 401) return false;
    const d = await this.discover(ch.resource_metadata);
    // A refresh is worth trying once per token, and only at the server that issued it.
    if (held?.refresh_token && held.issuer === d.issuer && !(held.refreshed_at && Date.now() - held.refreshed_at < 10_000)) {
      if (await this.refresh(held)) return true;
    }
    const scopes = this.o.scope !== undefined ? parseScopes(this.o.scope) : ch.scope !== undefined ? parseScopes(ch.scope) : (d.resourceMetadata?.scopes_supported ?? []);
    return this.authorize(d, scopes);
  }

  private async discover(fromHeader?: string): Promise<Discovery> {
    this.discovery = await discover(this.o.serverUrl, this.f, fromHeader);
    return this.discovery;
  }

  /** Run the flow for `scopes` at the discovered server and store the tokens. */
  async authorize(d: Discovery, scopes: string[]): Promise<boolean> {
    for (const [name, url] of Object.entries({ authorization: d.metadata.authorization_endpoint, token: d.metadata.token_endpoint })) {
      if (url && !isSecureOrLoopback(url)) throw new OAuthError("insecure_endpoint", `The ${name} endpoint ${url} is not https`);
    }
    this.requested = scopes;
    const tokens = this.o.grant === "client_credentials" ? await this.clientCredentials(d, scopes) : this.o.grant === "jwt_bearer" ? await this.jwtBearer(d, scopes) : await this.authorizationCode(d, scopes);
    await this.save(d.issuer, tokens);
    return true;
  }

  private async clientCredentials(d: Discovery, scopes: string[]): Promise<OAuthTokens> {
    const client = await this.client(d);
    const form = new URLSearchParams({ grant_type: "client_credentials", resource: d.resource });
    if (scopes.length) form.set("scope", formatScopes(scopes));
    return tokenRequest(this.f, d.metadata, form, client, this.o.clientKey, this.dpopAt(d.metadata));
  }

  /** RFC 7523 §2.1: the assertion is the grant; a failure is surfaced, never retried with another grant. */
  private async jwtBearer(d: Discovery, scopes: string[]): Promise<OAuthTokens> {
    const a = this.o.assertion;
    if (!a) throw new Error('grant "jwt_bearer" needs an assertion');
    const client = await this.client(d);
    const assertion = typeof a === "function" ? await a({ issuer: d.issuer, resource: d.resource, scopes }) : a;
    const form = new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion, resource: d.resource });
    if (scopes.length) form.set("scope", formatScopes(scopes));
    return tokenRequest(this.f, d.metadata, form, client, this.o.clientKey, this.dpopAt(d.metadata));
  }

  private async authorizationCode(d: Discovery, asked: string[]): Promise<OAuthTokens> {
    const m = d.metadata;
    // MCP: refuse a server that does not say it supports S256 (the 2025-03-26 default endpoints assume it).
    if (!m.code_challenge_methods_supported?.includes("S256")) throw new OAuthError("pkce_unsupported", `Authorization server ${d.issuer} does not advertise PKCE S256: refusing to authorize`);
    if (!m.authorization_endpoint) throw new OAuthError("invalid_metadata", `Authorization server ${d.issuer} has no authorization endpoint`);
    let scopes = asked;
    const wantsRefresh = (this.o.clientMetadata?.grant_types ?? []).includes("refresh_token");
    if (wantsRefresh && m.scopes_supported?.includes("offline_access") && !scopes.includes("offline_access")) scopes = [...scopes, "offline_access"];
    if (!m.scopes_supported?.includes("offline_access")) scopes = scopes.filter((s) => s !== "offline_access");
    const client = await this.client(d);
    const redirectUri = client.redirect_uris?.[0] ?? this.o.clientMetadata?.redirect_uris?.[0];
    if (!redirectUri) throw new Error("clientMetadata.redirect_uris is required for the authorization code flow");
    const verifier = randomToken(48);
    const state = randomToken();
    const url = new URL(m.authorization_endpoint);
    const q = url.searchParams;
    q.set("response_type", "code");
    q.set("client_id", client.client_id);
    q.set("redirect_uri", redirectUri);
    q.set("code_challenge", await pkceChallenge(verifier));
    q.set("code_challenge_method", "S256");
    q.set("state", state);
    if (scopes.length) q.set("scope", formatScopes(scopes));
    q.set("resource", d.resource);
    const cb = await this.redirect(url, redirectUri);
    const code = this.checkCallback(cb, state, d);
    const form = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri, code_verifier: verifier, resource: d.resource });
    return tokenRequest(this.f, m, form, client, this.o.clientKey, this.dpopAt(m));
  }

  private async redirect(url: URL, redirectUri: string): Promise<URLSearchParams> {
    if (this.o.headless) return headlessAuthorize(url, redirectUri, this.f);
    if (!this.o.redirectHandler || !this.o.callbackHandler) throw new Error("Authorization needs redirectHandler and callbackHandler (or headless: true)");
    await this.o.redirectHandler(url);
    const back = await this.o.callbackHandler();
    return back instanceof URLSearchParams ? back : new URL(String(back)).searchParams;
  }

  /** RFC 9207 and `state`: the authorization response must come from the server we asked. */
  private checkCallback(q: URLSearchParams, state: string, d: Discovery): string {
    const iss = q.get("iss");
    if (iss !== null && iss !== d.issuer) throw new OAuthError("issuer_mismatch", `The authorization response came from issuer ${JSON.stringify(iss)}, not ${d.issuer}: refused`);
    if (iss === null && d.metadata.authorization_response_iss_parameter_supported === true) throw new OAuthError("issuer_missing", "The authorization response lacks the iss parameter the server advertises: refused");
    if (q.get("state") !== state) throw new OAuthError("state_mismatch", "The authorization response's state does not match: refused");
    const error = q.get("error");
    if (error) throw new OAuthError(error, q.get("error_description") ?? undefined);
    const code = q.get("code");
    if (!code) throw new OAuthError("invalid_response", "The authorization response has no code");
    return code;
  }

  /** This client at `d.issuer`: pre-registered, stored for that issuer, a CIMD URL, or registered now. */
  private async client(d: Discovery): Promise<OAuthClientInformation> {
    const pre = typeof this.o.clientInformation === "function" ? this.o.clientInformation(d.issuer) : this.o.clientInformation;
    if (pre) return pre;
    const stored = await this.storage.getClientInfo(d.issuer);
    if (stored) return stored;
    const meta = this.o.clientMetadata ?? {};
    if (this.o.clientMetadataUrl && d.metadata.client_id_metadata_document_supported) {
      return { ...meta, client_id: this.o.clientMetadataUrl, token_endpoint_auth_method: this.o.clientKey ? "private_key_jwt" : "none" };
    }
    if (!d.metadata.registration_endpoint) throw new OAuthError("registration_unavailable", `No client registration is possible at ${d.issuer}: pre-register the client`);
    const redirects = meta.redirect_uris ?? [];
    const native = redirects.length > 0 && redirects.every((r) => /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])[:/]/.test(r) || !/^https?:/.test(r));
    const grant = this.o.grant ?? "authorization_code";
    const info = await registerClient(this.f, d.metadata, {
      grant_types: grant === "client_credentials" ? ["client_credentials"] : grant === "jwt_bearer" ? [JWT_BEARER_GRANT] : ["authorization_code", "refresh_token"],
      response_types: grant === "authorization_code" ? ["code"] : [],
      token_endpoint_auth_method: "none",
      ...meta,
      application_type: meta.application_type ?? (native ? "native" : "web"),
    });
    await this.storage.setClientInfo(d.issuer, info);
    return info;
  }

  /** Refresh silently (sending the scope held); on failure forget the tokens. */
  private refresh(t: StoredTokens): Promise<StoredTokens | undefined> {
    return (this.refreshing ??= this.doRefresh(t).finally(() => (this.refreshing = undefined)));
  }

  private async doRefresh(t: StoredTokens): Promise<StoredTokens | undefined> {
    try {
      const d = this.discovery?.issuer === t.issuer ? this.discovery : await this.discover();
      if (d.issuer !== t.issuer) throw new Error("the authorization server changed");
      const client = await this.client(d);
      const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: t.refresh_token!, resource: d.resource });
      if (t.scope) form.set("scope", t.scope);
      const fresh = await tokenRequest(this.f, d.metadata, form, client, this.o.clientKey, this.dpopAt(d.metadata));
      // Keep the old refresh token when the server does not rotate it.
      return await this.save(t.issuer, { ...fresh, refresh_token: fresh.refresh_token ?? t.refresh_token, scope: fresh.scope ?? t.scope }, true);
    } catch {
      await this.storage.setTokens(undefined);
      return undefined;
    }
  }

  private async save(issuer: string, tokens: OAuthTokens, refreshed = false): Promise<StoredTokens> {
    const stored: StoredTokens = { ...tokens, issuer, ...(refreshed ? { refreshed_at: Date.now() } : {}), ...(tokens.expires_in !== undefined ? { expires_at: Date.now() + tokens.expires_in * 1000 } : {}) };
    if (!stored.scope && this.requested.length) stored.scope = formatScopes(this.requested);
    await this.storage.setTokens(stored);
    return stored;
  }

  /** Forget the tokens (e.g. on sign-out); registrations stay. */
  async signOut(): Promise<void> {
    await this.storage.setTokens(undefined);
  }
}
