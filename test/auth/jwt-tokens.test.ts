// JWT access tokens from our authorization server (RFC 9068): a resource server that shares
// nothing with it verifies them offline against its JWKS; DPoP binding travels in cnf.jkt.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { decodeProtectedHeader } from "jose";
import { DPoPSigner } from "../../src/auth/client/dpop.js";
import { jwtVerifier } from "../../src/auth/resource/jwt.js";
import { withBearerAuth } from "../../src/auth/resource/bearer.js";
import { JwtAccessTokens } from "../../src/auth/server/jwt-tokens.js";
import { LocalAuthorizationProvider } from "../../src/auth/server/local-provider.js";
import { createAuthorizationServer } from "../../src/auth/server/router.js";
import { formatBasic } from "../../src/auth/http.js";
import { decodeJwtPayload, pkceChallenge, randomToken } from "../../src/auth/util.js";
import { demoServer } from "./helpers.js";

const ISSUER = "https://as.example.com";
const RESOURCE = "https://mcp.example.com/mcp";
const REDIRECT = "http://127.0.0.1:9/cb";

function setup(opts: { dpop?: boolean } = {}) {
  const as = createAuthorizationServer({
    issuer: ISSUER,
    accessTokens: "jwt",
    resources: [RESOURCE],
    scopesSupported: ["mcp:read", "mcp:write"],
    ...(opts.dpop ? { dpop: true } : {}),
    local: {
      authenticate: () => ({ subject: "carol" }),
      clients: [
        { client_id: "app", redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" },
        { client_id: "svc", client_secret: "svc-secret", grant_types: ["client_credentials"] },
      ],
    },
  });
  const viaAs = (async (input: any, init?: RequestInit) => as.fetch(new Request(input, init))) as typeof fetch;
  // A resource server elsewhere: it knows only the issuer and its JWKS.
  const verifier = jwtVerifier({ jwksUri: `${ISSUER}/jwks`, issuer: ISSUER, audience: RESOURCE, typ: "at+jwt", fetch: viaAs });
  const rs = withBearerAuth(demoServer().httpHandler({ allowedHosts: ["mcp.example.com"] }), { resource: RESOURCE, authorizationServers: [ISSUER], verifier });
  return { as, verifier, rs };
}

async function codeFlow(as: ReturnType<typeof createAuthorizationServer>, dpop?: DPoPSigner) {
  const verifier = randomToken(48);
  const u = new URL(`${ISSUER}/authorize`);
  for (const [k, v] of Object.entries({ response_type: "code", client_id: "app", redirect_uri: REDIRECT, code_challenge: await pkceChallenge(verifier), code_challenge_method: "S256", state: "s", scope: "mcp:read", resource: RESOURCE })) u.searchParams.set(k, v);
  const code = new URL((await as.fetch(new Request(u))).headers.get("location")!).searchParams.get("code")!;
  const body = new URLSearchParams({ grant_type: "authorization_code", code, code_verifier: verifier, client_id: "app", redirect_uri: REDIRECT, resource: RESOURCE });
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", ...(dpop ? { dpop: await dpop.proof("POST", `${ISSUER}/token`) } : {}) };
  return (await as.fetch(new Request(`${ISSUER}/token`, { method: "POST", headers, body: body.toString() }))).json();
}

const listReq = (headers: Record<string, string>) =>
  new Request(RESOURCE, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/list", ...headers },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} } } }),
  });

