// List caching by the server's ttlMs (2026-07-28), its invalidation by list_changed, no
// caching of input_required answers, and subscriptions in both eras: the modern
// subscriptions/listen stream re-opened after it breaks, legacy resources/subscribe with
// updates on the GET stream. Against the scripted server of ./mock-http.ts.
import { afterEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client } from "../../src/client/client.js";
import type { ClientOptions } from "../../src/client/types.js";
import { McpError } from "../../src/protocol/errors.js";
import { INFO, http, textOf, until } from "./helpers.js";
import { modernResult, result, startMock, type Mock, type MockOptions } from "./mock-http.js";

let mock: Mock | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  await mock?.close();
  client = mock = undefined;
});

async function open(o: MockOptions, co: ClientOptions = {}): Promise<Client> {
  mock = await startMock(o);
  client = new Client(INFO, { handlers: { "elicitation/create": async () => ({ action: "accept", content: { ok: true } }) }, ...co });
  await client.connect(http(mock.url));
  return client;
}

const note = (method: string, params: Record<string, unknown> = {}) => ({ jsonrpc: "2.0", method, params });
const ack = (id: unknown, notifications: unknown) => ({ data: note("notifications/subscriptions/acknowledged", { notifications, _meta: { "io.modelcontextprotocol/subscriptionId": id } }) });
const tools = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `t${i}`, inputSchema: { type: "object" } }));

describe("list cache (2026-07-28 ttlMs)", () => {
  it("serves a list from the cache while ttlMs lasts, then asks again; ttlMs 0 and cache:false never cache", async () => {
    const c = await open({
      era: "modern",
      onPost: (m) => {
        if (m.method === "tools/list") return { json: modernResult(m.id, { tools: tools(mock!.posted("tools/list").length), ttlMs: 300, cacheScope: "private" }) };
        if (m.method === "prompts/list") return { json: modernResult(m.id, { prompts: [], ttlMs: 0, cacheScope: "private" }) };
        return undefined;
      },
    });
    assert.equal((await c.listTools()).tools.length, 1);
    assert.equal((await c.listTools()).tools.length, 1, "from the cache");
    assert.equal(mock!.posted("tools/list").length, 1);
    await new Promise((r) => setTimeout(r, 350));
    assert.equal((await c.listTools()).tools.length, 2, "expired: asked again");
    await c.listPrompts();
    await c.listPrompts();
    assert.equal(mock!.posted("prompts/list").length, 2);
  });

  it("a tools/list_changed on the listen stream drops the cached list", async () => {
    let go!: () => void;
    const cached = new Promise<void>((r) => (go = r));
    const c = await open({
      era: "modern",
      onPost: (m) => {
        if (m.method === "tools/list") return { json: modernResult(m.id, { tools: tools(mock!.posted("tools/list").length), ttlMs: 60_000, cacheScope: "private" }) };
        if (m.method === "subscriptions/listen") return { sse: [ack(m.id, m.params.notifications), { after: cached, data: note("notifications/tools/list_changed") }], then: "hold" };
        return undefined;
      },
    });
    let changed = 0;
    c.on("toolsListChanged", () => changed++);
    assert.deepEqual(await c.subscribe({ toolsListChanged: true }), { toolsListChanged: true });
    assert.equal((await c.listTools()).tools.length, 1);
    assert.equal((await c.listTools()).tools.length, 1);
    assert.equal(mock!.posted("tools/list").length, 1);
    go();
    await until(() => changed === 1, 3000, "toolsListChanged");
    assert.equal((await c.listTools()).tools.length, 2);
    assert.equal(mock!.posted("tools/list").length, 2);
  });

  it("an input_required answer is never cached: not for a list, not for a call", async () => {
    const c = await open({
      era: "modern",
      onPost: (m) => {
        if (m.method === "tools/list" && mock!.posted("tools/list").length === 1) {
          return { json: modernResult(m.id, { resultType: "input_required", inputRequests: {}, ttlMs: 60_000, cacheScope: "private" }) };
        }
        if (m.method === "tools/list") return { json: modernResult(m.id, { tools: tools(1), ttlMs: 60_000, cacheScope: "private" }) };
        if (m.method === "tools/call" && !m.params.inputResponses) {
          const ask = { method: "elicitation/create", params: { message: "ok?", requestedSchema: { type: "object", properties: { ok: { type: "boolean" } } } } };
          return { json: modernResult(m.id, { resultType: "input_required", inputRequests: { q: ask }, ttlMs: 60_000, cacheScope: "private" }) };
        }
        if (m.method === "tools/call") return { json: modernResult(m.id, { content: [{ type: "text", text: `ok=${m.params.inputResponses.q.content.ok}` }] }) };
        return undefined;
      },
    });
    await assert.rejects(c.listTools(), (e) => e instanceof McpError && /resultType "input_required" for tools\/list/.test(e.message));
    assert.equal((await c.listTools()).tools.length, 1, "asked again, not served the input_required answer");
    assert.equal(textOf(await c.callTool("t0")), "ok=true");
    assert.equal(textOf(await c.callTool("t0")), "ok=true");
    const calls = mock!.posted("tools/call");
    assert.deepEqual(calls.map((x) => !!x.params.inputResponses), [false, true, false, true]);
  });

  it("legacy: no ttlMs, no cache; list_changed notifications arrive as events", async () => {
    const c = await open({
      era: "legacy",
      onPost: (m) => (m.method === "tools/list" ? { json: result(m.id, { tools: tools(1) }) } : undefined),
      onGet: () => ({ sse: [{ afterMs: 200, data: note("notifications/tools/list_changed") }], then: "hold" }),
    });
    let changed = 0;
    c.on("toolsListChanged", () => changed++);
    await c.listTools();
    await c.listTools();
    assert.equal(mock!.posted("tools/list").length, 2);
    await until(() => changed === 1, 3000, "toolsListChanged");
  });
});

