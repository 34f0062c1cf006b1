// One McpServer instance connected to five in-memory transports at once, with mcpkit's own
// Client on each: three legacy sessions (two revisions) and two 2026-07-28 clients. Per-client
// state — logging level, resource subscriptions, listen streams, answers to elicitation asked
// concurrently — must never cross from one client to another.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { Client } from "../../src/client/index.js";
import type { ClientOptions } from "../../src/client/types.js";
import { McpServer } from "../../src/app/index.js";
import { createMemoryTransportPair } from "../../src/transports/memory.js";
import type { LogLevel } from "../../src/protocol/meta.js";

const LEVELS: LogLevel[] = ["debug", "info", "warning", "error"];
/** Wait until `check()` holds (polling; a generous no-hang bound, not a timing assertion). */
async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  for (const t0 = Date.now(); !check(); await new Promise((r) => setTimeout(r, 5))) {
    if (Date.now() - t0 > ms) assert.fail(`timed out waiting for ${what}`);
  }
}

function sharedServer() {
  const mcp = new McpServer("Shared");
  mcp.tool("whoami", (_args, ctx) => `${ctx.clientInfo?.name} ${ctx.era} ${ctx.protocolVersion}`);
  mcp.tool("log_all", (_args, ctx) => {
    for (const level of LEVELS) ctx.log(level, `${level} for ${ctx.clientInfo?.name}`);
    return "logged";
  });
  mcp.tool("ask", { input: { topic: z.string() } }, async ({ topic }, ctx) => {
    const r = await ctx.elicit(`${topic}?`, { answer: z.string() });
    return r.action === "accept" ? `${ctx.clientInfo?.name} answered ${r.content.answer}` : r.action;
  });
  mcp.resource("memo://{id}", ({ id }) => `memo ${id}`);
  return mcp;
}

interface Peer {
  name: string;
  client: Client;
  logs: string[];
  updated: string[];
  listChanged: number;
  asked: string[];
}

