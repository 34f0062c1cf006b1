/**
 * The per-request context handed to every handler: who is asking, in which era,
 * and the means to talk back (progress, logs, requests to the client where the
 * era allows them). One small object per request; nothing here scales with the
 * size of the server.
 */
import { ErrorCode, McpError } from "../protocol/errors.js";
import type { Params, RequestId } from "../protocol/jsonrpc.js";
import { logPasses, type LogLevel, META } from "../protocol/meta.js";
import { capabilityObject, hasClientCapability, requiredClientCapability, SERVER_REQUEST_SINCE, type ServerMethod, type ServerRequestMap } from "../protocol/methods.js";
import type { Era, Revision } from "../protocol/revisions.js";
import type { ClientCapabilities, Implementation } from "../protocol/types.js";
import type { Incoming, RequestOptions } from "../dispatch/types.js";

/** How a request's context reaches the client beyond its own response. */
export interface Outbound {
  /** Send a server → client request on the live connection (legacy era only). */
  request?(method: string, params: Params | undefined, opts?: RequestOptions): Promise<Params>;
}

/** What the HTTP layer knows about a request; absent on stdio. */
export interface HttpInfo {
  headers: Headers;
  url?: string;
  /** Set by `mcpkit/auth` when a bearer token was verified. */
  authInfo?: AuthInfo;
  /** Legacy SSE responses: close the stream now; the client resumes it with Last-Event-ID (polling). */
  closeStream?(): void;
}
export interface AuthInfo {
  token: string;
  clientId?: string;
  scopes: string[];
  expiresAt?: number;
  subject?: string;
  extra?: Record<string, unknown>;
}

export interface ContextInit<L> {
  inc: Incoming;
  era: Era;
  protocolVersion: Revision;
  clientCapabilities: ClientCapabilities;
  clientInfo: Implementation | undefined;
  logLevel: LogLevel | undefined;
  lifespan: L;
  outbound: Outbound | undefined;
  sessionId?: string;
  http?: HttpInfo;
}

export class RequestContext<L = unknown> {
  readonly requestId: RequestId;
  readonly method: string;
  readonly era: Era;
  readonly protocolVersion: Revision;
  readonly clientCapabilities: ClientCapabilities;
  readonly clientInfo: Implementation | undefined;
  /** The lifespan value of the server (see `ServerOptions.lifespan`). */
  readonly lifespan: L;
  /** Legacy Streamable HTTP session id, when there is one. */
  readonly sessionId: string | undefined;
  readonly http: HttpInfo | undefined;
  private readonly inc: Incoming;
  private readonly logLevel: LogLevel | undefined;
  private readonly outbound: Outbound | undefined;
  private lastProgress = -Infinity;

  constructor(init: ContextInit<L>) {
    this.inc = init.inc;
    this.requestId = init.inc.id;
    this.method = init.inc.method;
    this.era = init.era;
    this.protocolVersion = init.protocolVersion;
    this.clientCapabilities = init.clientCapabilities;
    this.clientInfo = init.clientInfo;
    this.logLevel = init.logLevel;
    this.lifespan = init.lifespan;
    this.outbound = init.outbound;
    this.sessionId = init.sessionId;
    this.http = init.http;
  }

  /** Aborted when the client cancels (notification, closed HTTP stream) or the connection ends. */
  get signal(): AbortSignal {
    return this.inc.signal;
  }
  get params(): Params | undefined {
    return this.inc.params;
  }
  get meta(): Record<string, unknown> | undefined {
    return this.inc.params?._meta as Record<string, unknown> | undefined;
  }
  get progressToken(): RequestId | undefined {
    return this.meta?.[META.progressToken] as RequestId | undefined;
  }
  get authInfo(): AuthInfo | undefined {
    return this.http?.authInfo;
  }

  /** Send a notification that belongs to this request (dropped after the response). */
  notify(method: string, params?: Params): void {
    this.inc.notify(method, params);
  }

  /**
   * Report progress, if the client asked for it with a progress token. Values must
   * grow; a report that does not is dropped rather than sent out of order.
   */
  reportProgress(progress: number, total?: number, message?: string): void {
    const token = this.progressToken;
    if (token === undefined || !(progress > this.lastProgress)) return;
    this.lastProgress = progress;
    const p: Params = { progressToken: token, progress };
    if (total !== undefined) p.total = total;
    if (message !== undefined && this.protocolVersion >= "2025-03-26") p.message = message;
    this.inc.notify("notifications/progress", p);
  }

  /**
   * Log to the client (`notifications/message`). Legacy: filtered by the session's
   * `logging/setLevel`. Modern: sent only when the request set a level in `_meta`.
   */
  log(level: LogLevel, data: unknown, logger?: string): void {
    const min = this.logLevel;
    if (this.era === "modern" ? min === undefined || !logPasses(level, min) : min !== undefined && !logPasses(level, min)) return;
    const p: Params = { level, data };
    if (logger !== undefined) p.logger = logger;
    this.inc.notify("notifications/message", p);
  }
  debug(data: unknown, logger?: string) { this.log("debug", data, logger); }
  info(data: unknown, logger?: string) { this.log("info", data, logger); }
  warning(data: unknown, logger?: string) { this.log("warning", data, logger); }
  error(data: unknown, logger?: string) { this.log("error", data, logger); }

  hasClientCapability(path: string): boolean {
    return hasClientCapability(this.clientCapabilities, path);
  }

  /**
   * A request to the client (sampling, elicitation, roots) on the live connection.
   * Only the legacy era has one; in the modern era a handler returns an
   * `input_required` result instead (the high-level API does that for you).
   */
  request<M extends ServerMethod>(method: M, params: ServerRequestMap[M][0], opts?: RequestOptions): Promise<ServerRequestMap[M][1]>;
  request(method: string, params?: Params, opts?: RequestOptions): Promise<Params>;
  request(method: string, params?: Params, opts: RequestOptions = {}): Promise<Params> {
    if (this.era === "modern" || !this.outbound?.request) {
      return Promise.reject(
        new McpError(ErrorCode.InternalError, `${method}: servers cannot send requests in the ${this.era} era here; return an input_required result`),
      );
    }
    // A request the negotiated revision does not define would be a malformed message to that client.
    const since = Object.hasOwn(SERVER_REQUEST_SINCE, method) ? SERVER_REQUEST_SINCE[method] : undefined;
    if (since !== undefined && this.protocolVersion < since) {
      return Promise.reject(new McpError(ErrorCode.MethodNotFound, `${method} is not part of protocol revision ${this.protocolVersion} (it arrived in ${since})`));
    }
    const need = requiredClientCapability(method, params as Record<string, any>);
    if (need && !this.hasClientCapability(need)) {
      return Promise.reject(new McpError(ErrorCode.MissingRequiredClientCapability, `The client did not declare the ${need} capability needed for ${method}`, { requiredCapabilities: capabilityObject(need) }));
    }
    // Tie the outgoing request to this one: if this request is cancelled, so is that.
    const signal = opts.signal ? AbortSignal.any([opts.signal, this.signal]) : this.signal;
    return this.outbound.request(method, params, { ...opts, signal });
  }
}
