/**
 * An OAuth proxy: the MCP server's authorization server fronts an upstream identity
 * provider that has no dynamic registration. MCP clients register here (DCR or CIMD);
 * upstream, the proxy is one static client. Because every MCP client then reaches the
 * upstream under one client id, a consent the user gave upstream must not silently
 * cover a new client (the confused-deputy problem): the proxy asks the user for each
 * client and redirect URI, remembers it in a signed `__Host-` cookie (HttpOnly, Secure,
 * SameSite=Lax), and guards the consent form with a cookie-bound CSRF token. Upstream
 * tokens never leave the server: the client gets the proxy's own tokens, for this
 * resource only (no token passthrough).
 */
import { accessDenied } from "../errors.js";
import { cookie, escapeHtml, formatBasic, html, readForm, redirect } from "../http.js";
import type { OAuthClientInformation, OAuthTokens } from "../types.js";
import { addQuery, base64url, base64urlDecode, decodeJwtPayload, formatScopes, pkceChallenge, randomToken, safeEqual } from "../util.js";
import { errorPage } from "./endpoints.js";
import { LocalAuthorizationProvider, type LocalProviderOptions } from "./local-provider.js";
import type { AccessToken, AuthorizationCode, AuthorizationParams, AuthorizeContext, OAuthAuthorizationServerProvider, RefreshToken, TokenBinding } from "./provider.js";

export interface UpstreamProvider {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  /** The proxy's static client at the upstream provider (its redirect URI: `<issuer>/callback`). */
  clientId: string;
  clientSecret?: string;
  authMethod?: "client_secret_basic" | "client_secret_post";
  /** Scopes asked upstream (default: the scopes the MCP client asked for). */
  scopes?: string[];
  /** The upstream issuer: when set, a callback `iss` must equal it (RFC 9207). */
  issuer?: string;
  /** More authorization parameters (e.g. `prompt`, `audience`). */
  extraParams?: Record<string, string>;
}

export interface OAuthProxyOptions extends Omit<LocalProviderOptions, "authenticate"> {
  /** This (proxy) authorization server's issuer, as given to createAuthorizationServer. */
  issuer: string;
  upstream: UpstreamProvider;
  /** Key for the consent cookie's HMAC (at least 32 random bytes, kept across restarts). */
  cookieSecret: string;
  /** Who the user is, from the upstream token response (default: the id_token's `sub`). */
  identify?(tokens: OAuthTokens): Promise<{ subject: string; extra?: Record<string, unknown> }>;
  fetch?: typeof fetch;
}

interface Txn {
  params: AuthorizationParams;
  clientName: string;
  csrf?: string;
  verifier?: string;
}

const TXN_TTL = 600;

export class OAuthProxyProvider implements OAuthAuthorizationServerProvider {
  readonly local: LocalAuthorizationProvider;
  readonly routes: Record<string, (req: Request) => Promise<Response>>;
  private readonly secure: boolean;
  private readonly callback: string;
  private readonly doFetch: typeof fetch;
  private key: Promise<CryptoKey> | undefined;

  constructor(private readonly o: OAuthProxyOptions) {
    if (o.cookieSecret.length < 32) throw new TypeError("cookieSecret must be at least 32 characters");
    this.local = new LocalAuthorizationProvider({ ...o, authenticate: () => undefined });
    this.secure = new URL(o.issuer).protocol === "https:";
    this.callback = `${o.issuer.replace(/\/$/, "")}/callback`;
    this.doFetch = o.fetch ?? globalThis.fetch.bind(globalThis);
    this.routes = { "/consent": (r) => this.consent(r), "/callback": (r) => this.upstreamCallback(r) };
  }

  /** The upstream tokens behind a verified proxy token (`ctx.authInfo`), for the server's own upstream calls. */
  async upstreamTokens(auth: { extra?: Record<string, unknown> }): Promise<OAuthTokens | undefined> {
    const ref = auth.extra?.upstreamRef;
    return typeof ref === "string" ? this.local.store.get<OAuthTokens>(`proxy-upstream:${ref}`) : undefined;
  }

