// mcpkit's Client drives @modelcontextprotocol/server-everything through every feature it
// offers, over stdio, Streamable HTTP (`dist/index.js streamableHttp`, PORT from the env) and
// the 2024-11-05 HTTP+SSE transport (`sse`: our client falls back to it by itself).
// The basics over stdio (echo, get-sum, reading a static and a text template resource,
// simple/args prompts, department completion, sampling, get-roots-list) are in
// test/interop/our-client.test.ts; here they run over HTTP, and everything else on all.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { Client } from "../../src/client/client.js";
import { StdioClientTransport } from "../../src/transports/stdio-client.js";
import { StreamableHttpClientTransport } from "../../src/transports/http/client.js";
import type { LoggingMessageParams } from "../../src/protocol/types.js";
import { INFO, recordingHandlers, textOf, until, type Asked } from "./helpers.js";

const BIN = createRequire(import.meta.url).resolve("@modelcontextprotocol/server-everything/dist/index.js");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Start server-everything with an HTTP transport; resolves once it listens. */
async function serveEverything(mode: "streamableHttp" | "sse"): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, mode], { env: { ...process.env, PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on("data", (d) => {
      err += d;
      if (/listening on port|running on port/.test(err)) resolve();
    });
    child.stdout!.resume();
    child.once("exit", (code) => reject(new Error(`server-everything ${mode} exited ${code}: ${err}`)));
  });
  return { url: `http://127.0.0.1:${port}/${mode === "sse" ? "sse" : "mcp"}`, child };
}

type Mode = "stdio" | "streamableHttp" | "sse";