describe("JWT access tokens (RFC 9068)", () => {
  it("are at+jwt ES256 tokens whose kid is in the JWKS the metadata names; a foreign resource server accepts them", async () => {
    const { as, verifier, rs } = setup();
    assert.equal(as.metadata.jwks_uri, `${ISSUER}/jwks`);
    const jwks = await (await as.fetch(new Request(`${ISSUER}/jwks`))).json();
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0].d, undefined, "no private part");
    const t = await codeFlow(as);
    const header = decodeProtectedHeader(t.access_token);
    assert.deepEqual(header, { alg: "ES256", typ: "at+jwt", kid: jwks.keys[0].kid });
    const claims = decodeJwtPayload(t.access_token)!;
    assert.deepEqual([claims.iss, claims.sub, claims.aud, claims.client_id, claims.scope], [ISSUER, "carol", RESOURCE, "app", "mcp:read"]);
    assert.equal(claims.exp, (claims.iat as number) + 3600);
    const info = await verifier.verify(t.access_token);
    assert.deepEqual([info?.subject, info?.clientId, info?.scopes, info?.audience], ["carol", "app", ["mcp:read"], [RESOURCE]]);
    // The co-hosted verifier and introspection still know it (stored by hash).
    assert.equal((await as.verifier.verify(t.access_token))?.subject, "carol");
    const ok = await rs.fetch(listReq({ authorization: `Bearer ${t.access_token}` }));
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
    // One changed claim: the signature no longer verifies.
    const [h, , s] = t.access_token.split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, scope: "mcp:read mcp:write" })).toString("base64url")}.${s}`;
    assert.equal(await verifier.verify(forged), undefined);
    assert.equal((await rs.fetch(listReq({ authorization: `Bearer ${forged}` }))).status, 401);
  });

  it("client credentials: sub is the client; DPoP-bound tokens carry cnf.jkt and need the proof at the foreign resource server", async () => {
    const { as, rs } = setup({ dpop: true });
    const cc = await (
      await as.fetch(new Request(`${ISSUER}/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", authorization: formatBasic("svc", "svc-secret") }, body: `grant_type=client_credentials&resource=${encodeURIComponent(RESOURCE)}` }))
    ).json();
    assert.equal(decodeJwtPayload(cc.access_token)!.sub, "svc");
    const keys = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"])) as CryptoKeyPair;
    const signer = new DPoPSigner(keys);
    const t = await codeFlow(as, signer);
    assert.equal(t.token_type, "DPoP");
    assert.equal(typeof (decodeJwtPayload(t.access_token)!.cnf as any)?.jkt, "string");
    assert.equal((await rs.fetch(listReq({ authorization: `Bearer ${t.access_token}` }))).status, 401, "a bound JWT is no bearer token");
    const ok = await rs.fetch(listReq({ authorization: `DPoP ${t.access_token}`, dpop: await signer.proof("POST", RESOURCE, t.access_token) }));
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
  });

  it('"jwt" needs the default provider; a JwtAccessTokens instance serves your own provider and the JWKS alike', async () => {
    const local = new LocalAuthorizationProvider({ authenticate: () => undefined });
    assert.throws(() => createAuthorizationServer({ issuer: ISSUER, provider: local, accessTokens: "jwt" }), /JwtAccessTokens/);
    const tokens = new JwtAccessTokens({ issuer: ISSUER });
    const mine = new LocalAuthorizationProvider({ authenticate: () => undefined, accessTokens: tokens, clients: [{ client_id: "svc", client_secret: "pw", grant_types: ["client_credentials"] }] });
    const as = createAuthorizationServer({ issuer: ISSUER, provider: mine, accessTokens: tokens });
    const jwks = await (await as.fetch(new Request(`${ISSUER}/jwks`))).json();
    const t = await (await as.fetch(new Request(`${ISSUER}/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", authorization: formatBasic("svc", "pw") }, body: "grant_type=client_credentials" }))).json();
    assert.equal(decodeProtectedHeader(t.access_token).kid, jwks.keys[0].kid);
    // Opaque by default: no JWKS.
    const plain = createAuthorizationServer({ issuer: ISSUER, local: { authenticate: () => undefined } });
    assert.equal(plain.metadata.jwks_uri, undefined);
    assert.equal((await plain.fetch(new Request(`${ISSUER}/jwks`))).status, 404);
  });
});
