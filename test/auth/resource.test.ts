// The resource server: withBearerAuth in front of the MCP handler — challenges, audience,
// expiry, scopes per tool, protected-resource metadata, JWT via a real JWKS endpoint,
// introspection against our authorization server, and sessions bound to their principal.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { bearerChallenge } from "../../src/auth/util.js";
import { withBearerAuth } from "../../src/auth/resource/bearer.js";
import { tokenVerifier, type VerifiedToken } from "../../src/auth/resource/verifier.js";
import { jwtVerifier } from "../../src/auth/resource/jwt.js";
import { introspectionVerifier } from "../../src/auth/resource/introspection.js";
import { createAuthorizationServer } from "../../src/auth/server/router.js";
import { formatBasic } from "../../src/auth/http.js";
import { demoServer } from "./helpers.js";

const RESOURCE = "http://localhost/mcp";
const ISSUER = "https://as.example.com";
const MODERN_META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": {},
  "io.modelcontextprotocol/clientInfo": { name: "t", version: "1" },
};

function call(method: string, params: Record<string, unknown> = {}, token?: string, extra: Record<string, string> = {}): Request {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": "2026-07-28",
    "mcp-method": method,
    ...extra,
  };
  if (typeof params.name === "string") headers["mcp-name"] = params.name;
  if (token) headers.authorization = `Bearer ${token}`;
  return new Request(RESOURCE, { method: "POST", headers, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: { ...params, _meta: MODERN_META } }) });
}

const TOKENS: Record<string, VerifiedToken> = {
  reader: { token: "reader", subject: "alice", scopes: ["mcp:read"], audience: [RESOURCE] },
  writer: { token: "writer", subject: "alice", scopes: ["mcp:read", "mcp:write"], audience: [RESOURCE] },
  bob: { token: "bob", subject: "bob", scopes: ["mcp:read"], audience: [RESOURCE] },
  none: { token: "none", subject: "alice", scopes: [], audience: [RESOURCE] },
  elsewhere: { token: "elsewhere", subject: "alice", scopes: ["mcp:read"], audience: ["https://other.example.com/mcp"] },
  noaud: { token: "noaud", subject: "alice", scopes: ["mcp:read"] },
  expired: { token: "expired", subject: "alice", scopes: ["mcp:read"], audience: [RESOURCE], expiresAt: Math.floor(Date.now() / 1000) - 10 },
};

function wrapped(opts: Partial<Parameters<typeof withBearerAuth>[1]> = {}) {
  return withBearerAuth(demoServer().httpHandler(), {
    resource: RESOURCE,
    authorizationServers: [ISSUER],
    verifier: tokenVerifier((t) => TOKENS[t]),
    requiredScopes: ["mcp:read"],
    toolScopes: { write: ["mcp:write"] },
    ...opts,
  });
}