for (const mode of ["stdio", "streamableHttp", "sse"] as Mode[]) {
  describe(`mcpkit Client -> server-everything over ${mode}`, () => {
    let client: Client;
    let server: { url: string; child: ChildProcess } | undefined;
    let transport: StdioClientTransport | StreamableHttpClientTransport;
    const asked: Asked[] = [];
    const logs: LoggingMessageParams[] = [];
    const updated: string[] = [];

    before(async () => {
      if (mode !== "stdio") server = await serveEverything(mode);
      transport = server ? new StreamableHttpClientTransport(server.url) : new StdioClientTransport({ command: process.execPath, args: [BIN, "stdio"], stderr: "pipe" });
      client = new Client(INFO, { handlers: recordingHandlers(asked) });
      client.on("log", (l) => logs.push(l));
      client.on("resourceUpdated", (uri) => updated.push(uri));
      await client.connect(transport);
    });
    after(async () => {
      await client?.close();
      server?.child.kill();
    });

    it("connects in the legacy era (after the discover probe fails)", () => {
      assert.equal(client.era, "legacy");
      assert.equal(client.serverInfo?.name, "mcp-servers/everything");
      assert.deepEqual(client.serverCapabilities.resources, { subscribe: true, listChanged: true });
      if (mode === "sse") assert.equal((transport as StreamableHttpClientTransport).mode, "sse");
    });

    if (mode !== "stdio") {
      it("basics: echo, get-sum, a static and a templated resource, prompts, completion", async () => {
        assert.equal(textOf(await client.callTool("echo", { message: "hi" })), "Echo: hi");
        assert.equal(textOf(await client.callTool("get-sum", { a: 2, b: 3 })), "The sum of 2 and 3 is 5.");
        const doc = await client.readResource("demo://resource/static/document/architecture.md");
        assert.match((doc.contents[0] as { text: string }).text, /^# Everything Server/);
        const dyn = await client.readResource("demo://resource/dynamic/text/7");
        assert.match((dyn.contents[0] as { text: string }).text, /^Resource 7:/);
        const p = await client.getPrompt("args-prompt", { city: "Paris", state: "TX" });
        assert.deepEqual(p.messages, [{ role: "user", content: { type: "text", text: "What's weather in Paris, TX?" } }]);
        const c = await client.complete({ ref: { type: "ref/prompt", name: "completable-prompt" }, argument: { name: "department", value: "S" } });
        assert.deepEqual(c.completion.values, ["Sales", "Support"]);
      });
    }

    it("tools: image, structured content checked against its output schema, annotations, resource links", async () => {
      const names = (await client.listAllTools()).map((t) => t.name);
      for (const n of ["trigger-elicitation-request", "trigger-sampling-request", "get-roots-list", "get-structured-content"]) assert.ok(names.includes(n), n);
      const img = await client.callTool("get-tiny-image", {});
      const image = img.content.find((c) => c.type === "image") as { data: string; mimeType: string };
      assert.equal(image.mimeType, "image/png");
      assert.equal(Buffer.from(image.data, "base64").subarray(1, 4).toString(), "PNG");
      const weather = await client.callTool("get-structured-content", { location: "Chicago" });
      assert.deepEqual(weather.structuredContent, { temperature: 36, conditions: "Light rain / drizzle", humidity: 82 });
      const ann = await client.callTool("get-annotated-message", { messageType: "error", includeImage: false });
      assert.ok(ann.content.some((c: any) => c.annotations?.priority === 1.0));
      const links = await client.callTool("get-resource-links", { count: 2 });
      assert.equal(links.content.filter((c) => c.type === "resource_link").length, 2);
      const ref = await client.callTool("get-resource-reference", { resourceType: "Text", resourceId: 3 });
      assert.ok(ref.content.some((c: any) => c.type === "resource" && c.resource.uri === "demo://resource/dynamic/text/3"));
    });

    it("long-running tool: progress reaches onProgress; resetTimeoutOnProgress outlives a short timeout", async () => {
      const seen: number[] = [];
      const r = await client.callTool(
        "trigger-long-running-operation",
        { duration: 1.2, steps: 3 },
        { onProgress: (p) => seen.push(p.progress as number), timeoutMs: 800, resetTimeoutOnProgress: true },
      );
      assert.match(textOf(r), /Long running operation completed\. Duration: 1\.2 seconds, Steps: 3\./);
      assert.deepEqual(seen, [1, 2, 3]);
      await assert.rejects(client.callTool("trigger-long-running-operation", { duration: 0.6, steps: 1 }, { timeoutMs: 200 }), { name: "RequestTimeoutError" });
    });

    it("sampling and elicitation round trips through our handlers (the form's defaults filled in)", async () => {
      asked.length = 0;
      const s = await client.callTool("trigger-sampling-request", { prompt: "capital of France?", maxTokens: 20 });
      assert.match(textOf(s), /echo\(Resource trigger-sampling-request context: capital of France\?\)/);
      const e = await client.callTool("trigger-elicitation-request", {});
      const text = textOf(e);
      assert.match(text, /User provided the requested information/);
      // We answered only {confirm: true}: the client added every default of the form.
      const raw = JSON.parse(text.slice(text.indexOf("{")));
      assert.equal(raw.content.firstLine, "It was a dark and stormy night.");
      assert.equal(raw.content.integer, 42);
      assert.deepEqual(raw.content.untitledMultipleSelectEnum, ["Guitar"]);
      assert.deepEqual(asked.map((a) => [a.method, a.era]), [["sampling/createMessage", "legacy"], ["elicitation/create", "legacy"]]);
    });

    it("roots: listed on request, and fetched again after roots/list_changed", async () => {
      assert.match(textOf(await client.callTool("get-roots-list", {})), /file:\/\/\/work\/a/);
      asked.length = 0;
      client.sendRootsListChanged();
      await until(() => asked.some((a) => a.method === "roots/list"), 5000, "roots/list after list_changed");
    });

    it("resources: all pages, templates, a blob template, an embedded resource in a prompt", async () => {
      const all = await client.listAllResources();
      assert.ok(all.some((r) => r.uri === "demo://resource/static/document/architecture.md"));
      const templates = (await client.listAllResourceTemplates()).map((t) => t.uriTemplate).sort();
      assert.deepEqual(templates, ["demo://resource/dynamic/blob/{resourceId}", "demo://resource/dynamic/text/{resourceId}"]);
      const blob = await client.readResource("demo://resource/dynamic/blob/2");
      assert.equal(typeof (blob.contents[0] as { blob?: string }).blob, "string");
      const p = await client.getPrompt("resource-prompt", { resourceType: "Text", resourceId: "2" });
      assert.equal((p.messages[1].content as any).resource.uri, "demo://resource/dynamic/text/2");
      const c = await client.complete({ ref: { type: "ref/prompt", name: "completable-prompt" }, argument: { name: "name", value: "" }, context: { arguments: { department: "Sales" } } });
      assert.deepEqual(c.completion.values, ["David", "Eve", "Frank"]);
    });

    it("resources/subscribe: updates arrive as resourceUpdated; unsubscribing stops asking", async () => {
      const uri = "demo://resource/static/document/features.md";
      const ack = await client.subscribe({ resources: [uri] });
      assert.deepEqual(ack.resourceSubscriptions, [uri]);
      await client.callTool("toggle-subscriber-updates", {});
      try {
        await until(() => updated.includes(uri), 5000, "notifications/resources/updated");
      } finally {
        await client.callTool("toggle-subscriber-updates", {});
      }
      assert.deepEqual((await client.subscribe({})).resourceSubscriptions, []);
    });

    it("logging: setLevel, then the server's simulated log messages arrive as log events", async () => {
      await client.setLoggingLevel("debug");
      logs.length = 0;
      await client.callTool("toggle-simulated-logging", {});
      try {
        await until(() => logs.some((l) => /-level message|level-message/.test(String(l.data))), 5000, "a simulated log message");
      } finally {
        await client.callTool("toggle-simulated-logging", {});
      }
    });
  });
}
