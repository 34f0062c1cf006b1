// Client hardening of the SSE reader: a bound on one line / one event (default 16 MiB; past
// it the stream fails with a clear error instead of buffering without limit), incremental
// scanning that still splits lines correctly wherever the chunks break, and a cap on a
// server's `retry:` hint.
import { afterEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client } from "../../src/client/client.js";
import { McpError } from "../../src/protocol/errors.js";
import { DEFAULT_MAX_SSE_EVENT_SIZE, SseParser, SseTooLargeError, readSse, type SseEvent } from "../../src/transports/http/sse-parser.js";
import { MAX_RETRY_HINT_MS, retryHint } from "../../src/transports/http/client-helpers.js";
import { INFO, http, textOf } from "./helpers.js";
import { result, startMock, type Mock } from "./mock-http.js";

const collect = (opts?: { maxEventSize?: number }) => {
  const events: SseEvent[] = [];
  return { events, parser: new SseParser((e) => events.push(e), opts) };
};

describe("SseParser", () => {
  it("splits lines correctly however the chunks are cut (\\n, \\r\\n, lone \\r, \\r\\n across chunks)", () => {
    const text = "id: 1\r\ndata: a\r\ndata: b\r\n\r\n: keep-alive\n\nevent: x\rdata: c\r\rretry: 250\ndata: d\n\n";
    for (let size = 1; size <= text.length; size++) {
      const { events, parser } = collect();
      for (let i = 0; i < text.length; i += size) parser.push(text.slice(i, i + size));
      assert.deepEqual(events, [
        { event: "message", data: "a\nb", id: "1" },
        { event: "x", data: "c", id: undefined },
        { event: "message", data: "d", id: undefined },
      ], `chunk size ${size}`);
      assert.equal(parser.retryMs, 250);
      assert.equal(parser.lastEventId, "1");
    }
  });

  it("a long line fed in many small chunks is parsed once it ends (no loss, no re-scan blow-up)", () => {
    const { events, parser } = collect();
    const payload = "x".repeat(2_000_000);
    parser.push("data: ");
    for (let i = 0; i < payload.length; i += 1000) parser.push(payload.slice(i, i + 1000));
    parser.push("\n\n");
    assert.equal(events.length, 1);
    assert.equal(events[0].data, payload);
  });

  it("the default bound is 16 MiB", () => {
    assert.equal(DEFAULT_MAX_SSE_EVENT_SIZE, 16 * 1024 * 1024);
  });

  it("a line longer than the bound throws SseTooLargeError, even without a line end", () => {
    const { events, parser } = collect({ maxEventSize: 100 });
    parser.push("data: " + "y".repeat(50));
    assert.throws(() => parser.push("y".repeat(60)), (e: unknown) => e instanceof SseTooLargeError && /maximum size of 100/.test(e.message));
    assert.equal(events.length, 0);
  });

  it("a complete over-long line inside one chunk throws too, whatever its field", () => {
    const { parser } = collect({ maxEventSize: 100 });
    assert.throws(() => parser.push(`: ${"c".repeat(200)}\n\n`), SseTooLargeError);
  });

  it("an event whose data lines together pass the bound throws, though each line is small", () => {
    const { events, parser } = collect({ maxEventSize: 100 });
    parser.push("data: small\n\n");
    assert.throws(() => {
      for (let i = 0; i < 20; i++) parser.push(`data: ${"z".repeat(20)}\n`);
    }, SseTooLargeError);
    assert.deepEqual(events.map((e) => e.data), ["small"]);
  });

  it("readSse rejects with the error and cancels the body", async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(new TextEncoder().encode("data: " + "w".repeat(64)));
      },
      cancel() {
        cancelled = true;
      },
    });
    const { parser } = collect({ maxEventSize: 1000 });
    await assert.rejects(readSse(body, parser), SseTooLargeError);
    assert.ok(cancelled, "the body was cancelled");
  });
});

describe("retry: hint", () => {
  it("is capped at 60 s; smaller hints are kept; no hint stays undefined", () => {
    assert.equal(MAX_RETRY_HINT_MS, 60_000);
    assert.equal(retryHint({ retryMs: 999_999_999 }), 60_000);
    assert.equal(retryHint({ retryMs: 1500 }), 1500);
    assert.equal(retryHint({ retryMs: undefined }), undefined);
    const { parser } = collect();
    parser.push("retry: 86400000\n\n");
    assert.equal(retryHint(parser), MAX_RETRY_HINT_MS);
  });
});

