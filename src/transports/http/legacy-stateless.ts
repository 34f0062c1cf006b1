/**
 * Stateless legacy Streamable HTTP: no sessions and no GET stream. Each POST is
 * served by a throwaway session that assumes the revision its header names.
 */
import { ErrorCode, McpError } from "../../protocol/errors.js";
import type { Classified, Params, RequestId } from "../../protocol/jsonrpc.js";
import { isLegacyRevision, DEFAULT_LEGACY_HTTP_REVISION, type Revision } from "../../protocol/revisions.js";
import type { HttpInfo } from "../../server/context.js";
import { LegacySession, type SessionOutbound } from "../../server/legacy.js";
import type { Server } from "../../server/server.js";
import { emptyOut, errorOut, Exchange } from "./exchange.js";
import type { HttpIn, HttpOut } from "./types.js";

/** The revision header of a legacy request; absent means 2025-03-26. Null when unsupported. */
export function revisionOf(inp: HttpIn): Revision | null {
  const h = inp.header("mcp-protocol-version")?.trim();
  if (h === undefined) return DEFAULT_LEGACY_HTTP_REVISION;
  return isLegacyRevision(h) ? h : null;
}

export const noOutbound: SessionOutbound = {
  notify() {},
  request: () => Promise.reject(new McpError(ErrorCode.InternalError, "Stateless HTTP has no channel for server → client requests")),
};

export function statelessInitialize(server: Server<any>, id: RequestId, params: Params | undefined): HttpOut {
  const temp = new LegacySession(server, noOutbound);
  try {
    const r = temp.handle({ id, method: "initialize", params, signal: new AbortController().signal, cancelled: false, notify() {} });
    temp.close();
    return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id, result: r }) };
  } catch (e) {
    return errorOut(200, McpError.from(e).code, McpError.from(e).message, id);
  }
}

export async function statelessPost(server: Server<any>, inp: HttpIn, batch: Classified[], jsonResponse: boolean, keepAliveMs: number): Promise<HttpOut> {
  const rev = revisionOf(inp);
  if (rev === null) return errorOut(400, ErrorCode.InvalidRequest, `Unsupported MCP-Protocol-Version: ${inp.header("mcp-protocol-version")}`);
  const reqs = batch.filter((c) => c.kind === "request");
  const bad = batch.find((c) => c.kind === "invalid");
  if (bad && bad.kind === "invalid") return errorOut(400, bad.error.code, bad.error.message, bad.id);
  if (reqs.length === 0) return emptyOut(202);
  const outs = await Promise.all(
    reqs.map((c) => {
      const r = c.msg as { id: RequestId; method: string; params?: Params };
      const session = new LegacySession(server, noOutbound).assume(rev);
      const ex = new Exchange(r.id, r.method, r.params, { headers: {}, allowSse: !jsonResponse && reqs.length === 1, cancelOnDisconnect: true, keepAliveMs });
      inp.onAbort(() => ex.cancel("client disconnected"));
      const http = { get headers() { return inp.headers(); }, url: inp.url, authInfo: inp.auth } as HttpInfo;
      Promise.resolve()
        .then(() => session.handle(ex, http))
        .then((res) => ex.finish(res, undefined), (e) => ex.finish(undefined, e));
      return ex.out;
    }),
  );
  if (outs.length === 1) return outs[0];
  return { status: 200, headers: { "content-type": "application/json" }, body: `[${outs.map((o) => o.body).join(",")}]` };
}