  getClient = (id: string) => this.local.getClient(id);
  registerClient = (c: OAuthClientInformation) => this.local.registerClient(c);
  loadAuthorizationCode = (c: OAuthClientInformation, code: string) => this.local.loadAuthorizationCode(c, code);
  exchangeAuthorizationCode = (c: OAuthClientInformation, code: AuthorizationCode, b?: TokenBinding) => this.local.exchangeAuthorizationCode(c, code, b);
  loadRefreshToken = (c: OAuthClientInformation, t: string) => this.local.loadRefreshToken(c, t);
  exchangeRefreshToken = (c: OAuthClientInformation, t: RefreshToken, s: string[], b?: TokenBinding) => this.local.exchangeRefreshToken(c, t, s, b);
  loadAccessToken = (t: string) => this.local.loadAccessToken(t);
  revokeToken = (c: OAuthClientInformation, t: AccessToken | RefreshToken) => this.local.revokeToken(c, t);

  async authorize(client: OAuthClientInformation, params: AuthorizationParams, ctx: AuthorizeContext): Promise<string | Response> {
    const name = client.client_name ?? client.client_id;
    if (await this.hasConsent(ctx.request, client.client_id, params.redirectUri)) return this.toUpstream({ params, clientName: name });
    const id = randomToken();
    const csrf = randomToken();
    await this.local.store.set<Txn>(`proxy-txn:${id}`, { params, clientName: name, csrf }, TXN_TTL);
    const host = new URL(params.redirectUri).host || params.redirectUri;
    const page = `<!doctype html><meta charset="utf-8"><title>Authorize ${escapeHtml(name)}</title>
<h1>Allow ${escapeHtml(name)}?</h1>
<p><b>${escapeHtml(name)}</b> (client id <code>${escapeHtml(client.client_id)}</code>) asks to use this server on your behalf${params.scopes.length ? ` with <code>${escapeHtml(params.scopes.join(" "))}</code>` : ""}.</p>
<p>After you sign in, you will be sent to <code>${escapeHtml(params.redirectUri)}</code> (${escapeHtml(host)}). Allow only if you started this and trust that application.</p>
<form method="post" action="${escapeHtml(new URL(`${this.o.issuer.replace(/\/$/, "")}/consent`).pathname)}">
<input type="hidden" name="txn" value="${id}"><input type="hidden" name="csrf" value="${csrf}">
<button name="action" value="approve">Allow</button> <button name="action" value="deny">Deny</button>
</form>`;
    return html(page, 200, { "set-cookie": this.cookie("csrf", csrf, TXN_TTL) });
  }

  private async consent(req: Request): Promise<Response> {
    if (req.method !== "POST") return new Response(null, { status: 405, headers: { allow: "POST" } });
    const form = await readForm(req);
    const id = form.get("txn") ?? "";
    const sent = form.get("csrf") ?? "";
    const fromCookie = cookie(req, this.cookieName("csrf")) ?? "";
    const txn = await this.local.store.get<Txn>(`proxy-txn:${id}`);
    if (!txn || !txn.csrf || !safeEqual(sent, txn.csrf) || !safeEqual(fromCookie, txn.csrf)) return errorPage(400, "Invalid request", "The consent form expired or did not come from this browser");
    if (!(await this.local.store.take<Txn>(`proxy-txn:${id}`))) return errorPage(400, "Invalid request", "The consent form was already used");
    const p = txn.params;
    if (form.get("action") !== "approve") {
      return redirect(addQuery(p.redirectUri, { error: "access_denied", error_description: "The user denied the request", state: p.state, iss: this.o.issuer }));
    }
    const list = [...(await this.consents(req)).filter((c) => c !== `${p.clientId} ${p.redirectUri}`), `${p.clientId} ${p.redirectUri}`].slice(-20);
    const value = base64url(new TextEncoder().encode(JSON.stringify(list)));
    const res = await this.toUpstream(txn);
    res.headers.append("set-cookie", this.cookie("consent", `${value}.${await this.mac(value)}`, 365 * 86400));
    return res;
  }

  private async toUpstream(txn: Txn): Promise<Response> {
    const u = this.o.upstream;
    const state = randomToken();
    const verifier = randomToken(48);
    await this.local.store.set<Txn>(`proxy-txn:${state}`, { params: txn.params, clientName: txn.clientName, verifier }, TXN_TTL);
    const scopes = u.scopes ?? txn.params.scopes;
    return redirect(
      addQuery(u.authorizationEndpoint, {
        response_type: "code",
        client_id: u.clientId,
        redirect_uri: this.callback,
        state,
        code_challenge: await pkceChallenge(verifier),
        code_challenge_method: "S256",
        scope: scopes.length ? formatScopes(scopes) : undefined,
        ...u.extraParams,
      }),
    );
  }

