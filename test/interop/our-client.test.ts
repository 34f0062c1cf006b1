// mcpkit's Client, over our StdioClientTransport, drives official servers: the v1 SDK peer
// (legacy only: discover fails, initialize follows), the v2 SDK peer (modern, and legacy on
// request) and @modelcontextprotocol/server-everything. A TapTransport records both directions;
// every message our client sent is checked against the schema of the revision in use.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { Client } from "../../src/client/client.js";
import type { ClientOptions } from "../../src/client/types.js";
import type { InputRequiredResult } from "../../src/protocol/types.js";
import { StdioClientTransport } from "../../src/transports/stdio-client.js";
import { MODERN, NODE, ROOT, TapTransport, V1_PEER, V2_PEER, assertWireValid, textOf } from "../helpers/wire.js";
import { rejectsWith } from "../helpers/expect.js";

const EVERYTHING = [createRequire(import.meta.url).resolve("@modelcontextprotocol/server-everything/dist/index.js"), "stdio"];
const ENVELOPE_KEYS = ["io.modelcontextprotocol/clientCapabilities", "io.modelcontextprotocol/clientInfo", "io.modelcontextprotocol/protocolVersion"];
const INFO = { name: "mcpkit-interop", version: "0.1.0" };

interface Session {
  client: Client;
  tap: TapTransport;
  stdio: StdioClientTransport;
}

async function open(args: string[], opts: ClientOptions = {}): Promise<Session> {
  const stdio = new StdioClientTransport({ command: NODE, args, cwd: ROOT, stderr: "pipe" });
  const tap = new TapTransport(stdio);
  const client = new Client(INFO, opts);
  await client.connect(tap);
  return { client, tap, stdio };
}

/** The wire as [direction, method | "result" | "error <code>"], for sequence checks. */
const shape = (s: Session) =>
  s.tap.lines.map((l) => [l.dir, l.msg.method ?? (l.msg.error ? `error ${l.msg.error.code}` : "result")]);

/** Our Client resolves input_required itself; its results are typed with it, so narrow (and check). */
function complete<R>(r: R | InputRequiredResult): R {
  assert.notEqual((r as { resultType?: unknown }).resultType, "input_required");
  return r as R;
}


describe("mcpkit Client -> official v1 server", () => {
  let s: Session;
  before(async () => {
    s = await open(V1_PEER);
  });
  after(() => s?.client.close());

  it("falls back to initialize after server/discover fails", () => {
    assert.equal(s.client.era, "legacy");
    assert.equal(s.client.protocolVersion, "2025-11-25");
    assert.deepEqual(s.client.serverInfo, { name: "v1-peer", version: "1.0.0" });
    assert.deepEqual(s.client.serverCapabilities, { tools: { listChanged: true }, resources: { listChanged: true }, prompts: { listChanged: true } });
    assert.deepEqual(shape(s).slice(0, 5), [
      ["out", "server/discover"],
      ["in", "error -32601"],
      ["out", "initialize"],
      ["in", "result"],
      ["out", "notifications/initialized"],
    ]);
  });

  it("tools: list, call, unknown tool", async () => {
    const { tools } = await s.client.listTools();
    assert.deepEqual(tools.map((t) => t.name), ["add", "echo"]);
    assert.deepEqual(await s.client.callTool("add", { a: 2, b: 3 }), { content: [{ type: "text", text: "5" }] });
    assert.equal(textOf(await s.client.callTool("echo", { message: "hi" })), "Echo: hi");
    // v1 reports an unknown tool as a tool error result.
    const r = await s.client.callTool("nope", {});
    assert.equal(r.isError, true);
    assert.match(textOf(r), /nope/);
  });

  it("resources and prompts", async () => {
    const { resources } = await s.client.listResources();
    assert.deepEqual(resources.map((r) => r.uri), ["test://static"]);
    const { resourceTemplates } = await s.client.listResourceTemplates();
    assert.deepEqual(resourceTemplates.map((t) => t.uriTemplate), ["greeting://{name}"]);
    assert.deepEqual(await s.client.readResource("test://static"), { contents: [{ uri: "test://static", mimeType: "text/plain", text: "static content" }] });
    assert.deepEqual(await s.client.readResource("greeting://Bob"), { contents: [{ uri: "greeting://Bob", mimeType: "text/plain", text: "Hello, Bob!" }] });
    const { prompts } = await s.client.listPrompts();
    assert.deepEqual(prompts.map((p) => p.name), ["greet"]);
    assert.deepEqual(await s.client.getPrompt("greet", { name: "Z" }), { messages: [{ role: "user", content: { type: "text", text: "Hello Z" } }] });
    assert.deepEqual(await s.client.ping(), {});
  });

  it("every message our client sent validates (discover: 2026-07-28, the rest: 2025-11-25)", async () => {
    await s.client.close();
    assert.ok(assertWireValid(s.tap.lines, "client", "2025-11-25") >= 10);
  });

  it("asks for 2024-11-05 without probing when told to", async () => {
    const old = await open(V1_PEER, { era: "legacy", protocolVersion: "2024-11-05" });
    try {
      assert.equal(old.client.protocolVersion, "2024-11-05");
      assert.equal(textOf(await old.client.callTool("add", { a: 1, b: 1 })), "2");
    } finally {
      await old.client.close();
    }
    assert.deepEqual(shape(old).slice(0, 3), [["out", "initialize"], ["in", "result"], ["out", "notifications/initialized"]]);
    assert.equal(old.tap.lines[0].msg.params.protocolVersion, "2024-11-05");
    assertWireValid(old.tap.lines, "client", "2024-11-05");
  });
});

