/**
 * One legacy Streamable HTTP session as this process holds it: the era engine's
 * session, its streams and the requests in flight, and the endpoint for server →
 * client requests. With a shared session store several processes may hold the
 * same session; the hub (session-hub.ts) carries what one of them cannot do
 * alone to the others.
 */
import { ErrorCode } from "../../protocol/errors.js";
import { isResponse, makeNotification, type JsonRpcMessage, type JsonRpcResponse, type Params, type RequestId } from "../../protocol/jsonrpc.js";
import { Endpoint } from "../../dispatch/endpoint.js";
import type { RequestOptions } from "../../dispatch/types.js";
import type { HttpInfo } from "../../server/context.js";
import { LegacySession, type SessionOutbound } from "../../server/legacy.js";
import type { Server } from "../../server/server.js";
import type { SessionMessage } from "../../state/session-store.js";
import type { EventStore } from "./event-store.js";
import { Exchange, LogicalStream } from "./exchange.js";
import type { SseStream } from "./sse.js";
import type { HttpIn, HttpOut } from "./types.js";

/** What a session needs from the process-wide hub. */
export interface Hub {
  /** This handler's name among the processes sharing the session store. */
  readonly nodeId: string;
  /** Ids of our server → client requests start above this (distinct per node, so answers find their way back). */
  readonly idBase: number;
  /** Whether other processes may hold our sessions (a store was given). */
  readonly shared: boolean;
  /** Send to the other processes holding the session (rejects when that fails). */
  publish(s: HttpSession, m: DistributiveOmit<SessionMessage, "from">): Promise<void> | void;
}
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const ID_SPAN = 2 ** 32;

/** Server → client requests of one session: routed to a request's stream, else the GET stream (here or on its node). */
export class SessionEndpoint extends Endpoint {
  constructor(private readonly s: HttpSession) {
    super();
    this.nextId = s.hub.idBase + 1;
  }
  start(): Promise<void> {
    return Promise.resolve();
  }
  protected async closeTransport(): Promise<void> {}
  /** Whether `id` names a request this process sent. */
  owns(id: RequestId | null): boolean {
    const base = this.s.hub.idBase;
    return typeof id === "number" && id > base && id < base + ID_SPAN;
  }
  deliver(msg: JsonRpcMessage, route?: unknown): void {
    if (route instanceof Exchange && !route.done && route.push(msg)) return;
    if (this.s.sendOnStream(msg)) return;
    const holder = this.s.streamNode;
    if (this.s.hub.shared && holder !== undefined && holder !== this.s.hub.nodeId) {
      const sent = this.s.hub.publish(this.s, { t: "push", to: holder, msg });
      // A request that cannot reach the stream's node fails now (not at its timeout).
      if (sent && "id" in msg && "method" in msg) sent.catch((e) => this.onResponse(unreachable(msg.id, e)));
      return;
    }
    // No stream to carry it: a request fails now rather than waiting for a timeout.
    if ("id" in msg && "method" in msg) queueMicrotask(() => this.onResponse(noStream(msg.id)));
  }
  /** A change notification from the bus: every process gets it from the bus, so only the stream's holder sends it. */
  broadcast(method: string, params?: Params): void {
    this.s.sendOnStream(makeNotification(method, params));
  }
  /** The client answered one of our requests (possibly one another process sent: then it travels there). */
  answer(msg: JsonRpcResponse): Promise<void> | void {
    if (!this.s.hub.shared || this.owns(msg.id)) this.onResponse(msg);
    else return this.s.hub.publish(this.s, { t: "answer", msg });
  }
  shutdown(): void {
    this.onClosed();
  }
}

export const noStream = (id: RequestId): JsonRpcResponse => ({
  jsonrpc: "2.0",
  id,
  error: { code: ErrorCode.ConnectionClosed, message: "No open stream to send the request on (open the GET stream or use SSE responses)" },
});

const unreachable = (id: RequestId, e: unknown): JsonRpcResponse => ({
  jsonrpc: "2.0",
  id,
  error: { code: ErrorCode.ConnectionClosed, message: `The node holding the session's stream is unreachable: ${e instanceof Error ? e.message : String(e)}` },
});

export class HttpSession {
  readonly legacy: LegacySession;
  readonly endpoint: SessionEndpoint;
  standalone: LogicalStream | undefined;
  /** The node holding the GET stream (this one once a GET arrives here). */
  streamNode: string | undefined;
  readonly streams = new Map<string, LogicalStream>();
  readonly inflight = new Map<RequestId, Exchange>();
  /** Streams resumed here from the store's live feed (each entry ends one). */
  readonly mirrors = new Set<() => void>();
  lastSeen = Date.now();
  touchedAt = 0;
  /** Stops receiving the session's channel. */
  leave: (() => void) | undefined;
  constructor(
    server: Server<any>,
    readonly hub: Hub,
    readonly id: string,
  ) {
    this.endpoint = new SessionEndpoint(this);
    this.legacy = new LegacySession(server, { notify: (m, p) => this.endpoint.broadcast(m, p), request: (m, p, o) => this.endpoint.request(m, p, o) }, id);
    this.endpoint.bind({ request: () => ({}), cancelledOutgoing: (rid, reason) => this.endpoint.notify("notifications/cancelled", { requestId: rid, reason }) });
  }
  get busy(): boolean {
    return this.inflight.size > 0 || !!this.standalone?.sse || this.mirrors.size > 0;
  }
  /** Put a message on the GET stream if this process holds it open. */
  sendOnStream(msg: JsonRpcMessage): boolean {
    const g = this.standalone;
    if (!g || g.ended || !g.sse || (this.streamNode !== undefined && this.streamNode !== this.hub.nodeId)) return false;
    void g.send(msg);
    return true;
  }
}

/** An exchange in a session is also the way back to the client for requests its handler makes. */
export class SessionExchange extends Exchange implements SessionOutbound {
  constructor(
    private readonly session: HttpSession,
    ...rest: ConstructorParameters<typeof Exchange>
  ) {
    super(...rest);
  }
  request(method: string, params: Params | undefined, opts?: RequestOptions): Promise<Params> {
    return this.session.endpoint.request(method, params, { ...opts, route: this });
  }
}

/** The request's HTTP facts for handlers, read from the request only when asked. */
export class ExchangeHttpInfo implements HttpInfo {
  constructor(
    private readonly inp: HttpIn,
    private readonly ex: Exchange,
  ) {}
  get headers(): Headers {
    return this.inp.headers();
  }
  get url(): string {
    return this.inp.url;
  }
  get authInfo() {
    return this.inp.auth;
  }
  closeStream(): void {
    this.ex.closeStream();
  }
}

/**
 * Resume a request's stream from the store's live feed (it may be produced on
 * another node): replay, then each new event, up to the answer. Undefined when
 * the store does not know the stream.
 */
export async function followStream(s: HttpSession, follow: NonNullable<EventStore["follow"]>, last: string, sse: SseStream, headers: Record<string, string>): Promise<HttpOut | undefined> {
  let finished = false;
  let stop: (() => void) | undefined;
  const finish = () => {
    if (!finished) (finished = true), sse.end();
    const st = stop;
    stop = undefined;
    if (st) s.mirrors.delete(finish), st();
  };
  const f = await follow(last, (eid, m) => {
    if (finished) return;
    sse.send(m, eid);
    if (isResponse(m)) finish();
  });
  if (!f) return undefined;
  stop = f.stop;
  if (finished) finish();
  else {
    s.mirrors.add(finish);
    sse.onCancel(finish);
  }
  return { status: 200, headers, stream: sse };
}

export function newSessionId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}
