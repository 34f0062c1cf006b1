// `mcp run --watch`: the server restarts when a file it imports changes. Over stdio the official v1
// client stays connected (the handshake is replayed, list_changed is sent); over HTTP the port is reused.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { LoggingMessageNotificationSchema, ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { MAIN, freePort, mcp, sleep, start } from "./helpers/cli.js";
import { tmpServer, type TmpServer } from "./helpers/tmp-server.js";

const servers: TmpServer[] = [];
after(() => servers.forEach((s) => s.remove()));

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe("mcp run --watch", () => {
  it("over stdio: the v1 client stays connected across restarts, crashes and fixes", async () => {
    const srv = tmpServer();
    servers.push(srv);
    const transport = new StdioClientTransport({ command: process.execPath, args: [MAIN, "run", "--watch", srv.file], stderr: "pipe" });
    let stderr = "";
    transport.stderr?.on("data", (c) => (stderr += c));
    const client = new Client({ name: "watch-test", version: "1.0.0" });
    let changed = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void changed++);
    const logs: string[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(String(n.params.data)));
    await client.connect(transport);
    await client.setLoggingLevel("error");
    const names = async () => (await client.listTools()).tools.map((t) => t.name);
    assert.deepEqual(await names(), ["one"]);
    await sleep(300); // the child reports its imports just after they load

    srv.setExtra(`mcp.tool("two", () => "2");`);
    await until("list_changed", () => (changed >= 1 ? true : undefined));
    assert.deepEqual(await names(), ["one", "two"]);
    assert.match(stderr, /extra\.ts changed: restarting the server/);

    srv.setExtra(`this is not TypeScript`);
    await until("the crash", () => (/the server exited \(code 1\); waiting for a change/.test(stderr) ? true : undefined));
    await assert.rejects(client.listTools(), /the server is not running/);

    srv.setExtra(`mcp.tool("three", (_a: unknown, ctx: any) => { ctx.info("filtered out"); ctx.error("three ran"); return "3"; });`);
    await until("the second list_changed", () => (changed >= 2 ? true : undefined));
    assert.deepEqual(await names(), ["one", "three"]);
    const r = await client.callTool({ name: "three", arguments: {} });
    assert.deepEqual(r.content, [{ type: "text", text: "3" }]);
    // logging/setLevel was replayed to the new server: info is filtered out, error is not.
    await until("the log", () => (logs.includes("three ran") ? true : undefined));
    assert.deepEqual(logs, ["three ran"]);
    await client.close();
  });

  it("over HTTP: the server restarts on the same port", async () => {
    const srv = tmpServer("WatchedHttp");
    servers.push(srv);
    const port = await freePort();
    const s = start(["run", srv.file, "--watch", "--port", String(port)]);
    try {
      const url = (await s.waitFor(/listening on (http:\/\/\S+)/))[1];
      await sleep(300);
      srv.setExtra(`mcp.tool("two", () => "2");`);
      await s.waitFor(/restarting the server[\s\S]*listening on/);
      const r = await mcp(["call", url, "two"]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).content[0].text, "2");
    } finally {
      await s.stop();
    }
  });
});
