// The official v2 server (@modelcontextprotocol/server 2.x) over real HTTP: createMcpHandler
// (the web-standard { fetch } entry) behind a minimal node:http adapter. Same surface as
// test/peers/v2-server.ts: add, echo, test://static, greeting://{name}, greet.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { McpServer, ResourceTemplate, createMcpHandler } from "@modelcontextprotocol/server";
import * as z from "zod/v4";

function buildServer(): McpServer {
  const server = new McpServer({ name: "v2-http-peer", version: "2.0.0" }, { capabilities: { tools: {}, resources: {}, prompts: {} } });
  server.registerTool("add", { description: "Add two numbers", inputSchema: z.object({ a: z.number(), b: z.number() }) }, async ({ a, b }) => ({
    content: [{ type: "text", text: String(a + b) }],
  }));
  server.registerTool("echo", { description: "Echo a message", inputSchema: z.object({ message: z.string() }) }, async ({ message }) => ({
    content: [{ type: "text", text: `Echo: ${message}` }],
  }));
  server.registerResource("static", "test://static", { description: "A static resource", mimeType: "text/plain" }, async (uri) => ({
    contents: [{ uri: uri.href, mimeType: "text/plain", text: "static content" }],
  }));
  server.registerResource(
    "greeting",
    new ResourceTemplate("greeting://{name}", { list: undefined }),
    { description: "A greeting for <name>", mimeType: "text/plain" },
    async (uri, { name }) => ({ contents: [{ uri: uri.href, mimeType: "text/plain", text: `Hello, ${String(name)}!` }] }),
  );
  server.registerPrompt("greet", { description: "Greet someone", argsSchema: z.object({ name: z.string() }) }, ({ name }) => ({
    messages: [{ role: "user", content: { type: "text", text: `Hello ${name}` } }],
  }));
  return server;
}

export interface V2HttpPeer {
  url: string;
  /** Every request seen: method, path, and the MCP headers. */
  seen: { method: string; version: string | null; mcpMethod: string | null; mcpName: string | null; session: string | null }[];
  close(): Promise<void>;
}

/** `legacy: "reject"` makes it a modern-only endpoint. */
export async function startV2Http(legacy: "stateless" | "reject" = "reject"): Promise<V2HttpPeer> {
  const handler = createMcpHandler(() => buildServer(), { legacy });
  const seen: V2HttpPeer["seen"] = [];
  const server = http.createServer(async (req, res) => {
    try {
      const parts: Buffer[] = [];
      for await (const c of req) parts.push(c as Buffer);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
      seen.push({
        method: req.method ?? "GET",
        version: headers.get("mcp-protocol-version"),
        mcpMethod: headers.get("mcp-method"),
        mcpName: headers.get("mcp-name"),
        session: headers.get("mcp-session-id"),
      });
      const ac = new AbortController();
      res.on("close", () => ac.abort());
      const request = new Request(`http://${req.headers.host}${req.url}`, {
        method: req.method,
        headers,
        body: req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(parts),
        signal: ac.signal,
      });
      const response = await handler.fetch(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (response.body) Readable.fromWeb(response.body as any).pipe(res);
      else res.end();
    } catch (e) {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(e));
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    seen,
    close: async () => {
      await handler.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
