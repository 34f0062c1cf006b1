// The authorization server: metadata at every well-known location, DCR with application_type,
// exact redirect-URI matching, PKCE S256 only, iss in responses, single-use codes, refresh-token
// rotation with reuse detection, client credentials, revocation and introspection.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createAuthorizationServer, type AuthorizationServer } from "../../src/auth/server/router.js";
import { formatBasic } from "../../src/auth/http.js";
import type { LocalAuthorizationProvider, LocalProviderOptions } from "../../src/auth/server/local-provider.js";
import type { AuthorizationParams } from "../../src/auth/server/provider.js";
import { pkceChallenge, randomToken } from "../../src/auth/util.js";

const ISSUER = "https://auth.example.com/tenant1";
const RESOURCE = "https://mcp.example.com/mcp";
const REDIRECT = "http://127.0.0.1:33418/callback";

function server(extra: Partial<LocalProviderOptions> = {}) {
  return createAuthorizationServer({
    issuer: ISSUER,
    scopesSupported: ["mcp:read", "mcp:write"],
    resources: [RESOURCE],
    local: { authenticate: () => ({ subject: "alice" }), clients: [{ client_id: "conf", client_secret: "s3cret", redirect_uris: [REDIRECT], grant_types: ["authorization_code", "refresh_token", "client_credentials"] }], ...extra },
  });
}

const form = (as: AuthorizationServer, path: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
  as.fetch(new Request(`https://auth.example.com/tenant1${path}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(body).toString() }));

async function register(as: AuthorizationServer, meta: Record<string, unknown>) {
  return as.fetch(new Request(`${ISSUER}/register`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(meta) }));
}

/** Register a public client and take a code through /authorize. */
async function code(as: AuthorizationServer, scope = "mcp:read", opts: { resource?: string } = {}) {
  const client = await (await register(as, { redirect_uris: [REDIRECT], token_endpoint_auth_method: "none", application_type: "native", client_name: "t" })).json();
  const verifier = randomToken(48);
  const state = randomToken();
  const u = new URL(`${ISSUER}/authorize`);
  for (const [k, v] of Object.entries({ response_type: "code", client_id: client.client_id, redirect_uri: REDIRECT, code_challenge: await pkceChallenge(verifier), code_challenge_method: "S256", state, scope, resource: opts.resource ?? RESOURCE })) u.searchParams.set(k, v);
  const res = await as.fetch(new Request(u));
  assert.equal(res.status, 302);
  const back = new URL(res.headers.get("location")!);
  return { client, verifier, state, back, code: back.searchParams.get("code")! };
}

const exchange = (as: AuthorizationServer, c: { client: any; verifier: string; code: string }, extra: Record<string, string> = {}) =>
  form(as, "/token", { grant_type: "authorization_code", code: c.code, redirect_uri: REDIRECT, code_verifier: c.verifier, client_id: c.client.client_id, resource: RESOURCE, ...extra });

describe("authorization server metadata (RFC 8414, OpenID Discovery)", () => {
  const as = server();
  for (const path of ["/.well-known/oauth-authorization-server/tenant1", "/.well-known/openid-configuration/tenant1", "/tenant1/.well-known/openid-configuration"]) {
    it(`is served at ${path}`, async () => {
      const res = await as.fetch(new Request(`https://auth.example.com${path}`));
      assert.equal(res.status, 200);
      const m = await res.json();
      assert.equal(m.issuer, ISSUER);
      assert.equal(m.token_endpoint, `${ISSUER}/token`);
      assert.deepEqual(m.code_challenge_methods_supported, ["S256"]);
      assert.equal(m.authorization_response_iss_parameter_supported, true);
      assert.equal(m.client_id_metadata_document_supported, true);
      assert.ok(m.registration_endpoint && m.revocation_endpoint && m.introspection_endpoint);
    });
  }
});

