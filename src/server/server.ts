/**
 * The low-level MCP server: a handler per method, `(ctx, params) => result`.
 * One instance serves any number of connections and both protocol eras; all
 * per-client state lives in a connection or session object, never here.
 */
import { ErrorCode, McpError } from "../protocol/errors.js";
import type { Params } from "../protocol/jsonrpc.js";
import { METHOD_CAPABILITY } from "../protocol/methods.js";
import type { CacheHints, Implementation, ServerCapabilities } from "../protocol/types.js";
import { Dispatcher } from "../dispatch/dispatcher.js";
import type { Peer, Transport } from "../dispatch/types.js";
import type { RequestContext } from "./context.js";
import { ServerConnection } from "./connection.js";
import { LifespanRunner } from "./lifespan.js";
import type { LegacySession } from "./legacy.js";
import type { Listener } from "./modern.js";
import type { Handler, NotificationHandler, ServerOptions } from "./types.js";
import { LocalBus, type ChangeEvent, type NotificationBus } from "../state/bus.js";

const LISTEN_KEY = { tools: "toolsListChanged", prompts: "promptsListChanged", resources: "resourcesListChanged" } as const;

export class Server<L = undefined> {
  readonly info: Implementation;
  instructions: string | undefined;
  readonly cacheDefaults: Required<CacheHints>;
  readonly maxListeners: number;
  /** Live legacy sessions and modern listen streams, for change notifications. */
  readonly sessions = new Set<LegacySession>();
  readonly listeners = new Set<Listener>();
  readonly connections = new Set<ServerConnection>();
  private readonly handlers = new Map<string, Handler<L>>();
  private readonly notificationHandlers = new Map<string, NotificationHandler<L>>();
  private readonly extraCapabilities: ServerCapabilities;
  private readonly listChanged: boolean;
  private readonly resourceSubscribe: boolean;
  private capabilities: ServerCapabilities | undefined;
  private readonly lifespan: LifespanRunner<L>;
  /** Where change notifications travel (default: this process only). */
  readonly bus: NotificationBus;
  /**
   * A tool's input schema by name, if known. The HTTP handler uses it to check
   * 2026-07-28 `Mcp-Param-*` headers (`x-mcp-header`); the high-level server sets it.
   */
  toolInputSchema: ((name: string) => Record<string, unknown> | undefined) | undefined;

  constructor(info: Implementation, opts: ServerOptions<L> = {}) {
    this.info = info;
    this.instructions = opts.instructions;
    this.extraCapabilities = opts.capabilities ?? {};
    this.listChanged = opts.listChanged ?? false;
    this.resourceSubscribe = opts.resourceSubscribe ?? false;
    this.cacheDefaults = { ttlMs: opts.cache?.ttlMs ?? 0, cacheScope: opts.cache?.cacheScope ?? "private" };
    this.maxListeners = opts.maxListeners ?? 1000;
    this.lifespan = new LifespanRunner(opts.lifespan);
    this.bus = opts.bus ?? new LocalBus();
    this.bus.subscribe((e) => this.deliverChange(e));
    for (const [m, h] of Object.entries(opts.handlers ?? {})) if (h) this.handlers.set(m, h as Handler<L>);
    for (const [m, h] of Object.entries(opts.notificationHandlers ?? {})) this.notificationHandlers.set(m, h);
  }

  setRequestHandler(method: string, handler: Handler<L>): this {
    this.handlers.set(method, handler);
    this.capabilities = undefined;
    return this;
  }
  removeRequestHandler(method: string): this {
    this.handlers.delete(method);
    this.capabilities = undefined;
    return this;
  }
  hasHandler(method: string): boolean {
    return this.handlers.has(method);
  }
  /** Whether a modern request for `method` would find something to run. */
  servesModern(method: string): boolean {
    return method === "server/discover" || method === "subscriptions/listen" || this.handlers.has(method);
  }
  setNotificationHandler(method: string, handler: NotificationHandler<L>): this {
    this.notificationHandlers.set(method, handler);
    return this;
  }

  /** Capabilities follow from the handlers registered, plus what the options add. */
  getCapabilities(): ServerCapabilities {
    if (this.capabilities) return this.capabilities;
    const h = this.handlers;
    const derived: ServerCapabilities = { logging: {} };
    const lc = this.listChanged ? { listChanged: true } : {};
    if (h.has("tools/list") || h.has("tools/call")) derived.tools = { ...lc };
    if (h.has("resources/list") || h.has("resources/read") || h.has("resources/templates/list")) {
      derived.resources = this.resourceSubscribe ? { subscribe: true, ...lc } : { ...lc };
    }
    if (h.has("prompts/list") || h.has("prompts/get")) derived.prompts = { ...lc };
    if (h.has("completion/complete")) derived.completions = {};
    const out: Record<string, any> = { ...derived };
    for (const [k, v] of Object.entries(this.extraCapabilities)) {
      out[k] = v && typeof v === "object" && out[k] ? { ...out[k], ...v } : v;
    }
    this.capabilities = out;
    return out;
  }

