// The OAuth proxy: our authorization server fronting an upstream identity provider that has no
// dynamic registration. Per-client consent with a cookie-bound CSRF token, the upstream round
// trip with its own PKCE and iss check, and the proxy's own tokens (no token passthrough).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createAuthorizationServer } from "../../src/auth/server/router.js";
import { OAuthProxyProvider } from "../../src/auth/server/proxy.js";
import { withBearerAuth } from "../../src/auth/resource/bearer.js";
import { pkceChallenge, randomToken } from "../../src/auth/util.js";
import { demoServer } from "./helpers.js";

const IDP = "https://idp.example.com";
const PROXY = "https://mcp.example.com";
const MCP = `${PROXY}/mcp`;
const REDIRECT = "http://127.0.0.1:7777/cb";

function setup() {
  const upstream = createAuthorizationServer({
    issuer: IDP,
    registration: false,
    local: {
      authenticate: () => ({ subject: "upstream-user" }),
      clients: [{ client_id: "mcp-proxy", client_secret: "proxy-secret", redirect_uris: [`${PROXY}/callback`] }],
    },
  });
  let rs: ReturnType<typeof withBearerAuth>;
  const route = (async (input: any, init?: RequestInit) => {
    const req = new Request(input, init);
    return new URL(req.url).origin === IDP ? upstream.fetch(req) : rs.fetch(req);
  }) as typeof fetch;
  const proxy = new OAuthProxyProvider({
    issuer: PROXY,
    upstream: { authorizationEndpoint: `${IDP}/authorize`, tokenEndpoint: `${IDP}/token`, clientId: "mcp-proxy", clientSecret: "proxy-secret", issuer: IDP, scopes: ["profile"] },
    cookieSecret: "0123456789abcdef0123456789abcdef",
    identify: async (t) => ({ subject: `idp:${(await upstream.verifier.verify(t.access_token))!.subject}` }),
    fetch: route,
  });
  const as = createAuthorizationServer({ issuer: PROXY, provider: proxy, resources: [MCP] });
  rs = withBearerAuth(demoServer().httpHandler({ allowedHosts: ["mcp.example.com"] }), { resource: MCP, authorizationServer: as });
  return { upstream, proxy, as, rs, route };
}

/** A tiny browser: cookies per name, manual redirects. */
class Browser {
  jar = new Map<string, string>();
  constructor(private readonly f: typeof fetch) {}
  async go(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.jar.size) headers.set("cookie", [...this.jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await this.f(url, { ...init, headers, redirect: "manual" });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      this.jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return res;
  }
}

async function registerAndAuthorizeUrl(route: typeof fetch) {
  const client = await (await route(`${PROXY}/register`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ redirect_uris: [REDIRECT], token_endpoint_auth_method: "none", client_name: "Desk <App>", application_type: "native" }) })).json();
  const verifier = randomToken(48);
  const u = new URL(`${PROXY}/authorize`);
  for (const [k, v] of Object.entries({ response_type: "code", client_id: client.client_id, redirect_uri: REDIRECT, code_challenge: await pkceChallenge(verifier), code_challenge_method: "S256", state: "st8", resource: MCP })) u.searchParams.set(k, v);
  return { client, verifier, url: u.href };
}

const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)![1];
const consentForm = (txn: string, csrf: string, action = "approve") => ({ method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ txn, csrf, action }).toString() });

