/**
 * The low-level MCP client: connects over any transport, finds the server's era
 * by itself (discover, else initialize), and then speaks that era: `_meta` on
 * every modern request, the input_required retry loop, legacy requests from the
 * server answered through the same handlers.
 */
import { ErrorCode, McpError } from "../protocol/errors.js";
import type { Params } from "../protocol/jsonrpc.js";
import { META, type LogLevel } from "../protocol/meta.js";
import type { ClientMethod, ClientRequestMap } from "../protocol/methods.js";
import { isLegacyRevision, LATEST_LEGACY_REVISION, LATEST_MODERN_REVISION, type Era, type Revision } from "../protocol/revisions.js";
import type { ClientCapabilities, Implementation, InputRequests, ServerCapabilities } from "../protocol/types.js";
import { checkParams } from "../protocol/validate.js";
import { Dispatcher } from "../dispatch/dispatcher.js";
import type { Incoming, Peer, Transport } from "../dispatch/types.js";
import type { CallOptions, ClientHandlerMap, ClientOptions } from "./types.js";

const MRTR_METHODS = new Set(["tools/call", "resources/read", "prompts/get"]);

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
  private nextToken = 1;

  constructor(
    readonly info: Implementation,
    private readonly opts: ClientOptions = {},
  ) {
    this.handlers = { ...opts.handlers };
    this.notificationHandlers = new Map(Object.entries(opts.notificationHandlers ?? {}));
    this.capabilities = opts.capabilities ?? deriveCapabilities(this.handlers);
  }

  setRequestHandler(method: string, handler: ClientHandlerMap[string]): void {
    this.handlers[method] = handler;
  }
  setNotificationHandler(method: string, handler: (p: Params | undefined) => void): void {
    this.notificationHandlers.set(method, handler);
  }

  async connect(transport: Transport | Peer): Promise<void> {
    const peer = "bind" in transport ? transport : new Dispatcher(transport);
    this.peer = peer;
    peer.bind({
      request: (inc) => this.onServerRequest(inc),
      notification: (m, p) => this.onNotification(m, p),
      cancelledOutgoing: (id, reason) => peer.notify("notifications/cancelled", { requestId: id, reason }),
    });
    await peer.start();
    const era = this.opts.era ?? "auto";
    if (era === "legacy" || (era === "auto" && !(await this.probe()))) await this.initialize();
    else if (era === "modern" && this.era !== "modern") await this.discover();
  }

  /** Try server/discover. True when the server speaks the modern era. */
  private async probe(): Promise<boolean> {
    try {
      await this.discover(this.opts.probeTimeoutMs ?? 5000);
      return this.era === "modern";
    } catch (e) {
      // A recognised modern error naming a modern revision still means "modern".
      const supported = e instanceof McpError && e.code === ErrorCode.UnsupportedProtocolVersion ? (e.data as any)?.supported : undefined;
      if (Array.isArray(supported) && supported.includes(LATEST_MODERN_REVISION)) {
        this.era = "modern";
        this.protocolVersion = LATEST_MODERN_REVISION;
        return true;
      }
      // Anything else — any error code, a timeout — means a legacy server.
      return false;
    }
  }

  /** server/discover: the modern era's identity and capability exchange. */
  async discover(timeoutMs?: number): Promise<Params> {
    const r = await this.peer!.request("server/discover", { _meta: this.modernMeta() }, { timeoutMs: timeoutMs ?? this.opts.requestTimeoutMs });
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
      { protocolVersion: asked, capabilities: this.capabilities, clientInfo: this.info },
      { timeoutMs: this.opts.requestTimeoutMs },
    );
    if (!isLegacyRevision(r.protocolVersion)) {
      await this.close();
      throw new McpError(ErrorCode.UnsupportedProtocolVersion, `Server answered initialize with unsupported revision ${String(r.protocolVersion)}`);
    }
    this.era = "legacy";
    this.protocolVersion = r.protocolVersion;
    this.serverCapabilities = (r.capabilities as ServerCapabilities) ?? {};
    this.serverInfo = r.serverInfo as Implementation;
    this.instructions = r.instructions as string | undefined;
    this.peer!.notify("notifications/initialized");
  }

  private modernMeta(extra?: unknown): Record<string, unknown> {
    return {
      ...(extra as object),
      [META.protocolVersion]: LATEST_MODERN_REVISION,
      [META.clientCapabilities]: this.capabilities,
      [META.clientInfo]: this.info,
    };
  }

  /**
   * Send a request in the server's era. In the modern era an `input_required`
   * answer is resolved through the handlers and retried, at most `maxInputRounds` times.
   */
  request<M extends ClientMethod>(method: M, params?: ClientRequestMap[M][0], opts?: CallOptions): Promise<ClientRequestMap[M][1]>;
  request(method: string, params?: Params, opts?: CallOptions): Promise<Params>;
  async request(method: string, params?: Params, opts: CallOptions = {}): Promise<Params> {
    if (!this.peer || this.era === undefined) throw new McpError(ErrorCode.ConnectionClosed, "Client is not connected");
    let p: Params = { ...params };
    const ro = { timeoutMs: this.opts.requestTimeoutMs, ...opts };
    if (opts.onProgress || opts.resetTimeoutOnProgress) {
      const token = opts.progressToken ?? this.nextToken++;
      ro.progressToken = token;
      p._meta = { ...(p._meta as object), [META.progressToken]: token };
    }
    if (this.era === "legacy") return this.peer.request(method, p, ro);
    p._meta = this.modernMeta(p._meta);
    const max = this.opts.maxInputRounds ?? 10;
    for (let round = 0; ; round++) {
      const r = await this.peer.request(method, p, ro);
      const kind = r.resultType ?? "complete";
      if (kind === "complete") return r;
      if (kind !== "input_required" || !MRTR_METHODS.has(method)) {
        throw new McpError(ErrorCode.InternalError, `Server sent an unrecognised resultType ${JSON.stringify(kind)} for ${method}`);
      }
      if (round + 1 >= max) throw new McpError(ErrorCode.InternalError, `${method}: still input_required after ${max} rounds`);
      const inputResponses = await this.answerInputs(r.inputRequests as InputRequests | undefined, opts.signal);
      // The retry keeps the original params, echoes requestState exactly, and gets a new id.
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
        const h = this.handler(req.method as string);
        if (!h) throw new McpError(ErrorCode.MethodNotFound, `No handler for input request ${req.method}`);
        out[key] = await h(req.params ?? {}, { signal: sig, requestId: key, era: "modern" });
      }),
    );
    return out;
  }

  /** Own handlers only: a method named "constructor" or "__proto__" is not a handler. */
  private handler(method: string): ClientHandlerMap[string] {
    return Object.hasOwn(this.handlers, method) ? this.handlers[method] : undefined;
  }

  /** Legacy: the server asks us something on the connection. */
  private async onServerRequest(inc: Incoming): Promise<Params> {
    if (inc.method === "ping") return {};
    const h = this.handler(inc.method);
    if (!h) throw new McpError(ErrorCode.MethodNotFound, `Method not found: ${inc.method}`);
    const problem = checkParams(inc.method, inc.params);
    if (problem) throw new McpError(ErrorCode.InvalidParams, `Invalid params for ${inc.method}: ${problem}`);
    return h(inc.params ?? {}, { signal: inc.signal, requestId: inc.id, era: "legacy" });
  }

  private onNotification(method: string, params: Params | undefined): void {
    if (method === "notifications/progress" && params) {
      this.peer?.progress(params.progressToken as string | number, params);
      return;
    }
    if (method === "notifications/cancelled" && params?.requestId !== undefined) {
      this.peer?.cancelIncoming(params.requestId as string | number, params.reason as string | undefined);
    }
    this.notificationHandlers.get(method)?.(params);
  }

  notify(method: string, params?: Params): void {
    this.peer?.notify(method, params);
  }

  // ---- conveniences ------------------------------------------------------------------------
  ping(): Promise<Params> {
    return this.request("ping");
  }
  listTools(cursor?: string) {
    return this.request("tools/list", cursor ? { cursor } : {});
  }
  callTool(name: string, args: Record<string, unknown> = {}, opts?: CallOptions) {
    return this.request("tools/call", { name, arguments: args }, opts);
  }
  listResources(cursor?: string) {
    return this.request("resources/list", cursor ? { cursor } : {});
  }
  listResourceTemplates(cursor?: string) {
    return this.request("resources/templates/list", cursor ? { cursor } : {});
  }
  readResource(uri: string, opts?: CallOptions) {
    return this.request("resources/read", { uri }, opts);
  }
  listPrompts(cursor?: string) {
    return this.request("prompts/list", cursor ? { cursor } : {});
  }
  getPrompt(name: string, args?: Record<string, string>, opts?: CallOptions) {
    return this.request("prompts/get", args ? { name, arguments: args } : { name }, opts);
  }
  complete(params: ClientRequestMap["completion/complete"][0]) {
    return this.request("completion/complete", params);
  }
  setLoggingLevel(level: LogLevel) {
    return this.request("logging/setLevel", { level });
  }
  /** Legacy: tell the server our roots changed. */
  sendRootsListChanged(): void {
    if (this.era === "legacy") this.notify("notifications/roots/list_changed");
  }

  async close(): Promise<void> {
    await this.peer?.close();
  }
}

/** Declare the capabilities our handlers can serve. */
function deriveCapabilities(h: ClientHandlerMap): ClientCapabilities {
  const caps: ClientCapabilities = {};
  if (h["sampling/createMessage"]) caps.sampling = {};
  if (h["elicitation/create"]) caps.elicitation = { form: {} };
  if (h["roots/list"]) caps.roots = {};
  return caps;
}