describe("subscriptions", () => {
  it("2026-07-28: a listen stream that breaks is opened again with the same filter; updates flow on the new one", async () => {
    const c = await open({
      era: "modern",
      onPost: (m) => {
        if (m.method !== "subscriptions/listen") return undefined;
        if (mock!.posted("subscriptions/listen").length === 1) return { sse: [ack(m.id, m.params.notifications)] }; // then the stream ends: a break
        return {
          sse: [ack(m.id, m.params.notifications), { afterMs: 50, data: note("notifications/resources/updated", { uri: "test://a" }) }, { data: note("notifications/tools/list_changed") }],
          then: "hold",
        };
      },
    });
    const updated: string[] = [];
    let changed = 0;
    c.on("resourceUpdated", (u) => updated.push(u));
    c.on("toolsListChanged", () => changed++);
    const filter = { toolsListChanged: true, resourceSubscriptions: ["test://a"] };
    assert.deepEqual(await c.subscribe({ toolsListChanged: true, resources: ["test://a"] }), filter);
    await until(() => updated.length === 1 && changed === 1, 5000, "notifications on the re-opened stream");
    const listens = mock!.posted("subscriptions/listen");
    assert.equal(listens.length, 2);
    assert.notEqual(listens[0].id, listens[1].id);
    assert.deepEqual(listens[1].params.notifications, listens[0].params.notifications);
    assert.deepEqual(listens[0].params.notifications, filter);
  });

  it("2026-07-28: a server that refuses subscriptions/listen makes subscribe() reject, without a retry loop", async () => {
    const c = await open({
      era: "modern",
      onPost: (m) => (m.method === "subscriptions/listen" ? { status: 404, json: { jsonrpc: "2.0", id: m.id, error: { code: -32601, message: "Method not found" } } } : undefined),
    });
    await assert.rejects(c.subscribe({ toolsListChanged: true }), (e) => e instanceof McpError && e.code === -32601);
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(mock!.posted("subscriptions/listen").length, 1);
  });

  it("legacy: resources/subscribe per URI, updates from the GET stream, unsubscribe when dropped from the filter", async () => {
    const c = await open({
      era: "legacy",
      onGet: () => ({ sse: [{ afterMs: 300, data: note("notifications/resources/updated", { uri: "test://a" }) }, { data: note("notifications/resources/list_changed") }], then: "hold" }),
    });
    const updated: string[] = [];
    let listChanged = 0;
    c.on("resourceUpdated", (u) => updated.push(u));
    c.on("resourcesListChanged", () => listChanged++);
    assert.deepEqual(await c.subscribe({ resources: ["test://a", "test://b", "test://a"] }), { resourceSubscriptions: ["test://a", "test://b"] });
    assert.deepEqual(mock!.posted("resources/subscribe").map((m) => m.params.uri), ["test://a", "test://b"]);
    await until(() => updated.length === 1 && listChanged === 1, 3000, "resource update");
    assert.deepEqual(updated, ["test://a"]);
    await c.subscribe({ resources: ["test://b"] });
    assert.deepEqual(mock!.posted("resources/unsubscribe").map((m) => m.params.uri), ["test://a"]);
    assert.equal(mock!.posted("resources/subscribe").length, 2, "b stays subscribed, not re-sent");
    await c.subscribe({});
    assert.deepEqual(mock!.posted("resources/unsubscribe").map((m) => m.params.uri), ["test://a", "test://b"]);
  });
});
