// The official v2 client (@modelcontextprotocol/client 2.x) drives the mcpkit fixture server
// over stdio: pinned to 2026-07-28, in auto mode (sibling probe and in-place probe), and in the
// legacy era at 2024-11-05. Every message our server writes is checked against the schema.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { FIXTURE, MODERN, assertWireValid, perProcess, readWire, sessionRevision, teed, textOf, type WireLine } from "../helpers/wire.js";
import { rejectsWith } from "../helpers/expect.js";

/** Any subclass makes the v2 client probe on the session's own pipe instead of a sibling process (NOTES). */
class InPlaceStdio extends StdioClientTransport {}

type Negotiation = { mode: "auto" | { pin: "2026-07-28" }; probe?: { timeoutMs: number } };

interface Session {
  client: Client;
  log: string;
  sampled: unknown[];
  elicited: unknown[];
  logs: unknown[];
}

async function open(opts: { negotiation?: Negotiation; versions?: string[]; inPlace?: boolean }): Promise<Session> {
  const spawn = teed(FIXTURE);
  const Transport = opts.inPlace ? InPlaceStdio : StdioClientTransport;
  const transport = new Transport({ command: spawn.command, args: spawn.args, cwd: spawn.cwd, stderr: "inherit" });
  const client = new Client(
    { name: "v2-interop", version: "2.0.0" },
    {
      capabilities: { sampling: {}, elicitation: { form: {} } },
      ...(opts.negotiation ? { versionNegotiation: opts.negotiation } : {}),
      ...(opts.versions ? { supportedProtocolVersions: opts.versions } : {}),
    },
  );
  const s: Session = { client, log: spawn.log, sampled: [], elicited: [], logs: [] };
  client.setRequestHandler("sampling/createMessage", async (req) => {
    s.sampled.push(req.params);
    return { model: "test-model", role: "assistant", content: { type: "text", text: "four" } };
  });
  client.setRequestHandler("elicitation/create", async (req) => {
    s.elicited.push(req.params);
    return { action: "accept", content: { confirm: true } };
  });
  client.setNotificationHandler("notifications/message", (n) => {
    s.logs.push(n.params);
  });
  await client.connect(transport);
  return s;
}

const SERVER_INFO = { name: "mcpkit-fixture", version: "1.2.3" };
/** What v2 returns for a modern result: resultType stripped, our serverInfo stamp kept. */
const modern = <T extends object>(r: T) => ({ ...r, _meta: { "io.modelcontextprotocol/serverInfo": SERVER_INFO } });
const CAPS = { logging: {}, completions: {}, prompts: {}, resources: {}, tools: {} };
const ENVELOPE_KEYS = ["io.modelcontextprotocol/protocolVersion", "io.modelcontextprotocol/clientInfo", "io.modelcontextprotocol/clientCapabilities"];

/** Every process's traffic validates on its own (ids restart per process). */
function checkAll(wire: WireLine[], rev: string): number {
  return perProcess(wire).reduce((n, lines) => n + assertWireValid(lines, "server", rev), 0);
}

