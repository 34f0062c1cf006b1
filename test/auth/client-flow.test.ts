// The client end to end, over real loopback HTTP: our Client + OAuthClientProvider (headless)
// against our McpServer behind withBearerAuth with a co-hosted authorization server.
// Full authorization code + PKCE, both eras, step-up on 403, the retry limit, silent refresh
// with rotation, iss checks, PKCE and resource refusals.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { InMemoryTokenStorage } from "../../src/auth/client/storage.js";
import { OAuthClientProvider } from "../../src/auth/client/provider.js";
import { Client } from "../../src/client/client.js";
import { McpError } from "../../src/protocol/errors.js";
import { StreamableHttpClientTransport } from "../../src/transports/http/client.js";
import { connect, recordingFetch, REDIRECT, startStack, textOf, type Stack } from "./helpers.js";

const query = (url: string) => new URL(url).searchParams;

describe("authorization code + PKCE through our authorization server", () => {
  let s: Stack;
  before(async () => {
    s = await startStack();
  });
  after(() => s.close());

  for (const era of ["modern", "legacy"] as const) {
    it(`discovers, registers, authorizes and calls a tool (${era} era)`, async () => {
      const rec = recordingFetch();
      const { client, provider } = await connect(s.url, { fetch: rec.fetch }, era);
      assert.equal(client.era, era);
      const who = JSON.parse(textOf(await client.callTool("whoami")));
      assert.equal(who.subject, "alice");
      assert.deepEqual(who.scopes, ["mcp:read", "offline_access"]);
      const origin = new URL(s.url).origin;
      const calls = rec.log.map((l) => `${l.method} ${l.url.split("?")[0]}`);
      assert.deepEqual(calls, [`GET ${origin}/.well-known/oauth-protected-resource/mcp`, `GET ${origin}/.well-known/oauth-authorization-server`, `POST ${origin}/register`, `GET ${origin}/authorize`, `POST ${origin}/token`]);
      const reg = JSON.parse(rec.log[2].body!);
      assert.equal(reg.application_type, "native");
      const auth = query(rec.log[3].url);
      assert.equal(auth.get("code_challenge_method"), "S256");
      assert.equal(auth.get("resource"), s.url);
      assert.equal(auth.get("scope"), "mcp:read offline_access", "challenge scope, plus offline_access since the AS offers it");
      assert.ok(auth.get("state"));
      const tok = new URLSearchParams(rec.log[4].body);
      assert.equal(tok.get("resource"), s.url);
      assert.ok(tok.get("code_verifier"));
      assert.equal(provider.discovery?.issuer, origin);
      await client.close();
    });
  }

  it("steps up on 403 with the union of scopes", async () => {
    const rec = recordingFetch();
    const { client } = await connect(s.url, { fetch: rec.fetch });
    assert.equal(textOf(await client.callTool("write")), "written");
    const scopes = rec.log.filter((l) => l.url.includes("/authorize")).map((l) => query(l.url).get("scope"));
    assert.deepEqual(scopes, ["mcp:read offline_access", "mcp:read offline_access mcp:write"]);
    await client.close();
  });

  it("refreshes silently on 401, sending scope and rotating the refresh token", async () => {
    const storage = new InMemoryTokenStorage();
    const rec = recordingFetch();
    const { client } = await connect(s.url, { fetch: rec.fetch, storage });
    await client.callTool("whoami");
    const first = (await storage.getTokens())!;
    await storage.setTokens({ ...first, access_token: "no-longer-valid" });
    rec.log.length = 0;
    assert.equal(JSON.parse(textOf(await client.callTool("whoami"))).subject, "alice");
    const refresh = rec.log.find((l) => l.url.endsWith("/token"))!;
    const form = new URLSearchParams(refresh.body);
    assert.equal(form.get("grant_type"), "refresh_token");
    assert.equal(form.get("scope"), "mcp:read offline_access");
    assert.equal(form.get("resource"), s.url);
    assert.ok(!rec.log.some((l) => l.url.includes("/authorize")), "no new authorization");
    const second = (await storage.getTokens())!;
    assert.notEqual(second.refresh_token, first.refresh_token);
    await client.close();
  });
});