describe("dynamic client registration (RFC 7591)", () => {
  const as = server();
  it("keeps application_type and issues a secret only to confidential clients", async () => {
    const pub = await (await register(as, { redirect_uris: [REDIRECT], token_endpoint_auth_method: "none", application_type: "native", client_name: "cli" })).json();
    assert.equal(pub.application_type, "native");
    assert.equal(pub.client_secret, undefined);
    const web = await register(as, { redirect_uris: ["https://app.example.com/cb"], client_name: "web" });
    assert.equal(web.status, 201);
    const w = await web.json();
    assert.equal(w.application_type, "web");
    assert.equal(w.token_endpoint_auth_method, "client_secret_basic");
    assert.ok(w.client_secret);
  });
  for (const [why, meta] of [
    ["a web client with a private-use scheme", { redirect_uris: ["com.example.app:/cb"], application_type: "web" }],
    ["http off loopback", { redirect_uris: ["http://app.example.com/cb"] }],
    ["no redirect URI", { redirect_uris: [] }],
    ["an unknown application_type", { redirect_uris: [REDIRECT], application_type: "desktop" }],
    ["a fragment", { redirect_uris: ["https://app.example.com/cb#x"] }],
  ] as const) {
    it(`refuses ${why}`, async () => {
      const res = await register(as, meta);
      assert.equal(res.status, 400);
      assert.match((await res.json()).error, /invalid_(redirect_uri|client_metadata)/);
    });
  }
  it("lets a native client use a private-use scheme", async () => {
    assert.equal((await register(as, { redirect_uris: ["com.example.app:/cb"], application_type: "native", token_endpoint_auth_method: "none" })).status, 201);
  });
});

describe("authorize", () => {
  const as = server();
  it("answers with code, state and iss (RFC 9207)", async () => {
    const c = await code(as);
    assert.equal(c.back.origin + c.back.pathname, REDIRECT);
    assert.equal(c.back.searchParams.get("state"), c.state);
    assert.equal(c.back.searchParams.get("iss"), ISSUER);
    assert.ok(c.code);
  });
  it("never redirects to an unregistered URI (exact match only)", async () => {
    for (const redirect of [`${REDIRECT}/`, `${REDIRECT}?x=1`, "http://127.0.0.1:33418/callbackX", "http://localhost:33418/callback"]) {
      const res = await as.fetch(new Request(`${ISSUER}/authorize?response_type=code&client_id=conf&code_challenge=${"a".repeat(43)}&code_challenge_method=S256&redirect_uri=${encodeURIComponent(redirect)}`));
      assert.equal(res.status, 400, redirect);
      assert.equal(res.headers.get("location"), null);
    }
  });
  it("requires PKCE with S256 (errors go back with state and iss)", async () => {
    for (const q of ["", `&code_challenge=${"a".repeat(43)}&code_challenge_method=plain`, `&code_challenge=${"a".repeat(43)}`]) {
      const res = await as.fetch(new Request(`${ISSUER}/authorize?response_type=code&client_id=conf&redirect_uri=${encodeURIComponent(REDIRECT)}&state=xyz${q}`));
      assert.equal(res.status, 302);
      const back = new URL(res.headers.get("location")!);
      assert.equal(back.searchParams.get("error"), "invalid_request");
      assert.equal(back.searchParams.get("state"), "xyz");
      assert.equal(back.searchParams.get("iss"), ISSUER);
    }
  });
  it("refuses unknown scopes and foreign resources", async () => {
    const base = `${ISSUER}/authorize?response_type=code&client_id=conf&redirect_uri=${encodeURIComponent(REDIRECT)}&code_challenge=${"a".repeat(43)}&code_challenge_method=S256`;
    const s = new URL((await as.fetch(new Request(`${base}&scope=admin`))).headers.get("location")!);
    assert.equal(s.searchParams.get("error"), "invalid_scope");
    const r = new URL((await as.fetch(new Request(`${base}&resource=${encodeURIComponent("https://evil.example.com/mcp")}`))).headers.get("location")!);
    assert.equal(r.searchParams.get("error"), "invalid_target");
  });
});

