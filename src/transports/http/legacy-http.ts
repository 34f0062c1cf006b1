/**
 * Streamable HTTP for the legacy era (2025-03-26 … 2025-11-25): sessions named
 * by Mcp-Session-Id, the GET stream for server-initiated messages, answers to
 * our requests arriving as POSTed responses, resumable streams, DELETE, and a
 * stateless mode. Sessions are capped and expire when idle.
 */
import { ErrorCode, McpError } from "../../protocol/errors.js";
import type { Classified, JsonRpcMessage, JsonRpcResponse, Params, RequestId } from "../../protocol/jsonrpc.js";
import { isLegacyRevision, DEFAULT_LEGACY_HTTP_REVISION, type Revision } from "../../protocol/revisions.js";
import { Endpoint } from "../../dispatch/endpoint.js";
import type { RequestOptions } from "../../dispatch/types.js";
import type { HttpInfo } from "../../server/context.js";
import { LegacySession, type SessionOutbound } from "../../server/legacy.js";
import type { Server } from "../../server/server.js";
import { InMemoryEventStore, type EventStore } from "./event-store.js";
import { emptyOut, errorOut, Exchange, LogicalStream } from "./exchange.js";
import { DEFAULTS, type HttpHandlerOptions } from "./options.js";
import { SseStream } from "./sse.js";
import { SSE_HEADERS, type HttpIn, type HttpOut } from "./types.js";

/** Server → client requests of one session: routed to a request's stream, else the GET stream. */
class SessionEndpoint extends Endpoint {
  constructor(private readonly s: HttpSession) {
    super();
  }
  start(): Promise<void> {
    return Promise.resolve();
  }
  protected async closeTransport(): Promise<void> {}
  deliver(msg: JsonRpcMessage, route?: unknown): void {
    if (route instanceof Exchange && !route.done && route.push(msg)) return;
    const g = this.s.standalone;
    if (g && !g.ended && g.sse) {
      void g.send(msg);
      return;
    }
    // No stream to carry it: a request fails now rather than waiting for a timeout.
    if ("id" in msg && "method" in msg) {
      queueMicrotask(() => this.answer({ jsonrpc: "2.0", id: msg.id, error: { code: ErrorCode.ConnectionClosed, message: "No open stream to send the request on (open the GET stream or use SSE responses)" } }));
    }
  }
  answer(msg: JsonRpcResponse): void {
    this.onResponse(msg);
  }
  shutdown(): void {
    this.onClosed();
  }
}

class HttpSession {
  readonly legacy: LegacySession;
  readonly endpoint: SessionEndpoint;
  standalone: LogicalStream | undefined;
  readonly streams = new Map<string, LogicalStream>();
  readonly inflight = new Map<RequestId, Exchange>();
  lastSeen = Date.now();
  constructor(server: Server<any>, readonly id: string) {
    this.endpoint = new SessionEndpoint(this);
    this.legacy = new LegacySession(server, { notify: (m, p) => this.endpoint.notify(m, p), request: (m, p, o) => this.endpoint.request(m, p, o) }, id);
    this.endpoint.bind({ request: () => ({}), cancelledOutgoing: (rid, reason) => this.endpoint.notify("notifications/cancelled", { requestId: rid, reason }) });
  }
  get busy(): boolean {
    return this.inflight.size > 0 || !!this.standalone?.sse;
  }
}

/** An exchange in a session is also the way back to the client for requests its handler makes. */
class SessionExchange extends Exchange implements SessionOutbound {
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
class ExchangeHttpInfo implements HttpInfo {
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

function newSessionId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

export class LegacyHttp {
  readonly sessions = new Map<string, HttpSession>();
  private readonly store: EventStore | undefined;
  private readonly o: Required<Omit<NonNullable<HttpHandlerOptions["legacy"]>, "eventStore">>;
  private sweeper: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly server: Server<any>,
    opts: HttpHandlerOptions,
  ) {
    const l = opts.legacy ?? {};
    this.o = {
      mode: l.mode ?? "stateful",
      jsonResponse: l.jsonResponse ?? false,
      maxSessions: l.maxSessions ?? DEFAULTS.maxSessions,
      idleTimeoutMs: l.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs,
      retryMs: l.retryMs ?? DEFAULTS.retryMs,
    };
    this.store = l.eventStore === false || this.o.mode === "stateless" ? undefined : (l.eventStore ?? new InMemoryEventStore());
    this.keepAliveMs = opts.keepAliveMs ?? DEFAULTS.keepAliveMs;
  }
  private readonly keepAliveMs: number;

  private get stateless(): boolean {
    return this.o.mode === "stateless";
  }

  /** The revision header of a legacy request; absent means 2025-03-26. Null when unsupported. */
  private revisionOf(inp: HttpIn): Revision | null {
    const h = inp.header("mcp-protocol-version")?.trim();
    if (h === undefined) return DEFAULT_LEGACY_HTTP_REVISION;
    return isLegacyRevision(h) ? h : null;
  }

