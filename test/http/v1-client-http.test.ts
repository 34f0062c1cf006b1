// The official v1 client (@modelcontextprotocol/sdk 1.x) drives an mcpkit McpServer over real
// HTTP (serveHttp on port 0): Streamable HTTP in the stateful (SSE answers), stateless and
// JSON-response modes, and the 2024-11-05 HTTP+SSE transport at /sse + /messages. Exact results
// for tools, resources and prompts; elicitation, progress and logging where the mode allows.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { ElicitRequestSchema, LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import type { RunningHttpServer, ServeHttpOptions } from "../../src/node/http.js";
import { INFO, serveFixture, until, type Fixture } from "./fixture.js";

const T = { timeout: 60_000 };

interface Exchange {
  method: string;
  status: number;
  type: string | null;
  session: string | null;
  version: string | null;
}

interface Session {
  client: Client;
  http: RunningHttpServer;
  fx: Fixture;
  /** Every HTTP exchange the client made (request method, response status and content type). */
  wire: Exchange[];
  logs: unknown[];
  elicited: unknown[];
  close(): Promise<void>;
}

async function open(kind: "streamable" | "sse", o: ServeHttpOptions = {}): Promise<Session> {
  const { fx, http, url, origin } = await serveFixture(o);
  const wire: Exchange[] = [];
  const tap: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    const h = new Headers(init?.headers);
    wire.push({ method: init?.method ?? "GET", status: res.status, type: res.headers.get("content-type"), session: h.get("mcp-session-id"), version: h.get("mcp-protocol-version") });
    return res;
  };
  const client = new Client({ name: "v1-http", version: "1.0.0" }, { capabilities: { elicitation: {} } });
  const s: Session = {
    client,
    http,
    fx,
    wire,
    logs: [],
    elicited: [],
    close: async () => {
      await client.close().catch(() => {});
      await http.close();
    },
  };
  client.setRequestHandler(ElicitRequestSchema, async (req) => {
    s.elicited.push(req.params);
    return { action: "accept", content: { confirm: true } };
  });
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void s.logs.push(n.params));
  const transport = kind === "sse" ? new SSEClientTransport(new URL(`${origin}/sse`), { fetch: tap }) : new StreamableHTTPClientTransport(new URL(url), { fetch: tap });
  await client.connect(transport);
  return s;
}

const text = (t: string) => ({ content: [{ type: "text", text: t }] });
const CAPS = { logging: {}, completions: {}, prompts: { listChanged: true }, resources: { subscribe: true, listChanged: true }, tools: { listChanged: true } };

/** What every mode must serve identically. */
async function basics(s: Session): Promise<void> {
  assert.deepEqual(s.client.getServerVersion(), INFO);
  assert.deepEqual(s.client.getServerCapabilities(), CAPS);
  assert.equal(s.client.getInstructions(), "HTTP fixture.");
  const { tools } = await s.client.listTools();
  assert.deepEqual(tools.map((t) => t.name), ["add", "echo", "confirm", "progress", "wait", "poll"]);
  assert.deepEqual(tools[0], {
    name: "add",
    description: "Add two numbers",
    inputSchema: { type: "object", properties: { a: { type: "number" }, b: { type: "number" } }, required: ["a", "b"] },
  });
  assert.deepEqual(await s.client.callTool({ name: "add", arguments: { a: 2, b: 3 } }), text("5"));
  assert.deepEqual(await s.client.callTool({ name: "echo", arguments: { message: "héllo" } }), text("Echo: héllo"));
  await assert.rejects(s.client.callTool({ name: "nope", arguments: {} }), (e: any) => e.code === -32602 && /Unknown tool: nope/.test(e.message));
  assert.deepEqual(await s.client.listResources(), {
    resources: [{ name: "static", uri: "test://static", description: "A static resource", mimeType: "text/plain" }],
  });
  assert.deepEqual(await s.client.listResourceTemplates(), {
    resourceTemplates: [{ name: "greeting", uriTemplate: "greeting://{name}", description: "A greeting", mimeType: "text/plain" }],
  });
  assert.deepEqual(await s.client.readResource({ uri: "test://static" }), { contents: [{ uri: "test://static", mimeType: "text/plain", text: "static content" }] });
  assert.deepEqual(await s.client.readResource({ uri: "greeting://Ada" }), { contents: [{ uri: "greeting://Ada", mimeType: "text/plain", text: "Hello, Ada!" }] });
  await assert.rejects(s.client.readResource({ uri: "nope://x" }), (e: any) => e.code === -32002);
  assert.deepEqual(await s.client.listPrompts(), {
    prompts: [{ name: "greet", description: "Greet someone", arguments: [{ name: "name", required: true }] }],
  });
  assert.deepEqual(await s.client.getPrompt({ name: "greet", arguments: { name: "Ada" } }), {
    description: "Greet someone",
    messages: [{ role: "user", content: { type: "text", text: "Hello Ada" } }],
  });
  assert.deepEqual(await s.client.ping(), {});
}

