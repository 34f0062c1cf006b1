// The HTTP examples as a user runs them: mounted servers (with a shared lifespan),
// Express and Hono apps, and the client example against a live server.
import { strict as assert } from "node:assert";
import { after, describe, it } from "node:test";
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Client } from "../../src/client/client.js";
import { StreamableHttpClientTransport } from "../../src/transports/http/client.js";
import { killExamples, spawnExample, startExample } from "../helpers/example-processes.js";

after(killExamples);
const start = (file: string) => startExample(file);

const text = (r: any) => r.content?.[0]?.text;

async function v1Call(url: string, tool: string, args: Record<string, unknown>, sse = false): Promise<string> {
  const c = new V1Client({ name: "t", version: "1" });
  await c.connect(sse ? new SSEClientTransport(new URL(url)) : new StreamableHTTPClientTransport(new URL(url)));
  try {
    return text(await c.callTool({ name: tool, arguments: args }));
  } finally {
    await c.close();
  }
}

async function ourCall(url: string, tool: string, args: Record<string, unknown>, era: "legacy" | "modern"): Promise<string> {
  const c = new Client({ name: "t", version: "1" }, { era });
  await c.connect(new StreamableHttpClientTransport(url));
  try {
    return text(await c.callTool(tool, args));
  } finally {
    await c.close();
  }
}

describe("examples/mount.ts", () => {
  it("serves /echo and /math side by side in both eras, and SSE servers at custom paths", async () => {
    const base = await start("examples/mount.ts");
    assert.equal(await v1Call(`${base}/echo/mcp`, "echo", { message: "hi" }), "Echo: hi");
    assert.equal(await v1Call(`${base}/math/mcp`, "add_two", { n: 40 }), "42");
    assert.equal(await ourCall(`${base}/math/mcp`, "add_two", { n: 1 }, "modern"), "3");
    assert.equal(await ourCall(`${base}/echo/mcp`, "echo", { message: "yo" }, "modern"), "Echo: yo");
    assert.equal(await v1Call(`${base}/github/sse`, "whoami", {}, true), "octocat");
    assert.equal(await v1Call(`${base}/search/sse`, "search", { q: "mcp" }, true), "results for mcp");
  });

  it("runs a server's lifespan once, however many paths mount it", async () => {
    const base = await start("examples/mount.ts");
    assert.equal(await v1Call(`${base}/math/mcp`, "lifespan_starts", {}), "1");
    assert.equal(await v1Call(`${base}/calc/mcp`, "lifespan_starts", {}), "1");
    assert.equal(await ourCall(`${base}/calc/mcp`, "lifespan_starts", {}, "modern"), "1");
  });
});

describe("framework examples", () => {
  for (const file of ["examples/express.ts", "examples/hono.ts"]) {
    it(`${file} answers the official v1 client and our client in both eras`, async () => {
      const url = await start(file);
      assert.equal(await v1Call(url, "add", { a: 2, b: 3 }), "5");
      assert.equal(await ourCall(url, "add", { a: 4, b: 5 }, "legacy"), "9");
      assert.equal(await ourCall(url, "add", { a: 6, b: 7 }, "modern"), "13");
    });
  }
});

describe("examples/client.ts", () => {
  it("lists and calls everything on the echo server over stdio", async () => {
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawnExample("examples/client.ts");
      let o = "";
      let e = "";
      child.stdout!.on("data", (c) => (o += c));
      child.stderr!.on("data", (c) => (e += c));
      child.once("exit", (code) => (code === 0 ? resolve(o) : reject(new Error(`exit ${code}: ${e}`))));
    });
    assert.match(out, /connected: Echo \(modern era, revision 2026-07-28\)/);
    assert.match(out, /prompt: .*Please process this message: value/);
    assert.match(out, /resource: Resource echo: hello/);
    assert.match(out, /tool: Tool echo: hello/);
  });
});
