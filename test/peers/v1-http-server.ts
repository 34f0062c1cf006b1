// Peer server for HTTP interop tests: the official v1 SDK (@modelcontextprotocol/sdk 1.x) on
// node:http, on 127.0.0.1 and a free port. Same surface as v1-server.ts (add, echo,
// test://static, greeting://{name}, greet) plus `confirm` {action}, which elicits.
//   "streamable": stateful Streamable HTTP at /mcp (one McpServer + transport per session).
//   "sse":        the 2024-11-05 HTTP+SSE transport only: GET /mcp opens the stream, whose
//                 endpoint event names /messages?sessionId=…; POST /mcp is 405 (as an old server).
// Import and call startV1Http(mode); or run it: node --import tsx test/peers/v1-http-server.ts [sse]
import { randomUUID } from "node:crypto";
import http from "node:http";
import { pathToFileURL } from "node:url";
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
import { z } from "zod";
import { listenLoopback, readJson } from "./node-http.js";

function buildServer(): McpServer {
  const server = new McpServer({ name: "v1-http-peer", version: "1.0.0" });
  server.registerTool("add", { description: "Add two numbers", inputSchema: { a: z.number(), b: z.number() } }, async ({ a, b }) => ({
    content: [{ type: "text", text: String(a + b) }],
  }));
  server.registerTool("echo", { description: "Echo a message", inputSchema: { message: z.string() } }, async ({ message }) => ({
    content: [{ type: "text", text: `Echo: ${message}` }],
  }));
  server.registerTool("confirm", { description: "Ask the user to confirm", inputSchema: { action: z.string() } }, async ({ action }) => {
    const r = await server.server.elicitInput({
      message: `Really ${action}?`,
      requestedSchema: { type: "object", properties: { confirm: { type: "boolean" } }, required: ["confirm"] },
    });
    const ok = r.action === "accept" && r.content?.confirm === true;
    return { content: [{ type: "text", text: ok ? `${action}: confirmed` : `${action}: ${r.action}` }] };
  });
  server.registerResource("static", "test://static", { description: "A static resource", mimeType: "text/plain" }, async (uri) => ({
    contents: [{ uri: uri.href, mimeType: "text/plain", text: "static content" }],
  }));
  server.registerResource(
    "greeting",
    new ResourceTemplate("greeting://{name}", { list: undefined }),
    { description: "A greeting for <name>", mimeType: "text/plain" },
    async (uri, { name }) => ({ contents: [{ uri: uri.href, mimeType: "text/plain", text: `Hello, ${String(name)}!` }] }),
  );
  server.registerPrompt("greet", { description: "Greet someone", argsSchema: { name: z.string() } }, ({ name }) => ({
    messages: [{ role: "user", content: { type: "text", text: `Hello ${name}` } }],
  }));
  return server;
}

export interface V1HttpPeer {
  /** The MCP endpoint, e.g. http://127.0.0.1:PORT/mcp. */
  url: string;
  /** Open sessions (streamable) or SSE connections (sse). */
  sessions(): number;
  /** Methods of the requests the server received, in order (both modes). */
  received: string[];
  close(): Promise<void>;
}

function record(received: string[], body: unknown): void {
  for (const m of Array.isArray(body) ? body : [body]) if (m && typeof m === "object" && "method" in m) received.push(String((m as { method: unknown }).method));
}

export async function startV1Http(mode: "streamable" | "sse" = "streamable"): Promise<V1HttpPeer> {
  const streamable = new Map<string, StreamableHTTPServerTransport>();
  const sse = new Map<string, SSEServerTransport>();
  const servers = new Set<McpServer>();
  const received: string[] = [];

  async function onStreamable(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const sid = req.headers["mcp-session-id"] as string | undefined;
    const body = req.method === "POST" ? await readJson(req) : undefined;
    record(received, body);
    let transport = sid ? streamable.get(sid) : undefined;
    if (!transport) {
      const isInit = !sid && req.method === "POST" && (body as { method?: string } | undefined)?.method === "initialize";
      if (!isInit) {
        res.writeHead(sid ? 404 : 400, { "content-type": "application/json" });
        res.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32000, message: sid ? "Session not found" : "No session" } }));
        return;
      }
      const t: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => void streamable.set(id, t),
      });
      t.onclose = () => {
        if (t.sessionId) streamable.delete(t.sessionId);
      };
      const server = buildServer();
      servers.add(server);
      await server.connect(t);
      transport = t;
    }
    await transport.handleRequest(req, res, body);
  }

  async function onSse(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
    if (req.method === "GET" && path === "/mcp") {
      const t = new SSEServerTransport("/messages", res);
      sse.set(t.sessionId, t);
      res.on("close", () => sse.delete(t.sessionId));
      const server = buildServer();
      servers.add(server);
      await server.connect(t);
      return;
    }
    if (req.method === "POST" && path === "/messages") {
      const id = new URL(req.url ?? "/", "http://x").searchParams.get("sessionId") ?? "";
      const t = sse.get(id);
      if (!t) return void res.writeHead(404).end("Unknown session");
      const body = await readJson(req);
      record(received, body);
      return void (await t.handlePostMessage(req, res, body));
    }
    // An old server does not know Streamable HTTP.
    res.writeHead(405, { allow: "GET" }).end("Method Not Allowed");
  }

  const httpServer = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const run = mode === "sse" ? onSse(req, res, path) : path === "/mcp" ? onStreamable(req, res) : Promise.resolve(void res.writeHead(404).end());
    run.catch((e) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(e));
    });
  });
  const { url, close } = await listenLoopback(httpServer, async () => {
    for (const s of servers) await s.close().catch(() => {});
  });
  return { url, sessions: () => (mode === "sse" ? sse.size : streamable.size), received, close };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const peer = await startV1Http(process.argv[2] === "sse" ? "sse" : "streamable");
  process.stdout.write(`${peer.url}\n`);
}
