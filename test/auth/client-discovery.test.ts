// Client discovery and registration choices, with a scripted fetch: PRM from the header,
// then path-aware, then root; AS metadata at every location in the required order, issuer
// checked; the 2025-03-26 fallbacks; CIMD before DCR; credentials kept per issuer; client
// credentials with a secret and with private_key_jwt against our authorization server.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { exportJWK, generateKeyPair, exportPKCS8 } from "jose";
import { authorizationServerMetadataUrls, discover } from "../../src/auth/client/discovery.js";
import { OAuthClientProvider } from "../../src/auth/client/provider.js";
import { InMemoryTokenStorage } from "../../src/auth/client/storage.js";
import { createAuthorizationServer } from "../../src/auth/server/router.js";
import { parseWwwAuthenticate } from "../../src/auth/util.js";

type Routes = Record<string, unknown>;
function scripted(routes: Routes) {
  const seen: string[] = [];
  const f = (async (input: any) => {
    const url = String(input instanceof Request ? input.url : input);
    seen.push(url);
    const body = routes[url];
    return body === undefined ? new Response("nope", { status: 404 }) : new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
  }) as typeof fetch;
  return { f, seen };
}

const MCP = "https://mcp.example.com/api/mcp";
const AS = "https://auth.example.com/tenant1";
const asMeta = { issuer: AS, authorization_endpoint: `${AS}/authorize`, token_endpoint: `${AS}/token`, code_challenge_methods_supported: ["S256"] };

describe("discovery order", () => {
  it("AS metadata URLs for issuers with and without a path", () => {
    assert.deepEqual(authorizationServerMetadataUrls(AS), [
      "https://auth.example.com/.well-known/oauth-authorization-server/tenant1",
      "https://auth.example.com/.well-known/openid-configuration/tenant1",
      "https://auth.example.com/tenant1/.well-known/openid-configuration",
    ]);
    assert.deepEqual(authorizationServerMetadataUrls("https://auth.example.com"), [
      "https://auth.example.com/.well-known/oauth-authorization-server",
      "https://auth.example.com/.well-known/openid-configuration",
    ]);
  });

  it("PRM: header URL, then path-aware, then root; AS metadata tried in order until one answers", async () => {
    const { f, seen } = scripted({
      "https://mcp.example.com/.well-known/oauth-protected-resource": { resource: MCP, authorization_servers: [AS] },
      "https://auth.example.com/tenant1/.well-known/openid-configuration": asMeta,
    });
    const d = await discover(MCP, f, "https://mcp.example.com/custom/prm");
    assert.equal(d.issuer, AS);
    assert.deepEqual(seen, [
      "https://mcp.example.com/custom/prm",
      "https://mcp.example.com/.well-known/oauth-protected-resource/api/mcp",
      "https://mcp.example.com/.well-known/oauth-protected-resource",
      ...authorizationServerMetadataUrls(AS),
    ]);
  });

  it("refuses AS metadata whose issuer differs from the URL it was fetched for", async () => {
    const { f } = scripted({
      "https://mcp.example.com/.well-known/oauth-protected-resource/api/mcp": { resource: MCP, authorization_servers: [AS] },
      "https://auth.example.com/.well-known/oauth-authorization-server/tenant1": { ...asMeta, issuer: "https://auth.example.com" },
    });
    await assert.rejects(discover(MCP, f), /issuer/);
  });

  it("accepts PRM for a parent resource, refuses another origin", async () => {
    const ok = scripted({ "https://mcp.example.com/.well-known/oauth-protected-resource/api/mcp": { resource: "https://mcp.example.com/api", authorization_servers: [AS] }, "https://auth.example.com/.well-known/oauth-authorization-server/tenant1": asMeta });
    assert.equal((await discover(MCP, ok.f)).resource, "https://mcp.example.com/api");
    const bad = scripted({ "https://mcp.example.com/.well-known/oauth-protected-resource/api/mcp": { resource: "https://mcp.example.org/api/mcp", authorization_servers: [AS] } });
    await assert.rejects(discover(MCP, bad.f), /refusing/);
  });

  it("2025-03-26 fallbacks: AS metadata at the server's origin, else default endpoints", async () => {
    const meta = { issuer: "https://mcp.example.com", authorization_endpoint: "https://mcp.example.com/oauth/authorize", token_endpoint: "https://mcp.example.com/oauth/token", code_challenge_methods_supported: ["S256"] };
    const a = await discover(MCP, scripted({ "https://mcp.example.com/.well-known/oauth-authorization-server": meta }).f);
    assert.equal(a.metadata.token_endpoint, "https://mcp.example.com/oauth/token");
    const b = await discover(MCP, scripted({}).f);
    assert.equal(b.fallbackEndpoints, true);
    assert.equal(b.metadata.authorization_endpoint, "https://mcp.example.com/authorize");
    assert.equal(b.resource, MCP);
  });

  it("2025-03-26 fallback: an issuer with a path at the server's origin is taken, another origin refused", async () => {
    const root = "https://mcp.example.com/.well-known/oauth-authorization-server";
    const meta = { issuer: "https://mcp.example.com/oauth", authorization_endpoint: "https://mcp.example.com/oauth/authorize", token_endpoint: "https://mcp.example.com/oauth/token", code_challenge_methods_supported: ["S256"] };
    const a = await discover(MCP, scripted({ [root]: meta }).f);
    assert.equal(a.issuer, "https://mcp.example.com/oauth");
    assert.equal(a.resourceMetadata, undefined);
    await assert.rejects(discover(MCP, scripted({ [root]: { ...meta, issuer: "https://attacker.example.com" } }).f), /issuer/);
    await assert.rejects(discover(MCP, scripted({ [root]: { ...meta, issuer: "https://mcp.example.com/oauth?x=1" } }).f), /issuer/);
    await assert.rejects(discover(MCP, scripted({ [root]: { ...meta, issuer: 42 } }).f), /issuer/);
  });
});