describe("official v2 client pinned to 2026-07-28 -> mcpkit fixture server", () => {
  let s: Session;
  before(async () => {
    s = await open({ negotiation: { mode: { pin: MODERN } } });
  });
  after(() => s?.client.close());

  it("discover: era, version, server info, capabilities, instructions", () => {
    assert.equal(s.client.getProtocolEra(), "modern");
    assert.equal(s.client.getNegotiatedProtocolVersion(), MODERN);
    assert.deepEqual(s.client.getServerVersion(), SERVER_INFO);
    assert.deepEqual(s.client.getServerCapabilities(), CAPS);
    const d = s.client.getDiscoverResult()!;
    assert.deepEqual(d.supportedVersions, [MODERN]);
    assert.equal(d.instructions, "Fixture server for interop tests.");
  });

  it("tools/list and tools/call", async () => {
    const { tools } = await s.client.listTools();
    assert.deepEqual(tools.map((t) => t.name), ["add", "echo", "log", "progress", "sample", "confirm", "fail"]);
    assert.deepEqual(tools[1], {
      name: "echo",
      description: "Echo a message",
      inputSchema: { type: "object", properties: { message: { type: "string" } }, required: ["message"] },
    });
    assert.deepEqual(await s.client.callTool({ name: "add", arguments: { a: 2, b: 3 } }), modern({ content: [{ type: "text", text: "5" }] }));
    assert.equal(textOf(await s.client.callTool({ name: "echo", arguments: { message: "hi" } })), "Echo: hi");
    assert.deepEqual(
      await s.client.callTool({ name: "fail", arguments: {} }),
      modern({ content: [{ type: "text", text: "this tool always fails" }], isError: true }),
    );
  });

  it("prompts/list and prompts/get", async () => {
    const { prompts } = await s.client.listPrompts();
    assert.deepEqual(prompts, [{ name: "greet", description: "Greet someone", arguments: [{ name: "name", description: "Who", required: true }] }]);
    assert.deepEqual(
      await s.client.getPrompt({ name: "greet", arguments: { name: "Ada" } }),
      modern({ description: "Greet someone", messages: [{ role: "user", content: { type: "text", text: "Hello Ada" } }] }),
    );
  });

  it("resources/list, resources/templates/list and resources/read", async () => {
    const { resources } = await s.client.listResources();
    assert.deepEqual(resources, [{ uri: "test://static", name: "static", description: "A static resource", mimeType: "text/plain" }]);
    const { resourceTemplates } = await s.client.listResourceTemplates();
    assert.deepEqual(resourceTemplates, [{ uriTemplate: "greeting://{name}", name: "greeting", description: "A greeting", mimeType: "text/plain" }]);
    const stat = await s.client.readResource({ uri: "test://static" });
    assert.deepEqual(stat.contents, [{ uri: "test://static", mimeType: "text/plain", text: "static content" }]);
    const greet = await s.client.readResource({ uri: "greeting://Ada" });
    assert.deepEqual(greet.contents, [{ uri: "greeting://Ada", mimeType: "text/plain", text: "Hello, Ada!" }]);
  });

  it("errors: unknown tool, unknown resource (-32602 in 2026-07-28), missing prompt argument", async () => {
    await rejectsWith(s.client.callTool({ name: "nope", arguments: {} }), -32602, /Unknown tool: nope/);
    await rejectsWith(s.client.readResource({ uri: "nope://x" }), -32602, /Resource not found: nope:\/\/x/);
    await rejectsWith(s.client.getPrompt({ name: "greet" }), -32602, /Missing required argument: name/);
  });

  it("completion/complete", async () => {
    const r = await s.client.complete({ ref: { type: "ref/prompt", name: "greet" }, argument: { name: "name", value: "Al" } });
    assert.deepEqual(r.completion, { values: ["Alice", "Albert"], total: 2, hasMore: false });
  });

  it("input_required: sampling and elicitation are fulfilled by the client's handlers and retried", async () => {
    assert.equal(textOf(await s.client.callTool({ name: "sample", arguments: { prompt: "2+2?" } })), "test-model said: four");
    assert.deepEqual(s.sampled, [{ messages: [{ role: "user", content: { type: "text", text: "2+2?" } }], maxTokens: 50 }]);
    assert.equal(textOf(await s.client.callTool({ name: "confirm", arguments: { action: "deploy" } })), "deploy: confirmed");
    assert.equal(s.elicited.length, 1);
    // The retry carried the answer and echoed requestState on a fresh id.
    const calls = readWire(s.log).filter((l) => l.dir === "in" && l.msg.params?.name === "sample");
    assert.equal(calls.length, 2);
    assert.notEqual(calls[0].msg.id, calls[1].msg.id);
    assert.equal(calls[1].msg.params.requestState, "sampling/createMessage:1");
    assert.deepEqual(calls[1].msg.params.inputResponses, { answer: { role: "assistant", content: { type: "text", text: "four" }, model: "test-model" } });
  });

  it("logging: only when the request sets a level in _meta", async () => {
    await s.client.callTool({ name: "log", arguments: {} });
    assert.deepEqual(s.logs, []);
    await s.client.callTool({ name: "log", arguments: {}, _meta: { "io.modelcontextprotocol/logLevel": "info" } });
    assert.deepEqual(s.logs, [
      { level: "info", logger: "fixture", data: { step: "info" } },
      { level: "warning", logger: "fixture", data: "careful" },
    ]);
  });

  it("progress reaches onprogress", async () => {
    const seen: unknown[] = [];
    const r = await s.client.callTool({ name: "progress", arguments: { steps: 2 } }, { onprogress: (p) => seen.push(p) });
    assert.equal(textOf(r), "done after 2 steps");
    assert.deepEqual(seen, [
      { progress: 1, total: 2, message: "step 1" },
      { progress: 2, total: 2, message: "step 2" },
    ]);
  });

  it("wire: the sibling probe only discovers; the session process opens with an enveloped request; all valid", async () => {
    await s.client.close();
    const [probe, session, ...rest] = perProcess(readWire(s.log));
    assert.equal(rest.length, 0);
    assert.deepEqual(probe.map((l) => [l.dir, l.msg.method ?? "response"]), [["in", "server/discover"], ["out", "response"]]);
    assert.equal(session[0].dir, "in");
    assert.notEqual(session[0].msg.method, "server/discover");
    assert.deepEqual(Object.keys(session[0].msg.params._meta).sort(), ENVELOPE_KEYS.sort());
    assert.ok(!session.some((l) => l.msg.method === "initialize"));
    assert.ok(checkAll([...probe, ...session], MODERN) >= 25);
  });
});

