// Client ID Metadata Documents: the authorization server fetches a client's document on the
// client's say-so, so the fetch is fenced. Nothing here connects anywhere: private addresses
// are refused before any connection, and the accepted documents come from an injected fetch.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { checkClientIdUrl, fetchClientMetadataDocument, type ClientMetadataFetchOptions } from "../../src/auth/server/cimd.js";
import { createAuthorizationServer } from "../../src/auth/server/router.js";
import { isPublicAddress } from "../../src/auth/ip.js";
import { pkceChallenge, randomToken } from "../../src/auth/util.js";

const ID = "https://client.example.com/oauth/metadata.json";
const DOC = { client_id: ID, client_name: "Example", redirect_uris: ["http://127.0.0.1:4000/cb"], token_endpoint_auth_method: "none" };

function served(body: unknown, init: ResponseInit = {}): { opts: ClientMetadataFetchOptions; calls: string[] } {
  const calls: string[] = [];
  const f = (async (url: string) => {
    calls.push(String(url));
    return new Response(typeof body === "string" || body instanceof ReadableStream ? body : JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" }, ...init });
  }) as unknown as typeof fetch;
  return { opts: { fetch: f, lookup: async () => ["93.184.216.34"] }, calls };
}

const refused = (p: Promise<unknown>, re: RegExp) => assert.rejects(p, (e: any) => e.error === "invalid_client" && re.test(e.message));

describe("client_id URL rules", () => {
  for (const [id, why] of [
    ["http://client.example.com/meta.json", /https/],
    ["https://client.example.com/", /path/],
    ["https://client.example.com/meta.json#frag", /fragment/],
    ["https://user:pw@client.example.com/meta.json", /credentials/],
    ["https://client.example.com/a/../meta.json", /\./],
  ] as const) {
    it(`refuses ${id}`, () => assert.throws(() => checkClientIdUrl(id), (e: any) => why.test(e.message)));
  }
});

describe("fetching a metadata document", () => {
  it("accepts a valid document", async () => {
    const { opts, calls } = served(DOC);
    const c = await fetchClientMetadataDocument(ID, opts);
    assert.equal(c.client_id, ID);
    assert.deepEqual(calls, [ID]);
  });

  it("refuses an http client_id without fetching", async () => {
    const { opts, calls } = served(DOC);
    await refused(fetchClientMetadataDocument("http://client.example.com/meta.json", opts), /https/);
    assert.equal(calls.length, 0);
  });

  for (const [name, addrs] of [
    ["loopback", ["127.0.0.1"]],
    ["private 10/8", ["10.1.2.3"]],
    ["private 192.168/16", ["192.168.0.10"]],
    ["link-local (cloud metadata)", ["169.254.169.254"]],
    ["IPv6 loopback", ["::1"]],
    ["IPv6 unique-local", ["fd00::1"]],
    ["IPv4-mapped loopback", ["::ffff:127.0.0.1"]],
    ["one private among public", ["93.184.216.34", "10.0.0.1"]],
  ] as const) {
    it(`refuses a host resolving to ${name}, before connecting`, async () => {
      const { opts, calls } = served(DOC);
      await refused(fetchClientMetadataDocument(ID, { ...opts, lookup: async () => [...addrs] }), /non-public/);
      assert.equal(calls.length, 0);
    });
  }

  for (const host of ["127.0.0.1", "[::1]", "10.0.0.8", "localhost", "metadata.localhost"]) {
    it(`refuses the literal host ${host}`, async () => {
      const { opts, calls } = served(DOC);
      await refused(fetchClientMetadataDocument(`https://${host}/meta.json`, opts), /non-public|local/);
      assert.equal(calls.length, 0);
    });
  }

  it("refuses an oversized document (declared or streamed)", async () => {
    const big = { ...DOC, client_name: "x".repeat(10_000) };
    await refused(fetchClientMetadataDocument(ID, served(big).opts), /too large/);
    const streamed = new ReadableStream({ pull: (c) => c.enqueue(new TextEncoder().encode(" ".repeat(4096))) });
    await refused(fetchClientMetadataDocument(ID, served(streamed as any).opts), /too large/);
  });

  it("gives up after the time limit", async () => {
    const keepAlive = setTimeout(() => {}, 2000); // AbortSignal.timeout does not hold the event loop open
    const never = (async (_u: string, init: RequestInit) => new Promise((_, rej) => init.signal?.addEventListener("abort", () => rej(init.signal!.reason)))) as unknown as typeof fetch;
    await refused(fetchClientMetadataDocument(ID, { fetch: never, lookup: async () => ["93.184.216.34"], timeoutMs: 100 }), /timed out/);
    clearTimeout(keepAlive);
  });

  it("does not follow redirects, and wants JSON", async () => {
    await refused(fetchClientMetadataDocument(ID, served("", { status: 302, headers: { location: "https://127.0.0.1/x" } }).opts), /redirect/);
    await refused(fetchClientMetadataDocument(ID, served(DOC, { headers: { "content-type": "text/html" } }).opts), /content type/);
  });

  for (const [why, doc, re] of [
    ["a client_id that differs from the URL", { ...DOC, client_id: "https://other.example.com/meta.json" }, /differs/],
    ["a shared secret", { ...DOC, client_secret: "x" }, /secret/],
    ["client_secret_basic", { ...DOC, token_endpoint_auth_method: "client_secret_basic" }, /no shared secrets/],
    ["no redirect_uris", { ...DOC, redirect_uris: [] }, /redirect_uris/],
    ["an http redirect off loopback", { ...DOC, redirect_uris: ["http://evil.example.com/cb"] }, /redirect URI/],
  ] as const) {
    it(`refuses a document with ${why}`, async () => refused(fetchClientMetadataDocument(ID, served(doc).opts), re));
  }
});

describe("the authorization server with a CIMD client", () => {
  it("authorizes a client known only by its metadata URL", async () => {
    const { opts } = served(DOC);
    const as = createAuthorizationServer({ issuer: "https://auth.example.com", clientIdMetadataDocuments: opts, local: { authenticate: () => ({ subject: "alice" }) } });
    const verifier = randomToken(48);
    const u = new URL("https://auth.example.com/authorize");
    for (const [k, v] of Object.entries({ response_type: "code", client_id: ID, redirect_uri: DOC.redirect_uris[0], code_challenge: await pkceChallenge(verifier), code_challenge_method: "S256", state: "s" })) u.searchParams.set(k, v);
    const res = await as.fetch(new Request(u));
    assert.equal(res.status, 302);
    const code = new URL(res.headers.get("location")!).searchParams.get("code")!;
    const tok = await as.fetch(
      new Request("https://auth.example.com/token", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ grant_type: "authorization_code", code, code_verifier: verifier, client_id: ID, redirect_uri: DOC.redirect_uris[0] }).toString() }),
    );
    assert.equal(tok.status, 200);
  });

  it("answers a refused document with an error page, not a redirect", async () => {
    const as = createAuthorizationServer({ issuer: "https://auth.example.com", clientIdMetadataDocuments: { lookup: async () => ["10.0.0.1"] }, local: { authenticate: () => ({ subject: "alice" }) } });
    const res = await as.fetch(new Request(`https://auth.example.com/authorize?response_type=code&client_id=${encodeURIComponent(ID)}&redirect_uri=x`));
    assert.equal(res.status, 400);
    assert.equal(res.headers.get("location"), null);
  });
});

describe("address classification", () => {
  it("public unicast only", () => {
    for (const a of ["8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"]) assert.ok(isPublicAddress(a), a);
    for (const a of ["0.0.0.0", "100.64.0.1", "172.16.0.1", "192.0.2.1", "224.0.0.1", "255.255.255.255", "::", "fe80::1", "2001:db8::1", "64:ff9b::10.0.0.1", "2002:0a00:0001::1", "ff02::1", "not-an-ip"]) {
      assert.ok(!isPublicAddress(a), a);
    }
  });
});
