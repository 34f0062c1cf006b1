// Hostile input for the Streamable HTTP handler: bad JSON, methods, media types, Accept,
// oversized bodies, wrong or mismatched 2026-07-28 headers, unsupported versions, unknown
// methods, foreign Host and Origin. Mostly through `handler.fetch(new Request(…))`; the body
// limit and the Host header also over real HTTP (serveHttp on port 0), where the server must
// keep serving afterwards.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { createHttpHandler, type McpHttpHandler } from "../../src/transports/http/handler.js";
import type { RunningHttpServer } from "../../src/node/http.js";
import { ACCEPT, ENVELOPE, EventTap, INFO, MODERN, initSession, makeFixture, modernCall, modernHeaders, serveFixture } from "./fixture.js";

const T = { timeout: 60_000 };
const URL_ = "http://localhost/mcp";
const JSON_H = { "content-type": "application/json", accept: ACCEPT };
const LIST = { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} };

async function send(h: McpHttpHandler, init: { method?: string; headers?: Record<string, string>; body?: unknown }, url = URL_) {
  const body = init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body);
  const res = await h.fetch(new Request(url, { method: init.method ?? "POST", headers: init.headers ?? JSON_H, body }));
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** A JSON-RPC error body with `code` (and the request id, or null). */
function isError(r: { json: any }, code: number, id: unknown = null, message?: RegExp): void {
  assert.equal(r.json?.jsonrpc, "2.0");
  assert.equal(r.json.id, id);
  assert.equal(r.json.error?.code, code, JSON.stringify(r.json));
  if (message) assert.match(r.json.error.message, message);
}