  /** -32601 for a method whose capability we do not advertise. */
  requireCapability(method: string): void {
    const cap = Object.hasOwn(METHOD_CAPABILITY, method) ? METHOD_CAPABILITY[method] : undefined;
    if (cap && (this.getCapabilities() as any)[cap] === undefined) {
      throw new McpError(ErrorCode.MethodNotFound, `Method not found: ${method} (the ${cap} capability is not advertised)`);
    }
  }

  /** Run the handler for `method`; both era engines come through here. */
  invoke(ctx: RequestContext<L>, method: string, params: Params | undefined): Promise<Params> | Params {
    this.requireCapability(method);
    const h = this.handlers.get(method);
    if (!h) throw new McpError(ErrorCode.MethodNotFound, `Method not found: ${method}`);
    return h(ctx, params ?? {});
  }

  notification(method: string, params: Params | undefined, info: { era: "legacy" | "modern"; sessionId?: string }): void {
    const h = this.notificationHandlers.get(method);
    if (h) h(params, { ...info, lifespan: this.lifespanValue });
  }

  get lifespanValue(): L {
    return this.lifespan.value as L;
  }

  /** Run the lifespan once, however many transports connect. */
  async start(): Promise<void> {
    await this.lifespan.start(this);
  }

  /** Serve one transport (stdio, in-memory) or a ready-made peer. */
  async connect(transport: Transport | Peer): Promise<ServerConnection> {
    await this.start();
    const peer = "bind" in transport ? transport : new Dispatcher(transport);
    const conn = new ServerConnection(this, peer);
    this.connections.add(conn);
    await peer.start();
    return conn;
  }

  // ---- change notifications, to both eras -------------------------------------------------

  sendToolListChanged(): Promise<void> {
    return this.publish({ kind: "tools" });
  }
  sendPromptListChanged(): Promise<void> {
    return this.publish({ kind: "prompts" });
  }
  sendResourceListChanged(): Promise<void> {
    return this.publish({ kind: "resources" });
  }
  /** Tell legacy subscribers (resources/subscribe) and modern listeners that `uri` changed. */
  sendResourceUpdated(uri: string): Promise<void> {
    return this.publish({ kind: "resource", uri });
  }

  /**
   * Hand a change to the bus. A shared bus can fail (its server unreachable): the
   * returned promise rejects for a caller who awaits it, and the failure is logged
   * for one who does not, so a lost notification is never silent.
   */
  private publish(e: ChangeEvent): Promise<void> {
    let r: void | Promise<void>;
    try {
      r = this.bus.publish(e);
    } catch (err) {
      r = Promise.reject(err);
    }
    if (!(r instanceof Promise)) return Promise.resolve();
    r.catch((err) => console.error(`[mcpkit] change notification ${e.kind === "resource" ? `resources/updated ${e.uri}` : `${e.kind}/list_changed`} was not published: ${err instanceof Error ? err.message : err}`));
    return r;
  }

  /** A change arrived from the bus (published here or, with a shared bus, on another node). */
  private deliverChange(e: ChangeEvent): void {
    if (e.kind === "resource") {
      const p = { uri: e.uri };
      for (const s of this.sessions) if (s.subscriptions.has(e.uri)) s.deliver("notifications/resources/updated", p);
      for (const l of this.listeners) if (l.filter.resourceSubscriptions?.includes(e.uri)) l.send("notifications/resources/updated", p);
      return;
    }
    if (!(this.getCapabilities() as any)[e.kind]?.listChanged) return;
    const method = `notifications/${e.kind}/list_changed`;
    const key = LISTEN_KEY[e.kind];
    for (const s of this.sessions) s.deliver(method);
    for (const l of this.listeners) if (l.filter[key]) l.send(method);
  }

  /** Close every connection and listen stream, then run the lifespan's cleanup. */
  async close(): Promise<void> {
    if (this.listeners.size > 0) {
      for (const l of [...this.listeners]) l.end();
      // Each ended stream answers its listen request; let those results reach the
      // transports (a few promise hops away) before the connections close.
      await new Promise<void>((r) => setTimeout(r, 0));
    }
    await Promise.all([...this.connections].map((c) => c.close()));
    await this.lifespan.stop();
  }
}
