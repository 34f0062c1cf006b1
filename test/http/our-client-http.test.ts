// mcpkit's Client over StreamableHttpClientTransport drives official servers over real HTTP:
// the v1 SDK with stateful Streamable HTTP (discover fails, initialize follows, one session,
// elicitation round trip, DELETE on close), the v2 SDK's createMcpHandler in the modern era,
// and a v1 server that only speaks the 2024-11-05 HTTP+SSE transport (reached through our
// client's fallback). A TapTransport records what our client sent; it is checked against the
// schema of the revision in use.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client } from "../../src/client/client.js";
import type { ClientOptions } from "../../src/client/types.js";
import { StreamableHttpClientTransport } from "../../src/transports/http/client.js";
import { TapTransport, assertWireValid, textOf } from "../helpers/wire.js";
import { startV1Http, type V1HttpPeer } from "../peers/v1-http-server.js";
import { MODERN, until } from "./fixture.js";
import { startV2Http, type V2HttpPeer } from "./v2-peer.js";

const T = { timeout: 60_000 };
const INFO = { name: "mcpkit-http-interop", version: "0.1.0" };

interface Session {
  client: Client;
  tap: TapTransport;
  http: StreamableHttpClientTransport;
  elicited: unknown[];
}

async function open(url: string, opts: ClientOptions = {}): Promise<Session> {
  const http = new StreamableHttpClientTransport(url, { reconnect: { maxRetries: 0 } });
  const tap = new TapTransport(http);
  const elicited: unknown[] = [];
  const client = new Client(INFO, {
    capabilities: { elicitation: { form: {} } },
    handlers: {
      "elicitation/create": async (p) => {
        elicited.push(p);
        return { action: "accept", content: { confirm: true } };
      },
    },
    ...opts,
  });
  await client.connect(tap);
  return { client, tap, http, elicited };
}

/** The wire as [direction, method | "result" | "error <code>"]. */
const shape = (s: Session) => s.tap.lines.map((l) => [l.dir, l.msg.method ?? (l.msg.error ? `error ${l.msg.error.code}` : "result")]);
const text = (t: string) => ({ content: [{ type: "text", text: t }] });
const ELICIT = { mode: "form", message: "Really deploy?", requestedSchema: { type: "object", properties: { confirm: { type: "boolean" } }, required: ["confirm"] } };

describe("mcpkit Client -> official v1 server, stateful Streamable HTTP", T, () => {
  let peer: V1HttpPeer;
  let s: Session;
  before(async () => {
    peer = await startV1Http("streamable");
    s = await open(peer.url);
  });
  after(async () => {
    await s?.client.close();
    await peer?.close();
  });

  it("server/discover is refused, initialize opens a session", () => {
    assert.equal(s.client.era, "legacy");
    assert.equal(s.client.protocolVersion, "2025-11-25");
    assert.deepEqual(s.client.serverInfo, { name: "v1-http-peer", version: "1.0.0" });
    assert.deepEqual(shape(s).slice(0, 5), [
      ["out", "server/discover"],
      ["in", "error -32000"],
      ["out", "initialize"],
      ["in", "result"],
      ["out", "notifications/initialized"],
    ]);
    assert.equal(peer.sessions(), 1);
    assert.ok(s.http.sessionId);
    assert.equal(s.http.protocolVersion, "2025-11-25");
  });

  it("tools, resources and prompts with exact results", async () => {
    assert.deepEqual((await s.client.listTools()).tools.map((t) => t.name), ["add", "echo", "confirm"]);
    assert.deepEqual(await s.client.callTool("add", { a: 2, b: 3 }), text("5"));
    assert.deepEqual(await s.client.callTool("echo", { message: "héllo" }), text("Echo: héllo"));
    assert.deepEqual(await s.client.readResource("test://static"), { contents: [{ uri: "test://static", mimeType: "text/plain", text: "static content" }] });
    assert.deepEqual(await s.client.readResource("greeting://Bob"), { contents: [{ uri: "greeting://Bob", mimeType: "text/plain", text: "Hello, Bob!" }] });
    assert.deepEqual((await s.client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate), ["greeting://{name}"]);
    assert.deepEqual(await s.client.getPrompt("greet", { name: "Z" }), { messages: [{ role: "user", content: { type: "text", text: "Hello Z" } }] });
    assert.deepEqual(await s.client.ping(), {});
  });

  it("elicitation: the server's request arrives on the call's stream and our answer is POSTed back", async () => {
    assert.deepEqual(await s.client.callTool("confirm", { action: "deploy" }), text("deploy: confirmed"));
    assert.deepEqual(s.elicited, [ELICIT]);
    const i = s.tap.lines.findIndex((l) => l.msg.method === "elicitation/create");
    assert.deepEqual(s.tap.lines[i + 1].msg, { jsonrpc: "2.0", id: s.tap.lines[i].msg.id, result: { action: "accept", content: { confirm: true } } });
  });

  it("parallel calls share the session", async () => {
    const all = await Promise.all([1, 2, 3, 4].map((i) => s.client.callTool("add", { a: i, b: 1 })));
    assert.deepEqual(all, [2, 3, 4, 5].map((n) => text(String(n))));
    assert.equal(peer.sessions(), 1);
  });

  it("close() ends the session (DELETE); our messages validate against 2025-11-25", async () => {
    await s.client.close();
    assert.equal(peer.sessions(), 0);
    assertWireValid(s.tap.lines, "client", "2025-11-25");
  });
});