describe("hostile input: the fetch-style handler", T, () => {
  let h: McpHttpHandler;
  before(() => {
    h = createHttpHandler(makeFixture().mcp, { maxBodyBytes: 1024 });
  });
  after(() => h?.close());

  it("malformed JSON, an empty body and non-JSON-RPC bodies: 400 with a JSON-RPC error", async () => {
    isError(await send(h, { body: "{nope" }), -32700);
    const r = await send(h, { body: "{nope" });
    assert.equal(r.status, 400);
    assert.equal(r.headers.get("content-type"), "application/json");
    const empty = await send(h, { body: "" });
    assert.equal(empty.status, 400);
    isError(empty, -32700);
    for (const body of ["[]", '{"hello":1}', '{"jsonrpc":"1.0","id":1,"method":"x"}', "42", "null"]) {
      const x = await send(h, { body });
      assert.equal(x.status, 400, body);
      assert.ok([-32600, -32700].includes(x.json.error.code), body);
    }
  });

  it("wrong HTTP methods: 405 with Allow", async () => {
    for (const method of ["PUT", "PATCH"]) {
      const r = await send(h, { method, body: LIST });
      assert.equal(r.status, 405, method);
      assert.equal(r.headers.get("allow"), "GET, POST, DELETE");
    }
    const o = await h.fetch(new Request(URL_, { method: "OPTIONS" }));
    assert.equal(o.status, 405);
  });

  it("a Content-Type other than JSON: 415", async () => {
    for (const ct of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const r = await send(h, { headers: { "content-type": ct, accept: ACCEPT }, body: LIST });
      assert.equal(r.status, 415, ct);
      isError(r, -32600, null, /Content-Type/);
    }
    const none = await h.fetch(new Request(URL_, { method: "POST", headers: { accept: ACCEPT }, body: new Blob([JSON.stringify(LIST)]) }));
    assert.equal(none.status, 415);
    // Parameters after the media type are fine.
    assert.equal((await send(h, { headers: { "content-type": "application/json; charset=utf-8", accept: ACCEPT }, body: { ...LIST, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "x", version: "1" } } } })).status, 200);
  });

  it("an Accept without both JSON and SSE: 406 (wildcards count)", async () => {
    for (const accept of ["application/json", "text/event-stream", "text/html"]) {
      const r = await send(h, { headers: { "content-type": "application/json", accept }, body: LIST });
      assert.equal(r.status, 406, accept);
      isError(r, -32600, null, /Not Acceptable/);
    }
    assert.equal((await h.fetch(new Request(URL_, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(LIST) }))).status, 406);
    // */* is acceptable: the request goes on to the session check.
    assert.equal((await send(h, { headers: { "content-type": "application/json", accept: "*/*" }, body: LIST })).status, 400);
    // The GET stream needs text/event-stream.
    assert.equal((await send(h, { method: "GET", headers: { accept: "application/json" } })).status, 406);
  });

  it("a body over the limit: 413, and the handler keeps serving", async () => {
    const big = JSON.stringify({ ...LIST, params: { pad: "x".repeat(2000) } });
    const r = await send(h, { body: big });
    assert.equal(r.status, 413);
    isError(r, -32600, null, /Payload Too Large/);
    // Without a Content-Length (a stream), the limit holds while reading.
    const chunks = [new TextEncoder().encode(big.slice(0, 800)), new TextEncoder().encode(big.slice(800))];
    const stream = new ReadableStream({ pull: (c) => void (chunks.length ? c.enqueue(chunks.shift()!) : c.close()) });
    const s = await h.fetch(new Request(URL_, { method: "POST", headers: JSON_H, body: stream, duplex: "half" } as RequestInit));
    assert.equal(s.status, 413);
    const after = await send(h, { body: modernCall(2, "add", { a: 1, b: 2 }), headers: { ...JSON_H, ...modernHeaders("tools/call", "add") } });
    assert.equal(after.status, 200);
    assert.deepEqual(after.json.result.content, [{ type: "text", text: "3" }]);
  });

  it("2026-07-28 headers missing or disagreeing with the body: 400 -32020", async () => {
    const call = modernCall(7, "add", { a: 1, b: 2 });
    const cases: [string, Record<string, string>, RegExp][] = [
      ["no version header", { "mcp-method": "tools/call", "mcp-name": "add" }, /Missing MCP-Protocol-Version/],
      ["version header disagrees", { ...modernHeaders("tools/call", "add"), "mcp-protocol-version": "2025-11-25" }, /does not match _meta protocolVersion/],
      ["no Mcp-Method", { "mcp-protocol-version": MODERN, "mcp-name": "add" }, /Missing Mcp-Method/],
      ["Mcp-Method disagrees", modernHeaders("tools/list", "add"), /Mcp-Method header tools\/list does not match method tools\/call/],
      ["no Mcp-Name", modernHeaders("tools/call"), /Missing Mcp-Name/],
      ["Mcp-Name disagrees", modernHeaders("tools/call", "echo"), /Mcp-Name header does not match add/],
      ["Mcp-Name not valid base64", modernHeaders("tools/call", "=?base64?%%%%?="), /Mcp-Name header does not match/],
    ];
    for (const [label, headers, message] of cases) {
      const r = await send(h, { headers: { ...JSON_H, ...headers }, body: call });
      assert.equal(r.status, 400, label);
      isError(r, -32020, 7, message);
    }
    // The same name, base64-wrapped, is accepted.
    const ok = await send(h, { headers: { ...JSON_H, ...modernHeaders("tools/call", `=?base64?${btoa("add")}?=`) }, body: call });
    assert.equal(ok.status, 200);
  });

  it("an unsupported protocol version: 400 -32022 naming the supported ones", async () => {
    const meta = { ...ENVELOPE, "io.modelcontextprotocol/protocolVersion": "2099-01-01" };
    const body = { jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "add", arguments: { a: 1, b: 2 }, _meta: meta } };
    const r = await send(h, { headers: { ...JSON_H, ...modernHeaders("tools/call", "add"), "mcp-protocol-version": "2099-01-01" }, body });
    assert.equal(r.status, 400);
    isError(r, -32022, 9, /Unsupported protocol version: 2099-01-01/);
    assert.deepEqual(r.json.error.data, { supported: [MODERN], requested: "2099-01-01" });
    // Missing envelope keys are -32602.
    const noCaps = { ...body, params: { ...body.params, _meta: { "io.modelcontextprotocol/protocolVersion": MODERN } } };
    const m = await send(h, { headers: { ...JSON_H, ...modernHeaders("tools/call", "add") }, body: noCaps });
    assert.equal(m.status, 400);
    isError(m, -32602, 9, /clientCapabilities/);
  });

  it("an unknown (or legacy-only) 2026-07-28 method: 404 -32601 with a JSON-RPC body", async () => {
    for (const method of ["foo/bar", "initialize", "ping", "logging/setLevel"]) {
      const r = await send(h, { headers: { ...JSON_H, ...modernHeaders(method) }, body: { jsonrpc: "2.0", id: 3, method, params: { _meta: ENVELOPE } } });
      assert.equal(r.status, 404, method);
      isError(r, -32601, 3, new RegExp(`Method not found: ${method}`));
    }
    // A modern notification is accepted and dropped.
    const n = await send(h, { headers: { ...JSON_H, ...modernHeaders("notifications/cancelled") }, body: { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 1, _meta: ENVELOPE } } });
    assert.equal(n.status, 202);
  });

  it("an unknown method in a legacy session is a JSON-RPC error on 200 (a 404 would mean 'session gone')", async () => {
    const init = await send(h, { body: { jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "x", version: "1" } } } });
    const session = init.headers.get("mcp-session-id")!;
    const r = await send(h, { headers: { ...JSON_H, "mcp-session-id": session, "mcp-protocol-version": "2025-11-25" }, body: { jsonrpc: "2.0", id: 4, method: "foo/bar", params: {} } });
    assert.equal(r.status, 200);
    isError(r, -32601, 4, /foo\/bar/);
    assert.ok(h.legacy.sessions.has(session));
    // An unsupported legacy revision header on a session is 400.
    const v = await send(h, { headers: { ...JSON_H, "mcp-session-id": session, "mcp-protocol-version": "1999-01-01" }, body: LIST });
    assert.equal(v.status, 400);
    isError(v, -32600, null, /Unsupported MCP-Protocol-Version/);
  });

  it("a foreign Host or Origin: 403 before anything else is looked at", async () => {
    const foreign: Record<string, string>[] = [{ host: "evil.example.com" }, { host: "evil.example.com:80" }, { origin: "https://evil.example.com" }, { origin: "null" }, { origin: "not a url" }];
    for (const headers of foreign) {
      for (const method of ["POST", "GET", "DELETE"]) {
        const r = await send(h, { method, headers: { ...JSON_H, ...headers }, body: method === "POST" ? "{nope" : undefined });
        assert.equal(r.status, 403, `${method} ${JSON.stringify(headers)}`);
        isError(r, -32600, null, /Forbidden/);
      }
    }
    // Loopback hosts and origins pass.
    const local: Record<string, string>[] = [{ host: "localhost:1234" }, { host: "127.0.0.1" }, { host: "[::1]:8080" }, { origin: "http://localhost:5173" }, { origin: "http://127.0.0.1" }];
    for (const headers of local) {
      assert.equal((await send(h, { headers: { ...JSON_H, ...headers }, body: "{nope" })).status, 400, JSON.stringify(headers));
    }
  });

  it("allow-lists replace the loopback defaults", async () => {
    const g = createHttpHandler(makeFixture().mcp, { allowedHosts: ["mcp.example.com"], allowedOrigins: ["https://app.example.com"] });
    try {
      assert.equal((await send(g, { headers: { ...JSON_H, host: "mcp.example.com" }, body: "{nope" })).status, 400);
      assert.equal((await send(g, { headers: { ...JSON_H, host: "localhost" }, body: "{nope" })).status, 403);
      assert.equal((await send(g, { headers: { ...JSON_H, host: "mcp.example.com", origin: "https://app.example.com" }, body: "{nope" })).status, 400);
      assert.equal((await send(g, { headers: { ...JSON_H, host: "mcp.example.com", origin: "https://evil.example.com" }, body: "{nope" })).status, 403);
      assert.equal((await send(g, { headers: { ...JSON_H, host: "mcp.example.com", origin: "http://localhost" }, body: "{nope" })).status, 403);
    } finally {
      g.close();
    }
  });
});