describe("WWW-Authenticate parsing", () => {
  it("reads several challenges, quoted values and escapes", () => {
    const ch = parseWwwAuthenticate('Basic realm="x", Bearer error="insufficient_scope", scope="a b", resource_metadata="https://m/.well-known/oauth-protected-resource", error_description="say \\"hi\\""');
    assert.equal(ch.length, 2);
    assert.deepEqual(ch[1], { scheme: "Bearer", params: { error: "insufficient_scope", scope: "a b", resource_metadata: "https://m/.well-known/oauth-protected-resource", error_description: 'say "hi"' } });
    assert.deepEqual(parseWwwAuthenticate("Bearer"), [{ scheme: "Bearer", params: {} }]);
    assert.deepEqual(parseWwwAuthenticate("Negotiate abc==, Bearer realm=api").map((c) => c.scheme), ["Negotiate", "Bearer"]);
  });
});

/** Our AS in process, plus a PRM, served to the client through its fetch. */
function stack(asOpts: Partial<Parameters<typeof createAuthorizationServer>[0]> = {}) {
  const issuer = "https://auth.example.com";
  const as = createAuthorizationServer({ issuer, scopesSupported: ["mcp:read"], resources: [MCP], local: { authenticate: () => ({ subject: "alice" }) }, ...asOpts });
  const log: string[] = [];
  const f = (async (input: any, init?: RequestInit) => {
    const req = new Request(input, init);
    log.push(`${req.method} ${req.url.split("?")[0]}`);
    if (req.url === "https://mcp.example.com/.well-known/oauth-protected-resource/api/mcp") return Response.json({ resource: MCP, authorization_servers: [issuer], scopes_supported: ["mcp:read"] });
    return as.fetch(req);
  }) as typeof fetch;
  const challenge = () => new Response(null, { status: 401, headers: { "www-authenticate": 'Bearer scope="mcp:read"' } });
  return { as, f, log, challenge };
}

