// Tools in src/app across every revision: invalid arguments (tool error from 2025-11-25 on,
// -32602 before), thrown errors, unknown tools and prompts, output schemas, and how natural
// return values become content.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { Image, McpServer, embeddedResource, resourceLink, text } from "../../src/app/index.js";
import { ErrorCode, McpError } from "../../src/protocol/errors.js";
import { connect, ERAS, failure, LEGACY_LATEST, MODERN } from "../helpers/app.js";

const PNG_1x1 = Uint8Array.from(Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex"));

function server() {
  const mcp = new McpServer({ name: "Tools", version: "2.0.0" });
  mcp.tool("add", { input: { a: z.number(), b: z.number() } }, ({ a, b }) => a + b);
  mcp.tool("boom", () => {
    throw new Error("the tool broke");
  });
  mcp.tool("boom_string", () => {
    throw "plain string";
  });
  mcp.tool("protocol_error", () => {
    throw new McpError(ErrorCode.InvalidParams, "you asked for something impossible", { why: "test" });
  });
  mcp.tool("async_boom", async () => {
    await new Promise((r) => setTimeout(r, 1));
    throw new TypeError("late failure");
  });
  mcp.tool("typed_out", { output: { total: z.number() } }, () => ({ total: 3 }));
  mcp.tool("wrong_out", { output: { total: z.number() } }, () => ({ total: "three" }) as unknown as { total: number });
  mcp.tool("manual_result", { output: { n: z.number() } }, () => ({ content: [{ type: "text" as const, text: "custom" }], structuredContent: { n: 1 } }));
  mcp.tool("manual_error", { output: { n: z.number() } }, () => ({ content: [{ type: "text" as const, text: "nope" }], isError: true }));
  mcp.tool("object", () => ({ a: 1, b: [true] }));
  mcp.tool("many", () => ["one", 2, text("three", { priority: 1 }), new Image({ data: PNG_1x1 })]);
  mcp.tool("nothing", () => undefined);
  mcp.tool("links", () => [resourceLink("memo://1", "memo"), embeddedResource({ uri: "memo://2", text: "two" })]);
  mcp.prompt("hello", () => "hello");
  return mcp;
}

const textResult = (t: string) => ({ content: [{ type: "text", text: t }] });
/** What our Client returns for a modern result: resultType and the serverInfo stamp stay on. */
const plain = (r: Record<string, unknown>) => {
  const { resultType: _r, _meta: _m, ...rest } = r;
  return rest;
};

describe("invalid tool arguments, by revision", () => {
  for (const era of ERAS) {
    it(`${era.label}: ${era.argsAsToolError ? "a tool error (isError) the model can read" : "JSON-RPC -32602"}`, async () => {
      const mcp = server();
      const client = await connect(mcp, era.opts);
      try {
        assert.equal(client.protocolVersion, era.label);
        assert.deepEqual(plain(await client.callTool("add", { a: 1, b: 2 })), textResult("3"));
        const message = "Invalid arguments for tool add: b: Invalid input: expected number, received string";
        const call = client.callTool("add", { a: 1, b: "2" });
        if (era.argsAsToolError) assert.deepEqual(plain(await call), { ...textResult(message), isError: true });
        else assert.deepEqual(await failure(call), { code: -32602, message, data: undefined });
        // Missing arguments entirely are invalid too.
        const none = client.request("tools/call", { name: "add" });
        if (era.argsAsToolError) assert.equal((await none).isError, true);
        else assert.equal((await failure(none)).code, -32602);
      } finally {
        await client.close();
        await mcp.close();
      }
    });
  }
});

describe("errors from handlers and unknown names", () => {
  for (const era of [ERAS[0], LEGACY_LATEST, MODERN]) {
    it(`${era.label}: thrown errors are tool errors; McpError stays a protocol error; unknown tool/prompt is -32602`, async () => {
      const mcp = server();
      const client = await connect(mcp, era.opts);
      try {
        assert.deepEqual(plain(await client.callTool("boom")), { ...textResult("the tool broke"), isError: true });
        assert.deepEqual(plain(await client.callTool("boom_string")), { ...textResult("plain string"), isError: true });
        assert.deepEqual(plain(await client.callTool("async_boom")), { ...textResult("late failure"), isError: true });
        assert.deepEqual(await failure(client.callTool("protocol_error")), { code: -32602, message: "you asked for something impossible", data: { why: "test" } });
        assert.deepEqual(await failure(client.callTool("nope")), { code: -32602, message: "Unknown tool: nope", data: undefined });
        assert.deepEqual(await failure(client.request("tools/call", { name: 42 } as any)), {
          code: -32602,
          message: "Invalid params for tools/call: params.name must be a string",
          data: undefined,
        });
        assert.deepEqual(await failure(client.getPrompt("nope")), { code: -32602, message: "Unknown prompt: nope", data: undefined });
        assert.deepEqual(plain(await client.getPrompt("hello")), { messages: [{ role: "user", content: { type: "text", text: "hello" } }] });
      } finally {
        await client.close();
        await mcp.close();
      }
    });
  }
});

describe("output schemas and return values", () => {
  it("structured output is validated; a mismatch is a tool error; CallToolResult passes through", async () => {
    const mcp = server();
    const client = await connect(mcp, MODERN.opts);
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.find((t) => t.name === "typed_out")?.outputSchema, { type: "object", properties: { total: { type: "number" } }, required: ["total"] });
      assert.equal(tools.find((t) => t.name === "add")?.outputSchema, undefined);
      assert.deepEqual(plain(await client.callTool("typed_out")), { content: [{ type: "text", text: '{"total":3}' }], structuredContent: { total: 3 } });
      assert.deepEqual(plain(await client.callTool("wrong_out")), {
        ...textResult("Tool wrong_out returned output that does not match its output schema: total: Invalid input: expected number, received string"),
        isError: true,
      });
      assert.deepEqual(plain(await client.callTool("manual_result")), { content: [{ type: "text", text: "custom" }], structuredContent: { n: 1 } });
      // An error result needs no structuredContent.
      assert.deepEqual(plain(await client.callTool("manual_error")), { content: [{ type: "text", text: "nope" }], isError: true });
    } finally {
      await client.close();
      await mcp.close();
    }
  });

  it("natural values: objects get a JSON mirror, arrays become several blocks, Image becomes base64", async () => {
    const mcp = server();
    const client = await connect(mcp, LEGACY_LATEST.opts);
    try {
      assert.deepEqual(await client.callTool("object"), { content: [{ type: "text", text: '{"a":1,"b":[true]}' }], structuredContent: { a: 1, b: [true] } });
      assert.deepEqual(await client.callTool("many"), {
        content: [
          { type: "text", text: "one" },
          { type: "text", text: "2" },
          { type: "text", text: "three", annotations: { priority: 1 } },
          { type: "image", data: Buffer.from(PNG_1x1).toString("base64"), mimeType: "image/png" },
        ],
      });
      assert.deepEqual(await client.callTool("nothing"), { content: [] });
      assert.deepEqual(await client.callTool("links"), {
        content: [
          { type: "resource_link", uri: "memo://1", name: "memo" },
          { type: "resource", resource: { uri: "memo://2", text: "two" } },
        ],
      });
    } finally {
      await client.close();
      await mcp.close();
    }
  });

  it("registering the same tool name twice is a programming error", () => {
    const mcp = server();
    assert.throws(() => mcp.tool("add", () => 0), /Tool add is already registered/);
  });
});