/** A raw node:http request, so Host and framing are ours to choose. */
function raw(url: string, o: { method?: string; headers?: Record<string, string>; body?: string | string[] }): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    // A fresh connection per request: a refused request's unread body never poisons the next one.
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: o.method ?? "POST", headers: o.headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, body }));
    });
    req.on("error", reject);
    for (const part of Array.isArray(o.body) ? o.body : o.body !== undefined ? [o.body] : []) req.write(part);
    req.end();
  });
}

describe("hostile input over real HTTP (serveHttp)", T, () => {
  let server: RunningHttpServer;
  let url: string;
  before(async () => {
    ({ http: server, url } = await serveFixture({ maxBodyBytes: 4096 }));
  });
  after(() => server?.close());

  it("413 for a declared oversized body and for a chunked one; the server keeps serving", async () => {
    const big = JSON.stringify({ ...LIST, params: { pad: "x".repeat(10_000) } });
    const declared = await raw(url, { headers: { ...JSON_H, "content-length": String(Buffer.byteLength(big)) }, body: big });
    assert.equal(declared.status, 413);
    assert.equal(JSON.parse(declared.body).error.code, -32600);
    const chunked = await raw(url, { headers: { ...JSON_H, "transfer-encoding": "chunked" }, body: [big.slice(0, 3000), big.slice(3000), big] });
    assert.equal(chunked.status, 413);
    // The 2024-11-05 message endpoint: an unknown session is 404; a known one has the same limit.
    assert.equal((await raw(url.replace("/mcp", "/messages?sessionId=x"), { headers: JSON_H, body: big })).status, 404);
    const ctl = new AbortController();
    try {
      const stream = await fetch(url.replace("/mcp", "/sse"), { headers: { accept: "text/event-stream" }, signal: ctl.signal });
      const tap = new EventTap(stream.body!);
      const endpoint = new URL((await tap.waitFor((e) => e.event === "endpoint")).data, url).href;
      const over = await raw(endpoint, { headers: { ...JSON_H, "content-length": String(Buffer.byteLength(big)) }, body: big });
      assert.equal(over.status, 413, over.body);
      const ping = await raw(endpoint, { headers: JSON_H, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }) });
      assert.equal(ping.status, 202, ping.body);
      assert.deepEqual(await tap.waitForMessage((m) => m.id === 1), { jsonrpc: "2.0", id: 1, result: {} });
    } finally {
      ctl.abort();
    }
    // Still serving.
    const sid = await initSession(url);
    assert.match(sid, /^[0-9a-f]{32}$/);
    const ok = await raw(url, { headers: { ...JSON_H, "mcp-session-id": sid, "mcp-protocol-version": "2025-11-25" }, body: JSON.stringify(LIST) });
    assert.equal(ok.status, 200);
    assert.equal(JSON.parse(ok.body).result.tools[0].name, "add");
  });

  it("a foreign Host header (DNS rebinding) is refused with 403; paths other than the endpoint are 404", async () => {
    const r = await raw(url, { headers: { ...JSON_H, host: "attacker.example:80" }, body: JSON.stringify(LIST) });
    assert.equal(r.status, 403, r.body);
    assert.match(JSON.parse(r.body).error.message, /Host attacker\.example:80 is not allowed/);
    const o = await raw(url, { headers: { ...JSON_H, origin: "http://attacker.example" }, body: JSON.stringify(LIST) });
    assert.equal(o.status, 403, o.body);
    const sse = await raw(url.replace("/mcp", "/sse"), { method: "GET", headers: { accept: "text/event-stream", host: "attacker.example" } });
    assert.equal(sse.status, 403, sse.body);
    const other = await raw(url.replace("/mcp", "/other"), { headers: JSON_H, body: "{}" });
    assert.equal(other.status, 404, other.body);
    // Garbage bytes (not UTF-8 JSON) are a parse error, not a crash.
    const g = await raw(url, { headers: JSON_H, body: "\u0000\uffff{" });
    assert.equal(g.status, 400, g.body);
    assert.deepEqual(JSON.parse((await raw(url, { headers: { ...JSON_H, ...modernHeaders("server/discover") }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "server/discover", params: { _meta: ENVELOPE } }) })).body).result._meta, {
      "io.modelcontextprotocol/serverInfo": INFO,
    });
  });
});
