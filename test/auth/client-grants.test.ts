// Assertion grants and DPoP in the client, with a scripted fetch: the RFC 7523 JWT-bearer grant
// (a workload JWT, SEP-1933) surfaced without retry; the RFC 8693 exchange of an ID token for an
// ID-JAG at the IdP, then the JWT-bearer grant with it (SEP-990); DPoP proofs (RFC 9449) at the
// token endpoint and per request, nonce retries at both, and no DPoP unless the AS offers it.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { calculateJwkThumbprint, decodeProtectedHeader, importJWK, jwtVerify } from "jose";
import { OAuthClientProvider, type OAuthClientOptions } from "../../src/auth/client/provider.js";
import { idJagAssertion, JWT_BEARER_GRANT, TOKEN_EXCHANGE_GRANT, ID_JAG_TOKEN_TYPE } from "../../src/auth/client/grants.js";
import { sha256 } from "../../src/auth/util.js";

const MCP = "https://mcp.example.com/mcp";
const AS = "https://auth.example.com";
const IDP = "https://idp.example.com";

interface Seen {
  method: string;
  url: string;
  headers: Headers;
  form: URLSearchParams;
}
type Handler = (r: Seen, n: number) => Response | undefined;

function scripted(asExtra: Record<string, unknown>, token: Handler) {
  const seen: Seen[] = [];
  let tokenCalls = 0;
  const f = (async (input: any, init?: RequestInit) => {
    const req = new Request(input, init);
    const r: Seen = { method: req.method, url: req.url, headers: req.headers, form: new URLSearchParams(req.method === "POST" ? await req.text() : "") };
    seen.push(r);
    if (r.url === "https://mcp.example.com/.well-known/oauth-protected-resource/mcp") return Response.json({ resource: MCP, authorization_servers: [AS] });
    if (r.url === `${AS}/.well-known/oauth-authorization-server`) return Response.json({ issuer: AS, token_endpoint: `${AS}/token`, authorization_endpoint: `${AS}/authorize`, code_challenge_methods_supported: ["S256"], ...asExtra });
    if (r.url === `${AS}/token` || r.url === `${IDP}/token`) return token(r, tokenCalls++) ?? new Response("no", { status: 500 });
    return new Response("not found", { status: 404 });
  }) as typeof fetch;
  return { f, seen };
}

const challenge = (scheme = "Bearer") => new Response(null, { status: 401, headers: { "www-authenticate": `${scheme} resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"` } });
const provider = (f: typeof fetch, o: Partial<OAuthClientOptions>) => new OAuthClientProvider({ serverUrl: MCP, fetch: f, ...o });

describe("JWT-bearer grant (RFC 7523)", () => {
  it("presents the workload JWT as the grant, as a public client", async () => {
    const { f, seen } = scripted({ grant_types_supported: [JWT_BEARER_GRANT] }, () => Response.json({ access_token: "at-1", token_type: "Bearer" }));
    const p = provider(f, { grant: "jwt_bearer", assertion: "workload.jwt.value", clientInformation: { client_id: "wl", token_endpoint_auth_method: "none" } });
    assert.equal(await p.onUnauthorized(challenge(), new URL(MCP)), true);
    const form = seen.find((s) => s.url === `${AS}/token`)!.form;
    assert.equal(form.get("grant_type"), JWT_BEARER_GRANT);
    assert.equal(form.get("assertion"), "workload.jwt.value");
    assert.equal(form.get("client_id"), "wl");
    assert.equal(form.get("resource"), MCP);
    assert.deepEqual(await p.headers(), { authorization: "Bearer at-1" });
  });

  it("surfaces a refused grant without retrying or switching grants", async () => {
    const { f, seen } = scripted({}, () => Response.json({ error: "invalid_grant", error_description: "expired" }, { status: 400 }));
    const p = provider(f, { grant: "jwt_bearer", assertion: "x.y.z", clientInformation: { client_id: "wl", token_endpoint_auth_method: "none" } });
    await assert.rejects(p.onUnauthorized(challenge(), new URL(MCP)), { error: "invalid_grant" });
    assert.equal(seen.filter((s) => s.url.endsWith("/token")).length, 1);
  });
});

describe("enterprise-managed authorization (RFC 8693 + RFC 7523)", () => {
  it("exchanges the ID token for an ID-JAG at the IdP, then presents it with client_secret_basic", async () => {
    const { f, seen } = scripted({}, (r) =>
      r.url.startsWith(IDP) ? Response.json({ access_token: "id-jag.jwt", issued_token_type: ID_JAG_TOKEN_TYPE, token_type: "N_A" }) : Response.json({ access_token: "at-2", token_type: "Bearer", scope: "mcp" }),
    );
    const assertion = idJagAssertion({ tokenEndpoint: `${IDP}/token`, idToken: "id.token", clientId: "idp-client", fetch: f });
    const p = provider(f, { grant: "jwt_bearer", assertion, scope: "mcp", clientInformation: { client_id: "app", client_secret: "s3cret", token_endpoint_auth_method: "client_secret_basic" } });
    assert.equal(await p.onUnauthorized(challenge(), new URL(MCP)), true);
    const [idp, as] = [seen.find((s) => s.url === `${IDP}/token`)!, seen.find((s) => s.url === `${AS}/token`)!];
    assert.deepEqual(Object.fromEntries(idp.form), {
      grant_type: TOKEN_EXCHANGE_GRANT,
      requested_token_type: ID_JAG_TOKEN_TYPE,
      subject_token: "id.token",
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      audience: AS,
      resource: MCP,
      scope: "mcp",
      client_id: "idp-client",
    });
    assert.equal(as.form.get("grant_type"), JWT_BEARER_GRANT);
    assert.equal(as.form.get("assertion"), "id-jag.jwt");
    assert.equal(as.headers.get("authorization"), `Basic ${btoa("app:s3cret")}`);
    assert.equal(as.form.get("client_secret"), null);
  });

  it("refuses an exchange that does not yield an ID-JAG", async () => {
    const { f } = scripted({}, () => Response.json({ access_token: "other", issued_token_type: "urn:ietf:params:oauth:token-type:access_token", token_type: "Bearer" }));
    await assert.rejects(idJagAssertion({ tokenEndpoint: `${IDP}/token`, idToken: "t", fetch: f })({ issuer: AS, resource: MCP, scopes: [] }), /not an ID-JAG/);
  });
});

