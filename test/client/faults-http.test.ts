// Fault tests over Streamable HTTP against a scripted server (./mock-http.ts): a session
// that answers 404 mid-run (the client re-initializes by itself, restores its
// subscriptions and GET stream, and the call succeeds), SSE streams that break (legacy:
// resumed with GET + Last-Event-ID after the server's retry delay; 2026-07-28: the
// request re-issued under a new id), garbage (a clear error, no crash), and silence
// (RequestTimeoutError; the server is told to cancel).
import { afterEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client } from "../../src/client/client.js";
import { McpError, RequestTimeoutError } from "../../src/protocol/errors.js";
import { INFO, http, textOf, until } from "./helpers.js";
import { modernResult, result, startMock, type Mock, type MockOptions, type Reply } from "./mock-http.js";

let mock: Mock | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  await mock?.close();
  client = mock = undefined;
});

async function open(o: MockOptions): Promise<Client> {
  mock = await startMock(o);
  client = new Client(INFO, { requestTimeoutMs: 10_000 });
  await client.connect(http(mock.url, { reconnect: { initialDelayMs: 50 } }));
  return client;
}

const text = (id: unknown, t: string, modern = false) => (modern ? modernResult : result)(id, { content: [{ type: "text", text: t }] });
const sid = (r: { headers: Record<string, unknown> }) => r.headers["mcp-session-id"];

describe("legacy session that expires mid-run (HTTP 404)", () => {
  it("re-initializes by itself, re-subscribes, re-opens the GET stream, and the call succeeds", async () => {
    const c = await open({
      era: "legacy",
      onPost: (m, r) => (m.method === "tools/call" ? { json: text(m.id, `echo ${m.params.arguments.message} on ${sid(r)}`) } : undefined),
      onGet: (r) => (r.headers["last-event-id"] ? { status: 404 } : { sse: [], then: "hold" }),
    });
    await c.subscribe({ resources: ["test://watched"] });
    assert.equal(textOf(await c.callTool("echo", { message: "one" })), "echo one on s1");
    await until(() => mock!.received.some((r) => r.method === "GET" && sid(r) === "s1"), 3000, "GET stream of s1");
    mock!.expired.add("s1");
    assert.equal(textOf(await c.callTool("echo", { message: "two" })), "echo two on s2");
    assert.equal(mock!.posted("initialize").length, 2);
    assert.deepEqual(mock!.received.filter((r) => r.body?.method === "resources/subscribe").map(sid), ["s1", "s2"]);
    await until(() => mock!.received.some((r) => r.method === "GET" && sid(r) === "s2"), 3000, "GET stream of s2");
    // Concurrent calls that all hit the 404 share one re-initialization.
    mock!.expired.add("s2");
    const rs = await Promise.all(["a", "b", "c"].map((m) => c.callTool("echo", { message: m })));
    assert.deepEqual(rs.map(textOf), ["a", "b", "c"].map((m) => `echo ${m} on s3`));
    assert.equal(mock!.posted("initialize").length, 3);
  });
});

describe("SSE response stream that breaks before the answer", () => {
  it("legacy: resumes with GET + Last-Event-ID after the retry delay, twice, and loses nothing", async () => {
    let postedAt = 0;
    const gets: { lastEventId: unknown; at: number }[] = [];
    const c = await open({
      era: "legacy",
      onPost: (m) => {
        if (m.method !== "tools/call") return undefined;
        postedAt = Date.now();
        return { sse: [{ id: "e1", retry: 200, data: "" }, { data: { jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: m.params._meta.progressToken, progress: 1 } }, afterMs: 20 }] };
      },
      onGet: (r) => {
        const last = r.headers["last-event-id"];
        if (!last) return { status: 405 };
        gets.push({ lastEventId: last, at: Date.now() });
        const id = mock!.posted("tools/call")[0].id;
        if (last === "e1") return { sse: [{ id: "e2", data: { jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: 1, progress: 2 } } }] };
        return { sse: [{ id: "e3", data: text(id, "resumed") }] };
      },
    });
    const seen: number[] = [];
    const r = await c.callTool("slow", {}, { onProgress: (p) => seen.push(p.progress as number), progressToken: 1 });
    assert.equal(textOf(r), "resumed");
    assert.deepEqual(seen, [1, 2]);
    assert.deepEqual(gets.map((g) => g.lastEventId), ["e1", "e2"]);
    // The stream closed after the POST arrived, so honouring `retry: 200` puts the GET >= 200 ms after it.
    assert.ok(gets[0].at - postedAt >= 190, `reconnected ${gets[0].at - postedAt} ms after the POST (retry: 200)`);
    assert.ok(gets[1].at - gets[0].at >= 190, "a delay holds for the second reconnection too");
    assert.equal(mock!.posted("tools/call").length, 1, "resumed, not re-sent");
  });

  it("legacy: a stream that breaks without an event id fails the call with a clear error", async () => {
    const c = await open({ era: "legacy", onPost: (m) => (m.method === "tools/call" ? { sse: [{ data: "" }] } : undefined) });
    await assert.rejects(c.callTool("x"), (e) => e instanceof McpError && e.code === -32000 && /closed the response stream before answering/.test(e.message));
    assert.equal(textOf(await c.callTool("x").catch(() => ({ content: [{ type: "text", text: "still usable" }] }))), "still usable");
  });

  it("2026-07-28: re-issues the same request under a new id and delivers the answer", async () => {
    const c = await open({
      era: "modern",
      onPost: (m) => {
        if (m.method !== "tools/call") return undefined;
        if (mock!.posted("tools/call").length === 1) return { sse: [{ data: { jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: 7, progress: 1 } } }] };
        return { json: text(m.id, `answered ${m.params.arguments.n}`, true) };
      },
    });
    assert.equal(c.era, "modern");
    const seen: number[] = [];
    const r = await c.callTool("slow", { n: 42 }, { progressToken: 7, onProgress: (p) => seen.push(p.progress as number) });
    assert.equal(textOf(r), "answered 42");
    assert.deepEqual(seen, [1]);
    const [first, second] = mock!.posted("tools/call");
    assert.notEqual(first.id, second.id);
    assert.deepEqual(second.params, first.params);
    assert.equal(mock!.received.filter((x) => x.method === "GET").length, 0, "no GET resumption on 2026-07-28");
  });
});

