/**
 * Streamable HTTP for the legacy era (2025-03-26 … 2025-11-25): sessions named
 * by Mcp-Session-Id, the GET stream for server-initiated messages, answers to
 * our requests arriving as POSTed responses, resumable streams, DELETE, and a
 * stateless mode. Sessions are capped and expire when idle.
 *
 * Sessions are written through to a session store. With a shared one (a fleet),
 * a request for a session this process does not hold rebuilds it from the store,
 * and the session's channel carries what only another process can do: put a
 * message on the GET stream it holds, take the answer to a request it sent.
 */
import { ErrorCode } from "../../protocol/errors.js";
import type { Classified, Params, RequestId } from "../../protocol/jsonrpc.js";
import type { Server } from "../../server/server.js";
import { InMemorySessionStore, type SessionPatch } from "../../state/session-store.js";
import { InMemoryEventStore, parseEventId, type EventStore } from "./event-store.js";
import { emptyOut, errorOut, type Exchange, LogicalStream } from "./exchange.js";
import { ExchangeHttpInfo, followStream, HttpSession, newSessionId, SessionExchange } from "./legacy-session.js";
import { revisionOf, statelessInitialize, statelessPost } from "./legacy-stateless.js";
import { DEFAULTS, type HttpHandlerOptions } from "./options.js";
import { report, SessionHub, storeUnavailable } from "./session-hub.js";
import { SseStream } from "./sse.js";
import { SSE_HEADERS, type HttpIn, type HttpOut } from "./types.js";

/** Requests whose effect on the session is written through before they are answered. */
const PERSISTED = new Set(["logging/setLevel", "resources/subscribe", "resources/unsubscribe"]);

