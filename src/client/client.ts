/**
 * The MCP client: connects over any transport, finds the server's era by itself
 * (server/discover, else initialize), then speaks that era — `_meta` on every
 * modern request, the input_required loop, legacy server requests answered by
 * the same handlers — and recovers by itself where it can (expired sessions,
 * dead stdio servers given a transport factory, broken listen streams).
 */
import { ConnectionClosedError, ErrorCode, McpError, RequestTimeoutError } from "../protocol/errors.js";
import type { Params } from "../protocol/jsonrpc.js";
import { isLogLevel, META, type LogLevel } from "../protocol/meta.js";
import type { ClientMethod, ClientRequestMap } from "../protocol/methods.js";
import { isLegacyRevision, LATEST_LEGACY_REVISION, LATEST_MODERN_REVISION, type Era, type Revision } from "../protocol/revisions.js";
import type {
  CallToolResult,
  ClientCapabilities,
  GetPromptResult,
  Implementation,
  InputRequests,
  ListenFilter,
  ReadResourceResult,
  ServerCapabilities,
  Tool,
} from "../protocol/types.js";
import { checkParams } from "../protocol/validate.js";
import { headerParams } from "../protocol/x-mcp-header.js";
import { Dispatcher } from "../dispatch/dispatcher.js";
import type { Incoming, Peer, Transport } from "../dispatch/types.js";
import { ListCache } from "./cache.js";
import { Emitter, LIST_EVENTS, type ClientEvents } from "./events.js";
import { allPages, collect, deriveCapabilities, legacyCapabilities, offersModern } from "./helpers.js";
import { applyElicitDefaults, checkStructuredContent } from "./schemas.js";
import { Subscriptions, type SubscriptionFilter } from "./subscriptions.js";
import type { CallOptions, ClientHandlerMap, ClientOptions } from "./types.js";

const MRTR_METHODS = new Set(["tools/call", "resources/read", "prompts/get"]);
const LISTS = new Set(["tools/list", "prompts/list", "resources/list", "resources/templates/list"]);
type TransportSource = Transport | Peer | (() => Transport | Peer | Promise<Transport | Peer>);

export class Client {
  era: Era | undefined;
  protocolVersion: Revision | undefined;
  serverCapabilities: ServerCapabilities = {};
  serverInfo: Implementation | undefined;
  instructions: string | undefined;
  peer: Peer | undefined;
  readonly capabilities: ClientCapabilities;
  private readonly handlers: ClientHandlerMap;
  private readonly notificationHandlers: Map<string, (p: Params | undefined) => void>;
  private readonly events = new Emitter();
  private readonly cache = new ListCache();
  private readonly subs: Subscriptions;
  private readonly outputSchemas = new Map<string, Record<string, unknown> | undefined>();
  private nextToken = 1;
  private factory: (() => Transport | Peer | Promise<Transport | Peer>) | undefined;
  private reconnecting: Promise<void> | undefined;
  private closedByUser = false;
  private logLevel: LogLevel | undefined;

  constructor(
    readonly info: Implementation,
    private readonly opts: ClientOptions = {},
  ) {
    this.handlers = { ...opts.handlers };
    this.notificationHandlers = new Map(Object.entries(opts.notificationHandlers ?? {}));
    this.capabilities = opts.capabilities ?? deriveCapabilities(this.handlers);
    this.logLevel = opts.logLevel;
    const client = this;
    this.subs = new Subscriptions({
      get era() {
        return client.era;
      },
      rawRequest: (m, p, o) => client.request(m, p, o),
      get isClosed() {
        return client.closedByUser;
      },
    });
  }

  on<E extends keyof ClientEvents>(event: E, fn: ClientEvents[E]): () => void {
    return this.events.on(event, fn);
  }
  setRequestHandler(method: string, handler: ClientHandlerMap[string]): void {
    this.handlers[method] = handler;
  }
  setNotificationHandler(method: string, handler: (p: Params | undefined) => void): void {
    this.notificationHandlers.set(method, handler);
  }

  /**
   * Connect. Given a function instead of a transport, the client calls it again to
   * reconnect when the connection dies (e.g. restart a stdio server).
   */
  async connect(source: TransportSource): Promise<void> {
    this.closedByUser = false;
    if (typeof source === "function") this.factory = source;
    const t = typeof source === "function" ? await source() : source;
    const peer = "bind" in t ? t : new Dispatcher(t);
    this.peer = peer;
    peer.bind({
      request: (inc) => this.onServerRequest(inc),
      notification: (m, p) => this.onNotification(m, p),
      cancelledOutgoing: (id, reason) => peer.notify("notifications/cancelled", { requestId: id, reason }),
      closed: (reason) => {
        if (this.peer === peer) this.events.emit("closed", { reason, reconnecting: !!this.factory && !this.closedByUser });
      },
    });
    await peer.start();
    const era = this.opts.era ?? "auto";
    if (era === "legacy" || (era === "auto" && !(await this.probe("bind" in t ? {} : t)))) await this.initialize();
    else if (era === "modern" && this.era !== "modern") await this.discover();
  }

