// Resumability of legacy Streamable HTTP (2025-11-25 polling, SEP-1699): a tool closes its own
// SSE answer mid-call (ctx.request.http.closeStream()), the client GETs with Last-Event-ID and
// receives the result: replayed if it was ready, live if not. Only on the session the stream
// belongs to; another session's (or a forged) Last-Event-ID is 404. Then the same end to end
// with the official v1 client and with ours, which both resume by themselves.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as V1Http } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Client } from "../../src/client/client.js";
import { StreamableHttpClientTransport } from "../../src/transports/http/client.js";
import type { RunningHttpServer } from "../../src/node/http.js";
import { EventTap, LEGACY, initSession, post, serveFixture, until, type Fixture } from "./fixture.js";

const T = { timeout: 60_000 };
const RETRY_MS = 50;

describe("resumability: a stream closed by the tool, resumed with Last-Event-ID", T, () => {
  let server: RunningHttpServer;
  let fx: Fixture;
  let url: string;
  before(async () => {
    ({ http: server, fx, url } = await serveFixture({ legacy: { retryMs: RETRY_MS } }));
  });
  after(() => server?.close());

  const headers = (sid: string, v = LEGACY) => ({ "mcp-session-id": sid, "mcp-protocol-version": v });
  const resume = (sid: string | undefined, last: string) =>
    fetch(url, { headers: { accept: "text/event-stream", "last-event-id": last, ...(sid ? headers(sid) : {}) } });
  const poll = (sid: string, id: number, tag: string) => post(url, { jsonrpc: "2.0", id, method: "tools/call", params: { name: "poll", arguments: { tag } } }, headers(sid));
  const answer = (id: number, tag: string) => ({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: `polled ${tag}` }] } });

  /** Start a poll call and read its stream to the server's close: the priming event id. */
  async function closedMidCall(sid: string, id: number, tag: string): Promise<string> {
    const res = await poll(sid, id, tag);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/event-stream");
    const raw = await res.text(); // ends: the tool closed it
    const m = /^retry: (\d+)\nid: ([^\n]+)\ndata: \n\n$/.exec(raw);
    assert.ok(m, `expected only a priming event, got ${JSON.stringify(raw)}`);
    assert.equal(Number(m[1]), RETRY_MS);
    assert.ok(m[2].startsWith(`${sid}:`) && m[2].endsWith(".0"), m[2]);
    await fx.whenStarted(tag);
    return m[2];
  }

  it("the result, ready by then, is replayed on the same session; then the stream ends", async () => {
    const sid = await initSession(url);
    const last = await closedMidCall(sid, 1, "r1");
    fx.release("r1");
    const session = server.handler.legacy.sessions.get(sid)!;
    await until(() => session.inflight.size === 0, 10_000, "the call to finish");
    const res = await resume(sid, last);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("mcp-session-id"), sid);
    const tap = new EventTap(res.body!);
    await tap.done;
    assert.deepEqual(tap.messages, [answer(1, "r1")]);
    const streamId = last.slice(0, -2);
    assert.deepEqual(tap.events.map((e) => e.id), [`${streamId}.1`]);
    // Resuming after the last event gets nothing more.
    const again = new EventTap((await resume(sid, `${streamId}.1`)).body!);
    await again.done;
    assert.deepEqual(again.messages, []);
  });

  it("another session's Last-Event-ID is 404, and so are forged ones; no session is 400", async () => {
    const a = await initSession(url);
    const b = await initSession(url);
    const last = await closedMidCall(a, 1, "r2");
    fx.release("r2");
    await until(() => server.handler.legacy.sessions.get(a)!.inflight.size === 0, 10_000, "the call to finish");
    const other = await resume(b, last);
    assert.equal(other.status, 404);
    assert.deepEqual(await other.json(), { jsonrpc: "2.0", id: null, error: { code: -32600, message: "Unknown Last-Event-ID for this session" } });
    // A's stream id under B's session id, and ids that name no stream at all.
    for (const forged of [`${b}:${last.split(":")[1]}`, `${a}:${last.split(":")[1]}`, "garbage", ""]) {
      const r = await resume(b, forged);
      if (forged.startsWith(`${b}:`)) {
        // Looks like one of B's own streams: B gets nothing of A's (an empty stream, or 404).
        if (r.status === 200) {
          const t = new EventTap(r.body!);
          await t.done;
          assert.deepEqual(t.messages, [], forged);
        } else assert.equal(r.status, 404, forged);
      } else {
        assert.equal(r.status, 404, forged);
        await r.body?.cancel();
      }
    }
    assert.equal((await resume(undefined, last)).status, 400);
    // The owner still gets it.
    const mine = new EventTap((await resume(a, last)).body!);
    await mine.done;
    assert.deepEqual(mine.messages, [answer(1, "r2")]);
    // Session b is unaffected.
    assert.equal((await post(url, { jsonrpc: "2.0", id: 9, method: "tools/list", params: {} }, headers(b))).status, 200);
  });

  it("resumed while the call still runs: the result arrives live on the resumed stream", async () => {
    const sid = await initSession(url);
    const last = await closedMidCall(sid, 5, "r3");
    const res = await resume(sid, last);
    assert.equal(res.status, 200);
    const tap = new EventTap(res.body!);
    fx.release("r3");
    await tap.done;
    assert.deepEqual(tap.messages, [answer(5, "r3")]);
  });

  it("only events after Last-Event-ID are replayed (a dropped stream with progress)", async () => {
    const sid = await initSession(url);
    const ctl = new AbortController();
    const res = await post(url, { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "wait", arguments: { tag: "r4" }, _meta: { progressToken: 7 } } }, headers(sid), { signal: ctl.signal });
    const tap = new EventTap(res.body!);
    await tap.waitForMessage((m) => m.method === "notifications/progress");
    const afterProgress = tap.lastEventId!;
    assert.match(afterProgress, /\.1$/);
    ctl.abort();
    fx.release("r4");
    await until(() => server.handler.legacy.sessions.get(sid)!.inflight.size === 0, 10_000, "the call to finish");
    const fromProgress = new EventTap((await resume(sid, afterProgress)).body!);
    await fromProgress.done;
    assert.deepEqual(fromProgress.messages, [{ jsonrpc: "2.0", id: 2, result: { content: [{ type: "text", text: "r4: released" }] } }]);
    const fromStart = new EventTap((await resume(sid, afterProgress.replace(/\.1$/, ".0"))).body!);
    await fromStart.done;
    assert.deepEqual(fromStart.messages.map((m) => m.method ?? "result"), ["notifications/progress", "result"]);
  });

  it("a session ended with DELETE takes its stored events along (404)", async () => {
    const sid = await initSession(url);
    const last = await closedMidCall(sid, 1, "r5");
    fx.release("r5");
    await until(() => server.handler.legacy.sessions.get(sid)!.inflight.size === 0, 10_000, "the call to finish");
    assert.equal((await fetch(url, { method: "DELETE", headers: headers(sid) })).status, 200);
    assert.equal((await resume(sid, last)).status, 404);
  });

  it("before 2025-11-25 (no priming event) closeStream() is a no-op: the answer is not lost", async () => {
    const sid = await initSession(url, "2025-06-18");
    const pending = post(url, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "poll", arguments: { tag: "r6" } } }, headers(sid, "2025-06-18"));
    await fx.whenStarted("r6");
    fx.release("r6");
    const res = await pending;
    assert.equal(res.headers.get("content-type"), "application/json");
    assert.deepEqual(await res.json(), answer(1, "r6"));
  });
});

