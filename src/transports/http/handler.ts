/**
 * The Streamable HTTP endpoint: one handler serving every revision. A request
 * with the 2026-07-28 envelope is served statelessly; anything else (initialize,
 * a session id, GET, DELETE) is the legacy era. Optionally the 2024-11-05
 * HTTP+SSE endpoints are served beside it.
 */
import { ErrorCode } from "../../protocol/errors.js";
import { parseMessage, type Classified } from "../../protocol/jsonrpc.js";
import type { Server } from "../../server/server.js";
import { errorOut, emptyOut } from "./exchange.js";
import { LegacyHttp } from "./legacy-http.js";
import { isModernEnvelope, modernPost } from "./modern-http.js";
import { acceptsBoth, checkHostAndOrigin, DEFAULTS, type HttpHandlerOptions } from "./options.js";
import { LegacySse } from "./sse-legacy.js";
import { BodyTooLargeError, type HttpIn, type HttpOut } from "./types.js";
import { fromRequest, toResponse } from "./fetch.js";

/** A low-level Server, or anything that wraps one (McpServer). */
export type Serveable = Server<any> | { server: Server<any>; ready?(): Promise<void> };

export interface McpHttpHandler {
  /** Fetch-style entry point: Workers, Bun, Deno, Hono, Next.js route handlers. */
  fetch(req: Request): Promise<Response>;
  /** The transport-neutral entry point used by the Node adapter. */
  handle(inp: HttpIn): Promise<HttpOut>;
  /** End all sessions and streams (the server itself stays open). */
  close(): void;
  readonly legacy: LegacyHttp;
}

export function createHttpHandler(target: Serveable, options: HttpHandlerOptions = {}): McpHttpHandler {
  const server = "server" in target ? target.server : target;
  const maxBody = options.maxBodyBytes ?? DEFAULTS.maxBodyBytes;
  const keepAliveMs = options.keepAliveMs ?? DEFAULTS.keepAliveMs;
  const legacy = new LegacyHttp(server, options);
  const sseCfg = options.legacySse || undefined;
  const legacySse = sseCfg ? new LegacySse(server, sseCfg.messagesPath, options.legacy?.maxSessions ?? DEFAULTS.maxSessions, keepAliveMs, maxBody) : undefined;
  // Started once, on the first request, however many handlers share the server.
  let started: Promise<void> | undefined;
  const start = () => (started ??= Promise.resolve("ready" in target && target.ready ? target.ready() : undefined).then(() => server.start()));

  async function handle(inp: HttpIn): Promise<HttpOut> {
    const denied = checkHostAndOrigin(inp.header("host"), inp.header("origin"), options);
    if (denied) return errorOut(403, ErrorCode.InvalidRequest, `Forbidden: ${denied}`);
    await start();
    if (legacySse) {
      if (inp.path === sseCfg!.ssePath && inp.method === "GET") return legacySse.open(inp);
      if (inp.path === sseCfg!.messagesPath && inp.method === "POST") return legacySse.post(inp);
    }
    switch (inp.method) {
      case "POST":
        return post(inp);
      case "GET":
        return legacy.get(inp);
      case "DELETE":
        return legacy.delete(inp);
      default:
        return emptyOut(405, { allow: "GET, POST, DELETE" });
    }
  }

  async function post(inp: HttpIn): Promise<HttpOut> {
    const ct = inp.header("content-type");
    if (!ct || !/^application\/json\b/i.test(ct.trim())) return errorOut(415, ErrorCode.InvalidRequest, "Unsupported Media Type: Content-Type must be application/json");
    if (!acceptsBoth(inp.header("accept"))) {
      return errorOut(406, ErrorCode.InvalidRequest, "Not Acceptable: Accept must list application/json and text/event-stream");
    }
    let text: string;
    try {
      text = await inp.text(maxBody);
    } catch (e) {
      if (e instanceof BodyTooLargeError) return errorOut(413, ErrorCode.InvalidRequest, `Payload Too Large: the limit is ${maxBody} bytes`);
      return errorOut(400, ErrorCode.InvalidRequest, "Could not read the request body");
    }
    const parsed = parseMessage(text);
    const batch: Classified[] = Array.isArray(parsed) ? parsed : [parsed];
    const first = batch[0];
    if (first.kind === "invalid" && batch.length === 1) return errorOut(400, first.error.code, first.error.message, first.id);
    if (batch.length === 1 && (first.kind === "request" || first.kind === "notification")) {
      const modern = inp.header("mcp-session-id") === null || isModernHeader(inp);
      if (modern && isModernEnvelope(inp, first.msg)) return modernPost(server, inp, first.msg, { keepAliveMs });
    }
    return legacy.post(inp, batch);
  }

  return {
    handle,
    fetch: async (req: Request) => toResponse(await handle(fromRequest(req))),
    close: () => {
      legacy.closeAll();
      legacySse?.closeAll();
    },
    legacy,
  };
}

function isModernHeader(inp: HttpIn): boolean {
  return inp.header("mcp-protocol-version")?.trim() === "2026-07-28";
}
