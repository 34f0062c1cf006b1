// list_changed notifications from an in-process McpServer whose tools, prompts and resources
// change at run time: to the official v1 client in the legacy era (unsolicited notifications on
// the session) and to the official v2 client in 2026-07-28 (on a subscriptions/listen stream).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport as V1Memory } from "@modelcontextprotocol/sdk/inMemory.js";
import {
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { Client as V2Client, InMemoryTransport as V2Memory } from "@modelcontextprotocol/client";
import { z } from "zod";
import { McpServer } from "../../src/app/index.js";
import { FromOfficial } from "../helpers/examples.js";

const T = { timeout: 30_000 };

/** Records notifications by method and lets a test wait for the next one. */
class Inbox {
  readonly seen: string[] = [];
  private waiters: (() => void)[] = [];
  push(method: string): void {
    this.seen.push(method);
    for (const w of this.waiters.splice(0)) w();
  }
  /** Resolve once `n` notifications have arrived in total. */
  async count(n: number): Promise<string[]> {
    while (this.seen.length < n) await new Promise<void>((r) => this.waiters.push(r));
    return this.seen;
  }
}
const tick = () => new Promise((r) => setTimeout(r, 20));

function dynamicServer() {
  const mcp = new McpServer("Dynamic");
  const a = mcp.tool("a", { description: "first" }, () => "A");
  mcp.prompt("p", () => "prompt");
  mcp.resource("memo://one", () => "one");
  return { mcp, a };
}

describe("list_changed, legacy era: official v1 client", T, () => {
  it("adding, disabling, enabling and removing tools at run time notifies the session", async () => {
    const { mcp, a } = dynamicServer();
    const [clientSide, serverSide] = V1Memory.createLinkedPair();
    await mcp.connect(new FromOfficial(serverSide));
    const client = new V1Client({ name: "v1-list-changed", version: "1.0.0" });
    const inbox = new Inbox();
    client.setNotificationHandler(ToolListChangedNotificationSchema, (n) => inbox.push(n.method));
    client.setNotificationHandler(PromptListChangedNotificationSchema, (n) => inbox.push(n.method));
    client.setNotificationHandler(ResourceListChangedNotificationSchema, (n) => inbox.push(n.method));
    await client.connect(clientSide);
    try {
      const names = async () => (await client.listTools()).tools.map((t) => t.name);
      assert.deepEqual(await names(), ["a"]);

      const b = mcp.tool("b", { input: { n: z.number() } }, ({ n }) => n * 2);
      await inbox.count(1);
      assert.deepEqual(await names(), ["a", "b"]);
      assert.deepEqual(await client.callTool({ name: "b", arguments: { n: 21 } }), { content: [{ type: "text", text: "42" }] });

      a.disable();
      await inbox.count(2);
      assert.deepEqual(await names(), ["b"]);
      await assert.rejects(client.callTool({ name: "a", arguments: {} }), /Unknown tool: a/);
      a.enable();
      await inbox.count(3);
      assert.deepEqual(await names(), ["a", "b"]);

      b.remove();
      await inbox.count(4);
      assert.deepEqual(await names(), ["a"]);

      // Changes in one tick coalesce into one notification per list.
      mcp.tool("c", () => "C");
      mcp.tool("d", () => "D");
      mcp.prompt("q", () => "q");
      await inbox.count(6);
      await tick();
      assert.deepEqual(inbox.seen.slice(4).sort(), ["notifications/prompts/list_changed", "notifications/tools/list_changed"]);
      assert.deepEqual(await names(), ["a", "c", "d"]);
      assert.deepEqual((await client.listPrompts()).prompts.map((p) => p.name), ["p", "q"]);

      mcp.resource("memo://two", () => "two");
      await inbox.count(7);
      assert.equal(inbox.seen[6], "notifications/resources/list_changed");
      assert.deepEqual((await client.listResources()).resources.map((r) => r.uri), ["memo://one", "memo://two"]);

      // Disabling what is already disabled changes nothing, and says nothing.
      a.disable();
      a.disable();
      await inbox.count(8);
      await tick();
      assert.equal(inbox.seen.length, 8);
    } finally {
      await client.close();
      await mcp.close();
    }
  });
});

describe("list_changed, 2026-07-28: official v2 client with subscriptions/listen", T, () => {
  async function connect(mcp: McpServer) {
    const [clientSide, serverSide] = V2Memory.createLinkedPair();
    await mcp.connect(new FromOfficial(serverSide));
    const client = new V2Client({ name: "v2-list-changed", version: "2.0.0" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } });
    const inbox = new Inbox();
    client.setNotificationHandler("notifications/tools/list_changed", (n) => inbox.push(n.method));
    client.setNotificationHandler("notifications/prompts/list_changed", (n) => inbox.push(n.method));
    client.setNotificationHandler("notifications/resources/list_changed", (n) => inbox.push(n.method));
    await client.connect(clientSide);
    assert.equal(client.getProtocolEra(), "modern");
    return { client, inbox };
  }

  it("notifications arrive on the listen stream only for what it asked; lists are fetched afresh", async () => {
    const { mcp, a } = dynamicServer();
    const { client, inbox } = await connect(mcp);
    try {
      const names = async () => (await client.listTools()).tools.map((t) => t.name);
      assert.deepEqual(await names(), ["a"]);
      // Nothing is sent before a listen stream is open.
      mcp.tool("early", () => "e");
      await tick();
      assert.deepEqual(inbox.seen, []);

      const sub = await client.listen({ toolsListChanged: true, promptsListChanged: true });
      assert.deepEqual(sub.honoredFilter, { toolsListChanged: true, promptsListChanged: true });
      assert.equal(mcp.server.listeners.size, 1);

      const b = mcp.tool("b", () => "B");
      await inbox.count(1);
      // The list was cached (ttlMs 60 s); the notification evicted it.
      assert.deepEqual(await names(), ["a", "early", "b"]);
      a.disable();
      await inbox.count(2);
      assert.deepEqual(await names(), ["early", "b"]);
      b.remove();
      mcp.prompt("q", () => "q");
      await inbox.count(4);
      assert.deepEqual(inbox.seen.slice(2).sort(), ["notifications/prompts/list_changed", "notifications/tools/list_changed"]);
      assert.deepEqual(await names(), ["early"]);

      // Resources were not asked for: no notification.
      mcp.resource("memo://two", () => "two");
      await tick();
      assert.equal(inbox.seen.length, 4);

      await sub.close();
      assert.equal(await sub.closed, "local");
      await tick();
      assert.equal(mcp.server.listeners.size, 0);
      mcp.tool("late", () => "L");
      await tick();
      assert.equal(inbox.seen.length, 4);
    } finally {
      await client.close();
      await mcp.close();
    }
  });

  it("closing the server ends an open listen stream gracefully", async () => {
    const { mcp } = dynamicServer();
    const { client } = await connect(mcp);
    try {
      const sub = await client.listen({ resourcesListChanged: true });
      assert.deepEqual(sub.honoredFilter, { resourcesListChanged: true });
      await mcp.close();
      assert.equal(await sub.closed, "graceful");
    } finally {
      await client.close();
    }
  });
});