export class LegacyHttp {
  readonly sessions = new Map<string, HttpSession>();
  private readonly store: EventStore | undefined;
  private readonly hub: SessionHub;
  private readonly adopting = new Map<string, Promise<HttpSession | undefined>>();
  private readonly o: Required<Omit<NonNullable<HttpHandlerOptions["legacy"]>, "eventStore" | "sessionStore">>;
  private sweeper: ReturnType<typeof setInterval> | undefined;
  private readonly keepAliveMs: number;

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
    this.hub = new SessionHub(l.sessionStore ?? new InMemorySessionStore(), !!l.sessionStore, this.o.idleTimeoutMs, (s) => this.drop(s));
    this.keepAliveMs = opts.keepAliveMs ?? DEFAULTS.keepAliveMs;
  }

  /** This handler's name among the processes sharing its session store. */
  get nodeId(): string {
    return this.hub.nodeId;
  }

  private get stateless(): boolean {
    return this.o.mode === "stateless";
  }

  /** The session named by the request, held here or rebuilt from a shared store; else the answer to send. */
  private session(sid: string): HttpSession | HttpOut | Promise<HttpSession | HttpOut> {
    const s = this.sessions.get(sid);
    if (!this.hub.shared) {
      if (!s) return errorOut(404, ErrorCode.ConnectionClosed, "Session not found");
      this.hub.touch(s);
      return s;
    }
    return this.sharedSession(sid, s);
  }

  private async sharedSession(sid: string, s: HttpSession | undefined): Promise<HttpSession | HttpOut> {
    if (s && !s.busy && Date.now() - s.lastSeen > this.o.idleTimeoutMs) {
      // Idle here for long: the record decides whether it lives on (used elsewhere) or expired.
      this.drop(s);
      s = undefined;
    }
    if (!s) {
      try {
        s = await this.adopt(sid);
      } catch (e) {
        return errorOut(503, ErrorCode.InternalError, storeUnavailable(e).message);
      }
    }
    if (!s) return errorOut(404, ErrorCode.ConnectionClosed, "Session not found");
    this.hub.touch(s);
    return s;
  }

  /** Rebuild a session another process created (one load however many requests ask at once). */
  private adopt(sid: string): Promise<HttpSession | undefined> {
    let p = this.adopting.get(sid);
    if (p) return p;
    p = (async () => {
      const s = new HttpSession(this.server, this.hub, sid);
      await this.hub.join(s);
      let rec;
      try {
        rec = await this.hub.store.load(sid);
      } catch (e) {
        s.leave?.();
        throw e;
      }
      if (!rec || rec.state === "new" || this.sessions.has(sid)) {
        s.leave?.();
        return rec && rec.state !== "new" ? this.sessions.get(sid) : undefined;
      }
      s.legacy.restore(rec);
      s.streamNode = rec.streamNode;
      this.sessions.set(sid, s);
      this.startSweeper();
      return s;
    })().finally(() => this.adopting.delete(sid));
    this.adopting.set(sid, p);
    return p;
  }

  async post(inp: HttpIn, batch: Classified[]): Promise<HttpOut> {
    const first = batch[0];
    const isInit = batch.length === 1 && first.kind === "request" && first.msg.method === "initialize";
    const sid = inp.header("mcp-session-id");
    if (isInit && sid === null) return this.initialize(inp, first.msg.id, first.msg.params);
    if (this.stateless) return statelessPost(this.server, inp, batch, this.o.jsonResponse, this.keepAliveMs);
    if (sid === null) return errorOut(400, ErrorCode.InvalidRequest, "Bad Request: Mcp-Session-Id header is required");
    const s = await this.session(sid);
    if (!(s instanceof HttpSession)) return s;
    if (revisionOf(inp) === null) return errorOut(400, ErrorCode.InvalidRequest, `Unsupported MCP-Protocol-Version: ${inp.header("mcp-protocol-version")}`);
    const exchanges: Exchange[] = [];
    let writes: Promise<void>[] | undefined;
    for (const c of batch) {
      switch (c.kind) {
        case "response": {
          const w = s.endpoint.answer(c.msg);
          if (w) (writes ??= []).push(w);
          break;
        }
        case "notification": {
          const w = this.notification(s, c.msg.method, c.msg.params);
          if (w) (writes ??= []).push(w);
          break;
        }
        case "request":
          if (s.inflight.has(c.msg.id)) return errorOut(400, ErrorCode.InvalidRequest, `Request id ${JSON.stringify(c.msg.id)} is already in flight`, c.msg.id);
          exchanges.push(this.run(s, inp, c.msg.id, c.msg.method, c.msg.params, batch.length === 1));
          break;
        case "invalid":
          return errorOut(400, c.error.code, c.error.message, c.id);
      }
    }
    // Answers forwarded to another node, state written through: a failure is the client's to know.
    if (writes) {
      try {
        await Promise.all(writes);
      } catch (e) {
        return errorOut(503, ErrorCode.InternalError, storeUnavailable(e).message);
      }
    }
    if (exchanges.length === 0) return emptyOut(202, { "mcp-session-id": s.id });
    if (exchanges.length === 1) return exchanges[0].out;
    // A 2025-03-26 batch: answered together, as a JSON array.
    const outs = await Promise.all(exchanges.map((e) => e.out));
    return { status: 200, headers: { "content-type": "application/json", "mcp-session-id": s.id }, body: `[${outs.map((o) => o.body).join(",")}]` };
  }

  private async initialize(inp: HttpIn, id: RequestId, params: Params | undefined): Promise<HttpOut> {
    if (this.stateless) return statelessInitialize(this.server, id, params);
    if (this.sessions.size >= this.o.maxSessions) this.sweep();
    const s = new HttpSession(this.server, this.hub, newSessionId());
    const full = () => errorOut(503, ErrorCode.InternalError, "Too many sessions; try again later", id);
    if (this.sessions.size >= this.o.maxSessions) return full();
    try {
      if (!(await this.hub.store.create(s.id, s.legacy.snapshot(), { max: this.o.maxSessions, idleMs: this.o.idleTimeoutMs }))) return full();
      await this.hub.join(s);
    } catch (e) {
      s.leave?.();
      return errorOut(503, ErrorCode.InternalError, storeUnavailable(e).message, id);
    }
    this.sessions.set(s.id, s);
    this.startSweeper();
    const out = await this.run(s, inp, id, "initialize", params, true).out;
    // A failed initialize leaves no session behind.
    if (s.legacy.state === "new") {
      this.close(s);
      return out;
    }
    try {
      // Saved before the client hears of the session, so its next request may land on any node.
      await this.hub.store.update(s.id, s.legacy.snapshot());
    } catch (e) {
      this.close(s);
      return errorOut(503, ErrorCode.InternalError, storeUnavailable(e).message, id);
    }
    return out;
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
      onOpen: (ls) => {
        s.streams.set(ls.id, ls);
        if (this.store?.opened) report(this.store.opened(ls.id), `stream ${ls.id} not recorded`);
      },
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
      let r = s.legacy.handle(ex, new ExchangeHttpInfo(inp, ex), ex);
      if (PERSISTED.has(method)) r = this.persist(s, method, params, r);
      if (r instanceof Promise) r.then(ok, fail);
      else ok(r);
    } catch (e) {
      fail(e);
    }
    return ex;
  }

  /** Write a request's effect on the session through to the store before answering it. */
  private async persist(s: HttpSession, method: string, params: Params | undefined, r: Params | Promise<Params>): Promise<Params> {
    const result = await r;
    const uri = params?.uri as string;
    const patch: SessionPatch =
      method === "logging/setLevel" ? { logLevel: s.legacy.logLevel } : method === "resources/subscribe" ? { subscribe: uri } : { unsubscribe: uri };
    try {
      await this.hub.change(s, patch);
    } catch (e) {
      throw storeUnavailable(e);
    }
    return result;
  }

  private notification(s: HttpSession, method: string, params: Params | undefined): Promise<void> | undefined {
    if (method === "notifications/cancelled") {
      const rid = params?.requestId as RequestId;
      const reason = String(params?.reason ?? "cancelled");
      const ex = s.inflight.get(rid);
      if (ex) ex.cancel(reason);
      else this.hub.publish(s, { t: "cancel", requestId: rid, reason });
    } else if (method === "notifications/progress" && params) {
      s.endpoint.progress(params.progressToken as RequestId, params);
      this.hub.publish(s, { t: "progress", params });
    } else if (method === "notifications/initialized") {
      const before = s.legacy.state;
      s.legacy.onNotification(method);
      if (s.legacy.state !== before) return this.hub.change(s, { state: s.legacy.state });
    } else this.server.notification(method, params, { era: "legacy", sessionId: s.id });
    return undefined;
  }

  /** GET: the session's stream for server-initiated messages, or a resumed stream (Last-Event-ID). */
  async get(inp: HttpIn): Promise<HttpOut> {
    if (this.stateless) return emptyOut(405, { allow: "POST" });
    const accept = inp.header("accept") ?? "";
    if (!/text\/event-stream|\*\/\*/.test(accept)) return errorOut(406, ErrorCode.InvalidRequest, "Not Acceptable: the GET stream needs Accept: text/event-stream");
    const sid = inp.header("mcp-session-id");
    if (sid === null) return errorOut(400, ErrorCode.InvalidRequest, "Bad Request: Mcp-Session-Id header is required");
    const s = await this.session(sid);
    if (!(s instanceof HttpSession)) return s;
    const headers = { ...SSE_HEADERS, "mcp-session-id": s.id };
    const sse = new SseStream();
    sse.keepAliveEvery(this.keepAliveMs);
    const last = inp.header("last-event-id");
    if (last !== null && this.store) {
      const streamId = parseEventId(last)?.[0];
      if (streamId === undefined || !streamId.startsWith(`${s.id}:`)) return errorOut(404, ErrorCode.InvalidRequest, "Unknown Last-Event-ID for this session");
      const live = streamId === s.standalone?.id ? s.standalone : s.streams.get(streamId);
      if (streamId !== `${s.id}:get` && this.store.follow) {
        // Produced here or on another node: continue from the store's feed, up to the answer.
        return (await followStream(s, this.store.follow.bind(this.store), last, sse, headers)) ?? errorOut(404, ErrorCode.InvalidRequest, "Unknown Last-Event-ID for this session");
      }
      // A stream with nothing stored yet (only its priming event `<stream>.0` went out) is resumed if it is live.
      const known = (await this.store.replayAfter(last, (eid, m) => sse.send(m, eid))) ?? (streamId === `${s.id}:get` || live ? streamId : undefined);
      if (known === undefined) return errorOut(404, ErrorCode.InvalidRequest, "Unknown Last-Event-ID for this session");
      if (streamId === `${s.id}:get`) await this.openStandalone(s, sse);
      else if (live && !live.ended) this.attach(live, sse);
      else sse.end();
      return { status: 200, headers, stream: sse };
    }
    const mine = s.streamNode === undefined || s.streamNode === this.hub.nodeId;
    if (mine && s.standalone?.sse && !s.standalone.sse.closed) return errorOut(409, ErrorCode.InvalidRequest, "Conflict: this session already has an open GET stream");
    if (this.store && s.legacy.protocolVersion >= "2025-11-25") sse.prime(`${s.id}:get.0`, this.o.retryMs);
    await this.openStandalone(s, sse);
    return { status: 200, headers, stream: sse };
  }

  /** This process holds the session's GET stream from now on. */
  private async openStandalone(s: HttpSession, sse: SseStream): Promise<void> {
    if (s.standalone?.sse && s.standalone.sse !== sse) s.standalone.sse.end();
    s.standalone ??= new LogicalStream(`${s.id}:get`, this.store);
    this.attach(s.standalone, sse);
    if (s.streamNode === this.hub.nodeId) return;
    s.streamNode = this.hub.nodeId;
    await this.hub.change(s, { streamNode: this.hub.nodeId }).catch((e) => report(Promise.reject(e), `GET stream of session ${s.id} not recorded`));
  }

  private attach(ls: LogicalStream, sse: SseStream): void {
    ls.sse = sse;
    sse.onCancel(() => {
      if (ls.sse === sse) ls.sse = undefined;
    });
  }

  /** DELETE ends a session, on every node. */
  async delete(inp: HttpIn): Promise<HttpOut> {
    if (this.stateless) return emptyOut(405, { allow: "POST" });
    const sid = inp.header("mcp-session-id");
    if (sid === null) return errorOut(400, ErrorCode.InvalidRequest, "Bad Request: Mcp-Session-Id header is required");
    const s = await this.session(sid);
    if (!(s instanceof HttpSession)) return s;
    this.hub.publish(s, { t: "closed" });
    this.close(s);
    return emptyOut(200);
  }

  /** End a session: here, and its record in the store. */
  close(s: HttpSession): void {
    if (!this.drop(s)) return;
    report(this.hub.store.delete(s.id), `session ${s.id} not deleted`);
    if (this.store instanceof InMemoryEventStore) this.store.forgetPrefix(`${s.id}:`);
  }

  /** Let go of this process's copy of a session (the record stays for other nodes). */
  private drop(s: HttpSession): boolean {
    if (this.sessions.get(s.id) !== s) return false;
    this.sessions.delete(s.id);
    s.leave?.();
    for (const ex of s.inflight.values()) ex.cancel("session closed");
    s.legacy.close();
    s.endpoint.shutdown();
    s.standalone?.end();
    for (const ls of s.streams.values()) ls.end();
    for (const end of [...s.mirrors]) end();
    if (this.sessions.size === 0) this.stopSweeper();
    return true;
  }

  /**
   * Close sessions idle longer than the timeout (nothing in flight, no open stream).
   * With a shared store only this process's copy goes: the record expires by itself
   * once the session is idle everywhere. Busy sessions are kept alive in the store.
   */
  sweep(now = Date.now()): void {
    for (const s of this.sessions.values()) {
      if (s.busy) this.hub.touch(s, now, false);
      else if (now - s.lastSeen > this.o.idleTimeoutMs) this.hub.shared ? this.drop(s) : this.close(s);
    }
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

  /** Shut down: sessions end here; in a fleet their records stay for the other nodes. */
  closeAll(): void {
    for (const s of [...this.sessions.values()]) this.hub.shared ? this.drop(s) : this.close(s);
    this.stopSweeper();
  }
}
