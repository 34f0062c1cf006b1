// The 2026-07-28 multi-round-trip path of src/app: ctx.elicit / sample / listRoots become
// input_required results whose earlier answers travel in a signed requestState. Tampered,
// replayed, expired or foreign states are -32602; answers nobody asked for are ignored.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { McpServer, type McpServerOptions } from "../../src/app/index.js";
import type { Params } from "../../src/protocol/jsonrpc.js";
import { connect, failure, LEGACY_LATEST, MODERN, rawModern } from "../helpers/app.js";

function server(opts: Partial<McpServerOptions> = {}) {
  const mcp = new McpServer({ name: "State", ...opts });
  mcp.tool("two_questions", { input: { topic: z.string() } }, async ({ topic }, ctx) => {
    const a = await ctx.elicit(`First about ${topic}`, { x: z.string() });
    const b = await ctx.elicit(`Second about ${topic}`, { y: z.number() });
    return `${a.content?.x}/${b.content?.y}`;
  });
  mcp.tool("swallow", async (_args, ctx) => {
    try {
      await ctx.elicit("Really?", { ok: z.boolean() });
      return "answered";
    } catch {
      return "swallowed";
    }
  });
  mcp.tool("sample", async (_args, ctx) => {
    const r = await ctx.sample("What is 2+2?", { maxTokens: 5 });
    return `${r.model}: ${(r.content as { text: string }).text}`;
  });
  mcp.tool("roots", async (_args, ctx) => (await ctx.listRoots()).map((r) => r.uri).join(","));
  mcp.prompt("confirm_prompt", async (_args, ctx) => {
    const r = await ctx.elicit("Include details?", { details: z.boolean() });
    return r.content?.details ? "with details" : "without details";
  });
  mcp.resource("ask://name", async (_params, ctx) => {
    const r = await ctx.elicit("Whose?", { name: z.string() });
    return `owned by ${r.content?.name}`;
  });
  return mcp;
}

const handlers = {
  "elicitation/create": async (p: any) => {
    if (p.message.startsWith("First")) return { action: "accept", content: { x: "A" } };
    if (p.message.startsWith("Second")) return { action: "accept", content: { y: 2 } };
    if (p.message === "Whose?") return { action: "accept", content: { name: "Ada" } };
    return { action: "accept", content: { ok: true, details: true } };
  },
  "sampling/createMessage": async () => ({ role: "assistant", model: "m1", content: { type: "text", text: "4" } }),
  "roots/list": async () => ({ roots: [{ uri: "file:///a" }, { uri: "file:///b" }] }),
};

const call = (args: Record<string, unknown>, extra: Params = {}) => ({ name: "two_questions", arguments: args, ...extra });
const accept = (content: object) => ({ action: "accept", content });