  async post(inp: HttpIn, batch: Classified[]): Promise<HttpOut> {
    const first = batch[0];
    const isInit = batch.length === 1 && first.kind === "request" && first.msg.method === "initialize";
    const sid = inp.header("mcp-session-id");
    if (isInit && sid === null) return this.initialize(inp, first.msg.id, first.msg.params);
    if (this.stateless) return this.statelessPost(inp, batch);
    if (sid === null) return errorOut(400, ErrorCode.InvalidRequest, "Bad Request: Mcp-Session-Id header is required");
    const s = this.sessions.get(sid);
    if (!s) return errorOut(404, ErrorCode.ConnectionClosed, "Session not found");
    if (this.revisionOf(inp) === null) return errorOut(400, ErrorCode.InvalidRequest, `Unsupported MCP-Protocol-Version: ${inp.header("mcp-protocol-version")}`);
    s.lastSeen = Date.now();
    const exchanges: Exchange[] = [];
    for (const c of batch) {
      switch (c.kind) {
        case "response":
          s.endpoint.answer(c.msg);
          break;
        case "notification":
          this.notification(s, c.msg.method, c.msg.params);
          break;
        case "request":
          if (s.inflight.has(c.msg.id)) return errorOut(400, ErrorCode.InvalidRequest, `Request id ${JSON.stringify(c.msg.id)} is already in flight`, c.msg.id);
          exchanges.push(this.run(s, inp, c.msg.id, c.msg.method, c.msg.params, batch.length === 1));
          break;
        case "invalid":
          return errorOut(400, c.error.code, c.error.message, c.id);
      }
    }
    if (exchanges.length === 0) return emptyOut(202, { "mcp-session-id": s.id });
    if (exchanges.length === 1) return exchanges[0].out;
    // A 2025-03-26 batch: answered together, as a JSON array.
    const outs = await Promise.all(exchanges.map((e) => e.out));
    return { status: 200, headers: { "content-type": "application/json", "mcp-session-id": s.id }, body: `[${outs.map((o) => o.body).join(",")}]` };
  }

