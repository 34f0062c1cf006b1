// DPoP on the server side (RFC 9449): our authorization server binds tokens to the key a
// token request proves, and withBearerAuth accepts a bound token only with a valid proof of
// that key for this very request. Our own client does DPoP by itself against it.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from "jose";
import { DPoPSigner } from "../../src/auth/client/dpop.js";
import { InMemoryTokenStorage } from "../../src/auth/client/storage.js";
import { DPoPProofChecker } from "../../src/auth/dpop.js";
import { introspectionVerifier } from "../../src/auth/resource/introspection.js";
import { withBearerAuth } from "../../src/auth/resource/bearer.js";
import { createAuthorizationServer } from "../../src/auth/server/router.js";
import { parseWwwAuthenticate, pkceChallenge, randomToken, sha256 } from "../../src/auth/util.js";
import { connect, demoServer, startStack, textOf } from "./helpers.js";

const ecKeys = () => crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]) as Promise<CryptoKeyPair>;
const thumbprintOf = async (pair: CryptoKeyPair) => {
  const { kty, crv, x, y } = await crypto.subtle.exportKey("jwk", pair.publicKey);
  return calculateJwkThumbprint({ kty, crv, x, y } as any, "sha256");
};
const MODERN = { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/list" };
const listBody = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} } } });

/** A stack, a client connected with a known key, and its bound token. */
async function bound() {
  const stack = await startStack({ dpop: true });
  const keys = await ecKeys();
  const storage = new InMemoryTokenStorage();
  const { client } = await connect(stack.url, { dpop: keys, storage }, "modern");
  const tokens = (await storage.getTokens())!;
  return { stack, keys, client, storage, token: tokens.access_token, tokens };
}

const post = (url: string, headers: Record<string, string>) => fetch(url, { method: "POST", headers: { ...MODERN, ...headers }, body: listBody });