describe("one McpServer, many transports and clients, both eras", { timeout: 30_000 }, () => {
  it("keeps each client's state to itself", async () => {
    const mcp = sharedServer();
    // Every elicitation waits until all five are pending on the server at once, then they are
    // answered in reverse order, each with an answer only its own client knows.
    const N = 5;
    let pending = 0;
    let releaseAll!: () => void;
    const allPending = new Promise<void>((r) => (releaseAll = r));

    const peers: Peer[] = [];
    async function open(name: string, opts: ClientOptions, order: number): Promise<Peer> {
      const p: Peer = { name, client: undefined as unknown as Client, logs: [], updated: [], listChanged: 0, asked: [] };
      p.client = new Client(
        { name, version: "1.0.0" },
        {
          ...opts,
          handlers: {
            "elicitation/create": async (params: any) => {
              p.asked.push(params.message);
              if (++pending === N) releaseAll();
              await allPending;
              await new Promise((r) => setTimeout(r, (N - order) * 15));
              return { action: "accept", content: { answer: `secret-of-${name}` } };
            },
          },
        },
      );
      p.client.on("log", (m) => p.logs.push(`${m.level}: ${m.data}`));
      p.client.on("resourceUpdated", (uri) => p.updated.push(uri));
      p.client.on("toolsListChanged", () => p.listChanged++);
      const [clientSide, serverSide] = createMemoryTransportPair();
      await mcp.connect(serverSide);
      await p.client.connect(clientSide);
      peers.push(p);
      return p;
    }

    const l1 = await open("legacy-1", { era: "legacy" }, 0);
    const l2 = await open("legacy-2", { era: "legacy", protocolVersion: "2025-06-18" }, 1);
    const l3 = await open("legacy-3", { era: "legacy" }, 2);
    const m1 = await open("modern-1", { era: "modern", logLevel: "warning" }, 3);
    const m2 = await open("modern-2", { era: "modern" }, 4);
    // A round trip on every open client: whatever the server sent before it has arrived, so a
    // notification that is absent now was never sent to that client.
    const settle = () => Promise.all(peers.filter((p) => p !== closed).map((p) => p.client.callTool("whoami")));
    let closed: Peer | undefined;
    try {
      assert.equal(mcp.server.connections.size, 5);
      assert.equal(mcp.server.sessions.size, 3);
      const who = await Promise.all(peers.map((p) => p.client.callTool("whoami")));
      assert.deepEqual(
        who.map((r) => (r.content[0] as { text: string }).text),
        ["legacy-1 legacy 2025-11-25", "legacy-2 legacy 2025-06-18", "legacy-3 legacy 2025-11-25", "modern-1 modern 2026-07-28", "modern-2 modern 2026-07-28"],
      );

      // Logging: a level per legacy session (logging/setLevel), per request in 2026-07-28.
      await l1.client.setLoggingLevel("error");
      await l2.client.setLoggingLevel("debug");
      await Promise.all(peers.map((p) => p.client.callTool("log_all")));
      await settle();
      const all = (name: string) => LEVELS.map((l) => `${l}: ${l} for ${name}`);
      assert.deepEqual(l1.logs, ["error: error for legacy-1"]);
      assert.deepEqual(l2.logs, all("legacy-2"));
      assert.deepEqual(l3.logs, all("legacy-3"));
      assert.deepEqual(m1.logs, ["warning: warning for modern-1", "error: error for modern-1"]);
      assert.deepEqual(m2.logs, []);

      // Concurrent elicitation: legacy over each connection, modern through input_required.
      const answers = await Promise.all(peers.map((p) => p.client.callTool("ask", { topic: `topic for ${p.name}` })));
      assert.deepEqual(
        answers.map((r) => (r.content[0] as { text: string }).text),
        peers.map((p) => `${p.name} answered secret-of-${p.name}`),
      );
      for (const p of peers) assert.deepEqual(p.asked, [`topic for ${p.name}?`]);

      // Resource subscriptions belong to the session (legacy) or the listen stream (modern).
      await l1.client.subscribe({ resources: ["memo://1"] });
      await l2.client.subscribe({ resources: ["memo://2"] });
      await m1.client.subscribe({ resources: ["memo://1"] });
      assert.equal(mcp.server.listeners.size, 1);
      mcp.notifyResourceUpdated("memo://1");
      await until(() => l1.updated.length === 1 && m1.updated.length === 1, "memo://1 updates");
      await settle();
      assert.deepEqual(peers.map((p) => p.updated), [["memo://1"], [], [], ["memo://1"], []]);
      mcp.notifyResourceUpdated("memo://2");
      await until(() => l2.updated.length === 1, "the memo://2 update");
      await settle();
      assert.deepEqual(peers.map((p) => p.updated), [["memo://1"], ["memo://2"], [], ["memo://1"], []]);

      // A tool added at run time: every legacy session hears it; modern clients only on a
      // listen stream that asked for it.
      await m2.client.subscribe({ toolsListChanged: true });
      mcp.tool("extra", () => "x");
      await until(() => [l1, l2, l3, m2].every((p) => p.listChanged === 1), "tools/list_changed");
      await settle();
      assert.deepEqual(peers.map((p) => p.listChanged), [1, 1, 1, 0, 1]);

      // One client leaving takes only its own session with it.
      await l1.client.close();
      closed = l1;
      await until(() => mcp.server.sessions.size === 2 && mcp.server.connections.size === 4, "the closed session to go");
      assert.equal(mcp.server.sessions.size, 2);
      assert.equal(mcp.server.connections.size, 4);
      mcp.notifyResourceUpdated("memo://1");
      await until(() => m1.updated.length === 2, "the second memo://1 update");
      assert.deepEqual(m1.updated, ["memo://1", "memo://1"]);
      const again = await l2.client.callTool("whoami");
      assert.equal((again.content[0] as { text: string }).text, "legacy-2 legacy 2025-06-18");
    } finally {
      await Promise.all(peers.map((p) => p.client.close()));
      await mcp.close();
    }
    assert.equal(mcp.server.connections.size, 0);
    assert.equal(mcp.server.listeners.size, 0);
  });
});