describe("garbage from the server", () => {
  const BAD: Record<string, (id: unknown) => Reply> = {
    invalid_json: () => ({ status: 200, text: "{not json", contentType: "application/json" }),
    html_500: () => ({ status: 500, text: "<html>Internal Server Error</html>", contentType: "text/html" }),
    empty_200: () => ({ status: 200, text: "", contentType: "application/json" }),
    result_not_object: (id) => ({ json: { jsonrpc: "2.0", id, result: "oops" } }),
    other_id_only: () => ({ json: { jsonrpc: "2.0", id: 424242, result: {} } }),
  };
  for (const [name, reply] of Object.entries(BAD)) {
    it(`${name}: the call fails at once with a clear McpError; the client keeps working`, async () => {
      const c = await open({ era: "legacy", onPost: (m) => (m.method !== "tools/call" ? undefined : m.params.name === "ok" ? { json: text(m.id, "fine") } : reply(m.id)) });
      // "At once": the call fails on the bad answer, not by running into the 10 s request timeout.
      const err = await c.callTool(name).catch((e) => e);
      assert.ok(err instanceof McpError, String(err));
      assert.ok(!(err instanceof RequestTimeoutError), "failed by timing out");
      assert.match(err.message, /invalid JSON|HTTP 500|no valid answer/);
      assert.equal(textOf(await c.callTool("ok")), "fine");
    });
  }

  it("garbage events in an SSE answer are skipped; the answer still arrives", async () => {
    const c = await open({
      era: "legacy",
      onPost: (m) =>
        m.method === "tools/call"
          ? { sse: [{ data: "not json" }, { data: { jsonrpc: "2.0", id: 99999, result: {} } }, { data: { jsonrpc: "2.0", method: "notifications/message", params: "bad" } }, { data: text(m.id, "through") }] }
          : undefined,
    });
    assert.equal(textOf(await c.callTool("x")), "through");
  });
});

describe("a server that never answers", () => {
  it("RequestTimeoutError at the timeout; a legacy server gets notifications/cancelled", async () => {
    const c = await open({ era: "legacy", onPost: (m) => (m.method === "tools/call" ? { hang: true } : undefined) });
    const t0 = Date.now();
    const err = await c.callTool("hang", {}, { timeoutMs: 300 }).catch((e) => e);
    assert.ok(err instanceof RequestTimeoutError, String(err));
    // Not before the timeout (timers never fire early); the upper bound only rules out a hang.
    assert.ok(err.elapsedMs >= 290 && Date.now() - t0 < 10_000, `${Date.now() - t0} ms`);
    await until(() => mock!.posted("notifications/cancelled").length === 1, 2000, "notifications/cancelled");
    assert.equal(mock!.posted("notifications/cancelled")[0].params.requestId, mock!.posted("tools/call")[0].id);
  });

  it("resetTimeoutOnProgress over an SSE answer: extended by progress, stopped at maxTotalTimeoutMs", async () => {
    const c = await open({
      era: "legacy",
      onPost: (m) =>
        m.method === "tools/call"
          ? { sse: Array.from({ length: 200 }, (_, i) => ({ afterMs: 50, data: { jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: m.params._meta.progressToken, progress: i + 1 } } })), then: "hold" as const }
          : undefined,
    });
    const seen: number[] = [];
    const t0 = Date.now();
    // Progress every 50 ms (for 10 s) against a 1 s timeout: only a whole-second stall could end it early.
    const err = await c.callTool("tick", {}, { timeoutMs: 1000, resetTimeoutOnProgress: true, maxTotalTimeoutMs: 2500, onProgress: (p) => seen.push(p.progress as number) }).catch((e) => e);
    const took = Date.now() - t0;
    assert.ok(err instanceof RequestTimeoutError, String(err));
    // Past twice the timeout (so progress reset it), and stopped while progress still came.
    assert.ok(err.elapsedMs >= 2000 && took < 15_000, `stopped after ${took} ms`);
    assert.ok(seen.length >= 2, `${seen.length} progress notifications`);
  });
});
