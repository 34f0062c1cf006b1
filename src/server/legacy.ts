/**
 * The legacy era (2024-11-05 … 2025-11-25): one session per connection (or per
 * Mcp-Session-Id), opened by `initialize`, with state that later requests rely on.
 */
import { ErrorCode, McpError, ResourceNotFoundError } from "../protocol/errors.js";
import type { Params } from "../protocol/jsonrpc.js";
import { isLogLevel, type LogLevel } from "../protocol/meta.js";
import { encodeLegacyResult } from "../protocol/codec.js";
import { negotiateLegacy, type Revision } from "../protocol/revisions.js";
import type { ClientCapabilities, Implementation } from "../protocol/types.js";
import { checkParams } from "../protocol/validate.js";
import { attempt, then, type MaybePromise } from "../protocol/maybe.js";
import type { Incoming, RequestOptions } from "../dispatch/types.js";
import type { SessionPatch, SessionRecord } from "../state/session-store.js";
import { RequestContext, type HttpInfo } from "./context.js";
import type { Server } from "./server.js";

/** Where a session's messages that belong to no request go (stdio: the pipe; HTTP: the GET stream). */
export interface SessionOutbound {
  notify(method: string, params?: Params): void;
  request(method: string, params: Params | undefined, opts?: RequestOptions): Promise<Params>;
}

export class LegacySession {
  /** "new" until initialize succeeds; "ready" once the client sent notifications/initialized. */
  state: "new" | "initialized" | "ready" = "new";
  protocolVersion: Revision = "2025-03-26";
  clientCapabilities: ClientCapabilities = {};
  clientInfo: Implementation | undefined;
  logLevel: LogLevel | undefined;
  readonly subscriptions = new Set<string>();
  closed = false;

  constructor(
    private readonly server: Server<any>,
    readonly outbound: SessionOutbound,
    readonly id?: string,
  ) {}

  /** `outbound` overrides the session's for this request (HTTP: answers go on the request's own stream). */
  handle(inc: Incoming, http?: HttpInfo, outbound?: SessionOutbound): MaybePromise<Params> {
    const { method, params } = inc;
    if (method === "initialize") return this.initialize(params);
    if (method === "ping") return {};
    if (this.state === "new") {
      throw new McpError(ErrorCode.InvalidRequest, `Received ${method} before initialize: only ping is allowed until the session is initialized`);
    }
    const problem = checkParams(method, params);
    if (problem) throw new McpError(ErrorCode.InvalidParams, `Invalid params for ${method}: ${problem}`);
    switch (method) {
      case "logging/setLevel":
        this.server.requireCapability(method);
        this.logLevel = params!.level as LogLevel;
        return {};
      case "resources/subscribe":
      case "resources/unsubscribe":
        return this.subscription(inc, http);
    }
    return this.run(inc, http, outbound);
  }

  private initialize(params: Params | undefined): Params {
    if (this.state !== "new") throw new McpError(ErrorCode.InvalidRequest, "Session is already initialized");
    const problem = checkParams("initialize", params);
    if (problem) throw new McpError(ErrorCode.InvalidParams, `Invalid params for initialize: ${problem}`);
    const p = params as { protocolVersion: string; capabilities: ClientCapabilities; clientInfo: Implementation };
    this.protocolVersion = negotiateLegacy(p.protocolVersion);
    this.clientCapabilities = p.capabilities;
    this.clientInfo = p.clientInfo;
    this.state = "initialized";
    this.server.sessions.add(this);
    const result: Params = {
      protocolVersion: this.protocolVersion,
      capabilities: this.server.getCapabilities(),
      serverInfo: this.server.info,
    };
    if (this.server.instructions !== undefined) result.instructions = this.server.instructions;
    return result;
  }

  /**
   * Stateless legacy HTTP: no handshake on this request, so act as an initialized
   * session at the revision the client's header names. Not registered for broadcasts.
   */
  assume(protocolVersion: Revision): this {
    this.protocolVersion = protocolVersion;
    this.state = "ready";
    return this;
  }