const STEPS = [1, 2, 3];

describe("official v1 client -> mcpkit over Streamable HTTP, stateful (SSE answers)", T, () => {
  let s: Session;
  before(async () => {
    s = await open("streamable");
  });
  after(() => s?.close());

  it("tools, resources and prompts with exact results; one session, revision header on every request", async () => {
    await basics(s);
    const sid = s.wire.find((w) => w.session)?.session;
    assert.ok(sid, "requests after initialize carry Mcp-Session-Id");
    assert.equal(s.http.handler.legacy.sessions.size, 1);
    assert.ok(s.http.handler.legacy.sessions.has(sid!));
    const posts = s.wire.filter((w) => w.method === "POST").slice(1);
    assert.ok(posts.every((w) => w.session === sid && w.version === "2025-11-25"));
  });

  it("progress and log notifications arrive on the call's SSE stream, in order", async () => {
    await s.client.setLoggingLevel("info");
    const progress: unknown[] = [];
    s.logs.length = 0;
    const before = s.wire.length;
    const r = await s.client.callTool({ name: "progress", arguments: { steps: 3 } }, undefined, { onprogress: (p) => void progress.push(p) });
    assert.deepEqual(r, text("done after 3 steps"));
    assert.deepEqual(progress, STEPS.map((i) => ({ progress: i, total: 3, message: `step ${i}` })));
    assert.deepEqual(s.logs, STEPS.map((i) => ({ level: "info", logger: "fixture", data: `step ${i}` })));
    const call = s.wire.slice(before).find((w) => w.method === "POST" && w.status === 200);
    assert.equal(call?.type, "text/event-stream");
  });

  it("elicitation: the server's request travels on the call's stream, the answer comes back as a POST", async () => {
    s.elicited.length = 0;
    assert.deepEqual(await s.client.callTool({ name: "confirm", arguments: { action: "deploy" } }), text("deploy: confirmed"));
    assert.deepEqual(s.elicited, [
      {
        mode: "form",
        message: "Really deploy?",
        requestedSchema: { type: "object", properties: { confirm: { type: "boolean" } }, required: ["confirm"] },
      },
    ]);
    // The elicitation answer is a POSTed JSON-RPC response: 202 Accepted.
    assert.ok(s.wire.some((w) => w.method === "POST" && w.status === 202));
  });

  it("terminateSession() ends the session with DELETE", async () => {
    assert.equal(s.http.handler.legacy.sessions.size, 1);
    await (s.client.transport as StreamableHTTPClientTransport).terminateSession();
    assert.equal(s.http.handler.legacy.sessions.size, 0);
    assert.ok(s.wire.some((w) => w.method === "DELETE" && w.status === 200));
  });
});

