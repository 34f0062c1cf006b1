/**
 * node:http ↔ the MCP HTTP handler, without building web Request/Response
 * objects per call (that conversion is a measurable share of a small request).
 */
import { createServer, type IncomingMessage, type Server as NodeServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createHttpHandler, type McpHttpHandler, type Serveable } from "../transports/http/handler.js";
import type { HttpHandlerOptions } from "../transports/http/options.js";
import { BodyTooLargeError, type HttpIn, type HttpOut } from "../transports/http/types.js";

/** One Node request seen as the handler's HttpIn: methods on a prototype, nothing built until asked for. */
class NodeHttpIn implements HttpIn {
  readonly method: string;
  readonly path: string;
  auth: HttpIn["auth"];
  private params: URLSearchParams | undefined;
  private built: Headers | undefined;
  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {
    const raw = req.url ?? "/";
    const q = raw.indexOf("?");
    this.method = req.method ?? "GET";
    this.path = q === -1 ? raw : raw.slice(0, q);
    this.auth = (req as any).auth;
  }
  get url(): string {
    return `http://${this.req.headers.host ?? "localhost"}${this.req.url ?? "/"}`;
  }
  query(n: string): string | null {
    const raw = this.req.url ?? "/";
    const q = raw.indexOf("?");
    return (this.params ??= new URLSearchParams(q === -1 ? "" : raw.slice(q + 1))).get(n);
  }
  header(n: string): string | null {
    const v = this.req.headers[n];
    return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
  }
  headers(): Headers {
    if (!this.built) {
      const h = (this.built = new Headers());
      for (const [k, v] of Object.entries(this.req.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(", ") : v);
    }
    return this.built;
  }
  onAbort(fn: () => void): void {
    const res = this.res;
    res.once("close", () => !res.writableFinished && fn());
  }
  text(limit: number): Promise<string> {
    const req = this.req;
    // A body parser in front (Express's express.json()) has already read the stream.
    const parsed = (req as any).body;
    if (parsed !== undefined && req.readableEnded) {
      const text = typeof parsed === "string" ? parsed : Buffer.isBuffer(parsed) ? parsed.toString("utf8") : JSON.stringify(parsed);
      return Buffer.byteLength(text) > limit ? Promise.reject(new BodyTooLargeError(limit)) : Promise.resolve(text);
    }
    return new Promise((resolve, reject) => {
      if (Number(req.headers["content-length"]) > limit) {
        req.resume();
        return reject(new BodyTooLargeError(limit));
      }
      const parts: Buffer[] = [];
      let size = 0;
      req.on("data", (c: Buffer) => {
        size += c.length;
        if (size > limit) {
          req.removeAllListeners("data");
          req.resume();
          reject(new BodyTooLargeError(limit));
        } else parts.push(c);
      });
      req.once("end", () => resolve(parts.length === 1 ? parts[0].toString("utf8") : Buffer.concat(parts).toString("utf8")));
      req.once("error", reject);
    });
  }
}

export function toHttpIn(req: IncomingMessage, res: ServerResponse): HttpIn {
  return new NodeHttpIn(req, res);
}

export function writeOut(res: ServerResponse, out: HttpOut): void {
  if (res.headersSent || res.destroyed) return;
  if (out.stream) {
    const sse = out.stream;
    res.writeHead(out.status, out.headers);
    res.flushHeaders();
    sse.attach({ write: (s) => void res.write(s), end: () => res.end() });
    res.once("close", () => sse.cancel());
    return;
  }
  if (out.body !== undefined) out.headers["content-length"] = String(Buffer.byteLength(out.body));
  res.writeHead(out.status, out.headers);
  res.end(out.body);
}

/** A `(req, res)` listener for node:http, Express, Connect and the like. */
export function nodeListener(handler: McpHttpHandler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handler.handle(toHttpIn(req, res)).then(
      (out) => writeOut(res, out),
      (err) => {
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32603, message: `Internal error: ${err?.message ?? err}` } }));
        } else res.destroy();
      },
    );
  };
}

export interface ServeHttpOptions extends HttpHandlerOptions {
  port?: number;
  /** Interface to bind (default 127.0.0.1: a local server is not reachable from the network). */
  host?: string;
  /** Path of the MCP endpoint (default "/mcp"). */
  path?: string;
  /** Serve the 2024-11-05 HTTP+SSE endpoints at /sse and /messages too (default true). */
  sse?: boolean;
  /**
   * Wrap the MCP handler once the server listens (given the endpoint's URL), e.g.
   * `(h, url) => withBearerAuth(h, { resource: url, … })` from mcpkit/auth. Paths the
   * wrapper says it serves (`servesPath`, e.g. OAuth metadata) are routed to it too.
   */
  wrap?: (handler: McpHttpHandler, url: string) => McpHttpHandler & { servesPath?(path: string): boolean };
}

export interface RunningHttpServer {
  httpServer: NodeServer;
  handler: McpHttpHandler;
  url: string;
  close(): Promise<void>;
}

/** Listen on a port and serve `target` at `path`. */
export async function serveHttp(target: Serveable, o: ServeHttpOptions = {}): Promise<RunningHttpServer> {
  const host = o.host ?? "127.0.0.1";
  const path = o.path ?? "/mcp";
  const base = path.endsWith("/") ? path.slice(0, -1) : path;
  const prefix = base.slice(0, base.lastIndexOf("/"));
  const handler = createHttpHandler(target, {
    ...o,
    legacySse: o.sse === false ? false : (o.legacySse ?? { ssePath: `${prefix}/sse`, messagesPath: `${prefix}/messages` }),
  });
  let active: McpHttpHandler & { servesPath?(path: string): boolean } = handler;
  let listener = o.wrap ? undefined : nodeListener(handler);
  const sse = o.sse === false ? undefined : (o.legacySse || { ssePath: `${prefix}/sse`, messagesPath: `${prefix}/messages` });
  const httpServer = createServer((req, res) => {
    if (!listener) return void res.writeHead(503, { "content-type": "text/plain" }).end("Starting");
    const p = (req.url ?? "/").split("?")[0];
    if (p === path || p === base || (sse && (p === sse.ssePath || p === sse.messagesPath)) || active.servesPath?.(p)) return listener(req, res);
    res.writeHead(404, { "content-type": "text/plain" }).end("Not Found");
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(o.port ?? 8000, host, () => resolve());
  });
  const addr = httpServer.address() as AddressInfo;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  const url = `http://${shownHost}:${addr.port}${path}`;
  if (o.wrap) {
    active = o.wrap(handler, url);
    listener = nodeListener(active);
  }
  return {
    httpServer,
    handler: active,
    url,
    close: async () => {
      active.close();
      httpServer.closeAllConnections?.();
      await new Promise<void>((r) => httpServer.close(() => r()));
    },
  };
}