describe("OAuth proxy", () => {
  it("asks for consent per client, goes upstream, and issues its own tokens", async () => {
    const { route, as, proxy, upstream, rs } = setup();
    const browser = new Browser(route);
    const { client, verifier, url } = await registerAndAuthorizeUrl(route);

    const page = await browser.go(url);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Desk &lt;App&gt;/, "the client is named, escaped");
    assert.match(html, /127\.0\.0\.1:7777/, "the redirect target is shown");
    assert.equal(page.headers.get("x-frame-options"), "DENY");
    assert.match(page.headers.get("set-cookie")!, /^__Host-mcp-csrf=.*HttpOnly; SameSite=Lax.*Secure/);
    const txn = field(html, "txn");
    const csrf = field(html, "csrf");

    // A forged POST (another browser: no CSRF cookie) is refused, and does not burn the form.
    assert.equal((await new Browser(route).go(`${PROXY}/consent`, consentForm(txn, csrf))).status, 400);

    const approved = await browser.go(`${PROXY}/consent`, consentForm(txn, csrf));
    assert.equal(approved.status, 302);
    const up = new URL(approved.headers.get("location")!);
    assert.equal(up.origin + up.pathname, `${IDP}/authorize`);
    assert.equal(up.searchParams.get("client_id"), "mcp-proxy");
    assert.equal(up.searchParams.get("code_challenge_method"), "S256");
    assert.equal(up.searchParams.get("scope"), "profile");
    assert.ok(browser.jar.has("__Host-mcp-consent"));

    const idp = await browser.go(up.href);
    const cb = new URL(idp.headers.get("location")!);
    assert.equal(cb.origin + cb.pathname, `${PROXY}/callback`);
    const back = new URL((await browser.go(cb.href)).headers.get("location")!);
    assert.equal(back.origin + back.pathname, "http://127.0.0.1:7777/cb");
    assert.equal(back.searchParams.get("state"), "st8");
    assert.equal(back.searchParams.get("iss"), PROXY);

    const tokenRes = await route(`${PROXY}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code: back.searchParams.get("code")!, code_verifier: verifier, client_id: client.client_id, redirect_uri: REDIRECT, resource: MCP }).toString(),
    });
    const tokens = await tokenRes.json();
    assert.ok(tokens.access_token);

    // The MCP server sees the upstream identity under the proxy's own token.
    const info = (await as.verifier.verify(tokens.access_token))!;
    assert.equal(info.subject, "idp:upstream-user");
    const upstreamTokens = (await proxy.upstreamTokens(info))!;
    assert.notEqual(upstreamTokens.access_token, tokens.access_token);
    assert.equal((await upstream.verifier.verify(upstreamTokens.access_token))?.subject, "upstream-user");

    const list = (token: string) =>
      rs.fetch(new Request(MCP, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json, text/event-stream", host: "mcp.example.com" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } } }) }));
    const ok = await list(tokens.access_token);
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
    assert.equal((await list(upstreamTokens.access_token)).status, 401, "an upstream token is not accepted here (no passthrough)");

    // Consent remembered for this client and redirect URI: straight upstream next time.
    const again = await browser.go((await registerAndAuthorizeUrl(route)).url.replace(/client_id=[^&]+/, `client_id=${client.client_id}`));
    assert.equal(again.status, 302);
    assert.equal(new URL(again.headers.get("location")!).origin, IDP);
    // Another client in the same browser must ask again.
    const other = await browser.go((await registerAndAuthorizeUrl(route)).url);
    assert.equal(other.status, 200);
  });

  it("a denied consent goes back to the client as access_denied with state and iss", async () => {
    const { route } = setup();
    const browser = new Browser(route);
    const { url } = await registerAndAuthorizeUrl(route);
    const html = await (await browser.go(url)).text();
    const res = await browser.go(`${PROXY}/consent`, consentForm(field(html, "txn"), field(html, "csrf"), "deny"));
    const back = new URL(res.headers.get("location")!);
    assert.deepEqual([back.searchParams.get("error"), back.searchParams.get("state"), back.searchParams.get("iss")], ["access_denied", "st8", PROXY]);
  });

  it("refuses an upstream callback from the wrong issuer", async () => {
    const { route } = setup();
    const browser = new Browser(route);
    const { url } = await registerAndAuthorizeUrl(route);
    const html = await (await browser.go(url)).text();
    const up = (await browser.go(`${PROXY}/consent`, consentForm(field(html, "txn"), field(html, "csrf")))).headers.get("location")!;
    const cb = new URL((await browser.go(up)).headers.get("location")!);
    cb.searchParams.set("iss", "https://evil.example.com");
    const back = new URL((await browser.go(cb.href)).headers.get("location")!);
    assert.equal(back.searchParams.get("error"), "access_denied");
    assert.equal(back.searchParams.get("code"), null);
  });
});
