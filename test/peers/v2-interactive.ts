// Peer server for interop tests of server -> client requests: the official v2 server
// (@modelcontextprotocol/server 2.x), both eras. Tools written once with `inputRequired`:
// on 2026-07-28 they answer `input_required` (the client fulfils and retries); on a
// legacy session the SDK's shim turns them into real sampling/elicitation/roots requests.
//   ask {question}   sampling   -> "model said: <text> (<model>)"
//   confirm {action} elicitation (confirm: boolean, note: string default "none")
//                    -> "<action>: confirmed, note <note>" | "<action>: <action taken>"
//   roots            roots/list -> the root URIs, comma-separated
//   two_step         modern only: round 1 elicits a name (state "s1"), round 2 samples (state "s2:<name>")
//                    -> "<name> / <sampled text> / states s1,s2"
// stdio:  node --import tsx test/peers/v2-interactive.ts        (serveStdio, both eras)
// HTTP:   startV2InteractiveHttp() — modern via createMcpHandler, legacy traffic routed with
//         isLegacyRequest to a sessionful WebStandardStreamableHTTPServerTransport per session.
import { randomUUID } from "node:crypto";
import http from "node:http";
import { pathToFileURL } from "node:url";
import {
  McpServer,
  WebStandardStreamableHTTPServerTransport,
  acceptedContent,
  createMcpHandler,
  inputRequired,
  isLegacyRequest,
} from "@modelcontextprotocol/server";
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import * as z from "zod/v4";
import { fetchListener, listenLoopback } from "./node-http.js";

const text = (t: string) => ({ content: [{ type: "text" as const, text: t }] });

export function buildInteractiveV2(): McpServer {
  const server = new McpServer({ name: "v2-interactive", version: "2.0.0" }, { capabilities: { tools: {} } });
  server.registerTool("ask", { description: "Ask the client's model", inputSchema: z.object({ question: z.string() }) }, async ({ question }, ctx) => {
    const answer = ctx.mcpReq.inputResponses?.answer as { content?: { text?: string }; model?: string } | undefined;
    if (!answer?.content) {
      return inputRequired({
        inputRequests: { answer: inputRequired.createMessage({ messages: [{ role: "user", content: { type: "text", text: question } }], maxTokens: 50 }) },
      });
    }
    return text(`model said: ${answer.content.text} (${answer.model})`);
  });
  const form = { type: "object" as const, properties: { confirm: { type: "boolean" as const }, note: { type: "string" as const, default: "none" } }, required: ["confirm"] };
  server.registerTool("confirm", { description: "Ask the user to confirm", inputSchema: z.object({ action: z.string() }) }, async ({ action }, ctx) => {
    const r = ctx.mcpReq.inputResponses?.confirm as { action?: string } | undefined;
    if (!r) return inputRequired({ inputRequests: { confirm: inputRequired.elicit({ message: `Really ${action}?`, requestedSchema: form }) } });
    const c = acceptedContent<{ confirm?: boolean; note?: string }>(ctx.mcpReq.inputResponses, "confirm");
    return text(c?.confirm === true ? `${action}: confirmed, note ${c.note}` : `${action}: ${r.action}`);
  });
  server.registerTool("roots", { description: "List the client's roots", inputSchema: z.object({}) }, async (_args, ctx) => {
    const r = ctx.mcpReq.inputResponses?.roots as { roots?: { uri: string }[] } | undefined;
    if (!r?.roots) return inputRequired({ inputRequests: { roots: inputRequired.listRoots() } });
    return text(r.roots.map((x) => x.uri).join(","));
  });
  server.registerTool("two_step", { description: "Two rounds with requestState", inputSchema: z.object({}) }, async (_args, ctx) => {
    const state = ctx.mcpReq.requestState<string>();
    const responses = ctx.mcpReq.inputResponses ?? {};
    if (state === undefined) {
      return inputRequired({
        inputRequests: { name: inputRequired.elicit({ message: "Your name?", requestedSchema: { type: "object", properties: { name: { type: "string" } }, required: ["name"] } }) },
        requestState: "s1",
      });
    }
    if (state === "s1") {
      const name = acceptedContent<{ name: string }>(responses, "name")?.name ?? "?";
      return inputRequired({
        inputRequests: { greeting: inputRequired.createMessage({ messages: [{ role: "user", content: { type: "text", text: `Greet ${name}` } }], maxTokens: 20 }) },
        requestState: `s2:${name}`,
      });
    }
    const sampled = (responses.greeting as { content?: { text?: string } } | undefined)?.content?.text;
    return text(`${state.slice(3)} / ${sampled} / states s1,s2`);
  });
  return server;
}

export interface V2InteractiveHttp {
  url: string;
  close(): Promise<void>;
}

/** One endpoint for both eras over node:http on 127.0.0.1. */
export async function startV2InteractiveHttp(): Promise<V2InteractiveHttp> {
  const modern = createMcpHandler(() => buildInteractiveV2(), { legacy: "reject" });
  const sessions = new Map<string, WebStandardStreamableHTTPServerTransport>();
  const servers = new Set<McpServer>();
  async function legacy(request: Request): Promise<Response> {
    const sid = request.headers.get("mcp-session-id");
    const known = sid ? sessions.get(sid) : undefined;
    if (known) return known.handleRequest(request);
    if (sid) return new Response(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32000, message: "Session not found" } }), { status: 404 });
    const t = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => void sessions.set(id, t) });
    const server = buildInteractiveV2();
    servers.add(server);
    await server.connect(t);
    return t.handleRequest(request);
  }
  const listener = fetchListener(async (request) => ((await isLegacyRequest(request)) ? legacy(request) : modern.fetch(request)));
  return listenLoopback(http.createServer(listener), async () => {
    await modern.close();
    for (const s of servers) await s.close().catch(() => {});
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  serveStdio(() => buildInteractiveV2(), { legacy: "serve", onerror: (e) => process.stderr.write(`[v2-interactive] ${e.message}\n`) });
}