describe("withBearerAuth: challenges", () => {
  const h = wrapped();

  it("401 without a token, naming the metadata and the required scope", async () => {
    const res = await h.fetch(call("tools/list"));
    assert.equal(res.status, 401);
    const ch = bearerChallenge(res.headers.get("www-authenticate"));
    assert.deepEqual(ch, { scope: "mcp:read", resource_metadata: "http://localhost/.well-known/oauth-protected-resource/mcp" });
  });

  for (const [name, why] of [["garbage", "unknown"], ["expired", "expired"], ["elsewhere", "issued for another resource"], ["noaud", "without an audience"]] as const) {
    it(`401 invalid_token for a token ${why}`, async () => {
      const res = await h.fetch(call("tools/list", {}, name));
      assert.equal(res.status, 401);
      const ch = bearerChallenge(res.headers.get("www-authenticate"))!;
      assert.equal(ch.error, "invalid_token");
      assert.ok(ch.resource_metadata);
    });
  }

  it("refuses a token in the query string and a malformed header", async () => {
    const q = new Request(`${RESOURCE}?access_token=reader`, call("tools/list", {}, "reader"));
    assert.equal((await h.fetch(q)).status, 401);
    const bad = call("tools/list", {}, undefined, { authorization: "Basic abc" });
    assert.equal(bearerChallenge((await h.fetch(bad)).headers.get("www-authenticate"))?.error, "invalid_request");
  });

  it("403 insufficient_scope with every required scope", async () => {
    const res = await h.fetch(call("tools/list", {}, "none"));
    assert.equal(res.status, 403);
    const ch = bearerChallenge(res.headers.get("www-authenticate"))!;
    assert.equal(ch.error, "insufficient_scope");
    assert.equal(ch.scope, "mcp:read");
  });

  it("per-tool scopes: tools/call write needs mcp:write, and the challenge names all scopes", async () => {
    const res = await h.fetch(call("tools/call", { name: "write", arguments: {} }, "reader"));
    assert.equal(res.status, 403);
    const ch = bearerChallenge(res.headers.get("www-authenticate"))!;
    assert.equal(ch.error, "insufficient_scope");
    assert.equal(ch.scope, "mcp:read mcp:write");
    assert.equal((await h.fetch(call("tools/call", { name: "write", arguments: {} }, "writer"))).status, 200);
    assert.equal((await h.fetch(call("tools/call", { name: "whoami", arguments: {} }, "reader"))).status, 200);
  });

  it("a batch is checked for every tools/call in it", async () => {
    const body = JSON.stringify([
      { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "whoami" } },
      { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "write" } },
    ]);
    const req = new Request(RESOURCE, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: "Bearer reader" }, body });
    assert.equal((await h.fetch(req)).status, 403);
  });

  it("hands the verified identity to the handler (ctx.authInfo), never the raw request header", async () => {
    const res = await h.fetch(call("tools/call", { name: "whoami", arguments: {} }, "writer"));
    const body = await res.json();
    assert.deepEqual(JSON.parse(body.result.content[0].text), { subject: "alice", clientId: null, scopes: ["mcp:read", "mcp:write"] });
    const mcp = demoServer();
    let seen: string | null | undefined;
    mcp.tool("headers", { description: "h" }, (_a: unknown, ctx: any) => ((seen = ctx.headers?.get("authorization")), "ok"));
    const h2 = withBearerAuth(mcp.httpHandler(), { resource: RESOURCE, authorizationServers: [ISSUER], verifier: tokenVerifier((t) => TOKENS[t]) });
    assert.equal((await h2.fetch(call("tools/call", { name: "headers", arguments: {} }, "reader"))).status, 200);
    assert.equal(seen, null);
  });
});

describe("withBearerAuth: protected-resource metadata (RFC 9728)", () => {
  const h = wrapped({ metadata: { resource_name: "Demo" } });
  for (const path of ["/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"]) {
    it(`is served at ${path}`, async () => {
      const res = await h.fetch(new Request(`http://localhost${path}`));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("access-control-allow-origin"), "*");
      assert.deepEqual(await res.json(), {
        resource: RESOURCE,
        authorization_servers: [ISSUER],
        scopes_supported: ["mcp:read", "mcp:write"],
        bearer_methods_supported: ["header"],
        resource_name: "Demo",
        dpop_signing_alg_values_supported: ["ES256", "ES384", "ES512", "RS256", "PS256", "EdDSA"],
      });
    });
  }
  it("says which paths it serves (for serveHttp routing)", () => {
    assert.ok(h.servesPath("/.well-known/oauth-protected-resource/mcp"));
    assert.ok(!h.servesPath("/mcp"));
  });
});

