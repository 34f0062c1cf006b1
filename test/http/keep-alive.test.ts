// `:` keep-alive comments (options.keepAliveMs) on the long-lived SSE streams: a 2026-07-28
// subscriptions/listen stream and a legacy GET stream. With a small interval the raw bytes
// carry comment lines; our client's SSE parser skips them.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { RunningHttpServer } from "../../src/node/http.js";
import { ENVELOPE, LEGACY, initSession, modernHeaders, post, serveFixture } from "./fixture.js";

/** Read raw text from an SSE body until `enough(text)` holds; then cancel the body. */
async function readUntil(body: ReadableStream<Uint8Array>, enough: (text: string) => boolean, ms = 10_000): Promise<string> {
  const reader = body.pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader();
  const timer = setTimeout(() => void reader.cancel(), ms); // a no-hang bound only
  let text = "";
  try {
    while (!enough(text)) {
      const { done, value } = await reader.read();
      if (done) break;
      text += value;
    }
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => {});
  }
  return text;
}

const comments = (text: string) => text.split(/\r\n|\r|\n/).filter((l) => l.startsWith(":"));

describe("keep-alive comments with a small keepAliveMs", () => {
  let server: RunningHttpServer | undefined;
  let url = "";
  after(async () => {
    await server?.close();
  });

  it("2026-07-28: a subscriptions/listen stream carries `:` comments between events", async () => {
    const s = await serveFixture({ keepAliveMs: 30 });
    server = s.http;
    url = s.url;
    const res = await post(url, { jsonrpc: "2.0", id: 1, method: "subscriptions/listen", params: { notifications: { toolsListChanged: true }, _meta: ENVELOPE } }, modernHeaders("subscriptions/listen"));
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
    const text = await readUntil(res.body!, (t) => comments(t).length >= 3);
    assert.ok(comments(text).length >= 3, `no keep-alive comments in ${JSON.stringify(text.slice(0, 300))}`);
    assert.match(text, /^:.*keep-alive/m);
  });

  it("legacy: the GET stream of a session carries `:` comments", async () => {
    const sid = await initSession(url);
    const res = await fetch(url, { headers: { accept: "text/event-stream", "mcp-session-id": sid, "mcp-protocol-version": LEGACY } });
    assert.equal(res.status, 200);
    const text = await readUntil(res.body!, (t) => comments(t).length >= 3);
    assert.ok(comments(text).length >= 3, `no keep-alive comments in ${JSON.stringify(text.slice(0, 300))}`);
  });

  it("keepAliveMs: 0 turns them off", async () => {
    const s = await serveFixture({ keepAliveMs: 0 });
    try {
      const sid = await initSession(s.url);
      const res = await fetch(s.url, { headers: { accept: "text/event-stream", "mcp-session-id": sid, "mcp-protocol-version": LEGACY } });
      assert.equal(res.status, 200);
      // Meanwhile a tool list change arrives on the stream: the only thing it carries.
      s.fx.mcp.tool("later", () => "x");
      const text = await readUntil(res.body!, (t) => t.includes("list_changed"));
      assert.match(text, /list_changed/);
      assert.deepEqual(comments(text).filter((l) => /keep-alive/.test(l)), []);
    } finally {
      await s.http.close();
    }
  });
});
