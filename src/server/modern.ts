/**
 * The modern era (2026-07-28): no handshake, no session. Each request carries
 * its revision and client capabilities in `_meta` and is served on its own.
 */
import { encodeModernResult } from "../protocol/codec.js";
import { ErrorCode, McpError } from "../protocol/errors.js";
import type { Params, RequestId } from "../protocol/jsonrpc.js";
import { isLogLevel, META, type LogLevel } from "../protocol/meta.js";
import { capabilityObject, hasClientCapability, requiredClientCapability } from "../protocol/methods.js";
import { isModernRevision, isRevision, REVISIONS, type Revision } from "../protocol/revisions.js";
import type { ClientCapabilities, Implementation, ListenFilter } from "../protocol/types.js";
import { checkParams } from "../protocol/validate.js";
import { then, type MaybePromise } from "../protocol/maybe.js";
import type { Incoming } from "../dispatch/types.js";
import { RequestContext, type HttpInfo } from "./context.js";
import type { Server } from "./server.js";

const MRTR_METHODS = new Set(["tools/call", "resources/read", "prompts/get"]);
const isObj = (v: unknown): v is Record<string, any> => typeof v === "object" && v !== null && !Array.isArray(v);

export interface ModernRequestInfo {
  protocolVersion: Revision;
  clientCapabilities: ClientCapabilities;
  clientInfo: Implementation | undefined;
  logLevel: LogLevel | undefined;
}

/** Check the per-request `_meta` every modern request must carry. */
export function readModernMeta(params: Params | undefined): ModernRequestInfo {
  const meta = params?._meta;
  if (!isObj(meta) || meta[META.protocolVersion] === undefined) {
    throw new McpError(ErrorCode.InvalidParams, `Missing required _meta field ${META.protocolVersion}`);
  }
  const requested = meta[META.protocolVersion];
  if (!isModernRevision(requested)) {
    const hint = isRevision(requested) ? ` (${requested} is served after an initialize handshake)` : "";
    throw new McpError(ErrorCode.UnsupportedProtocolVersion, `Unsupported protocol version: ${String(requested)}${hint}`, {
      supported: [...REVISIONS].reverse(),
      requested: typeof requested === "string" ? requested : String(requested),
    });
  }
  const caps = meta[META.clientCapabilities];
  if (!isObj(caps)) throw new McpError(ErrorCode.InvalidParams, `Missing required _meta field ${META.clientCapabilities}`);
  const level = meta[META.logLevel];
  if (level !== undefined && !isLogLevel(level)) throw new McpError(ErrorCode.InvalidParams, `Invalid log level in _meta: ${String(level)}`);
  const info = meta[META.clientInfo];
  return { protocolVersion: requested, clientCapabilities: caps, clientInfo: isObj(info) ? (info as Implementation) : undefined, logLevel: level as LogLevel | undefined };
}

export interface ModernExtras {
  http?: HttpInfo;
}

export function handleModern(server: Server<any>, inc: Incoming, extras: ModernExtras = {}): MaybePromise<Params> {
  const { method, params } = inc;
  const info = readModernMeta(params);
  const problem = checkParams(method, params);
  if (problem) throw new McpError(ErrorCode.InvalidParams, `Invalid params for ${method}: ${problem}`);
  const encode = (result: Params) => encodeModernResult(method, result, { serverInfo: server.info, cache: server.cacheDefaults });
  switch (method) {
    case "server/discover":
      return encode(discover(server));
    case "subscriptions/listen":
      return listen(server, inc).then(encode);
    case "initialize":
    case "ping":
    case "logging/setLevel":
    case "resources/subscribe":
    case "resources/unsubscribe":
      throw new McpError(ErrorCode.MethodNotFound, `Method not found: ${method} is not part of ${info.protocolVersion}`);
  }
  const ctx = new RequestContext({ inc, era: "modern", ...info, lifespan: server.lifespanValue, outbound: undefined, http: extras.http });
  return then(server.invoke(ctx, method, params), (result) => {
    if (result.resultType === "input_required") checkInputRequired(method, result, info.clientCapabilities);
    return encode(result);
  });
}

function discover(server: Server<any>): Params {
  const r: Params = { supportedVersions: ["2026-07-28"], capabilities: server.getCapabilities() };
  if (server.instructions !== undefined) r.instructions = server.instructions;
  return r;
}

/** input_required is only for three methods, and may only ask for what the client declared. */
function checkInputRequired(method: string, result: Params, caps: ClientCapabilities): void {
  if (!MRTR_METHODS.has(method)) throw new McpError(ErrorCode.InternalError, `${method} cannot return input_required`);
  if (result.inputRequests === undefined && result.requestState === undefined) {
    throw new McpError(ErrorCode.InternalError, "input_required needs inputRequests or requestState");
  }
  const reqs = result.inputRequests as Record<string, { method: string; params?: Record<string, any> }> | undefined;
  for (const key in reqs) {
    const need = requiredClientCapability(reqs[key].method, reqs[key].params);
    if (need && !hasClientCapability(caps, need)) {
      throw new McpError(ErrorCode.MissingRequiredClientCapability, `This request needs the client capability ${need}`, {
        requiredCapabilities: capabilityObject(need),
      });
    }
  }
}

/** One open `subscriptions/listen` stream. */
export interface Listener {
  readonly id: RequestId;
  readonly filter: ListenFilter;
  send(method: string, params?: Params): void;
  end(): void;
}

/**
 * Acknowledge what we will honour, then hold the request open. It ends with a
 * result when the server shuts down; on cancellation the result is dropped.
 */
function listen(server: Server<any>, inc: Incoming): Promise<Params> {
  const asked = (inc.params!.notifications ?? {}) as ListenFilter;
  const caps = server.getCapabilities();
  const ack: ListenFilter = {};
  if (asked.toolsListChanged && caps.tools?.listChanged) ack.toolsListChanged = true;
  if (asked.promptsListChanged && caps.prompts?.listChanged) ack.promptsListChanged = true;
  if (asked.resourcesListChanged && caps.resources?.listChanged) ack.resourcesListChanged = true;
  if (Array.isArray(asked.resourceSubscriptions) && caps.resources?.subscribe) {
    ack.resourceSubscriptions = asked.resourceSubscriptions.filter((u) => typeof u === "string");
  }
  const tag = { [META.subscriptionId]: inc.id };
  if (server.listeners.size >= server.maxListeners) {
    throw new McpError(ErrorCode.InternalError, `Too many open subscriptions (limit ${server.maxListeners})`);
  }
  inc.notify("notifications/subscriptions/acknowledged", { _meta: tag, notifications: ack });
  return new Promise<Params>((resolve) => {
    const listener: Listener = {
      id: inc.id,
      filter: ack,
      send: (method, params) => inc.notify(method, { ...params, _meta: { ...(params?._meta as object), ...tag } }),
      end: () => {
        server.listeners.delete(listener);
        resolve({ _meta: tag });
      },
    };
    server.listeners.add(listener);
    inc.signal.addEventListener("abort", () => listener.end(), { once: true });
  });
}
