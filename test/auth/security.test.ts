// The resource server against forged tokens: a JWT whose payload was altered (a scope added,
// another audience), whose signature was altered, with alg "none", from another issuer — each
// refused with 401 invalid_token — and nothing of a refused token is echoed in the response
// (status, headers, body) or written to the console or stderr.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPair, SignJWT } from "jose";
import { withBearerAuth } from "../../src/auth/resource/bearer.js";
import { jwtVerifier } from "../../src/auth/resource/jwt.js";
import { base64url, base64urlDecode, bearerChallenge } from "../../src/auth/util.js";
import { demoServer } from "./helpers.js";

const RESOURCE = "http://localhost/mcp";
const ISSUER = "https://as.example.com";
const META = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}, "io.modelcontextprotocol/clientInfo": { name: "t", version: "1" } };

function listTools(token: string): Request {
  return new Request(RESOURCE, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/list", authorization: `Bearer ${token}` },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: META } }),
  });
}

const enc = (v: unknown) => base64url(new TextEncoder().encode(JSON.stringify(v)));
const dec = (s: string) => JSON.parse(new TextDecoder().decode(base64urlDecode(s)));

/** Everything written to the console and stderr while `fn` runs. */
async function captured(fn: () => Promise<void>): Promise<string> {
  const out: string[] = [];
  const saved = { log: console.log, error: console.error, warn: console.warn, info: console.info, debug: console.debug, write: process.stderr.write };
  const grab = (...a: unknown[]) => void out.push(a.map(String).join(" "));
  Object.assign(console, { log: grab, error: grab, warn: grab, info: grab, debug: grab });
  process.stderr.write = ((c: unknown) => (out.push(String(c)), true)) as any;
  try {
    await fn();
  } finally {
    Object.assign(console, { log: saved.log, error: saved.error, warn: saved.warn, info: saved.info, debug: saved.debug });
    process.stderr.write = saved.write;
  }
  return out.join("\n");
}

describe("forged and foreign tokens are refused, and never echoed", () => {
  let key: CryptoKey;
  let good: string;
  let h: ReturnType<typeof withBearerAuth>;
  const sign = (claims: Record<string, unknown>, iss = ISSUER, k = key) => new SignJWT({ aud: RESOURCE, ...claims }).setProtectedHeader({ alg: "ES256", typ: "at+jwt" }).setIssuer(iss).setSubject("carol").setIssuedAt().setExpirationTime("5m").sign(k);

  before(async () => {
    const pair = await generateKeyPair("ES256");
    key = pair.privateKey;
    h = withBearerAuth(demoServer().httpHandler(), { resource: RESOURCE, authorizationServers: [ISSUER], verifier: jwtVerifier({ key: pair.publicKey, issuer: ISSUER, audience: RESOURCE }), requiredScopes: ["mcp:read"] });
    good = await sign({ scope: "mcp:read" });
    assert.equal((await h.fetch(listTools(good))).status, 200, "the untampered token is accepted");
  });

  const forgeries: [string, () => Promise<string>][] = [
    ["an altered payload (a scope added)", async () => {
      const [hd, p, s] = good.split(".");
      return `${hd}.${enc({ ...dec(p), scope: "mcp:read mcp:admin" })}.${s}`;
    }],
    ["an altered payload (another subject)", async () => {
      const [hd, p, s] = good.split(".");
      return `${hd}.${enc({ ...dec(p), sub: "mallory" })}.${s}`;
    }],
    ["an altered signature", async () => {
      const [hd, p, s] = good.split(".");
      const sig = base64urlDecode(s);
      sig[10] ^= 0xff;
      return `${hd}.${p}.${base64url(sig)}`;
    }],
    ["a signature from another key", async () => sign({ scope: "mcp:read" }, ISSUER, (await generateKeyPair("ES256")).privateKey)],
    ['alg "none"', async () => `${enc({ alg: "none", typ: "at+jwt" })}.${good.split(".")[1]}.`],
    ["another issuer", async () => sign({ scope: "mcp:read" }, "https://evil.example.com")],
    ["another issuer differing only by a trailing slash", async () => sign({ scope: "mcp:read" }, `${ISSUER}/`)],
  ];

  for (const [why, forge] of forgeries) {
    it(`401 invalid_token for ${why}, the token in neither the response nor the logs`, async () => {
      const token = await forge();
      assert.notEqual(token, good);
      let res!: Response;
      let body = "";
      const logs = await captured(async () => {
        res = await h.fetch(listTools(token));
        body = await res.text();
      });
      assert.equal(res.status, 401);
      const www = res.headers.get("www-authenticate");
      assert.equal(bearerChallenge(www)?.error, "invalid_token");
      const echoed = [body, logs, ...[...res.headers].map(([k, v]) => `${k}: ${v}`)].join("\n");
      for (const part of [token, ...token.split(".").filter((p) => p.length > 8)]) assert.ok(!echoed.includes(part), `a piece of the refused token was echoed: ${part.slice(0, 12)}…`);
    });
  }
});
