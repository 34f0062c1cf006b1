// `mcp dev`: the MCP Inspector starts (npx, not bundled), and its web backend — with the auth token
// from the printed URL — lists the server's tools; after an edit the Inspector's connection is told
// that the tools changed and sees the new one. The npm download happens once, in `before`, outside
// the test's own time budget.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { INSPECTOR_PACKAGE, INSPECTOR_VERSION } from "../../src/cli/inspector.js";
import { freePort, start } from "./helpers/cli.js";
import { tmpServer } from "./helpers/tmp-server.js";

/** The Inspector's web backend: /api/config, /api/mcp/{connect,send,events,disconnect}, token in x-mcp-remote-auth. */
class InspectorApi {
  private readonly events: any[] = [];
  private sessionId = "";
  private ctl = new AbortController();
  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}
  private get headers() {
    return { "x-mcp-remote-auth": `Bearer ${this.token}`, "content-type": "application/json" };
  }
  async get(p: string): Promise<any> {
    const r = await fetch(this.base + p, { headers: this.headers });
    assert.equal(r.status, 200, await r.clone().text());
    return r.json();
  }
  async post(p: string, body: unknown): Promise<any> {
    return (await fetch(this.base + p, { method: "POST", headers: this.headers, body: JSON.stringify(body) })).json();
  }
  /** Connect to the server the way the UI does: with the command `mcp dev` gave the Inspector. */
  async connect(): Promise<void> {
    const c = await this.get("/api/config");
    const config = { type: "stdio", command: c.defaultCommand, args: c.defaultArgs, cwd: c.defaultCwd, env: c.defaultEnvironment };
    const r = await this.post("/api/mcp/connect", { config });
    assert.ok(r.sessionId, JSON.stringify(r));
    this.sessionId = r.sessionId;
    void this.readEvents();
  }
  private async readEvents(): Promise<void> {
    const res = await fetch(`${this.base}/api/mcp/events?sessionId=${this.sessionId}`, { headers: this.headers, signal: this.ctl.signal });
    const dec = new TextDecoder();
    let buf = "";
    try {
      for await (const chunk of res.body as any) {
        buf += dec.decode(chunk, { stream: true });
        for (let i; (i = buf.indexOf("\n\n")) !== -1; buf = buf.slice(i + 2)) {
          const data = buf.slice(0, i).split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n");
          if (data) this.events.push(JSON.parse(data));
        }
      }
    } catch {
      // aborted
    }
  }
  async send(message: any): Promise<any> {
    const r = await this.post("/api/mcp/send", { sessionId: this.sessionId, message });
    assert.equal(r.ok, true, JSON.stringify(r));
    return message.id === undefined ? undefined : this.message((m) => m.id === message.id && !("method" in m));
  }
  async message(pred: (m: any) => boolean, ms = 15_000): Promise<any> {
    const deadline = Date.now() + ms;
    for (;;) {
      const e = this.events.find((e) => e.type === "message" && pred(e.data));
      if (e) return e.data;
      if (Date.now() > deadline) throw new Error(`no such message; events: ${JSON.stringify(this.events).slice(0, 2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  async close(): Promise<void> {
    await this.post("/api/mcp/disconnect", { sessionId: this.sessionId }).catch(() => {});
    this.ctl.abort();
  }
}

describe("mcp dev", () => {
  const storage = mkdtempSync(path.join(tmpdir(), "mcp-inspector-"));
  before(
    () => {
      // Fill npm's cache once (the first download takes a while); `mcp dev` then starts from it.
      const r = spawnSync(process.platform === "win32" ? "npx.cmd" : "npx", ["-y", "-p", `${INSPECTOR_PACKAGE}@${INSPECTOR_VERSION}`, "--", "mcp-inspector", "--version"], {
        encoding: "utf8",
        timeout: 540_000,
        shell: process.platform === "win32",
      });
      assert.equal(r.status, 0, r.stderr);
    },
    { timeout: 600_000 },
  );
  after(() => rmSync(storage, { recursive: true, force: true }));

  it("starts the Inspector on the server; its backend lists the tools, and sees a reload", { timeout: 90_000 }, async () => {
    const srv = tmpServer("DevServer");
    const port = await freePort();
    const dev = start(["dev", srv.file, "--no-open", "--inspector-port", String(port)], {
      env: { MCP_STORAGE_DIR: storage, MCP_INSPECTOR_SECRET_STORE: "memory", MCP_INSPECTOR_API_TOKEN: undefined },
    });
    try {
      const [, url, token] = await dev.waitFor(/MCP Inspector: (http:\/\/\S+?)\/?\?MCP_INSPECTOR_API_TOKEN=([0-9a-f]+)/, 60_000);
      assert.match(dev.err(), /Starting the MCP Inspector \(npx @modelcontextprotocol\/inspector@[\d.]+\): ready in [\d.]+s/);
      assert.equal(new URL(url).port, String(port));
      // Without the token the backend refuses.
      assert.equal((await fetch(`${url}/api/config`)).status, 401);

      const api = new InspectorApi(url, token);
      await api.connect();
      const init = await api.send({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "inspector-test", version: "1" } } });
      assert.equal(init.result.serverInfo.name, "DevServer");
      await api.send({ jsonrpc: "2.0", method: "notifications/initialized" });
      const list = await api.send({ jsonrpc: "2.0", id: 2, method: "tools/list", params: {} });
      assert.deepEqual(list.result.tools.map((t: any) => t.name), ["one"]);

      await new Promise((r) => setTimeout(r, 300));
      srv.setExtra(`mcp.tool("added", () => "after the edit");`);
      await api.message((m) => m.method === "notifications/tools/list_changed");
      const again = await api.send({ jsonrpc: "2.0", id: 3, method: "tools/list", params: {} });
      assert.deepEqual(again.result.tools.map((t: any) => t.name), ["one", "added"]);
      const call = await api.send({ jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "added", arguments: {} } });
      assert.equal(call.result.content[0].text, "after the edit");
      await api.close();
    } finally {
      await dev.stop();
      srv.remove();
    }
    // Stopping `mcp dev` stops the Inspector (its whole process group) too: its port stops answering
    // (the OS may take a moment to tear the listener down, so poll; 30 s is a hang bound, not a timing claim).
    const deadline = Date.now() + 30_000;
    let answered = true;
    while (answered && Date.now() < deadline) {
      answered = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => (r.body?.cancel(), true),
        () => false,
      );
      if (answered) await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(answered, false, "the Inspector still answers after mcp dev stopped");
  });
});