describe("input_required rounds (2026-07-28)", () => {
  it("one question per round; answers accumulate in the sealed state", async () => {
    const mcp = server();
    const client = await connect(mcp, { ...MODERN.opts, handlers });
    try {
      const r1 = await rawModern(client, "tools/call", call({ topic: "t" }));
      assert.equal(r1.resultType, "input_required");
      assert.deepEqual(r1.inputRequests, {
        r0: {
          method: "elicitation/create",
          params: { mode: "form", message: "First about t", requestedSchema: { type: "object", properties: { x: { type: "string" } }, required: ["x"] } },
        },
      });
      assert.equal(typeof r1.requestState, "string");
      const r2 = await rawModern(client, "tools/call", call({ topic: "t" }, { inputResponses: { r0: accept({ x: "A" }) }, requestState: r1.requestState }));
      assert.equal(r2.resultType, "input_required");
      assert.deepEqual(Object.keys(r2.inputRequests), ["r1"]);
      assert.equal(r2.inputRequests.r1.params.message, "Second about t");
      const r3 = await rawModern(client, "tools/call", call({ topic: "t" }, { inputResponses: { r1: accept({ y: 2 }) }, requestState: r2.requestState }));
      assert.equal(r3.resultType, "complete");
      assert.deepEqual(r3.content, [{ type: "text", text: "A/2" }]);

      // The client's own loop does the same.
      assert.deepEqual((await client.callTool("two_questions", { topic: "t" })).content, [{ type: "text", text: "A/2" }]);
    } finally {
      await client.close();
      await mcp.close();
    }
  });

  it("answers given up front count; with a state, only the keys asked last round do", async () => {
    const mcp = server();
    const client = await connect(mcp, { ...MODERN.opts, handlers });
    try {
      // No state yet: inputResponses are the client's word either way, so they are used.
      const upFront = await rawModern(client, "tools/call", call({ topic: "t" }, { inputResponses: { r0: accept({ x: "early" }) } }));
      assert.deepEqual(Object.keys(upFront.inputRequests), ["r1"]);
      const done = await rawModern(client, "tools/call", call({ topic: "t" }, { inputResponses: { r1: accept({ y: 5 }) }, requestState: upFront.requestState }));
      assert.deepEqual(done.content, [{ type: "text", text: "early/5" }]);
      // A state pins earlier answers: a retry cannot replace r0 once it was answered.
      const swap = await rawModern(
        client,
        "tools/call",
        call({ topic: "t" }, { inputResponses: { r0: accept({ x: "swapped" }), r1: accept({ y: 6 }) }, requestState: upFront.requestState }),
      );
      assert.deepEqual(swap.content, [{ type: "text", text: "early/6" }]);
      // A malformed answer is -32602.
      assert.deepEqual(await failure(rawModern(client, "tools/call", call({ topic: "t" }, { inputResponses: { r0: { action: "maybe" } } }))), {
        code: -32602,
        message: 'inputResponses.r0 must have action "accept", "decline" or "cancel"',
        data: undefined,
      });
      const r1 = await rawModern(client, "tools/call", call({ topic: "t" }));
      const r2 = await rawModern(
        client,
        "tools/call",
        call({ topic: "t" }, { inputResponses: { r0: accept({ x: "A" }), r1: accept({ y: 99 }) }, requestState: r1.requestState }),
      );
      // r1 was not asked yet: its early answer does not count.
      assert.deepEqual(Object.keys(r2.inputRequests), ["r1"]);
    } finally {
      await client.close();
      await mcp.close();
    }
  });

  it("tampered, replayed, foreign and expired states are -32602", async () => {
    const mcp = server();
    const other = server();
    const short = server({ requestState: { ttlMs: 1 } });
    const client = await connect(mcp, { ...MODERN.opts, handlers });
    const otherClient = await connect(other, { ...MODERN.opts, handlers });
    const shortClient = await connect(short, { ...MODERN.opts, handlers });
    try {
      const r1 = await rawModern(client, "tools/call", call({ topic: "t" }));
      const state = r1.requestState as string;
      const retry = (c = client, s: unknown = state, args: Record<string, unknown> = { topic: "t" }, name = "two_questions") =>
        failure(rawModern(c, "tools/call", { name, arguments: args, inputResponses: { r0: accept({ x: "A" }) }, requestState: s }));
      const invalid = (why: string) => ({ code: -32602, message: `Invalid requestState: ${why}`, data: undefined });

      const [body, sig] = state.split(".");
      const flipped = body.slice(0, -1) + (body.endsWith("A") ? "B" : "A");
      assert.deepEqual(await retry(client, `${flipped}.${sig}`), invalid("signature does not verify"));
      // Forge answers into the payload, keep the old signature.
      const payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
      assert.deepEqual(Object.keys(payload).sort(), ["answers", "b", "exp", "q"]);
      const forged = Buffer.from(JSON.stringify({ ...payload, answers: { r0: accept({ x: "evil" }) } })).toString("base64url");
      assert.deepEqual(await retry(client, `${forged}.${sig}`), invalid("signature does not verify"));
      assert.deepEqual(await retry(client, "no-dot-here"), invalid("malformed"));
      assert.deepEqual(await retry(client, `${body}.!!`), invalid("malformed"));
      assert.deepEqual(await retry(client, "x".repeat(1_000_001)), invalid("malformed"));
      assert.deepEqual(await retry(client, 42), { code: -32602, message: "Invalid params for tools/call: params.requestState must be a string", data: undefined });
      // Replayed against other arguments or another tool.
      assert.deepEqual(await retry(client, state, { topic: "other" }), invalid("issued for a different request"));
      assert.deepEqual(await retry(client, state, {}, "swallow"), invalid("issued for a different request"));
      // Sealed by another server instance (its own random key).
      assert.deepEqual(await retry(otherClient), invalid("signature does not verify"));
      // Expired.
      const s1 = (await rawModern(shortClient, "tools/call", call({ topic: "t" }))).requestState;
      await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(await retry(shortClient, s1), invalid("expired"));
      // The untampered state still works.
      const ok = await rawModern(client, "tools/call", call({ topic: "t" }, { inputResponses: { r0: accept({ x: "A" }) }, requestState: state }));
      assert.deepEqual(Object.keys(ok.inputRequests), ["r1"]);
    } finally {
      for (const c of [client, otherClient, shortClient]) await c.close();
      for (const m of [mcp, other, short]) await m.close();
    }
  });

  it("shared secrets let several instances serve one endpoint; rotation keeps old states valid", async () => {
    const a = server({ requestState: { secrets: ["old-secret"] } });
    const b = server({ requestState: { secrets: ["new-secret", "old-secret"] } });
    const ca = await connect(a, { ...MODERN.opts, handlers });
    const cb = await connect(b, { ...MODERN.opts, handlers });
    try {
      const r1 = await rawModern(ca, "tools/call", call({ topic: "t" }));
      const r2 = await rawModern(cb, "tools/call", call({ topic: "t" }, { inputResponses: { r0: accept({ x: "A" }) }, requestState: r1.requestState }));
      assert.deepEqual(Object.keys(r2.inputRequests), ["r1"]);
      // b signs with its newest secret, which a does not know.
      assert.equal((await failure(rawModern(ca, "tools/call", call({ topic: "t" }, { inputResponses: { r1: accept({ y: 1 }) }, requestState: r2.requestState })))).code, -32602);
    } finally {
      await ca.close();
      await cb.close();
      await a.close();
      await b.close();
    }
  });

  it("a handler that swallows the question still asks it", async () => {
    const mcp = server();
    const client = await connect(mcp, { ...MODERN.opts, handlers });
    try {
      const r = await rawModern(client, "tools/call", { name: "swallow", arguments: {} });
      assert.equal(r.resultType, "input_required");
      assert.deepEqual((await client.callTool("swallow")).content, [{ type: "text", text: "answered" }]);
    } finally {
      await client.close();
      await mcp.close();
    }
  });
});