  /** Try server/discover. True when the server speaks the modern era. */
  private async probe(transport: { busy?(): Promise<unknown> | undefined }, waits = 0): Promise<boolean> {
    try {
      await this.discover(this.opts.probeTimeoutMs ?? 5000);
      return this.era === "modern";
    } catch (e) {
      // A recognised modern error naming a modern revision still means "modern".
      if (offersModern(e)) {
        this.era = "modern";
        this.protocolVersion = LATEST_MODERN_REVISION;
        return true;
      }
      // Refused or failed authorization says nothing about the era (initialize would meet the same): report it.
      const status = e instanceof McpError ? (e.data as { httpStatus?: number } | undefined)?.httpStatus : undefined;
      if (status === 401 || status === 403) throw e;
      // Timed out while the transport was still authorizing (a person at a login page): wait, then ask again.
      const busy = transport.busy?.();
      if (busy && waits < 3 && e instanceof RequestTimeoutError) {
        await busy;
        return this.probe(transport, waits + 1);
      }
      // Anything else — any error code, a timeout — means a legacy server.
      return false;
    }
  }

  /** server/discover: the modern era's identity and capability exchange. */
  async discover(timeoutMs?: number): Promise<Params> {
    const ask = () => this.peer!.request("server/discover", { _meta: this.modernMeta() }, { timeoutMs: timeoutMs ?? this.opts.requestTimeoutMs });
    // A -32022 that lists our revision as supported: the server refused this attempt, not the version; ask once more.
    const r = await ask().catch((e) => (offersModern(e) ? ask() : Promise.reject(e)));
    const versions = Array.isArray(r.supportedVersions) ? r.supportedVersions : [];
    if (!versions.includes(LATEST_MODERN_REVISION)) {
      throw new McpError(ErrorCode.UnsupportedProtocolVersion, `Server supports none of our modern revisions (${versions.join(", ")})`);
    }
    this.era = "modern";
    this.protocolVersion = LATEST_MODERN_REVISION;
    this.serverCapabilities = (r.capabilities as ServerCapabilities) ?? {};
    this.serverInfo = (r._meta as any)?.[META.serverInfo];
    this.instructions = r.instructions as string | undefined;
    return r;
  }

  private async initialize(): Promise<void> {
    const asked = this.opts.protocolVersion ?? LATEST_LEGACY_REVISION;
    const r = await this.peer!.request(
      "initialize",
      { protocolVersion: asked, capabilities: legacyCapabilities(this.capabilities), clientInfo: this.info },
      { timeoutMs: this.opts.requestTimeoutMs },
    );
    if (!isLegacyRevision(r.protocolVersion)) {
      await this.peer!.close();
      throw new McpError(ErrorCode.UnsupportedProtocolVersion, `Server answered initialize with unsupported revision ${String(r.protocolVersion)}`);
    }
    this.era = "legacy";
    this.protocolVersion = r.protocolVersion;
    this.serverCapabilities = (r.capabilities as ServerCapabilities) ?? {};
    this.serverInfo = r.serverInfo as Implementation;
    this.instructions = r.instructions as string | undefined;
    this.peer!.notify("notifications/initialized");
    if (this.logLevel && this.serverCapabilities.logging) await this.peer!.request("logging/setLevel", { level: this.logLevel }).catch(() => {});
  }

  private modernMeta(extra?: unknown): Record<string, unknown> {
    const meta: Record<string, unknown> = {
      ...(extra as object),
      [META.protocolVersion]: LATEST_MODERN_REVISION,
      [META.clientCapabilities]: this.capabilities,
      [META.clientInfo]: this.info,
    };
    if (this.logLevel && this.serverCapabilities.logging) meta[META.logLevel] = this.logLevel;
    return meta;
  }

  /**
   * Send a request in the server's era. Modern `input_required` answers are
   * resolved through the handlers and retried (new id, same params, exact
   * requestState), at most `maxInputRounds` times. An expired legacy session is
   * re-initialized and the request sent once more.
   */
  request<M extends ClientMethod>(method: M, params?: ClientRequestMap[M][0], opts?: CallOptions): Promise<ClientRequestMap[M][1]>;
  request(method: string, params?: Params, opts?: CallOptions): Promise<Params>;
  async request(method: string, params?: Params, opts: CallOptions = {}): Promise<Params> {
    await this.ensureConnected();
    try {
      return await this.send(method, params, opts);
    } catch (e) {
      if (e instanceof McpError && (e.data as any)?.sessionExpired && this.era === "legacy" && !this.closedByUser) {
        await this.reinitialize();
        return this.send(method, params, opts);
      }
      throw e;
    }
  }

