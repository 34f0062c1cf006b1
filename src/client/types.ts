import type { Params, RequestId } from "../protocol/jsonrpc.js";
import type { ServerMethod, ServerRequestMap } from "../protocol/methods.js";
import type { Revision } from "../protocol/revisions.js";
import type { ClientCapabilities } from "../protocol/types.js";
import type { RequestOptions } from "../dispatch/types.js";

/** Context for a handler answering the server (a legacy request or a modern input request). */
export interface ClientHandlerContext {
  signal: AbortSignal;
  /** The JSON-RPC id (legacy) or the inputRequests key (modern). */
  requestId: RequestId;
  era: "legacy" | "modern";
}
export type ClientRequestHandler<P = any, R = any> = (params: P, ctx: ClientHandlerContext) => R | Promise<R>;
export type ClientHandlerMap = { [M in ServerMethod]?: ClientRequestHandler<ServerRequestMap[M][0], ServerRequestMap[M][1] | Params> } & {
  [method: string]: ClientRequestHandler | undefined;
};

export interface ClientOptions {
  capabilities?: ClientCapabilities;
  /** Answer sampling, elicitation and roots requests, in whichever era the server speaks. */
  handlers?: ClientHandlerMap;
  notificationHandlers?: Record<string, (params: Params | undefined) => void>;
  /** "auto" (default) probes with server/discover and falls back to initialize. */
  era?: "auto" | "legacy" | "modern";
  /** The legacy revision to ask for in initialize (default: the latest legacy one). */
  protocolVersion?: Revision;
  /** How long the discovery probe may take before we assume a legacy server (default 5 s). */
  probeTimeoutMs?: number;
  /** Default per-request timeout (default 60 s). */
  requestTimeoutMs?: number;
  /** Bound on input_required rounds for one call (default 10). */
  maxInputRounds?: number;
  /** Log level: legacy sends logging/setLevel after initialize; modern puts it on every request's `_meta`. */
  logLevel?: import("../protocol/meta.js").LogLevel;
  /** Cache list results by the server's ttlMs (default true). */
  cache?: boolean;
  /** Check structuredContent against the tool's output schema (default true). */
  validateOutput?: boolean;
}

export interface CallOptions extends RequestOptions {
  /** Called for each progress notification; a progress token is added for you. */
  onProgress?: (p: Params) => void;
}
