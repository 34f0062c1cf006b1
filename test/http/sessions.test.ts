// Legacy session lifecycle over real HTTP: missing, unknown and expired sessions, DELETE then
// reuse, the idle sweep (and that an open GET stream keeps a session alive), the session cap
// (503) for Streamable HTTP and HTTP+SSE, and 1,000 abandoned sessions: the map drains after
// the idle timeout and the heap returns near its baseline (measured in a child with --expose-gc).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { RunningHttpServer } from "../../src/node/http.js";
import { LEGACY, initSession, post, serveFixture, until } from "./fixture.js";

const T = { timeout: 120_000 };
const LIST = { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} };
const HERE = path.dirname(fileURLToPath(import.meta.url));

const session = (sid: string) => ({ "mcp-session-id": sid, "mcp-protocol-version": LEGACY });
async function errorOf(res: Response): Promise<{ status: number; code: number; message: string }> {
  const body = await res.json();
  return { status: res.status, code: body.error.code, message: body.error.message };
}

describe("legacy sessions: missing, unknown, expired, deleted", T, () => {
  let server: RunningHttpServer;
  let url: string;
  before(async () => {
    ({ http: server, url } = await serveFixture({ legacy: { idleTimeoutMs: 300 } }));
  });
  after(() => server?.close());

  it("a request without Mcp-Session-Id (other than initialize) is 400", async () => {
    assert.deepEqual(await errorOf(await post(url, LIST)), { status: 400, code: -32600, message: "Bad Request: Mcp-Session-Id header is required" });
    assert.equal((await fetch(url, { headers: { accept: "text/event-stream" } })).status, 400);
    assert.equal((await fetch(url, { method: "DELETE" })).status, 400);
  });

  it("an unknown session id is 404 on POST, GET and DELETE", async () => {
    const bogus = { "mcp-session-id": "0123456789abcdef0123456789abcdef" };
    assert.deepEqual(await errorOf(await post(url, LIST, bogus)), { status: 404, code: -32000, message: "Session not found" });
    assert.equal((await fetch(url, { headers: { accept: "text/event-stream", ...bogus } })).status, 404);
    assert.equal((await fetch(url, { method: "DELETE", headers: bogus })).status, 404);
  });

  it("DELETE ends a session; reusing its id is 404 and a new initialize works", async () => {
    const sid = await initSession(url);
    const ok = await post(url, LIST, session(sid));
    assert.equal(ok.status, 200);
    assert.equal((await ok.json()).result.tools[0].name, "add");
    assert.equal(server.handler.legacy.sessions.has(sid), true);
    assert.equal((await fetch(url, { method: "DELETE", headers: session(sid) })).status, 200);
    assert.equal(server.handler.legacy.sessions.has(sid), false);
    assert.equal((await post(url, LIST, session(sid))).status, 404);
    assert.equal((await fetch(url, { headers: { accept: "text/event-stream", ...session(sid) } })).status, 404);
    assert.equal((await fetch(url, { method: "DELETE", headers: session(sid) })).status, 404);
    const again = await initSession(url);
    assert.notEqual(again, sid);
    assert.equal((await post(url, LIST, session(again))).status, 200);
  });

  it("an idle session expires: 404 afterwards", async () => {
    const sid = await initSession(url);
    await until(() => !server.handler.legacy.sessions.has(sid), 10_000, "the idle sweep");
    assert.deepEqual(await errorOf(await post(url, LIST, session(sid))), { status: 404, code: -32000, message: "Session not found" });
  });

  it("an open GET stream keeps its session alive; once it closes, the session expires", async () => {
    const sid = await initSession(url);
    const ctl = new AbortController();
    const get = await fetch(url, { headers: { accept: "text/event-stream", ...session(sid) }, signal: ctl.signal });
    assert.equal(get.status, 200);
    assert.equal(get.headers.get("content-type"), "text/event-stream");
    // A second GET stream on the same session is refused.
    assert.equal((await fetch(url, { headers: { accept: "text/event-stream", ...session(sid) } })).status, 409);
    // Several idle timeouts pass; the session survives because its stream is open.
    const other = await initSession(url);
    await until(() => !server.handler.legacy.sessions.has(other), 10_000, "the idle sweep of another session");
    assert.equal(server.handler.legacy.sessions.has(sid), true);
    ctl.abort();
    await until(() => !server.handler.legacy.sessions.has(sid), 10_000, "the session to expire after its stream closed");
  });
});