describe("official v2 client in auto mode -> mcpkit fixture server", () => {
  for (const inPlace of [false, true]) {
    it(`ends up modern (${inPlace ? "in-place probe on one pipe" : "probe on a sibling process"})`, async () => {
      const s = await open({ negotiation: { mode: "auto", probe: { timeoutMs: 5000 } }, inPlace });
      try {
        assert.equal(s.client.getProtocolEra(), "modern");
        assert.equal(s.client.getNegotiatedProtocolVersion(), MODERN);
        assert.equal(textOf(await s.client.callTool({ name: "add", arguments: { a: 20, b: 22 } })), "42");
      } finally {
        await s.client.close();
      }
      const procs = perProcess(readWire(s.log));
      assert.equal(procs.length, inPlace ? 1 : 2);
      const first = procs.at(-1)!;
      // In place: discover, then the call on the same pipe. Sibling: the session starts with the call.
      const methods = first.filter((l) => l.dir === "in").map((l) => l.msg.method);
      assert.deepEqual(methods, inPlace ? ["server/discover", "tools/call"] : ["tools/call"]);
      assert.ok(!procs.flat().some((l) => l.msg.method === "initialize"));
      assert.equal(sessionRevision(first), MODERN);
      checkAll(procs.flat(), MODERN);
    });
  }
});

describe("official v2 client in the legacy era at 2024-11-05 -> mcpkit fixture server", () => {
  let s: Session;
  before(async () => {
    s = await open({ versions: ["2024-11-05"] });
  });
  after(() => s?.client.close());

  it("negotiates 2024-11-05 with initialize", () => {
    assert.equal(s.client.getProtocolEra(), "legacy");
    assert.equal(s.client.getNegotiatedProtocolVersion(), "2024-11-05");
    assert.deepEqual(s.client.getServerVersion(), SERVER_INFO);
    assert.equal(sessionRevision(readWire(s.log)), "2024-11-05");
  });

  it("tools, prompts, resources", async () => {
    assert.deepEqual(await s.client.callTool({ name: "add", arguments: { a: 2, b: 3 } }), { content: [{ type: "text", text: "5" }] });
    const p = await s.client.getPrompt({ name: "greet", arguments: { name: "Ada" } });
    assert.deepEqual(p.messages, [{ role: "user", content: { type: "text", text: "Hello Ada" } }]);
    const r = await s.client.readResource({ uri: "greeting://Bo" });
    assert.deepEqual(r.contents, [{ uri: "greeting://Bo", mimeType: "text/plain", text: "Hello, Bo!" }]);
    // Our legacy engine numbers "resource not found" -32002 as these revisions say; the v2 client
    // reports it as -32602 (it folds the retired code into the 2026-07-28 one on receipt).
    await rejectsWith(s.client.readResource({ uri: "nope://x" }), -32602, /Resource not found: nope:\/\/x/);
    const answer = readWire(s.log).findLast((l) => l.dir === "out" && l.msg.error);
    assert.deepEqual(answer?.msg.error, { code: -32002, message: "Resource not found: nope://x", data: { uri: "nope://x" } });
  });

  it("progress without messages; sampling over the connection; no elicitation", async () => {
    const seen: unknown[] = [];
    await s.client.callTool({ name: "progress", arguments: { steps: 2 } }, { onprogress: (p) => seen.push(p) });
    assert.deepEqual(seen, [
      { progress: 1, total: 2 },
      { progress: 2, total: 2 },
    ]);
    assert.equal(textOf(await s.client.callTool({ name: "sample", arguments: { prompt: "2+2?" } })), "test-model said: four");
    const c = await s.client.callTool({ name: "confirm", arguments: { action: "deploy" } });
    assert.equal(c.isError, true);
    assert.deepEqual(s.elicited, []);
  });

  it("every message the server wrote validates against the 2024-11-05 schema", async () => {
    await s.client.close();
    assert.ok(checkAll(readWire(s.log), "2024-11-05") >= 10);
  });
});
