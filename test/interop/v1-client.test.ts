// The official v1 client (@modelcontextprotocol/sdk 1.x) drives mcpkit servers over stdio in
// the legacy era: the fixture server at 2025-11-25 and at 2024-11-05, and examples/lowlevel.ts.
// Every message our server writes is captured by a tee and checked against the schema.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { Transport, TransportSendOptions } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  LoggingMessageNotificationSchema,
  type JSONRPCMessage,
} from "@modelcontextprotocol/sdk/types.js";
import { EXAMPLE, FIXTURE, assertWireValid, readWire, sessionRevision, teed, textOf } from "../helpers/wire.js";
import { rejectsWith } from "../helpers/expect.js";

/** v1 always offers its latest revision; rewrite the outgoing initialize to ask for another (see NOTES). */
function forceInitializeVersion<T extends Transport>(transport: T, version: string): T {
  const send = transport.send.bind(transport);
  transport.send = (msg: JSONRPCMessage, opts?: TransportSendOptions) =>
    send("method" in msg && msg.method === "initialize" ? { ...msg, params: { ...msg.params, protocolVersion: version } } : msg, opts);
  return transport;
}

interface Session {
  client: Client;
  log: string;
  logs: unknown[];
  sampled: unknown[];
  elicited: unknown[];
}

async function open(args: string[], version?: string): Promise<Session> {
  const spawn = teed(args);
  const transport = new StdioClientTransport({ command: spawn.command, args: spawn.args, cwd: spawn.cwd, stderr: "inherit" });
  const client = new Client({ name: "v1-interop", version: "1.0.0" }, { capabilities: { sampling: {}, elicitation: {} } });
  const s: Session = { client, log: spawn.log, logs: [], sampled: [], elicited: [] };
  client.setRequestHandler(CreateMessageRequestSchema, async (req) => {
    s.sampled.push(req.params);
    const last = req.params.messages.at(-1)?.content as { text?: string };
    return { model: "test-model", role: "assistant", content: { type: "text", text: `you said ${last.text}` } };
  });
  client.setRequestHandler(ElicitRequestSchema, async (req) => {
    s.elicited.push(req.params);
    return { action: "accept", content: { confirm: true } };
  });
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    s.logs.push(n.params);
  });
  await client.connect(version ? forceInitializeVersion(transport, version) : transport);
  return s;
}


const TOOL_NAMES = ["add", "echo", "log", "progress", "sample", "confirm", "fail"];

