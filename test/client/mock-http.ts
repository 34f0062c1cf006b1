// A scripted MCP server over HTTP for the client's fault tests. It speaks just enough of
// both eras (initialize with sessions, or server/discover) and lets each test decide how
// every request is answered: JSON, an SSE stream that may break, an HTTP error, garbage,
// or nothing at all. Everything received is recorded.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  method: string; // HTTP method
  headers: http.IncomingHttpHeaders;
  body: any; // parsed JSON (POST)
}

/** What to do with one request; `undefined` = the default behaviour. */
export type Reply =
  | { json: unknown; status?: number; headers?: Record<string, string> }
  | { status: number; text?: string; contentType?: string }
  | { sse: SseEvent[]; then?: "end" | "hold"; headers?: Record<string, string> }
  | { hang: true }
  | undefined;
export interface SseEvent {
  id?: string;
  retry?: number;
  data?: unknown; // an object is JSON-encoded; a string is sent as is
  afterMs?: number;
  /** Sent only once this settles (a test's go-ahead). */
  after?: Promise<unknown>;
}

export interface MockOptions {
  era: "legacy" | "modern";
  /** Session ids handed out by initialize (legacy), in order. */
  sessions?: string[];
  capabilities?: Record<string, unknown>;
  /** Answer a POSTed JSON-RPC message (requests and notifications) or a GET. */
  onPost?(msg: any, req: Received): Reply | Promise<Reply>;
  onGet?(req: Received): Reply | Promise<Reply>;
}

export interface Mock {
  url: string;
  received: Received[];
  /** POSTed JSON-RPC messages with this method. */
  posted(method: string): any[];
  /** Sessions that now answer 404. */
  expired: Set<string>;
  close(): Promise<void>;
}

export const MODERN = "2026-07-28";
export const result = (id: unknown, r: Record<string, unknown>) => ({ jsonrpc: "2.0", id, result: r });
export const modernResult = (id: unknown, r: Record<string, unknown>) => result(id, { resultType: "complete", ...r });

export async function startMock(o: MockOptions): Promise<Mock> {
  const received: Received[] = [];
  const expired = new Set<string>();
  const sessions = [...(o.sessions ?? ["s1", "s2", "s3", "s4"])];
  const open = new Set<http.ServerResponse>();
  const caps = o.capabilities ?? { tools: { listChanged: true }, resources: { subscribe: true, listChanged: true } };

  function defaults(msg: any): Reply {
    if (!("id" in msg) || !msg.method) return { status: 202 };
    switch (msg.method) {
      case "server/discover":
        if (o.era === "legacy") return { json: { jsonrpc: "2.0", id: msg.id, error: { code: -32601, message: "Method not found" } }, status: 404 };
        return { json: modernResult(msg.id, { supportedVersions: [MODERN], capabilities: caps, _meta: { "io.modelcontextprotocol/serverInfo": { name: "mock", version: "1" } } }) };
      case "initialize":
        return { json: result(msg.id, { protocolVersion: "2025-11-25", capabilities: caps, serverInfo: { name: "mock", version: "1" } }), headers: { "mcp-session-id": sessions.shift()! } };
      default:
        return { json: (o.era === "modern" ? modernResult : result)(msg.id, {}) };
    }
  }

  async function send(res: http.ServerResponse, reply: Reply): Promise<void> {
    if (!reply) return void res.writeHead(500).end();
    if ("hang" in reply) return void open.add(res);
    if ("json" in reply) {
      res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
      return void res.end(JSON.stringify(reply.json));
    }
    if ("sse" in reply) {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", ...reply.headers });
      res.flushHeaders();
      open.add(res);
      for (const e of reply.sse) {
        if (e.afterMs) await new Promise((r) => setTimeout(r, e.afterMs));
        if (e.after) await e.after;
        if (res.destroyed) return;
        let frame = "";
        if (e.id !== undefined) frame += `id: ${e.id}\n`;
        if (e.retry !== undefined) frame += `retry: ${e.retry}\n`;
        frame += `data: ${typeof e.data === "string" ? e.data : e.data === undefined ? "" : JSON.stringify(e.data)}\n\n`;
        res.write(frame);
      }
      if (reply.then !== "hold") {
        open.delete(res);
        res.end();
      }
      return;
    }
    res.writeHead(reply.status, reply.contentType ? { "content-type": reply.contentType } : {});
    res.end(reply.text ?? "");
  }

  const server = http.createServer(async (req, res) => {
    res.on("close", () => open.delete(res));
    const parts: Buffer[] = [];
    for await (const c of req) parts.push(c as Buffer);
    const text = Buffer.concat(parts).toString("utf8");
    const r: Received = { method: req.method ?? "", headers: req.headers, body: text ? JSON.parse(text) : undefined };
    received.push(r);
    const sid = req.headers["mcp-session-id"] as string | undefined;
    if (sid && expired.has(sid)) return void (await send(res, { status: 404, text: "Session not found" }));
    if (req.method === "DELETE") return void res.writeHead(200).end();
    if (req.method === "GET") return void (await send(res, (await o.onGet?.(r)) ?? { status: 405 }));
    const reply = (await o.onPost?.(r.body, r)) ?? defaults(r.body);
    await send(res, reply);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    received,
    expired,
    posted: (m) => received.filter((x) => x.method === "POST" && x.body?.method === m).map((x) => x.body),
    close: async () => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