describe("session cap", T, () => {
  let server: RunningHttpServer;
  let url: string;
  let origin: string;
  before(async () => {
    ({ http: server, url, origin } = await serveFixture({ legacy: { maxSessions: 3 } }));
  });
  after(() => server?.close());

  it("initialize beyond maxSessions is 503 with a JSON-RPC error; a DELETE frees a slot", async () => {
    const ids = [await initSession(url), await initSession(url), await initSession(url)];
    const init = { jsonrpc: "2.0", id: 7, method: "initialize", params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: "x", version: "1" } } };
    const full = await post(url, init);
    assert.equal(full.status, 503);
    assert.equal(full.headers.get("mcp-session-id"), null);
    assert.deepEqual(await full.json(), { jsonrpc: "2.0", id: 7, error: { code: -32603, message: "Too many sessions; try again later" } });
    assert.equal(server.handler.legacy.sessions.size, 3);
    // Existing sessions keep working.
    for (const sid of ids) assert.equal((await post(url, LIST, session(sid))).status, 200);
    assert.equal((await fetch(url, { method: "DELETE", headers: session(ids[0]) })).status, 200);
    const sid = await initSession(url);
    assert.equal((await post(url, LIST, session(sid))).status, 200);
    // The 2026-07-28 era holds no session, so it is not capped.
    assert.equal(server.handler.legacy.sessions.size, 3);
  });

  it("HTTP+SSE streams are capped too", async () => {
    const ctls = [new AbortController(), new AbortController(), new AbortController()];
    try {
      for (const ctl of ctls) {
        const r = await fetch(`${origin}/sse`, { headers: { accept: "text/event-stream" }, signal: ctl.signal });
        assert.equal(r.status, 200);
        // Read up to the endpoint event, leaving the stream open.
        const reader = r.body!.pipeThrough(new TextDecoderStream()).getReader();
        let seen = "";
        while (!seen.includes("\n\n")) seen += (await reader.read()).value ?? "";
        assert.match(seen, /^event: endpoint\ndata: \/messages\?sessionId=[0-9a-f-]{36}\n\n/);
      }
      const full = await fetch(`${origin}/sse`, { headers: { accept: "text/event-stream" } });
      assert.equal(full.status, 503);
      assert.equal((await full.json()).error.message, "Too many SSE sessions");
    } finally {
      for (const ctl of ctls) ctl.abort();
    }
    // Closed streams free their slots.
    await until(async () => {
      const r = await fetch(`${origin}/sse`, { headers: { accept: "text/event-stream" } });
      await r.body?.cancel();
      return r.status === 200;
    }, 10_000, "a free SSE slot");
  });
});

describe("1,000 abandoned sessions", T, () => {
  it("all are open at once, all expire in the idle sweep, and the heap returns near its baseline", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ["--expose-gc", "--import", "tsx", path.join(HERE, "churn-child.ts"), "1000"], {
      cwd: path.resolve(HERE, "../.."),
      timeout: 100_000,
    });
    const r = JSON.parse(stdout.trim().split("\n").at(-1)!) as {
      baseline: number;
      final: number;
      sessionsLeft: number;
      rounds: { open: number; heapWhileOpen: number }[];
    };
    assert.equal(r.sessionsLeft, 0);
    assert.equal(r.rounds.length, 3);
    for (const round of r.rounds) assert.equal(round.open, 1000, "every session was open before the sweep");
    // Open sessions cost memory (so the measurement can see them)…
    const footprint = r.rounds[0].heapWhileOpen - r.baseline;
    assert.ok(footprint > 1_000_000, `1,000 open sessions should take over 1 MB, took ${footprint}`);
    // …and after three rounds of 1,000 abandoned sessions the heap is back near the baseline.
    const growth = r.final - r.baseline;
    assert.ok(growth < Math.max(1_000_000, footprint / 4), `heap grew by ${growth} bytes over 3,000 abandoned sessions (one round's footprint: ${footprint})`);
  });
});
