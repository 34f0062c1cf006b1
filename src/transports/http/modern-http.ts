/**
 * Streamable HTTP, 2026-07-28: every POST carries one request, checked against
 * its headers, served on its own, answered with JSON or a request-scoped SSE
 * stream. Closing that stream cancels the request.
 */
import { ErrorCode } from "../../protocol/errors.js";
import type { JsonRpcNotification, JsonRpcRequest } from "../../protocol/jsonrpc.js";
import { META } from "../../protocol/meta.js";
import { isModernRevision } from "../../protocol/revisions.js";
import type { HttpInfo } from "../../server/context.js";
import { handleModern } from "../../server/modern.js";
import type { Server } from "../../server/server.js";
import { errorOut, emptyOut, Exchange } from "./exchange.js";
import { checkHeaderParam, decodeHeaderValue, headerParams, nameTarget, valueAt, type HeaderParam } from "./headers.js";
import type { HttpIn, HttpOut } from "./types.js";

const LEGACY_ONLY = new Set(["initialize", "ping", "logging/setLevel", "resources/subscribe", "resources/unsubscribe"]);
const headerCache = new WeakMap<object, HeaderParam[]>();

export interface ModernHttpOptions {
  keepAliveMs: number;
}

export async function modernPost(server: Server<any>, inp: HttpIn, msg: JsonRpcRequest | JsonRpcNotification, o: ModernHttpOptions): Promise<HttpOut> {
  const id = "id" in msg ? msg.id : null;
  const params = msg.params;
  const bad = (code: number, message: string, data?: unknown) => errorOut(400, code, message, id, data);

  // 1. The envelope: _meta must be there before anything is compared with it.
  const meta = params?._meta as Record<string, unknown> | undefined;
  if (!meta || typeof meta !== "object" || meta[META.protocolVersion] === undefined) {
    return bad(ErrorCode.InvalidParams, `Missing required _meta field ${META.protocolVersion}`);
  }
  const headerVersion = inp.header("mcp-protocol-version");
  if (headerVersion === null) return bad(ErrorCode.HeaderMismatch, "Missing MCP-Protocol-Version header");
  if (headerVersion.trim() !== meta[META.protocolVersion]) {
    return bad(ErrorCode.HeaderMismatch, `MCP-Protocol-Version header ${headerVersion} does not match _meta protocolVersion ${String(meta[META.protocolVersion])}`);
  }
  if (!isModernRevision(meta[META.protocolVersion])) {
    return bad(ErrorCode.UnsupportedProtocolVersion, `Unsupported protocol version: ${String(meta[META.protocolVersion])}`, {
      supported: ["2026-07-28"],
      requested: String(meta[META.protocolVersion]),
    });
  }
  if (!meta[META.clientCapabilities] || typeof meta[META.clientCapabilities] !== "object") {
    return bad(ErrorCode.InvalidParams, `Missing required _meta field ${META.clientCapabilities}`);
  }

  // 2. Standard headers must agree with the body.
  const mh = inp.header("mcp-method");
  if (mh === null) return bad(ErrorCode.HeaderMismatch, "Missing Mcp-Method header");
  if (decodeHeaderValue(mh) !== msg.method) return bad(ErrorCode.HeaderMismatch, `Mcp-Method header ${mh} does not match method ${msg.method}`);
  const target = nameTarget(msg.method, params);
  if (target !== undefined) {
    const nh = inp.header("mcp-name");
    if (nh === null) return bad(ErrorCode.HeaderMismatch, "Missing Mcp-Name header");
    if (decodeHeaderValue(nh) !== target) return bad(ErrorCode.HeaderMismatch, `Mcp-Name header does not match ${target}`);
  }
  if (msg.method === "tools/call" && target !== undefined && server.toolInputSchema) {
    const schema = server.toolInputSchema(target);
    if (schema) {
      let hp = headerCache.get(schema);
      if (!hp) headerCache.set(schema, (hp = headerParams(schema) ?? []));
      const args = params?.arguments;
      for (const p of hp) {
        const problem = checkHeaderParam(p, inp.header(`mcp-param-${p.header.toLowerCase()}`), valueAt(args, p.path));
        if (problem) return bad(ErrorCode.HeaderMismatch, problem);
      }
    }
  }

  // 3. Notifications: none is defined for clients over HTTP in this revision; accept and drop.
  if (!("id" in msg)) return emptyOut(202);

  // 4. Unknown (or legacy-only) methods are 404 with a JSON-RPC body, which tells them from a legacy 404.
  if (LEGACY_ONLY.has(msg.method) || !server.servesModern(msg.method)) {
    return errorOut(404, ErrorCode.MethodNotFound, `Method not found: ${msg.method}`, id);
  }

  const ex = new Exchange(msg.id, msg.method, params, {
    headers: {},
    allowSse: true,
    cancelOnDisconnect: true,
    errorStatus: true,
    keepAliveMs: msg.method === "subscriptions/listen" ? o.keepAliveMs : 0,
  });
  inp.onAbort(() => ex.cancel("client disconnected"));
  const http: HttpInfo = { get headers() { return inp.headers(); }, url: inp.url, authInfo: inp.auth } as HttpInfo;
  try {
    const r = handleModern(server, ex, { http });
    if (r instanceof Promise) r.then((v) => ex.finish(v, undefined), (e) => ex.finish(undefined, e));
    else void ex.finish(r, undefined);
  } catch (e) {
    void ex.finish(undefined, e);
  }
  return ex.out;
}

/** True when a POST carries the 2026-07-28 envelope (header or `_meta` version). */
export function isModernEnvelope(inp: HttpIn, msg: { params?: Record<string, unknown> }): boolean {
  const hv = inp.header("mcp-protocol-version");
  if (hv !== null && isModernRevision(hv.trim())) return true;
  const meta = msg.params?._meta as Record<string, unknown> | undefined;
  return !!meta && typeof meta === "object" && META.protocolVersion in meta;
}
