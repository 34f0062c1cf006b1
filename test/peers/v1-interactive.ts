// Peer server for interop tests of server -> client requests: the official v1 SDK
// (@modelcontextprotocol/sdk 1.x), legacy era only.
//   ask {question}   sampling/createMessage, sent unrelated to the call (HTTP: on the GET stream)
//                    -> "model said: <text> (<model>)"
//   confirm {action} elicitation/create on the call's own stream (confirm: boolean, note: string default "none")
//                    -> "<action>: confirmed, note <note>" | "<action>: <action taken>"
//   roots            roots/list -> the root URIs, comma-separated
//   progress {steps} notifications/progress 1..steps of steps, 50 ms apart -> "done"
// stdio:  node --import tsx test/peers/v1-interactive.ts
// HTTP:   startV1InteractiveHttp() — stateful Streamable HTTP at /mcp (a session per initialize).
import { randomUUID } from "node:crypto";
import http from "node:http";
import { pathToFileURL } from "node:url";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";
import { listenLoopback, readJson } from "./node-http.js";

const text = (t: string) => ({ content: [{ type: "text" as const, text: t }] });

export function buildInteractiveV1(): McpServer {
  const server = new McpServer({ name: "v1-interactive", version: "1.0.0" });
  server.registerTool("ask", { description: "Ask the client's model", inputSchema: { question: z.string() } }, async ({ question }) => {
    const r = await server.server.createMessage({ messages: [{ role: "user", content: { type: "text", text: question } }], maxTokens: 50 });
    return text(`model said: ${r.content.type === "text" ? r.content.text : r.content.type} (${r.model})`);
  });
  server.registerTool("confirm", { description: "Ask the user to confirm", inputSchema: { action: z.string() } }, async ({ action }, extra) => {
    const r = await server.server.elicitInput(
      { message: `Really ${action}?`, requestedSchema: { type: "object", properties: { confirm: { type: "boolean" }, note: { type: "string", default: "none" } }, required: ["confirm"] } },
      { relatedRequestId: extra.requestId },
    );
    return text(r.action === "accept" && r.content?.confirm === true ? `${action}: confirmed, note ${r.content.note}` : `${action}: ${r.action}`);
  });
  server.registerTool("roots", { description: "List the client's roots", inputSchema: {} }, async (_args, extra) => {
    const r = await server.server.listRoots(undefined, { relatedRequestId: extra.requestId });
    return text(r.roots.map((x) => x.uri).join(","));
  });
  server.registerTool("progress", { description: "Report progress", inputSchema: { steps: z.number() } }, async ({ steps }, extra) => {
    for (let i = 1; i <= steps; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const token = extra._meta?.progressToken;
      if (token !== undefined) await extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress: i, total: steps } });
    }
    return text("done");
  });
  return server;
}

export interface V1InteractiveHttp {
  url: string;
  close(): Promise<void>;
}

export async function startV1InteractiveHttp(): Promise<V1InteractiveHttp> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const servers = new Set<McpServer>();
  const httpServer = http.createServer(async (req, res) => {
    try {
      const sid = req.headers["mcp-session-id"] as string | undefined;
      const body = req.method === "POST" ? await readJson(req) : undefined;
      let t = sid ? sessions.get(sid) : undefined;
      if (!t) {
        if (sid || (body as { method?: string } | undefined)?.method !== "initialize") {
          res.writeHead(sid ? 404 : 400, { "content-type": "application/json" });
          return void res.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32000, message: sid ? "Session not found" : "No session" } }));
        }
        const fresh: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => void sessions.set(id, fresh) });
        const server = buildInteractiveV1();
        servers.add(server);
        await server.connect(fresh);
        t = fresh;
      }
      await t.handleRequest(req, res, body);
    } catch (e) {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(e));
    }
  });
  return listenLoopback(httpServer, async () => {
    for (const s of servers) await s.close().catch(() => {});
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await buildInteractiveV1().connect(new StdioServerTransport());
}
