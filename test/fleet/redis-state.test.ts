// mcpkit/redis against a real redis-server (started here on a free port): nodes in this process
// sharing Redis through their own connections. The session cap and idle expiry hold across nodes,
// DELETE on one node ends the session's copies on the others, the event store replays and follows
// a stream exactly once, the keyring rotates, and an unreachable Redis gives clear errors (503, a
// rejected publish, a log line) instead of "session not found" or silence. Also: the in-memory
// session store shared by two handlers in one process.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { McpServer } from "../../src/app/index.js";
import { createHttpHandler, type McpHttpHandler } from "../../src/transports/http/handler.js";
import { InMemoryEventStore } from "../../src/transports/http/event-store.js";
import { LocalBus } from "../../src/state/bus.js";
import { InMemorySessionStore } from "../../src/state/session-store.js";
import { StaticKeys, type KeySource } from "../../src/state/keys.js";
import { RequestStateSealer } from "../../src/app/request-state.js";
import { createRedisState, RedisEventStore, type RedisState } from "../../src/state/redis/index.js";
import type { HttpHandlerOptions } from "../../src/transports/http/options.js";
import { freePort, startRedis, type RedisServer } from "../helpers/fleet.js";

const T = { timeout: 60_000 };
const URL_ = "http://localhost/mcp";
const LEGACY = "2025-11-25";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function post(h: McpHttpHandler, body: unknown, sid?: string): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": LEGACY };
  if (sid) headers["mcp-session-id"] = sid;
  return h.fetch(new Request(URL_, { method: "POST", headers, body: JSON.stringify(body) }));
}
const INIT = { jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: "t", version: "0" } } };
const LIST = { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} };

async function init(h: McpHttpHandler, capabilities: Record<string, unknown> = {}): Promise<string> {
  const r = await post(h, { ...INIT, params: { ...INIT.params, capabilities } });
  assert.equal(r.status, 200, await r.clone().text());
  await r.body?.cancel();
  return r.headers.get("mcp-session-id")!;
}

interface Node {
  state: RedisState;
  mcp: McpServer;
  h: McpHttpHandler;
}
async function node(redis: RedisServer, prefix: string, legacy: HttpHandlerOptions["legacy"] = {}): Promise<Node> {
  const state = createRedisState({ url: redis.url, prefix });
  await state.ready();
  const mcp = new McpServer({ name: "n", version: "1", bus: state.bus });
  mcp.tool("ping2", () => "pong");
  mcp.tool("confirm", async (_args, ctx) => {
    const r = await ctx.elicit("Sure?", { ok: z.boolean() });
    return `${r.action} ${JSON.stringify(r.content)}`;
  });
  const h = createHttpHandler(mcp, { legacy: { sessionStore: state.sessions, eventStore: state.events, ...legacy } });
  return { state, mcp, h };
}
async function closeNodes(nodes: Node[]): Promise<void> {
  for (const n of nodes) {
    n.h.close();
    await n.state.close();
  }
}

