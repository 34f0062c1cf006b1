/**
 * The client side of Streamable HTTP for both eras, with the fallback to the
 * deprecated HTTP+SSE transport. Each outgoing message is its own POST; JSON or
 * SSE answers are fed back as incoming messages. The era is read from what
 * passes through: a message with the 2026-07-28 `_meta` envelope gets the
 * modern headers; after `initialize`, the session id and negotiated revision
 * are sent on every legacy request.
 */
import { ErrorCode } from "../../protocol/errors.js";
import type { JsonRpcMessage, JsonRpcRequest, RequestId } from "../../protocol/jsonrpc.js";
import { META } from "../../protocol/meta.js";
import type { Transport, TransportSink } from "../../dispatch/types.js";
import { encodeHeaderValue, headerParams, nameTarget, valueAt, type HeaderParam } from "./headers.js";
import { describeAuthError, isAnswerTo, isModernError, isModernMessage, retryHint, safeParse, sleep } from "./client-helpers.js";
import { readSse, SseParser, SseTooLargeError } from "./sse-parser.js";

export interface HttpClientOptions {
  /** Extra headers on every request (e.g. Authorization), or a function giving them. */
  headers?: Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);
  fetch?: typeof fetch;
  /** Legacy: open the GET stream for server-initiated messages after initialize (default true). */
  openGetStream?: boolean;
  /** Fall back to the 2024-11-05 HTTP+SSE transport when initialize is refused (default true). */
  sseFallback?: boolean;
  /** Resuming a broken SSE stream: attempts and backoff (default 5 tries, from 1 s, at most 30 s). */
  reconnect?: { maxRetries?: number; initialDelayMs?: number; maxDelayMs?: number };
  /** The largest SSE line or event accepted, in characters (default 16 MiB); a larger one fails the stream. */
  maxSseEventSize?: number;
  /**
   * Told when the legacy GET stream (server-initiated requests and notifications) is given
   * up while the session goes on: an oversized event, an HTTP error other than 404/405, or
   * reconnecting failed `reconnect.maxRetries` times. Requests keep working; server notifications stop until the transport reconnects.
   */
  onStreamError?: (error: Error) => void;
  /** Resume a legacy session (e.g. after a restart of the client). */
  sessionId?: string;
  /** Authorization, e.g. `OAuthClientProvider` from mcpkit/auth. */
  auth?: HttpClientAuth;
}

// ---- auth hook (mcpkit/auth) ----------------------------------------------------------------
/** Consulted for the headers of every request, and when a POST is answered 401 or 403. */
export interface HttpClientAuth {
  /** `request`: where the headers go (for proofs bound to the request, e.g. DPoP). */
  headers(request?: { url: URL; method: string }): Promise<Record<string, string>>;
  /** Fix what the response complains of (authorize, refresh, step up); true = send the request again. */
  onUnauthorized(res: Response, url: URL): Promise<boolean>;
}
// ---- end auth hook ----------------------------------------------------------------------------

interface Flight {
  msg: JsonRpcRequest;
  ctl: AbortController;
  modern: boolean;
}

export class StreamableHttpClientTransport implements Transport {
  sessionId: string | undefined;
  /** Legacy revision negotiated by initialize. */
  protocolVersion: string | undefined;
  /** "streamable" until a 2024-11-05 server forces "sse". */
  mode: "streamable" | "sse" = "streamable";
  private sink: TransportSink | undefined;
  private readonly fetch: typeof fetch;
  private readonly flights = new Map<RequestId, Flight>();
  private readonly toolHeaders = new Map<string, HeaderParam[]>();
  private getStream: AbortController | undefined;
  private sseEndpoint: URL | undefined;
  private closed = false;

  constructor(
    readonly url: URL | string,
    private readonly o: HttpClientOptions = {},
  ) {
    this.fetch = o.fetch ?? globalThis.fetch.bind(globalThis);
    this.sessionId = o.sessionId;
  }

  start(sink: TransportSink): void {
    this.sink = sink;
  }

  send(msg: JsonRpcMessage): void {
    if (this.closed) return;
    void this.dispatch(msg);
  }