describe("the client refuses", () => {
  it("a callback whose iss is not the authorization server (RFC 9207), before any token request", async () => {
    const s = await startStack();
    try {
      for (const mutate of [(u: URL) => u.searchParams.set("iss", "https://evil.example.com"), (u: URL) => u.searchParams.delete("iss"), (u: URL) => u.searchParams.set("iss", `${u.searchParams.get("iss")}/`)]) {
        const rec = recordingFetch(async (input: any, init?: RequestInit) => {
          const res = await fetch(input, init);
          const loc = res.headers.get("location");
          if (!loc) return res;
          const u = new URL(loc);
          mutate(u);
          return new Response(null, { status: 302, headers: { location: u.href } });
        });
        await assert.rejects(connect(s.url, { fetch: rec.fetch }), /iss/);
        assert.ok(!rec.log.some((l) => l.url.endsWith("/token")));
      }
    } finally {
      await s.close();
    }
  });

  it("an authorization server that does not advertise PKCE S256", async () => {
    const s = await startStack({ metadata: { code_challenge_methods_supported: ["plain"] } });
    try {
      const rec = recordingFetch();
      await assert.rejects(connect(s.url, { fetch: rec.fetch }), /PKCE/);
      assert.ok(!rec.log.some((l) => l.url.includes("/authorize")));
    } finally {
      await s.close();
    }
  });

  it("protected-resource metadata naming another resource", async () => {
    const s = await startStack({}, { metadata: { resource: "https://evil.example.com/mcp" } });
    try {
      const rec = recordingFetch();
      await assert.rejects(connect(s.url, { fetch: rec.fetch }), /refusing/);
      assert.ok(!rec.log.some((l) => l.url.includes("/authorize") || l.url.includes("/register")));
    } finally {
      await s.close();
    }
  });

  it("to step up forever: at most three authorizations when the server keeps answering 403", async () => {
    // The user only ever grants mcp:read, so tools/call write is refused every time.
    const s = await startStack({ local: { authenticate: () => ({ subject: "alice", scopes: ["mcp:read"] }) } });
    try {
      const rec = recordingFetch();
      const { client } = await connect(s.url, { fetch: rec.fetch });
      await assert.rejects(client.callTool("write"));
      assert.equal(rec.log.filter((l) => l.url.includes("/authorize")).length, 3);
      await client.close();
    } finally {
      await s.close();
    }
  });
});

describe("the era probe and authorization", () => {
  it("waits for an authorization still in progress (a person at the login page) instead of taking the timeout for a legacy server", async () => {
    const s = await startStack();
    try {
      const provider = new OAuthClientProvider({ serverUrl: s.url, clientMetadata: { redirect_uris: [REDIRECT] }, headless: true });
      // The person takes longer than the probe's timeout to sign in.
      const slow = { headers: provider.headers.bind(provider), onUnauthorized: async (res: Response, url: URL) => (await new Promise((r) => setTimeout(r, 2500)), provider.onUnauthorized(res, url)) };
      const client = new Client({ name: "t", version: "1" }, { probeTimeoutMs: 1000 });
      await client.connect(new StreamableHttpClientTransport(s.url, { auth: slow }));
      assert.equal(client.era, "modern");
      assert.equal(JSON.parse(textOf(await client.callTool("whoami"))).subject, "alice");
      await client.close();
    } finally {
      await s.close();
    }
  });

  it("a denied authorization fails connect once: no second attempt through the legacy era", async () => {
    const s = await startStack({ local: { authenticate: () => undefined } });
    try {
      const rec = recordingFetch();
      const err = await connect(s.url, { fetch: rec.fetch }).catch((e) => e);
      assert.ok(err instanceof McpError, String(err));
      assert.match(err.message, /Authorization failed: .*access_denied/);
      assert.equal((err.data as any).authorizationFailed, true);
      assert.equal(rec.log.filter((l) => l.url.includes("/authorize")).length, 1);
    } finally {
      await s.close();
    }
  });
});
