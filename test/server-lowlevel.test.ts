import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client } from "../src/client/client.js";
import { Dispatcher } from "../src/dispatch/dispatcher.js";
import { createMemoryTransportPair } from "../src/transports/memory.js";
import { ErrorCode, McpError } from "../src/protocol/errors.js";
import { META } from "../src/protocol/meta.js";
import type { Params } from "../src/protocol/jsonrpc.js";
import { connectClient, INFO, makeServer, MODERN_META, rawPeer } from "./helpers/lowlevel.js";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const code = (c: number) => (e: unknown) => e instanceof McpError && e.code === c;

// Request timers are unref'd; hold the loop open while a test awaits only them.
let keepAlive: ReturnType<typeof setInterval> | undefined;
beforeEach(() => void (keepAlive = setInterval(() => {}, 1000)));
afterEach(() => clearInterval(keepAlive));

describe("legacy era", () => {
  it("initialize echoes a supported revision and answers 2025-11-25 to an unknown one", async () => {
    const server = makeServer({ instructions: "be nice" });
    const a = await connectClient(server, { era: "legacy", protocolVersion: "2024-11-05" });
    assert.deepEqual([a.client.era, a.client.protocolVersion, a.client.instructions], ["legacy", "2024-11-05", "be nice"]);
    assert.deepEqual(a.client.serverInfo, INFO);
    assert.deepEqual(a.client.serverCapabilities, { logging: {}, tools: {} });
    assert.deepEqual([a.conn.era, a.conn.session?.protocolVersion], ["legacy", "2024-11-05"]);
    const b = await connectClient(server, { era: "legacy", protocolVersion: "1999-01-01" as any });
    assert.equal(b.client.protocolVersion, "2025-11-25");
    const c = await connectClient(server, { era: "legacy", protocolVersion: "2026-07-28" });
    assert.equal(c.client.protocolVersion, "2025-11-25", "initialize never negotiates the modern revision");
    const r = await a.client.callTool("add", { a: 2, b: 3 });
    assert.deepEqual(r, { content: [{ type: "text", text: "5" }] }, "no resultType in legacy results");
    await server.close();
  });

  it("2024-11-05 sessions get content rewritten for their revision", async () => {
    const server = makeServer({
      handlers: { "tools/call": () => ({ content: [{ type: "audio", data: "AAA=", mimeType: "audio/wav" }], structuredContent: { x: 1 } }) },
    });
    const old = await connectClient(server, { era: "legacy", protocolVersion: "2024-11-05" });
    assert.deepEqual(await old.client.callTool("any"), { content: [{ type: "resource", resource: { uri: "mcpkit:audio", mimeType: "audio/wav", blob: "AAA=" } }] });
    const recent = await connectClient(server, { era: "legacy", protocolVersion: "2025-06-18" });
    assert.deepEqual(await recent.client.callTool("any"), { content: [{ type: "audio", data: "AAA=", mimeType: "audio/wav" }], structuredContent: { x: 1 } });
    await server.close();
  });

  it("a failed initialize leaves the era open; a successful one makes the connection legacy", async () => {
    const server = makeServer();
    const { peer, conn } = await rawPeer(server);
    assert.deepEqual(await peer.request("ping"), {});
    assert.equal(conn.era, undefined, "a bare ping decides nothing");
    await assert.rejects(peer.request("initialize", { protocolVersion: "2025-11-25", capabilities: {} }), code(ErrorCode.InvalidParams));
    assert.equal(conn.era, undefined, "a failed initialize decides nothing");
    assert.deepEqual(await peer.request("ping"), {});
    const init = await peer.request("initialize", { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } });
    assert.equal(init.protocolVersion, "2025-06-18");
    assert.equal(conn.era, "legacy");
    peer.notify("notifications/initialized");
    assert.equal((await peer.request("tools/list", {})).tools instanceof Array, true);
    await assert.rejects(peer.request("initialize", { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } }), code(ErrorCode.InvalidRequest));
    await assert.rejects(peer.request("tools/call", { name: 5 }), code(ErrorCode.InvalidParams));
    await assert.rejects(peer.request("no/such/method", {}), code(ErrorCode.MethodNotFound));
    await assert.rejects(peer.request("constructor", {}), code(ErrorCode.MethodNotFound));
    await assert.rejects(peer.request("__proto__", {}), code(ErrorCode.MethodNotFound));
    await server.close();
  });

  it("logging/setLevel filters ctx.log", async () => {
    const server = makeServer({
      handlers: {
        "tools/call": (ctx) => {
          for (const l of ["debug", "info", "warning", "error"] as const) ctx.log(l, `at ${l}`, "lg");
          return { content: [] };
        },
      },
    });
    const { client, notes } = await connectClient(server, { era: "legacy" });
    await client.callTool("log");
    assert.deepEqual(notes.map((n) => n.params?.level), ["debug", "info", "warning", "error"], "no level set: everything");
    assert.deepEqual(notes[0].params, { level: "debug", data: "at debug", logger: "lg" });
    notes.length = 0;
    await client.setLoggingLevel("warning");
    await client.callTool("log");
    assert.deepEqual(notes.map((n) => n.params?.level), ["warning", "error"]);
    await assert.rejects(client.request("logging/setLevel", { level: "shouting" }), code(ErrorCode.InvalidParams));
    await server.close();
  });

  it("ctx.request: sampling round trip, refused when the client lacks the capability", async () => {
    const server = makeServer({
      handlers: {
        "tools/call": async (ctx) => {
          const r = await ctx.request("sampling/createMessage", { messages: [{ role: "user", content: { type: "text", text: "hi" } }], maxTokens: 5 });
          return { content: [{ type: "text", text: `${r.model}:${(r.content as any).text}` }] };
        },
      },
    });
    const seen: { maxTokens: number }[] = [];
    const { client } = await connectClient(server, {
      era: "legacy",
      handlers: {
        "sampling/createMessage": (p, ctx) => {
          seen.push(p);
          assert.equal(ctx.era, "legacy");
          return { role: "assistant", content: { type: "text", text: "hello back" }, model: "m1" };
        },
      },
    });
    assert.deepEqual(client.capabilities, { sampling: {} });
    const r = await client.callTool("ask");
    assert.deepEqual(r.content, [{ type: "text", text: "m1:hello back" }]);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].maxTokens, 5);
    const bare = await connectClient(server, { era: "legacy" });
    await assert.rejects(bare.client.callTool("ask"), (e: any) => e.code === ErrorCode.MissingRequiredClientCapability && e.data?.requiredCapabilities?.sampling !== undefined);
    await server.close();
  });

  it("resources/subscribe + sendResourceUpdated reach subscribed sessions only", async () => {
    const server = makeServer({
      capabilities: { resources: { subscribe: true } },
      handlers: { "resources/read": (_c, p) => ({ contents: [{ uri: p.uri, text: "x" }] }) },
    });
    const a = await connectClient(server, { era: "legacy" });
    const b = await connectClient(server, { era: "legacy" });
    assert.deepEqual(await a.client.request("resources/subscribe", { uri: "file:///a" }), {});
    server.sendResourceUpdated("file:///a");
    server.sendResourceUpdated("file:///other");
    await a.client.ping();
    await b.client.ping();
    assert.deepEqual(a.notes, [{ method: "notifications/resources/updated", params: { uri: "file:///a" } }]);
    assert.deepEqual(b.notes, []);
    await a.client.request("resources/unsubscribe", { uri: "file:///a" });
    server.sendResourceUpdated("file:///a");
    await a.client.ping();
    assert.equal(a.notes.length, 1);
    await assert.rejects(a.client.request("resources/subscribe", {} as any), code(ErrorCode.InvalidParams));
    // Without resources.subscribe advertised, subscribe is -32601.
    const plain = makeServer({ handlers: { "resources/read": () => ({ contents: [] }) } });
    const c = await connectClient(plain, { era: "legacy" });
    await assert.rejects(c.client.request("resources/subscribe", { uri: "file:///a" }), code(ErrorCode.MethodNotFound));
    await server.close();
    await plain.close();
  });

  it("list-changed notifications reach legacy sessions only when listChanged is advertised", async () => {
    const quiet = makeServer();
    const q = await connectClient(quiet, { era: "legacy" });
    quiet.sendToolListChanged();
    quiet.sendResourceListChanged();
    await q.client.ping();
    assert.deepEqual(q.notes, []);
    const loud = makeServer({ capabilities: { tools: { listChanged: true }, prompts: { listChanged: true } } });
    const l = await connectClient(loud, { era: "legacy" });
    const m = await connectClient(loud, { era: "modern" });
    loud.sendToolListChanged();
    loud.sendPromptListChanged();
    loud.sendResourceListChanged();
    await l.client.ping();
    await m.client.listTools();
    assert.deepEqual(l.notes.map((n) => n.method), ["notifications/tools/list_changed", "notifications/prompts/list_changed"]);
    assert.deepEqual(m.notes, [], "modern connections get changes only through subscriptions/listen");
    await quiet.close();
    await loud.close();
  });

  it("the client answers unknown server requests (even prototype names) with -32601", async () => {
    const [st, ct] = createMemoryTransportPair();
    const fake = new Dispatcher(st);
    fake.bind({ request: () => ({ protocolVersion: "2025-11-25", capabilities: {}, serverInfo: INFO }) });
    await fake.start();
    const client = new Client({ name: "c", version: "1" }, { era: "legacy" });
    await client.connect(ct);
    for (const m of ["constructor", "__proto__", "toString", "roots/list"]) {
      await assert.rejects(fake.request(m, {}), code(ErrorCode.MethodNotFound), m);
    }
    assert.deepEqual(await fake.request("ping"), {});
    await client.close();
  });
});