describe("official v1 client -> mcpkit over Streamable HTTP, stateless", T, () => {
  let s: Session;
  before(async () => {
    s = await open("streamable", { legacy: { mode: "stateless" } });
  });
  after(() => s?.close());

  it("serves everything without a session", async () => {
    await basics(s);
    assert.equal(s.http.handler.legacy.sessions.size, 0);
    assert.ok(s.wire.every((w) => w.session === null));
    // The client's GET stream is refused (no sessions, no server-initiated messages).
    assert.ok(s.wire.some((w) => w.method === "GET" && w.status === 405));
  });

  it("progress and logs still stream on the call's own response", async () => {
    const progress: unknown[] = [];
    s.logs.length = 0;
    // Stateless: no session keeps a log level, so logs are unfiltered; progress needs only the token.
    const r = await s.client.callTool({ name: "progress", arguments: { steps: 2 } }, undefined, { onprogress: (p) => void progress.push(p) });
    assert.deepEqual(r, text("done after 2 steps"));
    assert.deepEqual(progress, [1, 2].map((i) => ({ progress: i, total: 2, message: `step ${i}` })));
    assert.deepEqual(s.logs, [1, 2].map((i) => ({ level: "info", logger: "fixture", data: `step ${i}` })));
  });

  it("elicitation cannot reach the client: a JSON-RPC error on a 200, not a hang or a 4xx", async () => {
    const before = s.wire.length;
    await assert.rejects(s.client.callTool({ name: "confirm", arguments: { action: "deploy" } }), (e: any) => typeof e.code === "number" && e.code < 0);
    assert.deepEqual(s.elicited, []);
    assert.equal(s.wire.slice(before).find((w) => w.method === "POST")?.status, 200);
  });
});

describe("official v1 client -> mcpkit over Streamable HTTP, JSON-response mode", T, () => {
  let s: Session;
  before(async () => {
    s = await open("streamable", { legacy: { jsonResponse: true } });
  });
  after(() => s?.close());

  it("every answer is application/json", async () => {
    await basics(s);
    const answers = s.wire.filter((w) => w.method === "POST" && w.status === 200);
    assert.ok(answers.length >= 10);
    assert.ok(answers.every((w) => w.type === "application/json"), JSON.stringify(answers));
  });

  it("elicitation goes over the GET stream", async () => {
    await until(() => s.wire.some((w) => w.method === "GET" && w.status === 200), 10_000, "the GET stream");
    assert.deepEqual(await s.client.callTool({ name: "confirm", arguments: { action: "ship" } }), text("ship: confirmed"));
    assert.equal(s.elicited.length, 1);
    assert.equal((s.elicited[0] as { message: string }).message, "Really ship?");
  });

  it("request-scoped notifications are dropped, the answer is still JSON", async () => {
    const progress: unknown[] = [];
    const before = s.wire.length;
    const r = await s.client.callTool({ name: "progress", arguments: { steps: 2 } }, undefined, { onprogress: (p) => void progress.push(p) });
    assert.deepEqual(r, text("done after 2 steps"));
    assert.deepEqual(progress, []);
    assert.equal(s.wire.slice(before).find((w) => w.method === "POST" && w.status === 200)?.type, "application/json");
  });
});

describe("official v1 client -> mcpkit over HTTP+SSE (2024-11-05 transport at /sse + /messages)", T, () => {
  let s: Session;
  before(async () => {
    s = await open("sse");
  });
  after(() => s?.close());

  it("tools, resources and prompts with exact results", async () => {
    await basics(s);
    // Every message is a POST to /messages, answered 202; the answers arrive on the stream.
    const posts = s.wire.filter((w) => w.method === "POST");
    assert.ok(posts.length >= 10 && posts.every((w) => w.status === 202), JSON.stringify(posts));
  });

  it("progress, logs and elicitation on the one stream", async () => {
    await s.client.setLoggingLevel("info");
    const progress: unknown[] = [];
    s.logs.length = 0;
    const r = await s.client.callTool({ name: "progress", arguments: { steps: 3 } }, undefined, { onprogress: (p) => void progress.push(p) });
    assert.deepEqual(r, text("done after 3 steps"));
    assert.deepEqual(progress, STEPS.map((i) => ({ progress: i, total: 3, message: `step ${i}` })));
    assert.deepEqual(s.logs, STEPS.map((i) => ({ level: "info", logger: "fixture", data: `step ${i}` })));
    assert.deepEqual(await s.client.callTool({ name: "confirm", arguments: { action: "go" } }), text("go: confirmed"));
    assert.equal(s.elicited.length, 1);
  });
});