  private async send(method: string, params: Params | undefined, opts: CallOptions): Promise<Params> {
    const peer = this.peer;
    if (!peer || this.era === undefined) throw new ConnectionClosedError("Client is not connected");
    let p: Params = { ...params };
    const ro = { timeoutMs: this.opts.requestTimeoutMs, ...opts };
    if (opts.onProgress || opts.resetTimeoutOnProgress) {
      const token = opts.progressToken ?? this.nextToken++;
      ro.progressToken = token;
      p._meta = { ...(p._meta as object), [META.progressToken]: token };
    }
    if (this.era === "legacy") return peer.request(method, p, ro);
    p._meta = this.modernMeta(p._meta);
    const max = this.opts.maxInputRounds ?? 10;
    for (let round = 0; ; round++) {
      const r = await peer.request(method, p, ro);
      const kind = r.resultType ?? "complete";
      if (kind === "complete") return r;
      if (kind !== "input_required" || !MRTR_METHODS.has(method)) {
        throw new McpError(ErrorCode.InternalError, `Server sent an unrecognised resultType ${JSON.stringify(kind)} for ${method}`);
      }
      if (round + 1 >= max) throw new McpError(ErrorCode.InternalError, `${method}: still input_required after ${max} rounds`);
      const inputResponses = await this.answerInputs(r.inputRequests as InputRequests | undefined, opts.signal);
      p = { ...p, inputResponses };
      if (r.requestState !== undefined) p.requestState = r.requestState;
      else delete p.requestState;
    }
  }

  private async answerInputs(reqs: InputRequests | undefined, signal?: AbortSignal): Promise<Record<string, Params>> {
    const out: Record<string, Params> = {};
    const sig = signal ?? new AbortController().signal;
    await Promise.all(
      Object.entries(reqs ?? {}).map(async ([key, req]) => {
        out[key] = await this.answer(req.method, req.params ?? {}, { signal: sig, requestId: key, era: "modern" });
      }),
    );
    return out;
  }

  /** One server → client request (legacy request or modern input request), through the host's handler. */
  private async answer(method: string, params: Params, ctx: Parameters<NonNullable<ClientHandlerMap[string]>>[1]): Promise<Params> {
    // Own handlers only: a request for "constructor" or "__proto__" is not one we can answer.
    const h = Object.hasOwn(this.handlers, method) ? this.handlers[method] : undefined;
    if (!h) throw new McpError(ErrorCode.MethodNotFound, `No handler for ${method}`);
    const problem = checkParams(method, params);
    if (problem) throw new McpError(ErrorCode.InvalidParams, `Invalid params for ${method}: ${problem}`);
    const r = await h(params, ctx);
    return method === "elicitation/create" && params.mode !== "url" ? applyElicitDefaults(params.requestedSchema as any, r) : r;
  }

  private onServerRequest(inc: Incoming): Promise<Params> | Params {
    if (inc.method === "ping") return {};
    return this.answer(inc.method, inc.params ?? {}, { signal: inc.signal, requestId: inc.id, era: "legacy" });
  }

  private onNotification(method: string, params: Params | undefined): void {
    switch (method) {
      case "notifications/progress":
        if (params) this.peer?.progress(params.progressToken as string | number, params);
        break;
      case "notifications/cancelled":
        if (params?.requestId !== undefined) this.peer?.cancelIncoming(params.requestId as string | number, params.reason as string | undefined);
        break;
      case "notifications/message":
        if (params && isLogLevel(params.level)) this.events.emit("log", params as any);
        break;
      case "notifications/resources/updated":
        if (typeof params?.uri === "string") this.events.emit("resourceUpdated", params.uri);
        break;
      case "notifications/subscriptions/acknowledged":
        this.subs.onAcknowledged(params);
        break;
      default:
        if (LIST_EVENTS[method]) {
          this.cache.invalidate(method);
          this.events.emit(LIST_EVENTS[method]);
        }
    }
    this.notificationHandlers.get(method)?.(params);
    this.events.emit("notification", method, params);
  }

  notify(method: string, params?: Params): void {
    this.peer?.notify(method, params);
  }

  // ---- recovery ------------------------------------------------------------------------------

