import type { Params } from "../protocol/jsonrpc.js";
import type { ClientMethod, ClientRequestMap } from "../protocol/methods.js";
import type { CacheHints, Implementation, ServerCapabilities } from "../protocol/types.js";
import type { RequestContext } from "./context.js";

export type Handler<L = any, P = any, R = any> = (ctx: RequestContext<L>, params: P) => R | Promise<R>;
export type NotificationHandler<L = any> = (params: Params | undefined, info: { era: "legacy" | "modern"; sessionId?: string; lifespan: L }) => void;

/** Handlers keyed by method; known methods get typed params and results. */
export type HandlerMap<L> = { [M in ClientMethod]?: Handler<L, ClientRequestMap[M][0], ClientRequestMap[M][1] | Params> } & {
  [method: string]: Handler<L> | undefined;
};

/**
 * Runs once when the server starts. Return the value handlers see as `ctx.lifespan`;
 * an async generator may `yield` it and clean up after the yield (like Python's
 * asynccontextmanager), which runs when the server closes.
 */
export type Lifespan<L> = (server: unknown) => AsyncGenerator<L, void, unknown> | Promise<L> | L;

export interface ServerOptions<L = undefined> {
  /** Advertise `listChanged` on the tools/resources/prompts capabilities derived from handlers. */
  listChanged?: boolean;
  /** Advertise `resources.subscribe` (legacy resources/subscribe, modern resource subscriptions). */
  resourceSubscribe?: boolean;
  /** Extra capabilities merged over those derived from the handlers. */
  capabilities?: ServerCapabilities;
  instructions?: string;
  handlers?: HandlerMap<L>;
  notificationHandlers?: Record<string, NotificationHandler<L>>;
  lifespan?: Lifespan<L>;
  /** Default cache hints for cacheable results in 2026-07-28 (default: 0 ms, private). */
  cache?: CacheHints;
  /** Carries change notifications; share one (e.g. Redis) across processes to notify a whole fleet. */
  bus?: import("../state/bus.js").NotificationBus;
  /** Upper bound on open `subscriptions/listen` streams per server (default 1,000). */
  maxListeners?: number;
}

export type ServerInfo = Implementation;