describe("registration and grants", () => {
  it("uses a Client ID Metadata Document URL when the server supports it, instead of DCR", async () => {
    const doc = { client_id: "https://app.example.com/client.json", client_name: "App", redirect_uris: ["http://127.0.0.1:5000/cb"] };
    const { f, log, challenge, as } = stack({ clientIdMetadataDocuments: { lookup: async () => ["93.184.216.34"], fetch: (async () => Response.json(doc)) as any } });
    const p = new OAuthClientProvider({ serverUrl: MCP, clientMetadataUrl: doc.client_id, clientMetadata: { redirect_uris: doc.redirect_uris }, headless: true, fetch: f });
    assert.equal(await p.onUnauthorized(challenge(), new URL(MCP)), true);
    assert.ok(!log.some((l) => l.includes("/register")));
    const t = await p.headers();
    assert.equal((await as.verifier.verify(t.authorization.replace(/^\S+ /, "")))?.clientId, doc.client_id);
  });

  it("keeps DCR credentials per issuer and registers anew at another authorization server", async () => {
    const storage = new InMemoryTokenStorage();
    const one = stack();
    const p = new OAuthClientProvider({ serverUrl: MCP, clientMetadata: { redirect_uris: ["http://127.0.0.1:5000/cb"] }, headless: true, fetch: one.f, storage });
    await p.onUnauthorized(one.challenge(), new URL(MCP));
    await p.onUnauthorized(one.challenge(), new URL(MCP));
    assert.equal(one.log.filter((l) => l.includes("/register")).length, 1);
    const first = await storage.getClientInfo("https://auth.example.com");
    assert.ok(first?.client_id);
    assert.equal(await storage.getClientInfo("https://other.example.com"), undefined);
  });

  it("pre-registered client credentials: client_secret_basic", async () => {
    const { f, as, challenge } = stack({ local: { authenticate: () => undefined, clients: [{ client_id: "svc", client_secret: "pw", grant_types: ["client_credentials"] }] } });
    const p = new OAuthClientProvider({ serverUrl: MCP, grant: "client_credentials", clientInformation: { client_id: "svc", client_secret: "pw" }, fetch: f });
    assert.equal(await p.onUnauthorized(challenge(), new URL(MCP)), true);
    const info = await as.verifier.verify((await p.headers()).authorization.replace(/^\S+ /, ""));
    assert.deepEqual([info?.clientId, info?.scopes, info?.audience], ["svc", ["mcp:read"], [MCP]]);
  });

  it("client credentials with private_key_jwt (RFC 7523)", async () => {
    const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1" };
    const { f, as, challenge } = stack({ local: { authenticate: () => undefined, clients: [{ client_id: "bot", token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [jwk] }, grant_types: ["client_credentials"] }] } });
    const p = new OAuthClientProvider({ serverUrl: MCP, grant: "client_credentials", clientInformation: { client_id: "bot", token_endpoint_auth_method: "private_key_jwt" }, clientKey: { privateKey: await exportPKCS8(privateKey), algorithm: "ES256", kid: "k1" }, fetch: f });
    assert.equal(await p.onUnauthorized(challenge(), new URL(MCP)), true);
    assert.equal((await as.verifier.verify((await p.headers()).authorization.replace(/^\S+ /, "")))?.clientId, "bot");
    // A key the server does not know is refused.
    const other = await generateKeyPair("ES256", { extractable: true });
    const q = new OAuthClientProvider({ serverUrl: MCP, grant: "client_credentials", clientInformation: { client_id: "bot", token_endpoint_auth_method: "private_key_jwt" }, clientKey: { privateKey: await exportPKCS8(other.privateKey) }, fetch: f });
    await assert.rejects(q.onUnauthorized(challenge(), new URL(MCP)), /invalid_client|assertion/);
  });
});