describe("DPoP: tokens from our authorization server are bound to the client's key", () => {
  it("the client binds its token by itself; introspection and the verifier show cnf.jkt", async () => {
    const { stack, keys, client, tokens, token } = await bound();
    try {
      assert.equal(tokens.token_type, "DPoP");
      assert.equal(textOf(await client.callTool("whoami")).includes("alice"), true);
      assert.deepEqual(stack.as.metadata.dpop_signing_alg_values_supported, ["ES256", "ES384", "ES512", "RS256", "PS256", "EdDSA"]);
      const info = await stack.as.verifier.verify(token);
      assert.equal(info?.confirmation?.jkt, await thumbprintOf(keys));
    } finally {
      await client.close();
      await stack.close();
    }
  });

  it("a bound token is refused as a bearer token, without a proof, with another key's proof, or with a replayed proof", async () => {
    const { stack, keys, client, token } = await bound();
    try {
      const signer = new DPoPSigner(keys);
      const good = await signer.proof("POST", stack.url, token);
      const ok = await post(stack.url, { authorization: `DPoP ${token}`, dpop: good });
      assert.equal(ok.status, 200);
      await ok.body?.cancel();

      const cases: [string, Record<string, string>, RegExp][] = [
        ["as Bearer", { authorization: `Bearer ${token}` }, /bound to a DPoP key/],
        ["no proof", { authorization: `DPoP ${token}` }, /A DPoP proof is required/],
        ["replayed proof", { authorization: `DPoP ${token}`, dpop: good }, /already used/],
        ["another key", { authorization: `DPoP ${token}`, dpop: await new DPoPSigner(await ecKeys()).proof("POST", stack.url, token) }, /bound to a DPoP key/],
        ["wrong method", { authorization: `DPoP ${token}`, dpop: await signer.proof("GET", stack.url, token) }, /htm/],
        ["wrong URL", { authorization: `DPoP ${token}`, dpop: await signer.proof("POST", stack.url.replace("/mcp", "/other"), token) }, /htu/],
        ["no ath", { authorization: `DPoP ${token}`, dpop: await signer.proof("POST", stack.url) }, /ath/],
        ["another token's ath", { authorization: `DPoP ${token}`, dpop: await signer.proof("POST", stack.url, "x".repeat(43)) }, /ath/],
      ];
      for (const [name, headers, why] of cases) {
        const res = await post(stack.url, headers);
        assert.equal(res.status, 401, name);
        const body = await res.json();
        assert.match(body.error_description, why, name);
        const challenges = parseWwwAuthenticate(res.headers.get("www-authenticate"));
        assert.ok(challenges.find((c) => c.scheme === "Bearer")?.params.resource_metadata, `${name}: the Bearer challenge still names the metadata`);
        if (name !== "as Bearer") assert.equal(challenges.find((c) => c.scheme === "DPoP")?.params.algs, "ES256 ES384 ES512 RS256 PS256 EdDSA", name);
        assert.ok(!JSON.stringify(body).includes(token) && !res.headers.get("www-authenticate")!.includes(token), `${name}: the token is not echoed`);
      }
    } finally {
      await client.close();
      await stack.close();
    }
  });

  it("htu is checked against the resource's own origin, never the Host the request named; 403s carry the DPoP challenge and our client steps up", async () => {
    const { stack, keys, client, token } = await bound();
    try {
      const port = new URL(stack.url).port;
      const signer = new DPoPSigner(keys);
      // Same server, reached under another name: the proof names that name, which is not this resource.
      const viaLocalhost = await stack.running.handler.fetch(
        new Request(`http://localhost:${port}/mcp`, { method: "POST", headers: { ...MODERN, authorization: `DPoP ${token}`, dpop: await signer.proof("POST", `http://localhost:${port}/mcp`, token) }, body: listBody }),
      );
      assert.equal(viaLocalhost.status, 401);
      assert.match((await viaLocalhost.json()).error_description, /htu/);
      // A tool needing a scope the token lacks: 403, the error on the DPoP challenge, the metadata on the Bearer one.
      const call = JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "write", arguments: {}, _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} } } });
      const res = await fetch(stack.url, { method: "POST", headers: { ...MODERN, "mcp-method": "tools/call", "mcp-name": "write", authorization: `DPoP ${token}`, dpop: await signer.proof("POST", stack.url, token) }, body: call });
      assert.equal(res.status, 403);
      await res.body?.cancel();
      const ch = parseWwwAuthenticate(res.headers.get("www-authenticate"));
      assert.deepEqual(ch.map((c) => c.scheme), ["Bearer", "DPoP"]);
      assert.equal(ch[1].params.error, "insufficient_scope");
      assert.equal(ch[0].params.error, undefined);
      assert.ok(ch[0].params.resource_metadata);
      // Our client reads both and re-authorizes with the union of scopes.
      assert.equal(textOf(await client.callTool("write")), "written");
    } finally {
      await client.close();
      await stack.close();
    }
  });

  it("a co-hosted authorization server that binds tokens cannot sit behind a resource with DPoP off", async () => {
    const as = createAuthorizationServer({ issuer: "http://127.0.0.1:1", dpop: true, local: { authenticate: () => undefined } });
    assert.throws(() => withBearerAuth(demoServer().httpHandler(), { resource: "http://127.0.0.1:1/mcp", authorizationServer: as, dpop: false }), /dpop cannot be false/);
    assert.equal(createAuthorizationServer({ issuer: "http://127.0.0.1:1", local: { authenticate: () => undefined } }).metadata.dpop_signing_alg_values_supported, undefined, "off by default");
  });

  it("malformed proofs are refused: symmetric alg, a private key in jwk, stale iat, wrong typ", async () => {
    const { stack, client, token } = await bound();
    try {
      const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
      const jwk = await exportJWK(publicKey);
      const privateJwk = await exportJWK(privateKey);
      const claims = async (extra: Record<string, unknown> = {}) => ({ jti: randomToken(8), htm: "POST", htu: stack.url, iat: Math.floor(Date.now() / 1000), ath: await sha256(token), ...extra });
      const sign = async (header: Record<string, unknown>, extra?: Record<string, unknown>, key: any = privateKey) => new SignJWT(await claims(extra)).setProtectedHeader(header as any).sign(key);
      const hmac = new TextEncoder().encode("0123456789abcdef0123456789abcdef");
      const cases: [string, string, RegExp][] = [
        ["HS256", await sign({ alg: "HS256", typ: "dpop+jwt", jwk: { kty: "oct", k: "AAAA" } }, {}, hmac), /alg must be/],
        ["private key", await sign({ alg: "ES256", typ: "dpop+jwt", jwk: privateJwk }), /public key/],
        ["stale", await sign({ alg: "ES256", typ: "dpop+jwt", jwk }, { iat: Math.floor(Date.now() / 1000) - 3600 }), /iat/],
        ["typ", await sign({ alg: "ES256", typ: "JWT", jwk }), /typ/],
        ["not a JWT", "a.b", /compact JWT/],
      ];
      for (const [name, proof, why] of cases) {
        const res = await post(stack.url, { authorization: `DPoP ${token}`, dpop: proof });
        assert.equal(res.status, 401, name);
        assert.match((await res.json()).error_description, why, name);
      }
    } finally {
      await client.close();
      await stack.close();
    }
  });

  it("nonces at the resource and the token endpoint: use_dpop_nonce with DPoP-Nonce, and our client follows", async () => {
    const stack = await startStack({ dpop: { nonces: true }, local: { authenticate: () => ({ subject: "alice" }), clients: [{ client_id: "pub", redirect_uris: ["http://127.0.0.1:9/cb"], token_endpoint_auth_method: "none" }] } }, { dpop: { nonces: true } });
    try {
      const keys = await ecKeys();
      const storage = new InMemoryTokenStorage();
      const { client } = await connect(stack.url, { dpop: keys, storage }, "modern");
      assert.match(textOf(await client.callTool("whoami")), /alice/);
      await client.close();
      // What the client met on its way. The token endpoint: 400 use_dpop_nonce with a nonce.
      const signer = new DPoPSigner(keys);
      const tokenUrl = stack.as.metadata.token_endpoint!;
      const res = await fetch(tokenUrl, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", dpop: await signer.proof("POST", tokenUrl) }, body: "grant_type=authorization_code&code=x&client_id=pub" });
      assert.equal(res.status, 400);
      assert.equal((await res.json()).error, "use_dpop_nonce");
      assert.match(res.headers.get("dpop-nonce") ?? "", /^[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
      // The resource: 401 with a DPoP challenge naming the error, and a nonce; with it, 200.
      const token = (await storage.getTokens())!.access_token;
      const first = await post(stack.url, { authorization: `DPoP ${token}`, dpop: await signer.proof("POST", stack.url, token) });
      assert.equal(first.status, 401);
      await first.body?.cancel();
      const dpopChallenge = parseWwwAuthenticate(first.headers.get("www-authenticate")).find((c) => c.scheme === "DPoP");
      assert.equal(dpopChallenge?.params.error, "use_dpop_nonce");
      assert.ok(signer.takeNonce(stack.url, first));
      const second = await post(stack.url, { authorization: `DPoP ${token}`, dpop: await signer.proof("POST", stack.url, token) });
      assert.equal(second.status, 200);
      await second.body?.cancel();
      // A made-up nonce is no better than none.
      const forged = new DPoPSigner(keys);
      forged.takeNonce(stack.url, new Response(null, { headers: { "dpop-nonce": `${Math.floor(Date.now() / 60_000).toString(36)}.AAAAAAAAAAAAAAAAAAAAAA` } }));
      const third = await post(stack.url, { authorization: `DPoP ${token}`, dpop: await forged.proof("POST", stack.url, token) });
      assert.equal(third.status, 401);
      assert.equal((await third.json()).error, "use_dpop_nonce");
    } finally {
      await stack.close();
    }
  });

  it("required: an unbound (bearer) token is refused, and the metadata says so", async () => {
    const stack = await startStack({}, { dpop: { required: true } });
    try {
      const storage = new InMemoryTokenStorage();
      const err = await connect(stack.url, { storage }, "modern").catch((e) => e);
      assert.ok(err instanceof Error, "a bearer-only authorization server cannot serve this resource");
      assert.equal((await storage.getTokens())?.token_type, "Bearer");
      const res = await post(stack.url, { authorization: `Bearer ${(await storage.getTokens())!.access_token}` });
      assert.equal(res.status, 401);
      assert.match((await res.json()).error_description, /only DPoP-bound tokens/);
      const prm = await (await fetch(new URL("/.well-known/oauth-protected-resource/mcp", stack.url))).json();
      assert.equal(prm.dpop_bound_access_tokens_required, true);
    } finally {
      await stack.close();
    }
  });

  it("a public client's refresh token stays bound: refused with another key or none, accepted with its own", async () => {
    const issuer = "https://as.example.com";
    const redirect = "http://127.0.0.1:9/cb";
    const as = createAuthorizationServer({ issuer, dpop: true, local: { authenticate: () => ({ subject: "bob" }), clients: [{ client_id: "pub", redirect_uris: [redirect], token_endpoint_auth_method: "none" }] } });
    const tokenUrl = `${issuer}/token`;
    const verifier = randomToken(48);
    const u = new URL(`${issuer}/authorize`);
    for (const [k, v] of Object.entries({ response_type: "code", client_id: "pub", redirect_uri: redirect, code_challenge: await pkceChallenge(verifier), code_challenge_method: "S256", state: "s" })) u.searchParams.set(k, v);
    const code = new URL((await as.fetch(new Request(u))).headers.get("location")!).searchParams.get("code")!;
    const keys = await ecKeys();
    const signer = new DPoPSigner(keys);
    const token = async (form: Record<string, string>, dpop?: string) =>
      as.fetch(new Request(tokenUrl, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...(dpop ? { dpop } : {}) }, body: new URLSearchParams({ client_id: "pub", ...form }).toString() }));
    const first = await (await token({ grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: redirect }, await signer.proof("POST", tokenUrl))).json();
    assert.equal(first.token_type, "DPoP");
    const refresh = { grant_type: "refresh_token", refresh_token: first.refresh_token };
    const other = await token(refresh, await new DPoPSigner(await ecKeys()).proof("POST", tokenUrl));
    assert.equal(other.status, 400);
    assert.deepEqual(await other.json(), { error: "invalid_grant", error_description: "The refresh token is bound to another DPoP key" });
    assert.equal((await token(refresh)).status, 400, "no proof");
    const wrongUrl = await token(refresh, await signer.proof("POST", `${issuer}/elsewhere`));
    assert.equal((await wrongUrl.json()).error, "invalid_dpop_proof");
    const again = await token(refresh, await signer.proof("POST", tokenUrl));
    assert.equal(again.status, 200);
    const second = await again.json();
    assert.equal(second.token_type, "DPoP");
    assert.equal((await as.verifier.verify(second.access_token))?.confirmation?.jkt, await thumbprintOf(keys));
  });

  it("a resource server with an introspection verifier enforces the binding the introspection reports", async () => {
    const { stack, keys, client, token } = await bound();
    try {
      await stack.as.provider.registerClient!({ client_id: "rs", client_secret: "rs-secret", grant_types: ["client_credentials"], redirect_uris: [] });
      const rs = withBearerAuth(demoServer().httpHandler(), {
        resource: stack.url,
        authorizationServers: [stack.as.issuer],
        verifier: introspectionVerifier({ endpoint: stack.as.metadata.introspection_endpoint!, clientId: "rs", clientSecret: "rs-secret" }),
      });
      const call = (headers: Record<string, string>) => rs.fetch(new Request(stack.url, { method: "POST", headers: { ...MODERN, host: new URL(stack.url).host, ...headers }, body: listBody }));
      const asBearer = await call({ authorization: `Bearer ${token}` });
      assert.equal(asBearer.status, 401);
      const proved = await call({ authorization: `DPoP ${token}`, dpop: await new DPoPSigner(keys).proof("POST", stack.url, token) });
      assert.equal(proved.status, 200);
      await proved.body?.cancel();
    } finally {
      await client.close();
      await stack.close();
    }
  });
});