describe("mcpkit/redis with a real redis-server", () => {
  let redis: RedisServer;
  before(async () => {
    redis = await startRedis();
  });
  after(() => redis?.stop());

  it("the session cap holds across nodes; DELETE on one node ends the session everywhere", T, async () => {
    const [a, b] = [await node(redis, "cap:", { maxSessions: 2 }), await node(redis, "cap:", { maxSessions: 2 })];
    try {
      const s1 = await init(a.h);
      await init(b.h);
      const full = await post(a.h, INIT);
      assert.equal(full.status, 503);
      assert.match((await full.json()).error.message, /Too many sessions/);
      // s1 was made on A; B serves it, then ends it.
      assert.equal((await post(b.h, LIST, s1)).status, 200);
      assert.equal(a.h.legacy.sessions.has(s1), true);
      const del = await b.h.fetch(new Request(URL_, { method: "DELETE", headers: { "mcp-session-id": s1 } }));
      assert.equal(del.status, 200);
      await until(() => !a.h.legacy.sessions.has(s1), 5000, "A to drop its copy");
      assert.equal((await post(a.h, LIST, s1)).status, 404);
      assert.equal(await a.state.sessions.count(), 1);
      await init(a.h);
    } finally {
      await closeNodes([a, b]);
    }
  });

  it("idle expiry holds across nodes: use on either node keeps a session alive; idle everywhere, it is gone everywhere", T, async () => {
    const [a, b] = [await node(redis, "idle:", { idleTimeoutMs: 400 }), await node(redis, "idle:", { idleTimeoutMs: 400 })];
    try {
      const sid = await init(a.h);
      for (let i = 0; i < 6; i++) {
        await sleep(150);
        assert.equal((await post(i % 2 ? a.h : b.h, LIST, sid)).status, 200, `use ${i}`);
      }
      await sleep(1000);
      assert.equal((await post(b.h, LIST, sid)).status, 404);
      assert.equal((await post(a.h, LIST, sid)).status, 404);
      assert.equal(await a.state.sessions.load(sid), undefined);
    } finally {
      await closeNodes([a, b]);
    }
  });

  it("a server → client request goes to the node holding the GET stream; the answer, POSTed anywhere, comes back", T, async () => {
    const opts = { jsonResponse: true };
    const [a, b, c] = [await node(redis, "route:", opts), await node(redis, "route:", opts), await node(redis, "route:", opts)];
    try {
      const sid = await init(a.h, { elicitation: {} });
      const get = await a.h.fetch(new Request(URL_, { headers: { accept: "text/event-stream", "mcp-session-id": sid, "mcp-protocol-version": LEGACY } }));
      assert.equal(get.status, 200);
      // JSON-only answers: B's handler can only ask through the GET stream, which A holds.
      const call = post(b.h, { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "confirm", arguments: {} } }, sid);
      const reader = get.body!.getReader();
      let text = "";
      while (!text.includes("elicitation/create")) text += new TextDecoder().decode((await reader.read()).value);
      const req = JSON.parse(/data: (\{.*"elicitation\/create".*\})/.exec(text)![1]);
      assert.equal(typeof req.id, "number");
      // The answer lands on C, which neither sent the request nor holds the stream.
      const ans = await post(c.h, { jsonrpc: "2.0", id: req.id, result: { action: "accept", content: { ok: true } } }, sid);
      assert.equal(ans.status, 202);
      const res = await (await call).json();
      assert.equal(res.result.content[0].text, 'accept {"ok":true}');
      assert.equal(text.match(/elicitation\/create/g)!.length, 1);
      await reader.cancel();
    } finally {
      await closeNodes([a, b, c]);
    }
  });

  it("the event store replays after a Last-Event-ID and follows live: every event once, in order", T, async () => {
    const state = createRedisState({ url: redis.url, prefix: "ev:" });
    try {
      const ev = state.events;
      const msg = (i: number) => ({ jsonrpc: "2.0" as const, method: "notifications/message", params: { level: "info", data: i } });
      assert.equal(await ev.replayAfter("s1:x.0", () => {}), undefined, "unknown stream");
      await ev.opened("s1:x");
      assert.equal(await ev.replayAfter("s1:x.0", () => {}), "s1:x", "opened, nothing stored yet");
      for (let i = 1; i <= 3; i++) assert.equal(await ev.store("s1:x", msg(i)), `s1:x.${i}`);
      const got: [string, number][] = [];
      // Events stored while the follower starts are neither lost nor doubled.
      const storing = Promise.all([4, 5, 6].map((i) => ev.store("s1:x", msg(i))));
      const f = await ev.follow("s1:x.1", (id, m: any) => got.push([id, m.params.data]));
      await storing;
      for (let i = 7; i <= 9; i++) await ev.store("s1:x", msg(i));
      await until(() => got.length >= 8, 5000, "8 events");
      await sleep(100);
      f!.stop();
      assert.deepEqual(got, [2, 3, 4, 5, 6, 7, 8, 9].map((i) => [`s1:x.${i}`, i]));
      await ev.store("s1:x", msg(10));
      await sleep(100);
      assert.equal(got.length, 8, "nothing after stop()");
      assert.equal(await ev.follow("garbage", () => {}), undefined);
      const other = new RedisEventStore(state.connection, { maxEventsPerStream: 5 });
      for (let i = 1; i <= 50; i++) await other.store("s2:y", msg(i));
      const kept: number[] = [];
      await other.replayAfter("s2:y.0", (_id, m: any) => kept.push(m.params.data));
      assert.ok(kept.length < 50 && kept.at(-1) === 50, `trimmed to about 5 (${kept.length})`);
    } finally {
      await state.close();
    }
  });

  it("the keyring: one list for every node, newest first; rotation keeps `keep` keys", T, async () => {
    const s1 = createRedisState({ url: redis.url, prefix: "keys:", keyring: { keep: 2 } });
    const s2 = createRedisState({ url: redis.url, prefix: "keys:", keyring: { keep: 2 } });
    try {
      const [k1] = await s1.keyring.secrets();
      assert.deepEqual(await s2.keyring.secrets(), [k1]);
      const [k2] = await s2.keyring.rotate();
      assert.deepEqual(await s1.keyring.secrets(), [k2, k1]);
      const [k3] = await s1.keyring.rotate();
      assert.deepEqual(await s2.keyring.secrets(), [k3, k2], "k1 retired");
      const auto = createRedisState({ url: redis.url, prefix: "keys:", keyring: { keep: 2, rotateEveryMs: 200 } });
      await sleep(250);
      const [k4] = await auto.keyring.secrets();
      assert.notEqual(k4, k3, "rotated by itself once the signing key was old enough");
      assert.deepEqual(await auto.keyring.secrets(), [k4, k3]);
      await auto.close();
    } finally {
      await s1.close();
      await s2.close();
    }
  });

  it("Redis unreachable: initialize is a 503 that says so, a publish rejects and is logged", T, async () => {
    const dead = `redis://127.0.0.1:${await freePort()}`;
    const errors: string[] = [];
    const state = createRedisState({ url: dead, prefix: "dead:", onError: (m, e) => errors.push(`${m}: ${e}`) });
    await assert.rejects(state.ready(), /Redis unavailable \(ping\)/);
    const mcp = new McpServer({ name: "n", version: "1", bus: state.bus });
    mcp.resource("x://1", () => "x");
    const h = createHttpHandler(mcp, { legacy: { sessionStore: state.sessions, eventStore: state.events } });
    const logged: string[] = [];
    const orig = console.error;
    console.error = (...a: unknown[]) => void logged.push(a.join(" "));
    try {
      const r = await post(h, INIT);
      assert.equal(r.status, 503);
      assert.match((await r.json()).error.message, /^Session store unavailable: Redis unavailable \(create session\)/);
      const unknown = await post(h, LIST, "0123456789abcdef0123456789abcdef");
      assert.equal(unknown.status, 503, "a session that may exist is not reported missing");
      await assert.rejects(mcp.notifyResourceUpdated("x://1"), /Redis unavailable \(publish change\)/);
      await sleep(10);
      assert.ok(logged.some((l) => /resources\/updated x:\/\/1 was not published: Redis unavailable/.test(l)), logged.join("\n"));
      assert.ok(errors.some((e) => /connection failed; retrying/.test(e)));
    } finally {
      console.error = orig;
      h.close();
      await state.close();
    }
  });

  it("Redis going away: the node holding a session still serves it; another node answers 503, not 404", T, async () => {
    const own = await startRedis();
    const [a, b] = [await node(own, "gone:"), await node(own, "gone:")];
    const orig = console.error;
    console.error = () => {};
    try {
      const sid = await init(a.h);
      await own.stop();
      assert.equal((await post(a.h, LIST, sid)).status, 200);
      const r = await post(b.h, LIST, sid);
      assert.equal(r.status, 503);
      assert.match((await r.json()).error.message, /Session store unavailable/);
    } finally {
      await closeNodes([a, b]);
      console.error = orig;
    }
  });
});