describe("withBearerAuth: legacy sessions belong to their principal", () => {
  it("another user's token cannot use a session id", async () => {
    const h = wrapped();
    const init = new Request(RESOURCE, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: "Bearer reader" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } } }),
    });
    const res = await h.fetch(init);
    const sid = res.headers.get("mcp-session-id")!;
    await res.body?.cancel();
    assert.ok(sid);
    const list = (token: string) =>
      new Request(RESOURCE, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${token}`, "mcp-session-id": sid, "mcp-protocol-version": "2025-11-25" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
      });
    const mine = await h.fetch(list("writer")); // same subject, other token: fine
    assert.equal(mine.status, 200);
    await mine.body?.cancel();
    assert.equal((await h.fetch(list("bob"))).status, 404);
    h.close();
  });
});

describe("jwtVerifier: a real JWKS endpoint", () => {
  let jwksServer: Server;
  let jwksUri: string;
  let key: CryptoKey;
  let otherKey: CryptoKey;
  let fetches = 0;
  before(async () => {
    const pair = await generateKeyPair("ES256");
    key = pair.privateKey;
    otherKey = (await generateKeyPair("ES256")).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256", use: "sig" };
    jwksServer = createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((r) => jwksServer.listen(0, "127.0.0.1", r));
    jwksUri = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`;
  });
  after(() => jwksServer.close());

  const sign = (claims: Record<string, unknown>, k = key, exp: string | number = "5m") =>
    new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: "k1", typ: "at+jwt" }).setIssuer(ISSUER).setSubject("carol").setIssuedAt().setExpirationTime(exp).sign(k);

  it("accepts a token signed by a published key for this audience, and reads scopes and client", async () => {
    const h = wrapped({ verifier: jwtVerifier({ jwksUri, issuer: ISSUER, audience: RESOURCE }) });
    const token = await sign({ aud: RESOURCE, scope: "mcp:read mcp:write", client_id: "app-1" });
    const res = await h.fetch(call("tools/call", { name: "whoami", arguments: {} }, token));
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual(JSON.parse(body.result.content[0].text), { subject: "carol", clientId: "app-1", scopes: ["mcp:read", "mcp:write"] });
    assert.ok(fetches >= 1);
  });

  it("refuses another audience, another issuer, another key, and an expired token", async () => {
    const h = wrapped({ verifier: jwtVerifier({ jwksUri, issuer: ISSUER, audience: RESOURCE }) });
    const bad = [
      await sign({ aud: "https://other.example.com/mcp", scope: "mcp:read" }),
      await new SignJWT({ aud: RESOURCE, scope: "mcp:read" }).setProtectedHeader({ alg: "ES256", kid: "k1" }).setIssuer("https://evil.example.com").setExpirationTime("5m").sign(key),
      await sign({ aud: RESOURCE, scope: "mcp:read" }, otherKey),
      await sign({ aud: RESOURCE, scope: "mcp:read" }, key, Math.floor(Date.now() / 1000) - 3600),
    ];
    for (const t of bad) {
      const res = await h.fetch(call("tools/list", {}, t));
      assert.equal(res.status, 401);
      assert.equal(bearerChallenge(res.headers.get("www-authenticate"))?.error, "invalid_token");
    }
  });
});

describe("introspectionVerifier against our authorization server (RFC 7662)", () => {
  it("accepts active tokens for this resource and refuses revoked ones", async () => {
    const as = createAuthorizationServer({
      issuer: ISSUER,
      resources: [RESOURCE],
      local: {
        authenticate: () => undefined,
        clients: [
          { client_id: "rs", client_secret: "rs-secret", grant_types: [] },
          { client_id: "svc", client_secret: "svc-secret", grant_types: ["client_credentials"], scope: "mcp:read" },
        ],
      },
    });
    const asFetch = (async (i: any, init?: RequestInit) => as.fetch(new Request(i, init))) as typeof fetch;
    const tokenRes = await as.fetch(
      new Request(`${ISSUER}/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", authorization: formatBasic("svc", "svc-secret") }, body: "grant_type=client_credentials&scope=mcp%3Aread" }),
    );
    const { access_token } = await tokenRes.json();
    const h = wrapped({ verifier: introspectionVerifier({ endpoint: `${ISSUER}/introspect`, clientId: "rs", clientSecret: "rs-secret", fetch: asFetch }) });
    const ok = await h.fetch(call("tools/call", { name: "whoami", arguments: {} }, access_token));
    assert.equal(ok.status, 200);
    assert.equal(JSON.parse((await ok.json()).result.content[0].text).clientId, "svc");
    await as.fetch(new Request(`${ISSUER}/revoke`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", authorization: formatBasic("svc", "svc-secret") }, body: `token=${access_token}` }));
    assert.equal((await h.fetch(call("tools/list", {}, access_token))).status, 401);
  });
});
