// Clients that go away mid-stream, over real HTTP (serveHttp on port 0):
//   - 2024-11-05 HTTP+SSE: the stream drops while a call runs; the call is aborted, the
//     session's message endpoint is gone (404), and new clients are served.
//   - legacy Streamable HTTP: a POST's SSE answer drops; the call keeps running (the client
//     may resume), finishes, and the session serves on.
//   - 2026-07-28: closing the answer's stream (SSE or pending JSON) cancels the request:
//     the handler's ctx.signal aborts; the server serves on.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { RunningHttpServer } from "../../src/node/http.js";
import { ENVELOPE, EventTap, LEGACY, initSession, modernCall, modernHeaders, post, serveFixture, until, type Fixture } from "./fixture.js";

const T = { timeout: 60_000 };
const text = (t: string) => [{ type: "text", text: t }];

describe("a client that disconnects mid-stream", T, () => {
  let server: RunningHttpServer;
  let fx: Fixture;
  let url: string;
  let origin: string;
  before(async () => {
    ({ http: server, fx, url, origin } = await serveFixture());
  });
  after(() => server?.close());

  /** A 2024-11-05 client: the stream, and where to POST. */
  async function sseSession(): Promise<{ tap: EventTap; ctl: AbortController; endpoint: string }> {
    const ctl = new AbortController();
    const res = await fetch(`${origin}/sse`, { headers: { accept: "text/event-stream" }, signal: ctl.signal });
    assert.equal(res.status, 200);
    const tap = new EventTap(res.body!);
    const endpoint = new URL((await tap.waitFor((e) => e.event === "endpoint")).data, origin).href;
    const init = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2024-11-05", capabilities: {}, clientInfo: { name: "raw", version: "0" } } }),
    });
    assert.equal(init.status, 202);
    assert.equal((await tap.waitForMessage((m) => m.id === 0)).result.protocolVersion, "2024-11-05");
    await fetch(endpoint, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) });
    return { tap, ctl, endpoint };
  }
  const postTo = (endpoint: string, msg: unknown) => fetch(endpoint, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(msg) });

  it("2024-11-05 HTTP+SSE: the call is aborted, the endpoint is gone, others are served", async () => {
    const a = await sseSession();
    assert.equal((await postTo(a.endpoint, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "wait", arguments: { tag: "sse" } } })).status, 202);
    await fx.whenStarted("sse");
    a.ctl.abort();
    await a.tap.done;
    await until(() => fx.aborted.has("sse"), 10_000, "the call to be aborted");
    await until(async () => (await postTo(a.endpoint, { jsonrpc: "2.0", id: 2, method: "ping" })).status === 404, 10_000, "the endpoint to go");
    // A new client is served as usual.
    const b = await sseSession();
    try {
      assert.equal((await postTo(b.endpoint, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "add", arguments: { a: 2, b: 3 } } })).status, 202);
      assert.deepEqual((await b.tap.waitForMessage((m) => m.id === 1)).result.content, text("5"));
    } finally {
      b.ctl.abort();
    }
  });

  it("legacy Streamable HTTP: a dropped SSE answer does not cancel the call; the session serves on", async () => {
    const sid = await initSession(url);
    const headers = { "mcp-session-id": sid, "mcp-protocol-version": LEGACY };
    const ctl = new AbortController();
    const res = await post(url, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "wait", arguments: { tag: "legacy" }, _meta: { progressToken: "p1" } } }, headers, { signal: ctl.signal });
    assert.equal(res.headers.get("content-type"), "text/event-stream");
    const tap = new EventTap(res.body!);
    assert.deepEqual((await tap.waitForMessage((m) => m.method === "notifications/progress")).params, { progressToken: "p1", progress: 0, message: "started" });
    ctl.abort();
    await tap.done;
    await fx.whenStarted("legacy");
    const session = server.handler.legacy.sessions.get(sid)!;
    assert.equal(session.inflight.size, 1, "the call is still running");
    // The session serves other requests meanwhile.
    const add = await post(url, { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "add", arguments: { a: 1, b: 1 } } }, headers);
    assert.deepEqual((await add.json()).result.content, text("2"));
    fx.release("legacy");
    await until(() => session.inflight.size === 0, 10_000, "the call to finish");
    assert.equal(fx.aborted.has("legacy"), false);
    assert.equal((await post(url, { jsonrpc: "2.0", id: 3, method: "tools/list", params: {} }, headers)).status, 200);
    // A JSON answer still pending when the client leaves: the same, the call runs to its end.
    const ctl2 = new AbortController();
    const pending = post(url, { jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "wait", arguments: { tag: "legacy-json" } } }, headers, { signal: ctl2.signal });
    await fx.whenStarted("legacy-json");
    ctl2.abort();
    await assert.rejects(pending);
    fx.release("legacy-json");
    await until(() => session.inflight.size === 0, 10_000, "the call to finish");
    assert.equal(fx.aborted.has("legacy-json"), false);
  });

  it("2026-07-28 SSE answer: closing it aborts the handler's ctx.signal", async () => {
    const ctl = new AbortController();
    const call = { ...modernCall(1, "wait", { tag: "modern-sse" }) };
    call.params._meta = { ...ENVELOPE, progressToken: "m1" } as typeof ENVELOPE;
    const res = await post(url, call, modernHeaders("tools/call", "wait"), { signal: ctl.signal });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/event-stream");
    assert.equal(res.headers.get("mcp-session-id"), null);
    const tap = new EventTap(res.body!);
    const p = await tap.waitForMessage((m) => m.method === "notifications/progress");
    assert.equal(p.params.progressToken, "m1");
    await fx.whenStarted("modern-sse");
    ctl.abort();
    await until(() => fx.aborted.has("modern-sse"), 10_000, "ctx.signal to abort");
    // Whichever the adapter notices first: the response stream or the request.
    assert.ok(["stream closed", "client disconnected"].includes(fx.aborted.get("modern-sse") as string), String(fx.aborted.get("modern-sse")));
  });

  it("2026-07-28 JSON answer still pending: the client leaving aborts ctx.signal too", async () => {
    const ctl = new AbortController();
    const pending = post(url, modernCall(2, "wait", { tag: "modern-json" }), modernHeaders("tools/call", "wait"), { signal: ctl.signal });
    await fx.whenStarted("modern-json");
    ctl.abort();
    await assert.rejects(pending);
    await until(() => fx.aborted.has("modern-json"), 10_000, "ctx.signal to abort");
    assert.equal(fx.aborted.get("modern-json"), "client disconnected");
  });

  it("after all that, both eras are served and nothing is left in flight", async () => {
    const m = await post(url, modernCall(3, "add", { a: 20, b: 22 }), modernHeaders("tools/call", "add"));
    assert.deepEqual((await m.json()).result.content, text("42"));
    const sid = await initSession(url);
    const l = await post(url, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo", arguments: { message: "still here" } } }, { "mcp-session-id": sid, "mcp-protocol-version": LEGACY });
    assert.deepEqual((await l.json()).result.content, text("Echo: still here"));
    for (const s of server.handler.legacy.sessions.values()) assert.equal(s.inflight.size, 0);
  });
});