describe("clients that resume by themselves", T, () => {
  let server: RunningHttpServer;
  let fx: Fixture;
  let url: string;
  before(async () => {
    ({ http: server, fx, url } = await serveFixture({ legacy: { retryMs: RETRY_MS } }));
  });
  after(() => server?.close());

  it("the official v1 client: GET with Last-Event-ID after the server closed the stream", async () => {
    const gets: (string | null)[] = [];
    const tap: typeof fetch = async (input, init) => {
      if ((init?.method ?? "GET") === "GET") gets.push(new Headers(init?.headers).get("last-event-id"));
      return fetch(input, init);
    };
    const client = new V1Client({ name: "v1-resume", version: "1.0.0" });
    try {
      await client.connect(new V1Http(new URL(url), { fetch: tap }));
      const call = client.callTool({ name: "poll", arguments: { tag: "v1" } });
      await fx.whenStarted("v1");
      fx.release("v1");
      assert.deepEqual(await call, { content: [{ type: "text", text: "polled v1" }] });
      assert.ok(gets.some((g) => g !== null && g.endsWith(".0")), JSON.stringify(gets));
    } finally {
      await client.close();
    }
  });

  it("mcpkit's Client: the same, and the session stays usable", async () => {
    const client = new Client({ name: "ours", version: "0.1.0" }, { era: "legacy" });
    const transport = new StreamableHttpClientTransport(url);
    let sid: string | undefined;
    try {
      await client.connect(transport);
      sid = transport.sessionId;
      const call = client.callTool("poll", { tag: "ours" });
      await fx.whenStarted("ours");
      // Let the client's resume attempt race the result: either order must work.
      setTimeout(() => fx.release("ours"), RETRY_MS * 2);
      assert.deepEqual(await call, { content: [{ type: "text", text: "polled ours" }] });
      assert.deepEqual(await client.callTool("add", { a: 1, b: 2 }), { content: [{ type: "text", text: "3" }] });
      assert.equal(transport.sessionId, sid);
      assert.ok(server.handler.legacy.sessions.has(sid!));
    } finally {
      await client.close();
    }
    assert.equal(server.handler.legacy.sessions.has(sid!), false, "close() ended the session");
  });
});