  private async dispatch(msg: JsonRpcMessage): Promise<void> {
    const modern = isModernMessage(msg);
    if ("method" in msg && msg.method === "notifications/cancelled" && (modern || this.flights.get((msg.params as any)?.requestId)?.modern)) {
      // 2026-07-28 over HTTP: cancelling is closing the response stream.
      this.flights.get((msg.params as any)?.requestId)?.ctl.abort();
      return;
    }
    if (this.mode === "sse") return this.postToSseEndpoint(msg);
    const isReq = "method" in msg && "id" in msg;
    // Legacy: hold what follows `notifications/initialized` until the GET stream is open, so a server
    // request sent on it right away (during the next tool call, say) is not dropped by the server.
    let release: (() => void) | undefined;
    if (!modern && "method" in msg && msg.method === "notifications/initialized") {
      const gate = (this.ready = new Promise<void>((r) => (release = r)).then(() => {
        if (this.ready === gate) this.ready = undefined;
      }));
    } else if (this.ready) await this.ready;
    const ctl = new AbortController();
    if (isReq) this.flights.set(msg.id, { msg: msg as JsonRpcRequest, ctl, modern });
    try {
      await this.post(msg, modern, ctl);
    } catch (e) {
      if (isReq && !ctl.signal.aborted) this.fail(msg.id, `HTTP request failed: ${(e as Error)?.message ?? e}`, { cause: String(e) });
    } finally {
      if (isReq) this.flights.delete(msg.id);
      release?.();
    }
  }
  private ready: Promise<void> | undefined;

  /** The auth hook's answer to a 401/403; while it runs (a person may be at a login page), `busy()` returns it. */
  private authorize(res: Response): Promise<boolean> {
    const run = this.o.auth!.onUnauthorized(res, new URL(String(this.url)));
    const settled: Promise<void> = run.then(
      () => this.doneAuthorizing(settled),
      () => this.doneAuthorizing(settled),
    );
    this.authorizing = settled;
    return run;
  }
  private authorizing: Promise<void> | undefined;
  private doneAuthorizing(p: Promise<void>): void {
    if (this.authorizing === p) this.authorizing = undefined;
  }

  busy(): Promise<unknown> | undefined {
    return this.authorizing;
  }

  private async headers(msg: JsonRpcMessage, modern: boolean, method = "POST"): Promise<Record<string, string>> {
    const extra = typeof this.o.headers === "function" ? await this.o.headers() : this.o.headers;
    const h: Record<string, string> = { ...extra, ...(await this.o.auth?.headers({ url: new URL(String(this.url)), method })), "content-type": "application/json", accept: "application/json, text/event-stream" };
    if (modern && "method" in msg) {
      const params = msg.params as Record<string, any> | undefined;
      h["mcp-protocol-version"] = String(params?._meta?.[META.protocolVersion]);
      h["mcp-method"] = encodeHeaderValue(msg.method);
      const target = nameTarget(msg.method, params);
      if (target !== undefined) h["mcp-name"] = encodeHeaderValue(target);
      if (msg.method === "tools/call" && target !== undefined) {
        for (const p of this.toolHeaders.get(target) ?? []) {
          const v = valueAt(params?.arguments, p.path);
          if (v !== undefined && v !== null) h[`mcp-param-${p.header}`] = encodeHeaderValue(String(v));
        }
      }
    } else {
      if (this.sessionId) h["mcp-session-id"] = this.sessionId;
      if (this.protocolVersion) h["mcp-protocol-version"] = this.protocolVersion;
    }
    return h;
  }