describe("modern era", () => {
  it("checks the per-request _meta: missing → -32602, unsupported version → -32022, missing capabilities → -32602", async () => {
    const server = makeServer();
    const { peer, conn } = await rawPeer(server);
    await assert.rejects(peer.request("tools/list", {}), code(ErrorCode.InvalidParams));
    assert.equal(conn.era, "modern");
    await assert.rejects(peer.request("tools/list"), code(ErrorCode.InvalidParams));
    await assert.rejects(peer.request("tools/list", { _meta: { [META.clientCapabilities]: {} } }), code(ErrorCode.InvalidParams));
    for (const v of ["2025-11-25", "2099-01-01", 7]) {
      const err = await peer.request("tools/list", { _meta: { [META.protocolVersion]: v, [META.clientCapabilities]: {} } }).then(() => assert.fail("ok"), (e) => e);
      assert.equal(err.code, ErrorCode.UnsupportedProtocolVersion, String(v));
      assert.ok(err.data.supported.includes("2026-07-28"));
      assert.equal(err.data.requested, String(v));
    }
    await assert.rejects(peer.request("tools/list", { _meta: { [META.protocolVersion]: "2026-07-28" } }), code(ErrorCode.InvalidParams));
    await assert.rejects(peer.request("tools/list", { _meta: { [META.protocolVersion]: "2026-07-28", [META.clientCapabilities]: [] } }), code(ErrorCode.InvalidParams));
    await assert.rejects(peer.request("tools/list", { _meta: { ...MODERN_META, [META.logLevel]: "loud" } }), code(ErrorCode.InvalidParams));
    // Discovery carries _meta like every modern request; handshake-era methods do not exist here.
    await assert.rejects(peer.request("server/discover"), code(ErrorCode.InvalidParams));
    assert.deepEqual((await peer.request("server/discover", { _meta: MODERN_META })).supportedVersions, ["2026-07-28"]);
    for (const m of ["ping", "logging/setLevel", "resources/subscribe"]) {
      await assert.rejects(peer.request(m, { _meta: MODERN_META, level: "info", uri: "u" }), code(ErrorCode.MethodNotFound), m);
    }
    await assert.rejects(peer.request("constructor", { _meta: MODERN_META }), code(ErrorCode.MethodNotFound));
    await assert.rejects(peer.request("tools/call", { _meta: MODERN_META, name: 1 }), code(ErrorCode.InvalidParams));
    const r = await peer.request("tools/list", { _meta: MODERN_META });
    assert.equal(r.resultType, "complete");
    await server.close();
  });

  it("results carry resultType, cache hints on cacheable methods, serverInfo; un-advertised capability → -32601", async () => {
    const server = makeServer({ cache: { ttlMs: 5000, cacheScope: "public" } });
    const { client } = await connectClient(server, { era: "modern" });
    assert.deepEqual([client.era, client.protocolVersion], ["modern", "2026-07-28"]);
    assert.deepEqual(client.serverInfo, INFO);
    const list = await client.listTools();
    assert.equal(list.resultType, "complete");
    assert.equal(list.ttlMs, 5000);
    assert.equal(list.cacheScope, "public");
    assert.deepEqual((list._meta as any)[META.serverInfo], INFO);
    const call = await client.callTool("add", { a: 1, b: 2 });
    assert.equal(call.resultType, "complete");
    assert.deepEqual(call.content, [{ type: "text", text: "3" }]);
    assert.ok(!("ttlMs" in call) && !("cacheScope" in call));
    await assert.rejects(client.listPrompts(), code(ErrorCode.MethodNotFound));
    await assert.rejects(client.readResource("file:///x"), code(ErrorCode.MethodNotFound));
    await assert.rejects(client.ping(), code(ErrorCode.MethodNotFound));
    await server.close();
  });

  it("ctx.log in the modern era is sent only when the request's _meta sets a level", async () => {
    const server = makeServer({ handlers: { "tools/call": (ctx) => (ctx.log("info", "i"), ctx.log("error", "e"), { content: [] }) } });
    const { client, notes } = await connectClient(server, { era: "modern" });
    await client.callTool("x");
    assert.equal(notes.length, 0);
    await client.request("tools/call", { name: "x", _meta: { [META.logLevel]: "warning" } });
    assert.deepEqual(notes.map((n) => n.params?.data), ["e"]);
    await server.close();
  });

  it("input_required flows through the client's MRTR loop: state echoed exactly, new id per retry, rounds bounded", async () => {
    const STATE = 'opaque "state" ✓ \n {"nested":[1]}';
    const calls: { id: unknown; params: Params }[] = [];
    const server = makeServer({
      handlers: {
        "tools/call": (ctx, p) => {
          calls.push({ id: ctx.requestId, params: structuredClone(p) as unknown as Params });
          if (p.name === "forever") return { resultType: "input_required", requestState: "again" };
          if (!p.inputResponses) {
            return {
              resultType: "input_required",
              requestState: STATE,
              inputRequests: {
                confirm: { method: "elicitation/create", params: { message: "sure?", requestedSchema: { type: "object" } } },
                llm: { method: "sampling/createMessage", params: { messages: [], maxTokens: 3 } },
              },
            };
          }
          if (p.requestState === STATE) {
            return { resultType: "input_required", inputRequests: { roots: { method: "roots/list" } } };
          }
          return { content: [{ type: "text", text: JSON.stringify(p.inputResponses) }] };
        },
      },
    });
    const keys: unknown[] = [];
    const { client } = await connectClient(server, {
      era: "modern",
      maxInputRounds: 4,
      handlers: {
        "elicitation/create": (_p, ctx) => (keys.push(ctx.requestId), { action: "accept", content: { ok: true } }),
        "sampling/createMessage": (_p, ctx) => (keys.push(ctx.requestId), { role: "assistant", content: { type: "text", text: "t" }, model: "m" }),
        "roots/list": (_p, ctx) => (keys.push(ctx.requestId), { roots: [{ uri: "file:///r" }] }),
      },
    });
    const r = await client.callTool("multi", { x: 1 });
    assert.equal(r.resultType, "complete");
    assert.deepEqual(JSON.parse((r.content as any)[0].text), { roots: { roots: [{ uri: "file:///r" }] } });
    assert.equal(calls.length, 3);
    assert.equal(new Set(calls.map((c) => c.id)).size, 3, "each retry is a new request id");
    assert.equal(calls[1].params.requestState, STATE, "requestState echoed byte for byte");
    assert.deepEqual(calls[1].params.inputResponses, {
      confirm: { action: "accept", content: { ok: true } },
      llm: { role: "assistant", content: { type: "text", text: "t" }, model: "m" },
    });
    assert.equal(calls[2].params.requestState, undefined, "no state in the last input_required: none echoed");
    for (const c of calls) {
      assert.equal(c.params.name, "multi");
      assert.deepEqual(c.params.arguments, { x: 1 });
      assert.equal((c.params._meta as any)[META.protocolVersion], "2026-07-28");
    }
    assert.deepEqual(keys.sort(), ["confirm", "llm", "roots"]);
    calls.length = 0;
    await assert.rejects(client.callTool("forever"), /after 4 rounds/);
    assert.equal(calls.length, 4, "the loop is bounded by maxInputRounds");
    await server.close();
  });

  it("an input request needing an undeclared client capability is -32021", async () => {
    const server = makeServer({
      handlers: {
        "tools/call": () => ({
          resultType: "input_required",
          inputRequests: { q: { method: "sampling/createMessage", params: { messages: [], maxTokens: 1 } } },
        }),
        "tools/list": () => ({ resultType: "input_required", requestState: "x" }),
      },
    });
    const { client } = await connectClient(server, { era: "modern", handlers: { "elicitation/create": () => ({ action: "cancel" }) } });
    const err = await client.callTool("needs-sampling").then(() => assert.fail("ok"), (e) => e);
    assert.equal(err.code, ErrorCode.MissingRequiredClientCapability);
    assert.deepEqual(err.data, { requiredCapabilities: { sampling: {} } });
    // input_required is only for tools/call, resources/read and prompts/get.
    await assert.rejects(client.listTools(), code(ErrorCode.InternalError));
    await server.close();
  });

  it("subscriptions/listen: acknowledgement, tagged notifications, and a result when the server closes", async () => {
    const server = makeServer({ capabilities: { tools: { listChanged: true }, resources: { subscribe: true } }, handlers: { "resources/read": () => ({ contents: [] }) } });
    const { client, notes } = await connectClient(server, { era: "modern" });
    const listen = client.request("subscriptions/listen", {
      notifications: { toolsListChanged: true, promptsListChanged: true, resourceSubscriptions: ["file:///a"] },
    });
    const outcome = listen.then((r) => ({ r }), (e) => ({ e }));
    await sleep(10);
    assert.equal(server.listeners.size, 1);
    const ack = notes.find((n) => n.method === "notifications/subscriptions/acknowledged");
    assert.ok(ack, "acknowledged");
    const subId = (ack!.params!._meta as any)[META.subscriptionId];
    assert.ok(typeof subId === "number");
    assert.deepEqual(ack!.params!.notifications, { toolsListChanged: true, resourceSubscriptions: ["file:///a"] }, "only what the server can honour");
    server.sendToolListChanged();
    server.sendPromptListChanged();
    server.sendResourceUpdated("file:///a");
    server.sendResourceUpdated("file:///b");
    await client.listTools();
    const tagged = notes.filter((n) => n.method !== "notifications/subscriptions/acknowledged");
    assert.deepEqual(tagged, [
      { method: "notifications/tools/list_changed", params: { _meta: { [META.subscriptionId]: subId } } },
      { method: "notifications/resources/updated", params: { uri: "file:///a", _meta: { [META.subscriptionId]: subId } } },
    ]);
    await server.close();
    const o: any = await outcome;
    assert.ok(o.r, `listen ended with a result, not ${o.e}`);
    assert.deepEqual(o.r._meta?.[META.subscriptionId], subId);
    assert.equal(server.listeners.size, 0);
  });

  it("a cancelled listen stream is removed", async () => {
    const server = makeServer({ capabilities: { tools: { listChanged: true } } });
    const { client } = await connectClient(server, { era: "modern" });
    const ctl = new AbortController();
    const p = client.request("subscriptions/listen", { notifications: { toolsListChanged: true } }, { signal: ctl.signal });
    await sleep(10);
    assert.equal(server.listeners.size, 1);
    ctl.abort(new Error("stop"));
    await assert.rejects(p, /stop/);
    await sleep(10);
    assert.equal(server.listeners.size, 0);
    await server.close();
  });
});

