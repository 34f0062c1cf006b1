// The official v2 client (@modelcontextprotocol/client 2.x), pinned to 2026-07-28, drives the
// README examples (examples/echo.ts, examples/quickstart.ts) over real HTTP. The examples are
// loaded in this process the way `mcp run` does it (the run-host hook takes the server their
// `await mcp.run()` hands over) and served with serveHttp on port 0. They import "mcpkit", the
// built package, so the serving side is the built one too (`npm test` builds first; run
// `npm run build` before running this file on its own). Every request's headers and every
// message the server wrote are checked (the latter against the 2026-07-28 schema).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { serveHttp, type RunningHttpServer } from "mcpkit/node";
import { assertWireValid, type WireLine } from "../helpers/wire.js";
import { MODERN, messages, readEvents } from "./fixture.js";
import { ECHO, rejectsWith } from "../helpers/expect.js";

const T = { timeout: 60_000 };
const RUN_HOST = Symbol.for("mcpkit.runHost");

/** Import examples/<name> with a run host installed, and get the server it starts. */
async function loadExample(name: string): Promise<any> {
  let server: unknown;
  (globalThis as any)[RUN_HOST] = async (s: unknown) => {
    server = s;
  };
  try {
    await import(`../../examples/${name}`);
  } finally {
    delete (globalThis as any)[RUN_HOST];
  }
  if (!server) throw new Error(`examples/${name} did not call run()`);
  return server;
}

interface Seen {
  method: string;
  headers: Headers;
  status: number;
  type: string | null;
}

interface Session {
  client: Client;
  http: RunningHttpServer;
  seen: Seen[];
  wire: WireLine[];
}

async function open(name: string): Promise<Session> {
  const mcp = await loadExample(name);
  const http = await serveHttp(mcp, { port: 0 });
  const seen: Seen[] = [];
  const wire: WireLine[] = [];
  const tap: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    seen.push({ method: init?.method ?? "GET", headers: new Headers(init?.headers), status: res.status, type: res.headers.get("content-type") });
    if (typeof init?.body === "string") wire.push({ dir: "in", msg: JSON.parse(init.body) });
    const copy = res.clone();
    const type = res.headers.get("content-type") ?? "";
    if (type.startsWith("application/json")) wire.push({ dir: "out", msg: await copy.json() });
    else if (type.startsWith("text/event-stream") && copy.body) {
      void readEvents(copy.body).then(({ events }) => messages(events).forEach((msg) => wire.push({ dir: "out", msg })));
    }
    return res;
  };
  const client = new Client({ name: "v2-http", version: "2.0.0" }, { versionNegotiation: { mode: { pin: MODERN } } });
  await client.connect(new StreamableHTTPClientTransport(new URL(http.url), { fetch: tap }));
  return { client, http, seen, wire };
}

const stamped = <T extends object>(r: T, name: string) => ({ ...r, _meta: { "io.modelcontextprotocol/serverInfo": { name, version: "1.0.0" } } });
const text = (t: string, name: string) => stamped({ content: [{ type: "text", text: t }] }, name);

/** Headers the 2026-07-28 HTTP binding requires, and no legacy session. */
function checkHeaders(s: Session): void {
  const posts = s.seen.filter((x) => x.method === "POST");
  assert.ok(posts.length > 0);
  for (const p of posts) {
    assert.equal(p.headers.get("mcp-protocol-version"), MODERN);
    assert.ok(p.headers.get("mcp-method"));
    assert.equal(p.headers.get("mcp-session-id"), null);
    assert.equal(p.status, 200);
  }
  assert.deepEqual(s.seen.filter((x) => x.method !== "POST"), [], "no GET or DELETE in the modern era");
  assert.equal(s.http.handler.legacy.sessions.size, 0);
}