  /** What a session store keeps of this session, so another process can rebuild it. */
  snapshot(): SessionRecord {
    const r: SessionRecord = {
      state: this.state,
      protocolVersion: this.protocolVersion,
      clientCapabilities: this.clientCapabilities as Record<string, unknown>,
      subscriptions: [...this.subscriptions],
    };
    if (this.clientInfo !== undefined) r.clientInfo = this.clientInfo as unknown as Record<string, unknown>;
    if (this.logLevel !== undefined) r.logLevel = this.logLevel;
    return r;
  }

  /** Rebuild from a stored record, or apply a change another process made; an initialized session joins the broadcasts. */
  restore(p: Partial<SessionRecord> & SessionPatch): this {
    if (p.state !== undefined) this.state = p.state;
    if (p.protocolVersion !== undefined) this.protocolVersion = p.protocolVersion as Revision;
    if (p.clientCapabilities !== undefined) this.clientCapabilities = p.clientCapabilities as ClientCapabilities;
    if (p.clientInfo !== undefined) this.clientInfo = p.clientInfo as unknown as Implementation;
    if (isLogLevel(p.logLevel)) this.logLevel = p.logLevel;
    if (p.subscriptions) for (const u of p.subscriptions) this.subscriptions.add(u);
    if (p.subscribe !== undefined) this.subscriptions.add(p.subscribe);
    if (p.unsubscribe !== undefined) this.subscriptions.delete(p.unsubscribe);
    if (this.state !== "new" && !this.closed) this.server.sessions.add(this);
    return this;
  }

  onNotification(method: string): void {
    if (method === "notifications/initialized" && this.state === "initialized") this.state = "ready";
  }

  private async subscription(inc: Incoming, http?: HttpInfo): Promise<Params> {
    this.server.requireCapability(inc.method);
    if (!this.server.getCapabilities().resources?.subscribe) {
      throw new McpError(ErrorCode.MethodNotFound, `Method not found: ${inc.method} (resources.subscribe is not advertised)`);
    }
    const uri = inc.params!.uri as string;
    // A user handler may veto (e.g. unknown URI) by throwing.
    if (this.server.hasHandler(inc.method)) await this.run(inc, http);
    if (inc.method === "resources/subscribe") this.subscriptions.add(uri);
    else this.subscriptions.delete(uri);
    return {};
  }

  private run(inc: Incoming, http?: HttpInfo, outbound?: SessionOutbound): MaybePromise<Params> {
    const ctx = new RequestContext({
      inc,
      era: "legacy",
      protocolVersion: this.protocolVersion,
      clientCapabilities: this.clientCapabilities,
      clientInfo: this.clientInfo,
      logLevel: this.logLevel,
      lifespan: this.server.lifespanValue,
      outbound: outbound ?? this.outbound,
      sessionId: this.id,
      http,
    });
    const fail = (e: unknown): never => {
      throw this.legacyError(e);
    };
    return then(
      attempt(() => this.server.invoke(ctx, inc.method, inc.params), fail),
      (result) => {
        if (result.resultType === "input_required") {
          throw new McpError(ErrorCode.InternalError, `${inc.method}: the handler returned input_required, which ${this.protocolVersion} cannot carry`);
        }
        return encodeLegacyResult(inc.method, result, this.protocolVersion);
      },
    );
  }

  /** Old revisions number "resource not found" -32002. */
  private legacyError(e: unknown): unknown {
    if (e instanceof ResourceNotFoundError) return new McpError(ErrorCode.LegacyResourceNotFound, e.message, e.data);
    return e;
  }

  /** Server-wide change notifications reach a session only once it is initialized. */
  deliver(method: string, params?: Params): void {
    if (this.state === "new" || this.closed) return;
    this.outbound.notify(method, params);
  }

  setLogLevel(level: unknown): void {
    if (isLogLevel(level)) this.logLevel = level;
  }

  close(): void {
    this.closed = true;
    this.server.sessions.delete(this);
  }
}