describe("ctx.elicit, ctx.sample and ctx.listRoots in both eras", () => {
  for (const era of [LEGACY_LATEST, MODERN]) {
    it(`${era.label}: tools, prompts and resource reads can ask the client`, async () => {
      const mcp = server();
      const client = await connect(mcp, { ...era.opts, handlers });
      try {
        const t = async (name: string, args: Record<string, unknown> = {}) => ((await client.callTool(name, args)).content[0] as { text: string }).text;
        assert.equal(await t("two_questions", { topic: "x" }), "A/2");
        assert.equal(await t("sample"), "m1: 4");
        assert.equal(await t("roots"), "file:///a,file:///b");
        assert.deepEqual((await client.getPrompt("confirm_prompt")).messages, [{ role: "user", content: { type: "text", text: "with details" } }]);
        assert.deepEqual((await client.readResource("ask://name")).contents, [{ uri: "ask://name", mimeType: "text/plain", text: "owned by Ada" }]);
      } finally {
        await client.close();
        await mcp.close();
      }
    });

    it(`${era.label}: an answer that does not fit the schema is -32602; a client without the capability gets -32021`, async () => {
      const mcp = server();
      const liar = await connect(mcp, { ...era.opts, handlers: { "elicitation/create": async () => accept({ x: 1 }) } });
      const mute = await connect(mcp, era.opts);
      try {
        const bad = await failure(liar.callTool("two_questions", { topic: "t" }));
        assert.equal(bad.code, -32602);
        assert.match(bad.message, /^Elicitation response does not match the requested schema: x: /);
        const none = await failure(mute.callTool("two_questions", { topic: "t" }));
        assert.equal(none.code, -32021);
        assert.deepEqual(none.data, { requiredCapabilities: { elicitation: { form: {} } } });
      } finally {
        await liar.close();
        await mute.close();
        await mcp.close();
      }
    });
  }
});