  private async ensureConnected(): Promise<void> {
    if (this.peer && !this.peer.closed) return;
    if (this.closedByUser || !this.factory) throw new ConnectionClosedError("Client is not connected");
    this.reconnecting ??= (async () => {
      this.era = undefined;
      this.cache.clear();
      await this.connect(this.factory!);
      await this.subs.restore();
    })().finally(() => (this.reconnecting = undefined));
    await this.reconnecting;
  }

  private async reinitialize(): Promise<void> {
    this.reconnecting ??= (async () => {
      this.cache.clear();
      await this.initialize();
      await this.subs.restore();
    })().finally(() => (this.reconnecting = undefined));
    await this.reconnecting;
  }

  // ---- the API -----------------------------------------------------------------------------

  ping(): Promise<Params> {
    return this.request("ping");
  }

  /** One page of a list, served from the cache while the server's ttlMs allows. */
  private async list(method: string, cursor?: string): Promise<Params> {
    const hit = this.opts.cache === false ? undefined : this.cache.get(method, cursor);
    if (hit) return hit;
    let r = await this.request(method, cursor ? { cursor } : {});
    // 2026-07-28: a tool whose x-mcp-header annotations are invalid must not be offered or called.
    if (method === "tools/list" && this.era === "modern" && Array.isArray(r.tools)) {
      const tools = (r.tools as Tool[]).filter((t) => headerParams(t.inputSchema) !== undefined);
      if (tools.length !== r.tools.length) r = { ...r, tools };
    }
    if (this.opts.cache !== false && LISTS.has(method)) this.cache.put(method, cursor, r);
    if (method === "tools/list") for (const t of (r.tools as Tool[]) ?? []) this.outputSchemas.set(t.name, t.outputSchema);
    return r;
  }
  private all<T>(method: string, key: string): AsyncGenerator<T> {
    return allPages<T>((c) => this.list(method, c), method, key);
  }

  listTools(cursor?: string) {
    return this.list("tools/list", cursor) as Promise<ClientRequestMap["tools/list"][1]>;
  }
  listResources(cursor?: string) {
    return this.list("resources/list", cursor) as Promise<ClientRequestMap["resources/list"][1]>;
  }
  listResourceTemplates(cursor?: string) {
    return this.list("resources/templates/list", cursor) as Promise<ClientRequestMap["resources/templates/list"][1]>;
  }
  listPrompts(cursor?: string) {
    return this.list("prompts/list", cursor) as Promise<ClientRequestMap["prompts/list"][1]>;
  }
  /** All tools across pages; `iterateTools()` streams them instead. */
  listAllTools(): Promise<Tool[]> {
    return collect(this.iterateTools());
  }
  iterateTools() {
    return this.all<Tool>("tools/list", "tools");
  }
  listAllResources() {
    return collect(this.all<any>("resources/list", "resources"));
  }
  listAllResourceTemplates() {
    return collect(this.all<any>("resources/templates/list", "resourceTemplates"));
  }
  listAllPrompts() {
    return collect(this.all<any>("prompts/list", "prompts"));
  }

  /** Call a tool; `structuredContent` is checked against the tool's output schema when we know it. */
  async callTool(name: string, args: Record<string, unknown> = {}, opts?: CallOptions): Promise<CallToolResult> {
    // input_required rounds are resolved inside request(): what comes back is complete.
    const r = (await this.request("tools/call", { name, arguments: args }, opts)) as CallToolResult;
    if (this.opts.validateOutput !== false) await checkStructuredContent(name, this.outputSchemas.get(name), r as Params);
    return r;
  }
  readResource(uri: string, opts?: CallOptions): Promise<ReadResourceResult> {
    return this.request("resources/read", { uri }, opts) as Promise<ReadResourceResult>;
  }
  getPrompt(name: string, args?: Record<string, string>, opts?: CallOptions): Promise<GetPromptResult> {
    return this.request("prompts/get", args ? { name, arguments: args } : { name }, opts) as Promise<GetPromptResult>;
  }
  complete(params: ClientRequestMap["completion/complete"][0]) {
    return this.request("completion/complete", params);
  }
  /** Legacy: logging/setLevel. Modern: the level rides on every later request's `_meta`. */
  async setLoggingLevel(level: LogLevel): Promise<void> {
    this.logLevel = level;
    if (this.era === "legacy") await this.request("logging/setLevel", { level });
  }
  /** Legacy: tell the server our roots changed (2026-07-28 has no such notification). */
  sendRootsListChanged(): void {
    if (this.era === "legacy") this.notify("notifications/roots/list_changed");
  }

  /** Subscribe to list changes and resource updates, in whichever era; replaces the previous filter. */
  subscribe(filter: SubscriptionFilter): Promise<ListenFilter> {
    return this.subs.set(filter);
  }

  async close(): Promise<void> {
    this.closedByUser = true;
    this.subs.stop();
    await this.peer?.close();
  }
}