describe("lifespan", () => {
  it("runs once for several connections; its generator cleanup runs on close", async () => {
    const events: string[] = [];
    let n = 0;
    const server = makeServer<{ id: number }>({
      lifespan: async function* () {
        events.push("start");
        try { yield { id: ++n }; } finally { events.push("cleanup"); }
      },
      handlers: { "tools/call": (ctx) => ({ content: [{ type: "text", text: `life ${ctx.lifespan.id}` }] }) },
    });
    const clients = await Promise.all([
      connectClient(server, { era: "legacy" }),
      connectClient(server, { era: "modern" }),
      connectClient(server, { era: "legacy", protocolVersion: "2024-11-05" }),
    ]);
    for (const { client } of clients) assert.deepEqual((await client.callTool("x")).content, [{ type: "text", text: "life 1" }]);
    assert.deepEqual(events, ["start"]);
    assert.equal(server.connections.size, 3);
    await server.close();
    assert.deepEqual(events, ["start", "cleanup"]);
    assert.deepEqual([server.connections.size, server.sessions.size], [0, 0]);
    for (const { client } of clients) await assert.rejects(client.callTool("x"), code(ErrorCode.ConnectionClosed));
  });

  it("a plain function's value is the lifespan; a failing lifespan fails connect", async () => {
    const server = makeServer<string>({ lifespan: () => "value" });
    const { client } = await connectClient(server, { era: "modern" });
    assert.equal(server.lifespanValue, "value");
    await client.listTools();
    await server.close();
    const bad = makeServer({ lifespan: async () => { throw new Error("db down"); } });
    await assert.rejects(bad.connect(createMemoryTransportPair()[0]), /db down/);
  });
});