describe("DPoPProofChecker", () => {
  for (const alg of ["ES256", "ES384", "ES512", "RS256", "PS256", "EdDSA"]) {
    it(`verifies ${alg} proofs with WebCrypto; the thumbprint is RFC 7638's`, async () => {
      const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(alg === "EdDSA" ? { crv: "Ed25519" } : {}) });
      const jwk = await exportJWK(publicKey);
      const url = "https://mcp.example.com/mcp";
      const proof = await new SignJWT({ jti: randomToken(8), htm: "POST", htu: url, iat: Math.floor(Date.now() / 1000) }).setProtectedHeader({ alg, typ: "dpop+jwt", jwk }).sign(privateKey);
      const checker = new DPoPProofChecker();
      assert.equal((await checker.check(proof, { method: "POST", url, status: 401 })).jkt, await calculateJwkThumbprint(jwk, "sha256"));
      // One flipped signature byte, or another key named in the header, fails.
      const other = await exportJWK((await generateKeyPair(alg, { extractable: true, ...(alg === "EdDSA" ? { crv: "Ed25519" } : {}) })).publicKey);
      const [h, p, sig] = proof.split(".");
      const flipped = `${h}.${p}.${sig.slice(0, 10)}${sig[10] === "A" ? "B" : "A"}${sig.slice(11)}`;
      const swapped = `${Buffer.from(JSON.stringify({ alg, typ: "dpop+jwt", jwk: other })).toString("base64url")}.${p}.${sig}`;
      for (const bad of [flipped, swapped]) await assert.rejects(checker.check(bad, { method: "POST", url, status: 401 }), /signature does not verify/);
    });
  }

  it("records a proof only on commit, never forgets a live one, and refuses new proofs while the cache is full", async () => {
    assert.throws(() => new DPoPProofChecker({ algs: ["HS256"] }), /asymmetric/);
    const checker = new DPoPProofChecker({ replayCacheSize: 2 });
    const signer = new DPoPSigner(await ecKeys());
    const url = "https://mcp.example.com/mcp";
    const req = { method: "POST", url, status: 401 };
    const [a, b, c] = [await signer.proof("POST", url), await signer.proof("POST", url), await signer.proof("POST", url)];
    await checker.check(a, req); // checked, not committed (e.g. the token was refused): not remembered
    (await checker.check(a, req)).commit();
    await assert.rejects(checker.check(a, req), /already used/);
    const second = await checker.check(b, req);
    second.commit();
    assert.throws(() => second.commit(), /already used/, "a proof commits once");
    // Full of live ids: a third proof is refused rather than an old one forgotten.
    await assert.rejects((async () => (await checker.check(c, req)).commit())(), /Too many recent DPoP proofs/);
    await assert.rejects(checker.check(a, req), /already used/, "the first is still remembered");
    // A proof for another origin, whatever the request's Host header said.
    await assert.rejects(checker.check(await signer.proof("POST", "https://evil.example/mcp"), req), /htu/);
  });
});