  private initialize(inp: HttpIn, id: RequestId, params: Params | undefined): HttpOut | Promise<HttpOut> {
    if (this.stateless) {
      const temp = new LegacySession(this.server, noOutbound);
      try {
        const r = temp.handle({ id, method: "initialize", params, signal: new AbortController().signal, cancelled: false, notify() {} });
        temp.close();
        return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id, result: r }) };
      } catch (e) {
        return errorOut(200, McpError.from(e).code, McpError.from(e).message, id);
      }
    }
    if (this.sessions.size >= this.o.maxSessions) {
      this.sweep();
      if (this.sessions.size >= this.o.maxSessions) return errorOut(503, ErrorCode.InternalError, "Too many sessions; try again later", id);
    }
    const s = new HttpSession(this.server, newSessionId());
    this.sessions.set(s.id, s);
    this.startSweeper();
    const ex = this.run(s, inp, id, "initialize", params, true);
    // A failed initialize leaves no session behind.
    void ex.out.then(() => {
      if (s.legacy.state === "new") this.close(s);
    });
    return ex.out;
  }

  private run(s: HttpSession, inp: HttpIn, id: RequestId, method: string, params: Params | undefined, single: boolean): Exchange {
    const ex = new SessionExchange(s, id, method, params, {
      headers: { "mcp-session-id": s.id },
      allowSse: !this.o.jsonResponse && single,
      cancelOnDisconnect: false,
      streamId: `${s.id}:${crypto.randomUUID()}`,
      eventStore: this.store,
      primeRetryMs: s.legacy.protocolVersion >= "2025-11-25" ? this.o.retryMs : undefined,
      keepAliveMs: this.keepAliveMs,
      onOpen: (ls) => s.streams.set(ls.id, ls),
    });
    s.inflight.set(id, ex);
    const done = () => {
      s.inflight.delete(id);
      s.lastSeen = Date.now();
      if (ex.stream) s.streams.delete(ex.stream.id);
    };
    const ok = (r: Params) => void Promise.resolve(ex.finish(r, undefined)).then(done);
    const fail = (e: unknown) => void Promise.resolve(ex.finish(undefined, e)).then(done);
    try {
      const r = s.legacy.handle(ex, new ExchangeHttpInfo(inp, ex), ex);
      if (r instanceof Promise) r.then(ok, fail);
      else ok(r);
    } catch (e) {
      fail(e);
    }
    return ex;
  }

  private notification(s: HttpSession, method: string, params: Params | undefined): void {
    if (method === "notifications/cancelled") s.inflight.get(params?.requestId as RequestId)?.cancel(String(params?.reason ?? "cancelled"));
    else if (method === "notifications/progress" && params) s.endpoint.progress(params.progressToken as RequestId, params);
    else if (method === "notifications/initialized") s.legacy.onNotification(method);
    else this.server.notification(method, params, { era: "legacy", sessionId: s.id });
  }

  private async statelessPost(inp: HttpIn, batch: Classified[]): Promise<HttpOut> {
    const rev = this.revisionOf(inp);
    if (rev === null) return errorOut(400, ErrorCode.InvalidRequest, `Unsupported MCP-Protocol-Version: ${inp.header("mcp-protocol-version")}`);
    const reqs = batch.filter((c) => c.kind === "request");
    const bad = batch.find((c) => c.kind === "invalid");
    if (bad && bad.kind === "invalid") return errorOut(400, bad.error.code, bad.error.message, bad.id);
    if (reqs.length === 0) return emptyOut(202);
    const outs = await Promise.all(
      reqs.map((c) => {
        const r = c.msg as { id: RequestId; method: string; params?: Params };
        const session = new LegacySession(this.server, noOutbound).assume(rev);
        const ex = new Exchange(r.id, r.method, r.params, { headers: {}, allowSse: !this.o.jsonResponse && reqs.length === 1, cancelOnDisconnect: true, keepAliveMs: this.keepAliveMs });
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

  /** GET: the session's stream for server-initiated messages, or a resumed stream (Last-Event-ID). */
  async get(inp: HttpIn): Promise<HttpOut> {
    if (this.stateless) return emptyOut(405, { allow: "POST" });
    const accept = inp.header("accept") ?? "";
    if (!/text\/event-stream|\*\/\*/.test(accept)) return errorOut(406, ErrorCode.InvalidRequest, "Not Acceptable: the GET stream needs Accept: text/event-stream");
    const sid = inp.header("mcp-session-id");
    if (sid === null) return errorOut(400, ErrorCode.InvalidRequest, "Bad Request: Mcp-Session-Id header is required");
    const s = this.sessions.get(sid);
    if (!s) return errorOut(404, ErrorCode.ConnectionClosed, "Session not found");
    s.lastSeen = Date.now();
    const headers = { ...SSE_HEADERS, "mcp-session-id": s.id };
    const sse = new SseStream();
    sse.keepAliveEvery(this.keepAliveMs);
    const last = inp.header("last-event-id");
    if (last !== null && this.store) {
      const streamId = await this.store.replayAfter(last, (eid, m) => sse.send(m, eid));
      if (streamId === undefined || !streamId.startsWith(`${s.id}:`)) return errorOut(404, ErrorCode.InvalidRequest, "Unknown Last-Event-ID for this session");
      const live = streamId === s.standalone?.id ? s.standalone : s.streams.get(streamId);
      if (live && !live.ended) this.attach(live, sse);
      else sse.end();
      return { status: 200, headers, stream: sse };
    }
    if (s.standalone?.sse && !s.standalone.sse.closed) return errorOut(409, ErrorCode.InvalidRequest, "Conflict: this session already has an open GET stream");
    s.standalone ??= new LogicalStream(`${s.id}:get`, this.store);
    if (this.store && s.legacy.protocolVersion >= "2025-11-25") sse.prime(`${s.standalone.id}.0`, this.o.retryMs);
    this.attach(s.standalone, sse);
    return { status: 200, headers, stream: sse };
  }

  private attach(ls: LogicalStream, sse: SseStream): void {
    ls.sse = sse;
    sse.onCancel(() => {
      if (ls.sse === sse) ls.sse = undefined;
    });
  }

  /** DELETE ends a session. */
  delete(inp: HttpIn): HttpOut {
    if (this.stateless) return emptyOut(405, { allow: "POST" });
    const sid = inp.header("mcp-session-id");
    if (sid === null) return errorOut(400, ErrorCode.InvalidRequest, "Bad Request: Mcp-Session-Id header is required");
    const s = this.sessions.get(sid);
    if (!s) return errorOut(404, ErrorCode.ConnectionClosed, "Session not found");
    this.close(s);
    return emptyOut(200);
  }

  close(s: HttpSession): void {
    if (this.sessions.get(s.id) !== s) return;
    this.sessions.delete(s.id);
    for (const ex of s.inflight.values()) ex.cancel("session closed");
    s.legacy.close();
    s.endpoint.shutdown();
    s.standalone?.end();
    for (const ls of s.streams.values()) ls.end();
    if (this.store instanceof InMemoryEventStore) this.store.forgetPrefix(`${s.id}:`);
    if (this.sessions.size === 0) this.stopSweeper();
  }

  /** Close sessions idle longer than the timeout (nothing in flight, no open stream). */
  sweep(now = Date.now()): void {
    for (const s of this.sessions.values()) if (!s.busy && now - s.lastSeen > this.o.idleTimeoutMs) this.close(s);
  }

  private startSweeper(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => this.sweep(), Math.max(50, Math.min(this.o.idleTimeoutMs / 4, 60_000)));
    (this.sweeper as any).unref?.();
  }
  private stopSweeper(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  closeAll(): void {
    for (const s of [...this.sessions.values()]) this.close(s);
    this.stopSweeper();
  }
}

const noOutbound: SessionOutbound = {
  notify() {},
  request: () => Promise.reject(new McpError(ErrorCode.InternalError, "Stateless HTTP has no channel for server → client requests")),
};