describe("mcpkit Client -> official v2 server (createMcpHandler) in the modern era over HTTP", T, () => {
  let peer: V2HttpPeer;
  let s: Session;
  before(async () => {
    peer = await startV2Http("reject");
    s = await open(peer.url);
  });
  after(async () => {
    await s?.client.close();
    await peer?.close();
  });

  it("discovers 2026-07-28: no initialize, no session", () => {
    assert.equal(s.client.era, "modern");
    assert.equal(s.client.protocolVersion, MODERN);
    assert.deepEqual(s.client.serverInfo, { name: "v2-http-peer", version: "2.0.0" });
    assert.deepEqual(shape(s).slice(0, 2), [["out", "server/discover"], ["in", "result"]]);
    assert.equal(s.http.sessionId, undefined);
  });

  it("tools, resources and prompts; the modern headers on every POST", async () => {
    assert.deepEqual((await s.client.listTools()).tools.map((t) => t.name), ["add", "echo"]);
    const add = await s.client.callTool("add", { a: 2, b: 3 });
    assert.deepEqual(add, { ...text("5"), resultType: "complete", _meta: { "io.modelcontextprotocol/serverInfo": { name: "v2-http-peer", version: "2.0.0" } } });
    assert.equal(textOf(await s.client.callTool("echo", { message: "hi" })), "Echo: hi");
    const r = await s.client.readResource("greeting://Bob");
    assert.deepEqual(r.contents, [{ uri: "greeting://Bob", mimeType: "text/plain", text: "Hello, Bob!" }]);
    const p = await s.client.getPrompt("greet", { name: "Z" });
    assert.deepEqual(p.messages, [{ role: "user", content: { type: "text", text: "Hello Z" } }]);
    await assert.rejects(s.client.callTool("nope", {}), (e: any) => e.code === -32602 && /nope/.test(e.message));

    assert.ok(peer.seen.length >= 7);
    for (const x of peer.seen) {
      assert.equal(x.method, "POST");
      assert.equal(x.version, MODERN);
      assert.equal(x.session, null);
    }
    assert.deepEqual(
      peer.seen.map((x) => [x.mcpMethod, x.mcpName]),
      [
        ["server/discover", null],
        ["tools/list", null],
        ["tools/call", "add"],
        ["tools/call", "echo"],
        ["resources/read", "greeting://Bob"],
        ["prompts/get", "greet"],
        ["tools/call", "nope"],
      ],
    );
  });

  it("all our messages validate against 2026-07-28", async () => {
    await s.client.close();
    assertWireValid(s.tap.lines, "client", MODERN);
  });
});

describe("mcpkit Client -> official v1 server speaking only HTTP+SSE (2024-11-05 transport)", T, () => {
  let peer: V1HttpPeer;
  before(async () => {
    peer = await startV1Http("sse");
  });
  after(() => peer?.close());

  it("initialize is refused (405), so the client opens the SSE stream and carries on there", async () => {
    const s = await open(peer.url);
    try {
      assert.equal(s.http.mode, "sse");
      assert.equal(s.client.era, "legacy");
      assert.deepEqual(s.client.serverInfo, { name: "v1-http-peer", version: "1.0.0" });
      assert.equal(peer.sessions(), 1);
      // The Streamable HTTP POSTs never reached the SSE server's message handler: its first message is initialize.
      assert.equal(peer.received[0], "initialize");
      assert.deepEqual(await s.client.callTool("add", { a: 2, b: 3 }), text("5"));
      assert.deepEqual(await s.client.readResource("greeting://Ann"), { contents: [{ uri: "greeting://Ann", mimeType: "text/plain", text: "Hello, Ann!" }] });
      assert.deepEqual(await s.client.getPrompt("greet", { name: "Ann" }), { messages: [{ role: "user", content: { type: "text", text: "Hello Ann" } }] });
      assert.deepEqual(await s.client.callTool("confirm", { action: "deploy" }), text("deploy: confirmed"));
      assert.deepEqual(s.elicited, [ELICIT]);
    } finally {
      await s.client.close();
    }
    await until(() => peer.sessions() === 0, 10_000, "the SSE connection to close");
  });

  it("works at 2024-11-05 too", async () => {
    const before = peer.received.length;
    const s = await open(peer.url, { era: "legacy", protocolVersion: "2024-11-05" });
    try {
      assert.equal(s.http.mode, "sse");
      assert.equal(s.client.protocolVersion, "2024-11-05");
      assert.deepEqual(await s.client.callTool("echo", { message: "old" }), text("Echo: old"));
      assert.deepEqual(peer.received.slice(before), ["initialize", "notifications/initialized", "tools/call"]);
    } finally {
      await s.client.close();
    }
    assertWireValid(s.tap.lines, "client", "2024-11-05");
    await until(() => peer.sessions() === 0, 10_000, "the SSE connection to close");
  });
});