describe("token endpoint", () => {
  it("authorization code + PKCE: tokens bound to the resource; wrong verifier, reuse and mismatches refused", async () => {
    const as = server();
    const c = await code(as);
    assert.equal((await (await exchange(as, { ...c, verifier: randomToken(48) })).json()).error, "invalid_grant");
    const c2 = await code(as);
    assert.equal((await (await exchange(as, c2, { redirect_uri: "http://127.0.0.1:33418/other" })).json()).error, "invalid_grant");
    const c3 = await code(as);
    assert.equal((await (await exchange(as, c3, { resource: "https://mcp.example.com/other" })).json()).error, "invalid_target");
    const c4 = await code(as);
    const res = await exchange(as, c4);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("cache-control"), "no-store");
    const t = await res.json();
    assert.equal(t.token_type, "Bearer");
    assert.equal(t.scope, "mcp:read");
    const info = await as.verifier.verify(t.access_token);
    assert.deepEqual([info?.subject, info?.audience], ["alice", [RESOURCE]]);
    // A code used twice: refused, and what it issued is revoked.
    assert.equal((await (await exchange(as, c4)).json()).error, "invalid_grant");
    assert.equal(await as.verifier.verify(t.access_token), undefined);
  });

  it("refresh: rotation, narrowing, no widening; a replayed refresh token ends the grant", async () => {
    const as = server();
    const c = await code(as, "mcp:read mcp:write");
    const t1 = await (await exchange(as, c)).json();
    const refresh = (rt: string, extra: Record<string, string> = {}) => form(as, "/token", { grant_type: "refresh_token", refresh_token: rt, client_id: c.client.client_id, ...extra });
    const t2 = await (await refresh(t1.refresh_token, { scope: "mcp:read" })).json();
    assert.equal(t2.scope, "mcp:read");
    assert.ok(t2.refresh_token && t2.refresh_token !== t1.refresh_token, "rotated");
    assert.equal((await (await refresh(t2.refresh_token, { scope: "mcp:read admin" })).json()).error, "invalid_scope");
    const t3 = await (await refresh(t2.refresh_token)).json();
    assert.equal(t3.scope, "mcp:read mcp:write", "the refresh token keeps the grant's scopes");
    // t1's refresh token again: reuse detected, the whole grant is revoked.
    assert.equal((await (await refresh(t1.refresh_token)).json()).error, "invalid_grant");
    assert.equal((await (await refresh(t3.refresh_token)).json()).error, "invalid_grant");
    assert.equal(await as.verifier.verify(t3.access_token), undefined);
  });

  it("client credentials for confidential clients (basic and post), never public ones", async () => {
    const as = server();
    const basic = await form(as, "/token", { grant_type: "client_credentials", scope: "mcp:read", resource: RESOURCE }, { authorization: formatBasic("conf", "s3cret") });
    const t = await basic.json();
    assert.equal(t.refresh_token, undefined);
    assert.equal((await as.verifier.verify(t.access_token))?.clientId, "conf");
    const wrong = await form(as, "/token", { grant_type: "client_credentials" }, { authorization: formatBasic("conf", "nope") });
    assert.equal(wrong.status, 401);
    assert.ok(wrong.headers.get("www-authenticate"));
    const post = await form(as, "/token", { grant_type: "client_credentials", client_id: "conf", client_secret: "s3cret" });
    assert.equal(post.status, 401, "conf registered client_secret_basic");
    const pub = await (await register(as, { redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" })).json();
    const p = await form(as, "/token", { grant_type: "client_credentials", client_id: pub.client_id });
    assert.equal((await p.json()).error, "unauthorized_client");
  });

  it("tokenEndpointAuthMethods: only the listed methods are advertised, registrable and accepted", async () => {
    const as = createAuthorizationServer({
      issuer: ISSUER,
      tokenEndpointAuthMethods: ["client_secret_basic"],
      local: {
        authenticate: () => ({ subject: "alice" }),
        clients: [
          { client_id: "conf", client_secret: "s3cret", redirect_uris: [REDIRECT], grant_types: ["client_credentials"] },
          { client_id: "legacy-public", redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" },
        ],
      },
    });
    const m = await (await as.fetch(new Request(`https://auth.example.com/.well-known/oauth-authorization-server/tenant1`))).json();
    assert.deepEqual(m.token_endpoint_auth_methods_supported, ["client_secret_basic"]);
    assert.deepEqual(m.revocation_endpoint_auth_methods_supported, ["client_secret_basic"]);
    const reg = await register(as, { redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" });
    assert.equal(reg.status, 400);
    assert.deepEqual(await reg.json(), { error: "invalid_client_metadata", error_description: "token_endpoint_auth_method must be one of client_secret_basic" });
    assert.equal((await register(as, { redirect_uris: [REDIRECT] })).status, 201, "the default method (basic) is listed");
    assert.equal(m.client_id_metadata_document_supported, false, "a metadata document can only name none or private_key_jwt");
    // A public client stored before the policy changed gets no code (it could never redeem one) and no token.
    const u = new URL(`${ISSUER}/authorize`);
    for (const [k, v] of Object.entries({ response_type: "code", client_id: "legacy-public", redirect_uri: REDIRECT, code_challenge: await pkceChallenge("v".repeat(43)), code_challenge_method: "S256", state: "s1" })) u.searchParams.set(k, v);
    const back = new URL((await as.fetch(new Request(u))).headers.get("location")!);
    assert.equal(back.searchParams.get("error"), "unauthorized_client");
    assert.equal(back.searchParams.get("code"), null);
    const pub = await form(as, "/token", { grant_type: "refresh_token", refresh_token: "x", client_id: "legacy-public" });
    assert.equal(pub.status, 401);
    assert.equal((await pub.json()).error, "invalid_client");
    assert.equal((await form(as, "/token", { grant_type: "client_credentials" }, { authorization: formatBasic("conf", "s3cret") })).status, 200);
    // Without a secret method, registration substitutes the first method it can hand out.
    const postOnly = createAuthorizationServer({ issuer: ISSUER, tokenEndpointAuthMethods: ["client_secret_post", "client_secret_post"], local: { authenticate: () => ({ subject: "a" }) } });
    assert.equal((await (await register(postOnly, { redirect_uris: [REDIRECT] })).json()).token_endpoint_auth_method, "client_secret_post");
    assert.deepEqual(postOnly.metadata.token_endpoint_auth_methods_supported, ["client_secret_post"], "duplicates dropped");
    // Only private_key_jwt: nothing to register; public only: nobody could introspect.
    const keysOnly = createAuthorizationServer({ issuer: ISSUER, tokenEndpointAuthMethods: ["private_key_jwt"], local: { authenticate: () => ({ subject: "a" }) } });
    assert.equal(keysOnly.metadata.registration_endpoint, undefined);
    assert.equal(keysOnly.metadata.client_id_metadata_document_supported, true);
    assert.equal((await register(keysOnly, { redirect_uris: [REDIRECT] })).status, 404);
    const publicOnly = createAuthorizationServer({ issuer: ISSUER, tokenEndpointAuthMethods: ["none"], local: { authenticate: () => ({ subject: "a" }) } });
    assert.equal(publicOnly.metadata.introspection_endpoint, undefined);
    assert.equal(publicOnly.metadata.introspection_endpoint_auth_methods_supported, undefined);
    assert.throws(() => createAuthorizationServer({ issuer: ISSUER, tokenEndpointAuthMethods: ["tls_client_auth" as any] }), /tokenEndpointAuthMethods/);
    assert.throws(() => createAuthorizationServer({ issuer: ISSUER, tokenEndpointAuthMethods: [] }), /tokenEndpointAuthMethods/);
  });

  it("revocation and introspection", async () => {
    const as = server();
    const t = await (await form(as, "/token", { grant_type: "client_credentials", scope: "mcp:read" }, { authorization: formatBasic("conf", "s3cret") })).json();
    const intro = async () => (await form(as, "/introspect", { token: t.access_token }, { authorization: formatBasic("conf", "s3cret") })).json();
    const active = await intro();
    assert.equal(active.active, true);
    assert.equal(active.client_id, "conf");
    assert.equal(active.iss, ISSUER);
    assert.equal((await form(as, "/revoke", { token: t.access_token }, { authorization: formatBasic("conf", "s3cret") })).status, 200);
    assert.deepEqual(await intro(), { active: false });
    assert.equal((await form(as, "/revoke", { token: "unknown" }, { authorization: formatBasic("conf", "s3cret") })).status, 200);
  });
});

describe("your own login page", () => {
  it("authenticate answers with a page; approve() later finishes with code, state and iss", async () => {
    let pending: AuthorizationParams | undefined;
    const as = createAuthorizationServer({
      issuer: ISSUER,
      local: {
        authenticate: (_req, _client, params) => {
          pending = params;
          return new Response("<form>log in</form>", { headers: { "content-type": "text/html" } });
        },
        clients: [{ client_id: "pub", redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" }],
      },
    });
    const page = await as.fetch(new Request(`${ISSUER}/authorize?response_type=code&client_id=pub&code_challenge=${"a".repeat(43)}&code_challenge_method=S256&state=s1`));
    assert.equal(await page.text(), "<form>log in</form>");
    const url = new URL(await (as.provider as LocalAuthorizationProvider).approve(pending!, { subject: "bob" }, ISSUER));
    assert.deepEqual([url.searchParams.get("state"), url.searchParams.get("iss")], ["s1", ISSUER]);
    assert.ok(url.searchParams.get("code"));
  });

  it("lets browser clients reach the token endpoint (CORS), not the authorize endpoint", async () => {
    const as = server();
    const pre = await as.fetch(new Request(`${ISSUER}/token`, { method: "OPTIONS" }));
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get("access-control-allow-origin"), "*");
    assert.equal((await form(as, "/token", { grant_type: "nope", client_id: "x" })).headers.get("access-control-allow-origin"), "*");
    assert.equal((await as.fetch(new Request(`${ISSUER}/authorize`))).headers.get("access-control-allow-origin"), null);
  });
});