describe("mcpkit Client -> official v2 server", () => {
  let s: Session;
  before(async () => {
    s = await open(V2_PEER);
  });
  after(() => s?.client.close());

  it("discovers the modern era: no initialize", () => {
    assert.equal(s.client.era, "modern");
    assert.equal(s.client.protocolVersion, MODERN);
    assert.deepEqual(s.client.serverInfo, { name: "v2-peer", version: "2.0.0" });
    assert.deepEqual(s.client.serverCapabilities, { tools: { listChanged: true }, resources: { listChanged: true }, prompts: { listChanged: true } });
    assert.deepEqual(shape(s).slice(0, 2), [["out", "server/discover"], ["in", "result"]]);
  });

  it("tools/list, tools/call, prompts/get, resources/read", async () => {
    const { tools } = await s.client.listTools();
    assert.deepEqual(tools.map((t) => t.name), ["add", "echo"]);
    const add = await s.client.callTool("add", { a: 2, b: 3 });
    assert.equal(add.resultType, "complete");
    assert.deepEqual(add.content, [{ type: "text", text: "5" }]);
    assert.deepEqual((add._meta as any)["io.modelcontextprotocol/serverInfo"], { name: "v2-peer", version: "2.0.0" });
    assert.equal(textOf(await s.client.callTool("echo", { message: "hi" })), "Echo: hi");
    const p = await s.client.getPrompt("greet", { name: "Z" });
    assert.deepEqual(p.messages, [{ role: "user", content: { type: "text", text: "Hello Z" } }]);
    const r = await s.client.readResource("greeting://Bob");
    assert.deepEqual(r.contents, [{ uri: "greeting://Bob", mimeType: "text/plain", text: "Hello, Bob!" }]);
    assert.equal(r.ttlMs, 0);
    assert.equal(r.cacheScope, "private");
  });

  it("errors: unknown tool, missing prompt argument", async () => {
    await rejectsWith(s.client.callTool("nope", {}), -32602, /Tool nope not found/);
    await rejectsWith(s.client.getPrompt("greet", {}), -32602, /name/);
  });

  it("every request carries the _meta envelope; all our messages validate against 2026-07-28", async () => {
    await s.client.close();
    const requests = s.tap.lines.filter((l) => l.dir === "out" && "method" in l.msg);
    assert.ok(requests.length >= 7);
    for (const l of requests) assert.deepEqual(Object.keys(l.msg.params._meta).sort(), ENVELOPE_KEYS, l.msg.method);
    assert.ok(!requests.some((l) => l.msg.method === "initialize"));
    assertWireValid(s.tap.lines, "client", MODERN);
  });

  it("serves us the legacy era when we ask for it", async () => {
    const old = await open(V2_PEER, { era: "legacy" });
    try {
      assert.equal(old.client.era, "legacy");
      assert.equal(old.client.protocolVersion, "2025-11-25");
      assert.deepEqual(await old.client.callTool("add", { a: 2, b: 3 }), { content: [{ type: "text", text: "5" }] });
    } finally {
      await old.client.close();
    }
    assertWireValid(old.tap.lines, "client", "2025-11-25");
  });
});