describe("the client over HTTP", () => {
  let mock: Mock | undefined;
  let client: Client | undefined;
  afterEach(async () => {
    await client?.close();
    await mock?.close();
    client = mock = undefined;
  });

  it("an SSE answer with an oversized event fails the call with a clear error; the client keeps working", async () => {
    mock = await startMock({
      era: "legacy",
      onPost: (m) =>
        m.method !== "tools/call"
          ? undefined
          : m.params.name === "big"
            ? { sse: [{ data: JSON.stringify(result(m.id, { content: [{ type: "text", text: "b".repeat(10_000) }] })) }], then: "hold" }
            : { sse: [{ data: result(m.id, { content: [{ type: "text", text: "small" }] }) }] },
    });
    client = new Client(INFO, { requestTimeoutMs: 30_000 });
    await client.connect(http(mock.url, { maxSseEventSize: 4096, openGetStream: false }));
    const err = await client.callTool("big").catch((e) => e);
    assert.ok(err instanceof McpError, String(err));
    assert.match(err.message, /exceeds the maximum size of 4096/);
    assert.equal(textOf(await client.callTool("small")), "small");
  });

  it("the GET stream: an oversized event, a refusal or endless drops are reported through onStreamError; calls keep working", async () => {
    // 1. An oversized notification on the GET stream.
    mock = await startMock({
      era: "legacy",
      onPost: (m) => (m.method === "tools/call" ? { json: result(m.id, { content: [{ type: "text", text: "fine" }] }) } : undefined),
      onGet: () => ({ sse: [{ data: { jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: "z".repeat(10_000) } } }], then: "hold" }),
    });
    const errors: Error[] = [];
    client = new Client(INFO, { requestTimeoutMs: 30_000 });
    await client.connect(http(mock.url, { maxSseEventSize: 4096, reconnect: { initialDelayMs: 10 }, onStreamError: (e) => errors.push(e) }));
    for (let i = 0; i < 500 && !errors.length; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof SseTooLargeError);
    assert.equal(textOf(await client.callTool("x")), "fine");
    assert.equal(mock.received.filter((r) => r.method === "GET").length, 1, "not reopened: it would bring the same event back");
    await client.close();
    await mock.close();

    // 2. The server answers the GET with 500: reported once, no retry loop.
    mock = await startMock({ era: "legacy", onGet: () => ({ status: 500, text: "boom" }) });
    errors.length = 0;
    client = new Client(INFO);
    await client.connect(http(mock.url, { reconnect: { initialDelayMs: 10 }, onStreamError: (e) => errors.push(e) }));
    for (let i = 0; i < 500 && !errors.length; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 200)); // time for a retry loop to show itself
    assert.deepEqual(errors.map((e) => e.message), ["The server refused the GET stream: HTTP 500"]);
    assert.equal(mock.received.filter((r) => r.method === "GET").length, 1, "not retried");
    await client.close();
    await mock.close();

    // 3. The GET fails at the network level every time: reported after the last retry.
    mock = await startMock({ era: "legacy" });
    errors.length = 0;
    let gets = 0;
    const flaky = (async (input: any, init?: RequestInit) => {
      if ((init?.method ?? "GET") === "GET") {
        gets++;
        throw new TypeError("fetch failed");
      }
      return fetch(input, init);
    }) as typeof fetch;
    client = new Client(INFO);
    await client.connect(http(mock.url, { fetch: flaky, reconnect: { initialDelayMs: 5, maxRetries: 3 }, onStreamError: (e) => errors.push(e) }));
    for (let i = 0; i < 500 && !errors.length; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(errors.map((e) => e.message), ["The server's GET stream closed and could not be reopened (3 attempts)"]);
    assert.equal(gets, 4, "the first try and 3 retries");
  });

  it("an oversized event on the resumed stream (GET + Last-Event-ID) fails the call with the same clear error", async () => {
    mock = await startMock({
      era: "legacy",
      // The answer stream primes an event id, then breaks; the resumption sends too much.
      onPost: (m) => (m.method === "tools/call" ? { sse: [{ id: "e1", retry: 10 }] } : undefined),
      onGet: (r) => (r.headers["last-event-id"] === "e1" ? { sse: [{ id: "e2", data: "x".repeat(10_000) }], then: "hold" } : { status: 405 }),
    });
    client = new Client(INFO, { requestTimeoutMs: 30_000 });
    await client.connect(http(mock.url, { maxSseEventSize: 4096, reconnect: { initialDelayMs: 10 } }));
    const err = await client.callTool("x").catch((e) => e);
    assert.ok(err instanceof McpError, String(err));
    assert.match(err.message, /exceeds the maximum size of 4096/);
    assert.equal(mock.received.filter((r) => r.method === "GET" && r.headers["last-event-id"] === "e1").length, 1, "no second try");
  });
});
