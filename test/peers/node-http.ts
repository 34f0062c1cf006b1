// node:http plumbing the peer servers share: reading a JSON body, bridging a request to a
// fetch-style handler and back, and listening on 127.0.0.1 with a close that ends every
// connection.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

export async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  const text = Buffer.concat(parts).toString("utf8");
  return text ? JSON.parse(text) : undefined;
}

/** A node:http listener that hands each request to `handle` as a web Request (aborted when the client goes). */
export function fetchListener(handle: (request: Request) => Promise<Response>): http.RequestListener {
  return async (req, res) => {
    try {
      const parts: Buffer[] = [];
      for await (const c of req) parts.push(c as Buffer);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
      const ac = new AbortController();
      res.on("close", () => ac.abort());
      const body = req.method === "GET" || req.method === "HEAD" || req.method === "DELETE" ? undefined : Buffer.concat(parts);
      const response = await handle(new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, body, signal: ac.signal }));
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (response.body) Readable.fromWeb(response.body as any).pipe(res);
      else res.end();
    } catch (e) {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(e));
    }
  };
}

/** Listen on 127.0.0.1 and a free port: the MCP URL, and a close that runs `before` and ends every connection. */
export async function listenLoopback(server: http.Server, before: () => Promise<void> = async () => {}): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: async () => {
      await before();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