describe("mcpkit Client -> @modelcontextprotocol/server-everything", () => {
  let s: Session;
  const sampled: unknown[] = [];
  const logs: unknown[] = [];
  before(async () => {
    s = await open(EVERYTHING, {
      handlers: {
        "sampling/createMessage": async (p) => {
          sampled.push(p);
          return { model: "test-model", role: "assistant", content: { type: "text", text: "Paris" } };
        },
        "roots/list": async () => ({ roots: [{ uri: "file:///tmp/project", name: "project" }] }),
      },
      notificationHandlers: { "notifications/message": (p) => logs.push(p) },
    });
  });
  after(() => s?.client.close());

  it("connects in the legacy era", () => {
    assert.equal(s.client.era, "legacy");
    assert.equal(s.client.protocolVersion, "2025-11-25");
    assert.deepEqual(s.client.serverInfo, { name: "mcp-servers/everything", title: "Everything Reference Server", version: "2.0.0" });
    assert.match(s.stdio.stderrText, /Starting default \(STDIO\) server/);
  });

  it("lists tools, including those it registers for our declared capabilities", async () => {
    const names = (await s.client.listTools()).tools.map((t) => t.name);
    for (const n of ["echo", "get-sum", "get-tiny-image", "get-structured-content", "trigger-long-running-operation", "get-roots-list", "trigger-sampling-request"]) {
      assert.ok(names.includes(n), `${n} missing from ${names.join(", ")}`);
    }
  });

  it("calls echo and get-sum", async () => {
    assert.deepEqual(await s.client.callTool("echo", { message: "hi" }), { content: [{ type: "text", text: "Echo: hi" }] });
    assert.deepEqual(await s.client.callTool("get-sum", { a: 2, b: 3 }), { content: [{ type: "text", text: "The sum of 2 and 3 is 5." }] });
  });

  it("reads a static and a templated resource", async () => {
    const doc = complete(await s.client.readResource("demo://resource/static/document/architecture.md"));
    assert.equal(doc.contents.length, 1);
    assert.equal(doc.contents[0].mimeType, "text/markdown");
    assert.match((doc.contents[0] as { text: string }).text, /^# Everything Server/);
    const dyn = complete(await s.client.readResource("demo://resource/dynamic/text/7"));
    assert.equal(dyn.contents[0].uri, "demo://resource/dynamic/text/7");
    assert.match((dyn.contents[0] as { text: string }).text, /^Resource 7: This is a plaintext resource/);
  });

  it("gets prompts and completions", async () => {
    assert.deepEqual(await s.client.getPrompt("simple-prompt"), {
      messages: [{ role: "user", content: { type: "text", text: "This is a simple prompt without arguments." } }],
    });
    assert.deepEqual(await s.client.getPrompt("args-prompt", { city: "Paris", state: "TX" }), {
      messages: [{ role: "user", content: { type: "text", text: "What's weather in Paris, TX?" } }],
    });
    const c = await s.client.complete({ ref: { type: "ref/prompt", name: "completable-prompt" }, argument: { name: "department", value: "E" } });
    assert.deepEqual(c.completion.values, ["Engineering"]);
  });

  it("answers the server's sampling and roots requests through our handlers", async () => {
    const r = await s.client.callTool("trigger-sampling-request", { prompt: "capital of France?", maxTokens: 20 });
    assert.match(textOf(r), /"text": "Paris"/);
    assert.deepEqual(sampled, [
      {
        messages: [{ role: "user", content: { type: "text", text: "Resource trigger-sampling-request context: capital of France?" } }],
        systemPrompt: "You are a helpful test server.",
        maxTokens: 20,
        temperature: 0.7,
      },
    ]);
    assert.match(textOf(await s.client.callTool("get-roots-list", {})), /file:\/\/\/tmp\/project/);
    assert.ok(logs.some((l: any) => /Roots updated: 1 root/.test(String(l.data))), JSON.stringify(logs));
  });

  it("every message our client sent (responses included) validates against 2025-11-25", async () => {
    await s.client.close();
    // Our answers to the server: one sampling result, and one roots list per roots/list the server
    // sent (it also syncs roots on a 350 ms timer after initialize, so there may be two).
    const answers = s.tap.lines.filter((l) => l.dir === "out" && "result" in l.msg).map((l) => Object.keys(l.msg.result).join());
    assert.equal(answers.filter((k) => k === "model,role,content").length, 1, answers.join(" | "));
    assert.ok(answers.includes("roots"), answers.join(" | "));
    assert.ok(answers.every((k) => k === "model,role,content" || k === "roots"), answers.join(" | "));
    assert.ok(assertWireValid(s.tap.lines, "client", "2025-11-25") >= 12);
  });
});