/** Verify a DPoP proof as a server would; its payload and the key's thumbprint. */
async function verifyProof(proof: string | null, method: string, url: string) {
  assert.ok(proof, "a DPoP header");
  const h = decodeProtectedHeader(proof);
  assert.equal(h.typ, "dpop+jwt");
  assert.equal(h.alg, "ES256");
  assert.equal((h.jwk as any).d, undefined, "no private key in the proof");
  const { payload } = await jwtVerify(proof, await importJWK(h.jwk as any, "ES256"));
  assert.equal(payload.htm, method);
  assert.equal(payload.htu, url);
  assert.equal(typeof payload.jti, "string");
  assert.ok(Math.abs((payload.iat as number) - Date.now() / 1000) < 60);
  return { payload, jkt: await calculateJwkThumbprint(h.jwk as any) };
}

describe("DPoP (RFC 9449)", () => {
  const cc: Partial<OAuthClientOptions> = { grant: "client_credentials", clientInformation: { client_id: "c", client_secret: "s" } };

  it("binds the token at the token endpoint (retrying with the AS nonce) and proves each request", async () => {
    const { f, seen } = scripted({ dpop_signing_alg_values_supported: ["ES256"] }, (r, n) =>
      n === 0
        ? Response.json({ error: "use_dpop_nonce" }, { status: 400, headers: { "dpop-nonce": "as-nonce" } })
        : Response.json({ access_token: "dpop-at", token_type: "DPoP", expires_in: 3600 }, { headers: { "dpop-nonce": "as-nonce-2" } }),
    );
    const p = provider(f, cc);
    assert.equal(await p.onUnauthorized(challenge("DPoP"), new URL(MCP)), true);
    const tokens = seen.filter((s) => s.url === `${AS}/token`);
    assert.equal(tokens.length, 2);
    const first = await verifyProof(tokens[0].headers.get("dpop"), "POST", `${AS}/token`);
    const second = await verifyProof(tokens[1].headers.get("dpop"), "POST", `${AS}/token`);
    assert.equal(first.payload.nonce, undefined);
    assert.equal(second.payload.nonce, "as-nonce");
    assert.notEqual(first.payload.jti, second.payload.jti);

    const h1 = await p.headers({ url: new URL(`${MCP}?x=1`), method: "POST" });
    const h2 = await p.headers({ url: new URL(MCP), method: "GET" });
    assert.equal(h1.authorization, "DPoP dpop-at");
    const a = await verifyProof(h1.dpop, "POST", MCP);
    const b = await verifyProof(h2.dpop, "GET", MCP);
    assert.equal(a.payload.ath, await sha256("dpop-at"));
    assert.equal(a.jkt, second.jkt, "the same key as the one the token is bound to");
    assert.notEqual(a.payload.jti, b.payload.jti, "a fresh proof per request");

    // The resource server asks for its own nonce: retry, and the next proof carries it.
    const rsNonce = new Response(null, { status: 401, headers: { "www-authenticate": 'DPoP error="use_dpop_nonce"', "dpop-nonce": "rs-nonce" } });
    assert.equal(await p.onUnauthorized(rsNonce, new URL(MCP)), true);
    assert.equal((await verifyProof((await p.headers({ url: new URL(MCP), method: "POST" })).dpop, "POST", MCP)).payload.nonce, "rs-nonce");
  });

  it("uses plain bearer tokens when the AS does not offer DPoP, or when turned off", async () => {
    for (const [extra, o] of [[{}, {}], [{ dpop_signing_alg_values_supported: ["ES256"] }, { dpop: false }]] as const) {
      const { f, seen } = scripted(extra, () => Response.json({ access_token: "b", token_type: "Bearer" }));
      const p = provider(f, { ...cc, ...o });
      assert.equal(await p.onUnauthorized(challenge(), new URL(MCP)), true);
      assert.equal(seen.find((s) => s.url === `${AS}/token`)!.headers.get("dpop"), null);
      assert.deepEqual(await p.headers({ url: new URL(MCP), method: "POST" }), { authorization: "Bearer b" });
    }
  });

  it("refuses a DPoP token_type it did not ask for", async () => {
    const { f } = scripted({}, () => Response.json({ access_token: "d", token_type: "DPoP" }));
    await assert.rejects(provider(f, cc).onUnauthorized(challenge(), new URL(MCP)), /token_type/);
  });
});