describe("the in-memory session store shared by two handlers in one process", () => {
  it("a session made on one handler is served by the other, and a change reaches the first's GET stream", T, async () => {
    const sessionStore = new InMemorySessionStore();
    const eventStore = new InMemoryEventStore();
    const bus = new LocalBus();
    const mk = () => {
      const mcp = new McpServer({ name: "n", version: "1", bus });
      mcp.resource("x://{id}", ({ id }) => id);
      return { mcp, h: createHttpHandler(mcp, { legacy: { sessionStore, eventStore } }) };
    };
    const a = mk();
    const b = mk();
    const sid = await init(a.h);
    assert.equal((await post(b.h, { jsonrpc: "2.0", method: "notifications/initialized" }, sid)).status, 202);
    const get = await a.h.fetch(new Request(URL_, { headers: { accept: "text/event-stream", "mcp-session-id": sid, "mcp-protocol-version": LEGACY } }));
    assert.equal(get.status, 200);
    const sub = await post(b.h, { jsonrpc: "2.0", id: 2, method: "resources/subscribe", params: { uri: "x://1" } }, sid);
    assert.equal(sub.status, 200);
    await until(() => a.h.legacy.sessions.get(sid)!.legacy.subscriptions.has("x://1"), 2000, "A to learn of the subscription");
    await b.mcp.notifyResourceUpdated("x://1");
    const reader = get.body!.getReader();
    let text = "";
    while (!text.includes("notifications/resources/updated")) text += new TextDecoder().decode((await reader.read()).value);
    assert.equal(text.match(/resources\/updated/g)!.length, 1);
    await reader.cancel();
    a.h.close();
    b.h.close();
  });
});

describe("requestState keys from a key source", () => {
  it("a state minted by one sealer opens on another after a rotation; a retired key's state does not", async () => {
    const list = ["k1"];
    const src: KeySource = { refreshMs: 60_000, secrets: () => [...list] };
    const minter = new RequestStateSealer({ keys: src });
    const opener = new RequestStateSealer({ keys: src });
    const payload = { answers: {}, b: "bind", exp: Date.now() + 60_000 };
    const old = await minter.seal(payload);
    await opener.open(old, "bind", undefined);
    list.unshift("k2");
    const fresh = await new RequestStateSealer({ keys: src }).seal(payload);
    // The opener still caches [k1]; a state it cannot verify makes it ask the source again.
    await sleep(1100);
    assert.deepEqual((await opener.open(fresh, "bind", undefined)).b, "bind");
    assert.deepEqual((await opener.open(old, "bind", undefined)).b, "bind");
    list.pop();
    await sleep(1100);
    const stale = new RequestStateSealer({ keys: new StaticKeys(["k2"]) });
    await assert.rejects(stale.open(old, "bind", undefined), /signature does not verify/);
  });
});