  private async post(msg: JsonRpcMessage, modern: boolean, ctl: AbortController, authTries = 0): Promise<void> {
    const headers = await this.headers(msg, modern);
    const res = await this.fetch(this.url, { method: "POST", headers, body: JSON.stringify(msg), signal: ctl.signal });
    if ((res.status === 401 || res.status === 403) && this.o.auth && authTries < 3) {
      let retry: boolean;
      try {
        retry = await this.authorize(res);
      } catch (e) {
        // Denied, or the authorization server failed: the request fails with that, not with the HTTP status.
        await res.body?.cancel();
        if ("method" in msg && "id" in msg) this.fail(msg.id, `Authorization failed: ${describeAuthError(e)}`, { httpStatus: res.status, authorizationFailed: true });
        return;
      }
      if (retry) {
        await res.body?.cancel();
        return this.post(msg, modern, ctl, authTries + 1); // auth hook: retry with fresh credentials
      }
    }
    const isReq = "method" in msg && "id" in msg;
    if (!modern) {
      const sid = res.headers.get("mcp-session-id");
      if (sid) this.sessionId = sid;
    }
    if (res.status === 202 || (res.ok && !isReq && !res.body)) {
      await res.body?.cancel();
      if ("method" in msg && msg.method === "notifications/initialized") await this.openGet();
      return;
    }
    const type = res.headers.get("content-type") ?? "";
    if (!res.ok) return this.httpError(msg, res, modern, ctl, headers["mcp-session-id"]);
    if (type.includes("text/event-stream") && res.body) return this.consumeSse(res.body, msg, modern, ctl);
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : [];
    } catch {
      if (isReq) this.fail(msg.id, `Server sent invalid JSON (HTTP ${res.status})`, { body: text.slice(0, 200) });
      return;
    }
    const all = Array.isArray(body) ? body : [body];
    for (const m of all) this.deliver(m);
    // A JSON answer to a request must hold its response; waiting on would only end in a timeout.
    if (isReq && !all.some((m) => isAnswerTo(m, msg.id))) this.fail(msg.id, `Server sent no valid answer to the request (HTTP ${res.status})`, { body: text.slice(0, 200) });
  }

  /** A 4xx/5xx: keep a JSON-RPC error body (it tells modern servers apart), else describe the HTTP failure. */
  private async httpError(msg: JsonRpcMessage, res: Response, modern: boolean, ctl: AbortController, sentSession?: string): Promise<void> {
    const text = await res.text().catch(() => "");
    if (!("id" in msg) || !("method" in msg)) return;
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (msg.method === "initialize" && !modern && [400, 404, 405].includes(res.status) && this.o.sseFallback !== false && !isModernError(body)) {
      // A 2024-11-05 server: switch to HTTP+SSE and send initialize there.
      if (await this.openLegacySse(ctl.signal)) return this.postToSseEndpoint(msg);
    }
    if (res.status === 404 && sentSession && !modern) {
      // Sent on a session that has since been replaced: send it on the new one.
      if (this.sessionId && this.sessionId !== sentSession) return this.post(msg, modern, ctl);
      this.sessionId = undefined;
      this.getStream?.abort(); // the next session opens its own
      this.getStream = undefined;
      return this.fail(msg.id, "Session expired or unknown (HTTP 404): re-initialize", { httpStatus: 404, sessionExpired: true });
    }
    if (body && typeof body === "object" && body.error && typeof body.error.code === "number") {
      this.deliver({ jsonrpc: "2.0", id: msg.id, error: { ...body.error, data: body.error.data ?? { httpStatus: res.status } } });
      return;
    }
    this.fail(msg.id, `HTTP ${res.status} ${res.statusText}${text ? `: ${text.slice(0, 200)}` : ""}`, { httpStatus: res.status });
  }

  /** Read an SSE answer; if it breaks before the answer, resume (legacy) or re-issue (modern). */
  private async consumeSse(body: ReadableStream<Uint8Array>, msg: JsonRpcMessage, modern: boolean, ctl: AbortController): Promise<void> {
    const id = "id" in msg && "method" in msg ? msg.id : undefined;
    let answered = false;
    const parser = new SseParser((e) => {
      if (e.event !== "message") return;
      const m = safeParse(e.data);
      if (m === undefined) return;
      if (id !== undefined && isAnswerTo(m, id)) answered = true;
      this.deliver(m);
    }, { maxEventSize: this.o.maxSseEventSize });
    try {
      await readSse(body, parser, ctl.signal);
    } catch (e) {
      // An oversized event fails the request; a broken connection is handled below like an early end.
      if (e instanceof SseTooLargeError) return id === undefined ? undefined : this.fail(id, e.message, { sseTooLarge: true });
    }
    if (answered || id === undefined || ctl.signal.aborted || this.closed) return;
    if (!modern && parser.lastEventId) {
      if (await this.resume(parser.lastEventId, retryHint(parser), id, ctl)) return;
    } else if (modern) {
      // 2026-07-28: no resumption; the same request again, under a new id.
      return this.reissue(msg as JsonRpcRequest, ctl);
    }
    this.fail(id, "The server closed the response stream before answering");
  }

  private async resume(lastEventId: string, retryMs: number | undefined, id: RequestId, ctl: AbortController): Promise<boolean> {
    const r = this.o.reconnect ?? {};
    let delay = retryMs ?? r.initialDelayMs ?? 1000;
    let last = lastEventId;
    for (let attempt = 0; attempt < (r.maxRetries ?? 5) && !ctl.signal.aborted && !this.closed; attempt++) {
      await sleep(delay, ctl.signal);
      let answered = false;
      const parser = new SseParser((e) => {
        const m = safeParse(e.data);
        if (isAnswerTo(m, id)) answered = true;
        if (m !== undefined) this.deliver(m);
      }, { maxEventSize: this.o.maxSseEventSize });
      try {
        const res = await this.fetch(this.url, { method: "GET", headers: { ...(await this.headers({ jsonrpc: "2.0", id: 0, method: "" } as any, false, "GET")), accept: "text/event-stream", "last-event-id": last }, signal: ctl.signal });
        if (!res.ok || !res.body) return false;
        await readSse(res.body, parser, ctl.signal);
      } catch (e) {
        // An oversized event fails the request; anything else: retry below.
        if (e instanceof SseTooLargeError) {
          this.fail(id, e.message, { sseTooLarge: true });
          return true;
        }
      }
      if (answered) return true;
      if (parser.lastEventId) last = parser.lastEventId;
      delay = Math.min(retryHint(parser) ?? delay * 2, r.maxDelayMs ?? 30_000);
    }
    return false;
  }

  /** Re-send a modern request whose stream broke, under a new id that is mapped back to the original. */
  private async reissue(msg: JsonRpcRequest, ctl: AbortController): Promise<void> {
    const original = this.renames.get(msg.id) ?? msg.id;
    const tries = (this.retries.get(original) ?? 0) + 1;
    if (tries > (this.o.reconnect?.maxRetries ?? 5)) return this.fail(original, "The server kept closing the response stream before answering");
    this.retries.set(original, tries);
    const fresh: JsonRpcRequest = { ...msg, id: `${String(original)}~${tries}` };
    this.renames.set(fresh.id, original);
    this.flights.set(fresh.id, { msg: fresh, ctl, modern: true });
    try {
      await this.post(fresh, true, ctl);
    } finally {
      this.renames.delete(fresh.id);
      this.flights.delete(fresh.id);
      this.retries.delete(original);
    }
  }
  private readonly renames = new Map<RequestId, RequestId>();
  private readonly retries = new Map<RequestId, number>();

  private readonly deliver = (m: any): void => {
    if (m && typeof m === "object" && !("method" in m) && this.renames.has(m.id)) m = { ...m, id: this.renames.get(m.id) };
    this.sniff(m);
    this.sink?.message(m);
  };

  /** Learn what the headers of later requests need: the negotiated revision, tools' x-mcp-header params. */
  private sniff(m: any): void {
    if (!m || typeof m !== "object" || "method" in m || !m.result) return;
    const f = this.flights.get(m.id);
    if (!f) return;
    if (f.msg.method === "initialize" && typeof m.result.protocolVersion === "string") this.protocolVersion = m.result.protocolVersion;
    if (f.msg.method === "tools/list" && Array.isArray(m.result.tools)) {
      for (const t of m.result.tools) if (t?.name && t.inputSchema) this.toolHeaders.set(t.name, headerParams(t.inputSchema) ?? []);
    }
  }

  private fail(id: RequestId, message: string, data?: Record<string, unknown>): void {
    this.deliver({ jsonrpc: "2.0", id, error: { code: ErrorCode.ConnectionClosed, message, data } });
  }

  private streamError(e: Error): void {
    if (this.closed) return;
    try {
      this.o.onStreamError?.(e);
    } catch {
      // the application's callback must not break the transport
    }
  }

  /**
   * Legacy: the GET stream carries server-initiated requests and notifications; 405 means there is none.
   * Resolves once the server has answered the first GET (or failed to, or after 2 s).
   */
  private openGet(): Promise<void> {
    if (this.o.openGetStream === false || this.getStream || this.closed || !this.sessionId) return Promise.resolve();
    const ctl = (this.getStream = new AbortController());
    let opened!: () => void;
    const answered = new Promise<void>((r) => (opened = r));
    const timer = setTimeout(opened, 2000);
    void answered.then(() => clearTimeout(timer));
    void (async () => {
      let last: string | undefined;
      let delay = this.o.reconnect?.initialDelayMs ?? 1000;
      const maxRetries = this.o.reconnect?.maxRetries ?? 5;
      for (let attempt = 0; attempt <= maxRetries && !ctl.signal.aborted; attempt++) {
        const parser = new SseParser((e) => {
          const m = safeParse(e.data);
          if (m !== undefined) this.deliver(m);
        }, { maxEventSize: this.o.maxSseEventSize });
        try {
          const h: Record<string, string> = { ...(await this.headers({ jsonrpc: "2.0", method: "" } as any, false, "GET")), accept: "text/event-stream" };
          delete h["content-type"];
          if (last) h["last-event-id"] = last;
          const res = await this.fetch(this.url, { method: "GET", headers: h, signal: ctl.signal }).finally(opened);
          if (!res.ok || !res.body) {
            await res.body?.cancel();
            // 405: the server has no GET stream; 404: the session is gone (the next POST starts a new one)
            if (res.status !== 405 && res.status !== 404) this.streamError(new Error(`The server refused the GET stream: HTTP ${res.status}`));
            break;
          }
          attempt = 0;
          await readSse(res.body, parser, ctl.signal);
        } catch (e) {
          opened(); // reconnect below, unless the server sent an oversized event
          if (e instanceof SseTooLargeError) {
            this.streamError(e);
            break;
          }
        }
        last = parser.lastEventId ?? last;
        if (ctl.signal.aborted) return;
        if (attempt === maxRetries) this.streamError(new Error(`The server's GET stream closed and could not be reopened (${maxRetries} attempts)`));
        else await sleep(retryHint(parser) ?? delay, ctl.signal).catch(() => {});
        delay = Math.min(delay * 2, this.o.reconnect?.maxDelayMs ?? 30_000);
      }
      if (this.getStream === ctl) this.getStream = undefined;
    })();
    return answered;
  }

  // ---- HTTP+SSE (2024-11-05) ----------------------------------------------------------------

  private async openLegacySse(signal: AbortSignal): Promise<boolean> {
    const ctl = new AbortController();
    const res = await this.fetch(this.url, { method: "GET", headers: { ...(typeof this.o.headers === "function" ? await this.o.headers() : this.o.headers), accept: "text/event-stream" }, signal: ctl.signal }).catch(() => undefined);
    if (!res?.ok || !res.body || !(res.headers.get("content-type") ?? "").includes("text/event-stream")) return false;
    return new Promise<boolean>((resolve) => {
      const parser = new SseParser((e) => {
        if (e.event === "endpoint") {
          this.sseEndpoint = new URL(e.data, this.url);
          this.mode = "sse";
          this.getStream = ctl;
          resolve(true);
        } else if (e.event === "message") {
          const m = safeParse(e.data);
          if (m !== undefined) this.deliver(m);
        }
      }, { maxEventSize: this.o.maxSseEventSize });
      void readSse(res.body!, parser, ctl.signal)
        .catch((e) => e)
        .then((e) => {
          resolve(false);
          if (this.mode === "sse" && !this.closed) this.sink?.closed(new Error(e instanceof SseTooLargeError ? e.message : "SSE stream closed by the server"));
        });
      signal.addEventListener("abort", () => ctl.abort(), { once: true });
    });
  }

  private async postToSseEndpoint(msg: JsonRpcMessage): Promise<void> {
    const extra = typeof this.o.headers === "function" ? await this.o.headers() : this.o.headers;
    try {
      const res = await this.fetch(this.sseEndpoint!, { method: "POST", headers: { ...extra, "content-type": "application/json" }, body: JSON.stringify(msg) });
      await res.body?.cancel();
      if (!res.ok && "id" in msg && "method" in msg) this.fail(msg.id, `HTTP ${res.status} from the SSE message endpoint`, { httpStatus: res.status });
    } catch (e) {
      if ("id" in msg && "method" in msg) this.fail(msg.id, `HTTP request failed: ${(e as Error).message}`);
    }
  }

  /** Abort everything; end a legacy session with DELETE. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const f of this.flights.values()) f.ctl.abort();
    this.getStream?.abort();
    if (this.sessionId && this.mode === "streamable") {
      const h = await this.headers({ jsonrpc: "2.0", method: "" } as any, false, "DELETE").catch(() => ({}) as Record<string, string>);
      await this.fetch(this.url, { method: "DELETE", headers: h, signal: AbortSignal.timeout(2000) }).then((r) => r.body?.cancel(), () => {});
    }
    this.sink?.closed();
  }
}