for (const rev of ["2025-11-25", "2024-11-05"]) {
  describe(`official v1 client -> mcpkit fixture server at ${rev}`, () => {
    let s: Session;
    before(async () => {
      s = await open(FIXTURE, rev === "2025-11-25" ? undefined : rev);
    });
    after(() => s?.client.close());

    it("initialize negotiates the revision and reports the server", () => {
      assert.equal(sessionRevision(readWire(s.log)), rev);
      assert.deepEqual(s.client.getServerVersion(), { name: "mcpkit-fixture", version: "1.2.3" });
      assert.deepEqual(s.client.getServerCapabilities(), { logging: {}, completions: {}, prompts: {}, resources: {}, tools: {} });
      assert.equal(s.client.getInstructions(), "Fixture server for interop tests.");
    });

    it("ping", async () => {
      assert.deepEqual(await s.client.ping(), {});
    });

    it("tools: list, call, tool errors and protocol errors", async () => {
      const { tools } = await s.client.listTools();
      assert.deepEqual(tools.map((t) => t.name), TOOL_NAMES);
      assert.deepEqual(tools[0], {
        name: "add",
        description: "Add two numbers",
        inputSchema: { type: "object", properties: { a: { type: "number" }, b: { type: "number" } }, required: ["a", "b"] },
      });
      assert.deepEqual(await s.client.callTool({ name: "add", arguments: { a: 2, b: 3 } }), { content: [{ type: "text", text: "5" }] });
      assert.equal(textOf(await s.client.callTool({ name: "echo", arguments: { message: "hi" } })), "Echo: hi");
      assert.deepEqual(await s.client.callTool({ name: "fail", arguments: {} }), {
        content: [{ type: "text", text: "this tool always fails" }],
        isError: true,
      });
      await rejectsWith(s.client.callTool({ name: "nope", arguments: {} }), -32602, /Unknown tool: nope/);
    });

    it("prompts: list, get, missing argument", async () => {
      assert.deepEqual(await s.client.listPrompts(), {
        prompts: [{ name: "greet", description: "Greet someone", arguments: [{ name: "name", description: "Who", required: true }] }],
      });
      assert.deepEqual(await s.client.getPrompt({ name: "greet", arguments: { name: "Ada" } }), {
        description: "Greet someone",
        messages: [{ role: "user", content: { type: "text", text: "Hello Ada" } }],
      });
      await rejectsWith(s.client.getPrompt({ name: "greet" }), -32602, /Missing required argument: name/);
    });

    it("resources: list, templates, read static and templated, not found", async () => {
      assert.deepEqual(await s.client.listResources(), {
        resources: [{ uri: "test://static", name: "static", description: "A static resource", mimeType: "text/plain" }],
      });
      assert.deepEqual(await s.client.listResourceTemplates(), {
        resourceTemplates: [{ uriTemplate: "greeting://{name}", name: "greeting", description: "A greeting", mimeType: "text/plain" }],
      });
      assert.deepEqual(await s.client.readResource({ uri: "test://static" }), {
        contents: [{ uri: "test://static", mimeType: "text/plain", text: "static content" }],
      });
      assert.deepEqual(await s.client.readResource({ uri: "greeting://Ada" }), {
        contents: [{ uri: "greeting://Ada", mimeType: "text/plain", text: "Hello, Ada!" }],
      });
      // Legacy revisions number "resource not found" -32002.
      await rejectsWith(s.client.readResource({ uri: "nope://x" }), -32002, /Resource not found: nope:\/\/x/);
    });

    it("completion", async () => {
      const r = await s.client.complete({ ref: { type: "ref/prompt", name: "greet" }, argument: { name: "name", value: "Al" } });
      assert.deepEqual(r, { completion: { values: ["Alice", "Albert"], total: 2, hasMore: false } });
    });

    it("logging: ctx.log honours logging/setLevel", async () => {
      await s.client.setLoggingLevel("info");
      assert.equal(textOf(await s.client.callTool({ name: "log", arguments: {} })), "logged");
      assert.deepEqual(s.logs, [
        { level: "info", logger: "fixture", data: { step: "info" } },
        { level: "warning", logger: "fixture", data: "careful" },
      ]);
    });

    it("progress: ctx.reportProgress reaches onprogress (messages only from 2025-03-26)", async () => {
      const seen: unknown[] = [];
      const r = await s.client.callTool({ name: "progress", arguments: { steps: 3 } }, undefined, { onprogress: (p) => seen.push(p) });
      assert.equal(textOf(r), "done after 3 steps");
      const expected = [1, 2, 3].map((i) => (rev >= "2025-03-26" ? { progress: i, total: 3, message: `step ${i}` } : { progress: i, total: 3 }));
      assert.deepEqual(seen, expected);
      // On the wire, each notification carries the token the client put into the request.
      const wire = readWire(s.log);
      const call = wire.find((l) => l.dir === "in" && l.msg.params?.name === "progress")!;
      const token = call.msg.params._meta.progressToken;
      assert.notEqual(token, undefined);
      const sent = wire.filter((l) => l.dir === "out" && l.msg.method === "notifications/progress").map((l) => l.msg.params);
      assert.deepEqual(sent, expected.map((p) => ({ progressToken: token, ...p })));
    });

    it("sampling: ctx.request('sampling/createMessage') is answered by the client", async () => {
      const r = await s.client.callTool({ name: "sample", arguments: { prompt: "What is 2+2?" } });
      assert.equal(textOf(r), "test-model said: you said What is 2+2?");
      assert.deepEqual(s.sampled, [{ messages: [{ role: "user", content: { type: "text", text: "What is 2+2?" } }], maxTokens: 50 }]);
    });

    it(`elicitation: ${rev >= "2025-06-18" ? "ctx.request('elicitation/create') is answered" : "refused, the revision has no elicitation"}`, async () => {
      const r = await s.client.callTool({ name: "confirm", arguments: { action: "deploy" } });
      if (rev >= "2025-06-18") {
        assert.equal(textOf(r), "deploy: confirmed");
        assert.deepEqual(s.elicited, [
          {
            mode: "form",
            message: "Really deploy?",
            requestedSchema: { type: "object", properties: { confirm: { type: "boolean" } }, required: ["confirm"] },
          },
        ]);
      } else {
        assert.equal(r.isError, true);
        assert.match(textOf(r), /elicitation\/create is not part of protocol revision 2024-11-05/);
        assert.deepEqual(s.elicited, []);
        assert.ok(!readWire(s.log).some((l) => l.msg.method === "elicitation/create"));
      }
    });

    it(`every message the server wrote validates against the ${rev} schema`, async () => {
      await s.client.close();
      const wire = readWire(s.log);
      assert.equal(sessionRevision(wire), rev);
      const n = assertWireValid(wire, "server", rev);
      assert.ok(n >= 25, `only ${n} server messages captured`);
    });
  });
}

describe("official v1 client -> examples/lowlevel.ts", () => {
  let s: Session;
  before(async () => {
    s = await open(EXAMPLE);
  });
  after(() => s?.client.close());

  it("handshake", () => {
    assert.deepEqual(s.client.getServerVersion(), { name: "example", version: "0.1.0" });
    assert.deepEqual(s.client.getServerCapabilities(), { logging: {}, prompts: {}, tools: {} });
  });

  it("lists and gets example-prompt", async () => {
    assert.deepEqual(await s.client.listPrompts(), {
      prompts: [
        {
          name: "example-prompt",
          description: "An example prompt template",
          arguments: [{ name: "arg1", description: "Example argument", required: true }],
        },
      ],
    });
    assert.deepEqual(await s.client.getPrompt({ name: "example-prompt", arguments: { arg1: "hello" } }), {
      description: "Example prompt",
      messages: [{ role: "user", content: { type: "text", text: "Example prompt text (arg1=hello)" } }],
    });
    await rejectsWith(s.client.getPrompt({ name: "example-prompt" }), -32602, /Missing required argument: arg1/);
    await rejectsWith(s.client.getPrompt({ name: "other" }), -32602, /Unknown prompt: other/);
  });

  it("calls query_db against the lifespan's database", async () => {
    const { tools } = await s.client.listTools();
    assert.deepEqual(tools.map((t) => t.name), ["query_db"]);
    assert.equal(textOf(await s.client.callTool({ name: "query_db", arguments: { query: "alp" } })), '[{"id":1,"name":"alpha"}]');
    assert.equal(
      textOf(await s.client.callTool({ name: "query_db", arguments: { query: "a" } })),
      '[{"id":1,"name":"alpha"},{"id":2,"name":"beta"}]',
    );
    assert.equal(textOf(await s.client.callTool({ name: "query_db", arguments: { query: "zzz" } })), "[]");
  });

  it("every message the example wrote validates against the 2025-11-25 schema", async () => {
    await s.client.close();
    const wire = readWire(s.log);
    assert.equal(sessionRevision(wire), "2025-11-25");
    assert.ok(assertWireValid(wire, "server", "2025-11-25") >= 8);
  });
});