  private async upstreamCallback(req: Request): Promise<Response> {
    const q = new URL(req.url).searchParams;
    const txn = await this.local.store.take<Txn>(`proxy-txn:${q.get("state") ?? ""}`);
    if (!txn?.verifier) return errorPage(400, "Invalid request", "Unknown or expired authorization state");
    const p = txn.params;
    const back = (error: string, description: string) => redirect(addQuery(p.redirectUri, { error, error_description: description, state: p.state, iss: this.o.issuer }));
    const iss = q.get("iss");
    if (this.o.upstream.issuer !== undefined && iss !== null && iss !== this.o.upstream.issuer) return back("access_denied", "The identity provider's response came from the wrong issuer");
    if (q.get("error")) return back("access_denied", "The identity provider refused the request");
    const code = q.get("code");
    if (!code) return back("server_error", "The identity provider sent no code");
    let tokens: OAuthTokens;
    try {
      tokens = await this.exchangeUpstream(code, txn.verifier);
    } catch {
      return back("server_error", "The identity provider's token exchange failed");
    }
    const who = await (this.o.identify ?? defaultIdentify)(tokens).catch(() => undefined);
    if (!who) return back("access_denied", "The user could not be identified");
    const ref = randomToken();
    await this.local.store.set(`proxy-upstream:${ref}`, tokens, this.o.refreshTokenTtl ?? 30 * 86400);
    const url = await this.local.approve(p, { subject: who.subject, extra: { ...who.extra, upstreamRef: ref } }, this.o.issuer);
    return redirect(url);
  }

  private async exchangeUpstream(code: string, verifier: string): Promise<OAuthTokens> {
    const u = this.o.upstream;
    const form = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: this.callback, code_verifier: verifier });
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
    if (u.authMethod === "client_secret_post" || u.clientSecret === undefined) {
      form.set("client_id", u.clientId);
      if (u.clientSecret !== undefined) form.set("client_secret", u.clientSecret);
    } else headers.authorization = formatBasic(u.clientId, u.clientSecret);
    const res = await this.doFetch(u.tokenEndpoint, { method: "POST", headers, body: form.toString(), signal: AbortSignal.timeout(10_000) });
    const body = (await res.json()) as OAuthTokens;
    if (!res.ok || typeof body.access_token !== "string") throw accessDenied("upstream token exchange failed");
    return body;
  }

  // ---- the consent cookie ------------------------------------------------------------------

  private cookieName(kind: "consent" | "csrf"): string {
    return `${this.secure ? "__Host-" : ""}mcp-${kind}`;
  }

  private cookie(kind: "consent" | "csrf", value: string, maxAge: number): string {
    return `${this.cookieName(kind)}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${this.secure ? "; Secure" : ""}`;
  }

  private async mac(value: string): Promise<string> {
    const key = await (this.key ??= crypto.subtle.importKey("raw", new TextEncoder().encode(this.o.cookieSecret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]));
    return base64url(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`consent:${value}`))));
  }

  private async consents(req: Request): Promise<string[]> {
    const raw = cookie(req, this.cookieName("consent"));
    const dot = raw?.lastIndexOf(".") ?? -1;
    if (!raw || dot < 0) return [];
    const value = raw.slice(0, dot);
    if (!safeEqual(raw.slice(dot + 1), await this.mac(value))) return [];
    try {
      const list = JSON.parse(new TextDecoder().decode(base64urlDecode(value)));
      return Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : [];
    } catch {
      return [];
    }
  }

  private async hasConsent(req: Request, clientId: string, redirectUri: string): Promise<boolean> {
    return (await this.consents(req)).includes(`${clientId} ${redirectUri}`);
  }
}

async function defaultIdentify(tokens: OAuthTokens): Promise<{ subject: string; extra?: Record<string, unknown> }> {
  // The id_token came straight from the provider's token endpoint over TLS (OIDC Core §3.1.3.7).
  const claims = typeof tokens.id_token === "string" ? decodeJwtPayload(tokens.id_token) : undefined;
  if (typeof claims?.sub === "string") return { subject: claims.sub };
  throw new Error("no id_token: give `identify` to name the user");
}
