// The official v2 server (@modelcontextprotocol/server 2.x) over real HTTP: createMcpHandler
// (the web-standard { fetch } entry) behind a minimal node:http adapter. Same surface as
// test/peers/v2-server.ts: add, echo, test://static, greeting://{name}, greet.
import http from "node:http";
import { fetchListener, listenLoopback } from "../peers/node-http.js";
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
  const listener = fetchListener(async (request) => {
    const h = request.headers;
    seen.push({ method: request.method, version: h.get("mcp-protocol-version"), mcpMethod: h.get("mcp-method"), mcpName: h.get("mcp-name"), session: h.get("mcp-session-id") });
    return handler.fetch(request);
  });
  const { url, close } = await listenLoopback(http.createServer(listener), () => handler.close());
  return { url, seen, close };
}
