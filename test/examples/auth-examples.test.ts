// The OAuth examples as a user runs them, each in its own process: the protected server with
// its co-hosted authorization server (auto-approving, and through its login page), the
// resource server trusting it as an external issuer, and the OAuth client against both.
import { strict as assert } from "node:assert";
import { after, describe, it } from "node:test";
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { killExamples, spawnExample, startExample } from "../helpers/example-processes.js";

after(killExamples);
const start = startExample;

/** Run the client example to the end; `onOutput` sees its stdout as it grows (to play the user's browser). */
function runClient(args: string[], onOutput?: (out: string) => void): Promise<string> {
  const child = spawnExample("examples/auth-client.ts", args);
  let out = "";
  let err = "";
  child.stdout!.on("data", (c) => {
    out += c;
    onOutput?.(out);
  });
  child.stderr!.on("data", (c) => (err += c));
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => (child.kill("SIGKILL"), reject(new Error(`auth-client.ts timed out: ${out}${err}`))), 25_000);
    child.once("exit", (code) => {
      clearTimeout(t);
      if (code === 0) resolve(out);
      else reject(new Error(`auth-client.ts exited ${code}: ${out}${err}`));
    });
  });
}

describe("examples/auth-server.ts", () => {
  it("refuses a client without a token (official v1 client: 401) and serves the OAuth client after headless authorization", async () => {
    const url = await start("examples/auth-server.ts", "--auto-approve");

    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream" }, body: "{}" });
    assert.equal(res.status, 401);
    assert.match(res.headers.get("www-authenticate") ?? "", /^Bearer .*resource_metadata="[^"]+\/\.well-known\/oauth-protected-resource\/mcp"/);
    const v1 = new V1Client({ name: "v1", version: "1" });
    await assert.rejects(v1.connect(new StreamableHTTPClientTransport(new URL(url))), (e: any) => e?.code === 401);

    const origin = new URL(url).origin;
    const metadata = (await (await fetch(`${origin}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    assert.equal(metadata.jwks_uri, `${origin}/jwks`);

    const out = await runClient([url, "--headless"]);
    assert.match(out, /\(modern era\), authorized by /);
    assert.match(out, /tools: whoami, write_note/);
    assert.match(out, /whoami: You are demo-user \(client [\w-]+\) with scopes: notes:read/);
  });

  it("signs a user in through the login page and the client's loopback redirect", async () => {
    const url = await start("examples/auth-server.ts");
    const origin = new URL(url).origin;
    let browsed: Promise<void> | undefined;
    // The user: open the printed URL, type a name, press Allow; the browser follows the redirect.
    const browse = async (authorizeUrl: string) => {
      const login = await fetch(authorizeUrl);
      assert.equal(login.status, 200);
      assert.equal(login.headers.get("x-frame-options"), "DENY");
      const html = await login.text();
      assert.match(html, /mcpkit example client/);
      const id = /name="request" value="([^"]+)"/.exec(html)?.[1];
      assert.ok(id, html);
      const submit = () =>
        fetch(`${origin}/login`, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ request: id, user: "alice", action: "approve" }) });
      const approved = await submit();
      assert.equal(approved.status, 302);
      const back = new URL(approved.headers.get("location")!);
      assert.equal(back.hostname, "127.0.0.1");
      assert.equal(back.pathname, "/callback");
      assert.ok(back.searchParams.get("code"));
      assert.equal(back.searchParams.get("iss"), origin);
      assert.equal((await submit()).status, 400, "a login form is good for one submission");
      const landed = await fetch(back);
      assert.match(await landed.text(), /Signed in/);
    };
    const out = await runClient([url], (o) => {
      const m = /Sign in at:\s+(\S+)/.exec(o);
      if (m && !browsed) browsed = browse(m[1]);
    });
    await browsed;
    assert.match(out, /whoami: You are alice \(client [\w-]+\) with scopes: notes:read/);
  });

  it("reports a denied sign-in as access_denied", async () => {
    const url = await start("examples/auth-server.ts");
    const origin = new URL(url).origin;
    const denials: Promise<unknown>[] = [];
    const deny = async (authorizeUrl: string) => {
      const id = /name="request" value="([^"]+)"/.exec(await (await fetch(authorizeUrl)).text())![1];
      const denied = await fetch(`${origin}/login`, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ request: id, action: "deny" }) });
      const back = new URL(denied.headers.get("location")!);
      assert.equal(back.searchParams.get("error"), "access_denied");
      await fetch(back);
    };
    // One prompt, denied: the client reports it (no second attempt through the legacy era).
    await assert.rejects(
      runClient([url], (o) => {
        const prompts = [...o.matchAll(/Sign in at:\s+(\S+)/g)];
        while (denials.length < prompts.length) denials.push(deny(prompts[denials.length][1]));
      }),
      /Failed: .*access_denied/,
    );
    await Promise.all(denials);
  });
});

describe("examples/auth-resource-server.ts", () => {
  it("accepts JWT access tokens from an external authorization server, verified against its JWKS", async () => {
    const asUrl = await start("examples/auth-server.ts", "--auto-approve");
    const issuer = new URL(asUrl).origin;
    const url = await start("examples/auth-resource-server.ts", "--issuer", issuer);

    const prm = (await (await fetch(new URL("/.well-known/oauth-protected-resource/mcp", url))).json()) as Record<string, unknown>;
    assert.deepEqual(prm.authorization_servers, [issuer]);
    assert.equal(prm.resource, url);
    assert.equal((await fetch(url, { method: "POST", headers: { authorization: "Bearer not-a-jwt" } })).status, 401);

    const out = await runClient([url, "--headless"]);
    assert.match(out, new RegExp(`authorized by ${issuer}`));
    assert.match(out, new RegExp(`whoami: You are demo-user \\(client [\\w-]+\\) with scopes: notes:read; token issued by ${issuer}`));
  });

  it("refuses to start without an issuer", async () => {
    const child = spawnExample("examples/auth-resource-server.ts", ["--port", "0"], { ...process.env, MCP_AUTH_ISSUER: "" });
    const code = await new Promise((r) => child.once("exit", r));
    assert.equal(code, 2);
  });
});