describe("official v2 client (2026-07-28) -> examples/echo.ts over HTTP", T, () => {
  let s: Session;
  before(async () => {
    s = await open("echo.ts");
  });
  after(async () => {
    await s?.client.close();
    await s?.http.close();
  });

  it("discovers the server in the modern era, with no initialize and no session", () => {
    assert.equal(s.client.getProtocolEra(), "modern");
    assert.equal(s.client.getNegotiatedProtocolVersion(), MODERN);
    assert.deepEqual(s.client.getServerVersion(), ECHO.serverInfo);
    assert.deepEqual(s.client.getServerCapabilities(), ECHO.capabilities);
    assert.equal(s.seen[0].headers.get("mcp-method"), "server/discover");
  });

  it("tool, resource template and prompt, exactly", async () => {
    assert.deepEqual((await s.client.listTools()).tools, ECHO.tools);
    assert.deepEqual(await s.client.callTool({ name: "echo_tool", arguments: { message: "hi" } }), text("Tool echo: hi", "Echo"));
    // A non-ASCII tool argument is fine; Mcp-Name carries the (ASCII) tool name.
    assert.deepEqual(await s.client.callTool({ name: "echo_tool", arguments: { message: "café ☕" } }), text("Tool echo: café ☕", "Echo"));
    const call = s.seen.filter((x) => x.headers.get("mcp-method") === "tools/call").at(-1)!;
    assert.equal(call.headers.get("mcp-name"), "echo_tool");
    assert.deepEqual((await s.client.listResourceTemplates()).resourceTemplates, ECHO.resourceTemplates);
    const r = await s.client.readResource({ uri: "echo://caf%C3%A9" });
    assert.deepEqual(r.contents, [{ uri: "echo://caf%C3%A9", mimeType: "text/plain", text: "Resource echo: café" }]);
    assert.equal(s.seen.at(-1)!.headers.get("mcp-name"), "echo://caf%C3%A9");
    assert.deepEqual((await s.client.listPrompts()).prompts, ECHO.prompts);
    assert.deepEqual(
      await s.client.getPrompt({ name: "echo_prompt", arguments: { message: "hi" } }),
      stamped({ description: "Create an echo prompt", messages: [{ role: "user", content: { type: "text", text: "Please process this message: hi" } }] }, "Echo"),
    );
  });

  it("errors: unknown tool, missing prompt argument (JSON-RPC errors on HTTP 200)", async () => {
    await rejectsWith(s.client.callTool({ name: "echo", arguments: {} }), -32602, /Unknown tool: echo/);
    await rejectsWith(s.client.getPrompt({ name: "echo_prompt" }), -32602, /Missing required arguments for prompt echo_prompt: message/);
    // ping is not part of 2026-07-28: the client refuses it locally, nothing reaches the wire.
    const before = s.seen.length;
    await assert.rejects(s.client.ping());
    assert.equal(s.seen.length, before);
  });

  it("modern headers on every POST; every message the server wrote validates against 2026-07-28", () => {
    checkHeaders(s);
    assert.ok(assertWireValid(s.wire, "server", MODERN) >= 9);
  });
});

describe("official v2 client (2026-07-28) -> examples/quickstart.ts over HTTP", T, () => {
  let s: Session;
  before(async () => {
    s = await open("quickstart.ts");
  });
  after(async () => {
    await s?.client.close();
    await s?.http.close();
  });

  it("add, greeting://{name}, invalid arguments as a tool error", async () => {
    assert.equal(s.client.getProtocolEra(), "modern");
    assert.deepEqual(s.client.getServerVersion(), { name: "Demo", version: "1.0.0" });
    assert.deepEqual((await s.client.listTools()).tools.map((t) => t.name), ["add"]);
    assert.deepEqual(await s.client.callTool({ name: "add", arguments: { a: 40, b: 2 } }), text("42", "Demo"));
    assert.deepEqual((await s.client.listResourceTemplates()).resourceTemplates, [
      { name: "greeting://{name}", uriTemplate: "greeting://{name}", description: "Get a personalized greeting" },
    ]);
    const r = await s.client.readResource({ uri: "greeting://World" });
    assert.deepEqual(r.contents, [{ uri: "greeting://World", mimeType: "text/plain", text: "Hello, World!" }]);
    const bad = await s.client.callTool({ name: "add", arguments: { a: 1.5, b: 2 } });
    assert.equal(bad.isError, true);
    assert.match((bad.content as { text: string }[])[0].text, /Invalid arguments for tool add/);
  });

  it("several calls at once are independent requests", async () => {
    const all = await Promise.all([1, 2, 3, 4, 5].map((i) => s.client.callTool({ name: "add", arguments: { a: i, b: i } })));
    assert.deepEqual(all, [2, 4, 6, 8, 10].map((n) => text(String(n), "Demo")));
  });

  it("modern headers on every POST; every message the server wrote validates", () => {
    checkHeaders(s);
    assert.ok(assertWireValid(s.wire, "server", MODERN) >= 5);
  });
});
