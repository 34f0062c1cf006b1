/**
 * The transport-independent half of a JSON-RPC peer: outgoing requests waiting
 * for answers (with timeouts, progress and cancellation) and incoming requests
 * being served. Subclasses decide how a message reaches the other side.
 */
import { ConnectionClosedError, ErrorCode, McpError, RequestTimeoutError } from "../protocol/errors.js";
import type { JsonRpcMessage, JsonRpcResponse, Params, RequestId } from "../protocol/jsonrpc.js";
import { makeError, makeNotification, makeRequest, makeResult } from "../protocol/jsonrpc.js";
import {
  DEFAULT_MAX_TOTAL_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type Incoming,
  type Peer,
  type PeerHandlers,
  type RequestOptions,
} from "./types.js";

interface Pending {
  resolve(v: Params): void;
  reject(e: unknown): void;
  opts: RequestOptions;
  started: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  lastProgress: number;
  onAbort: (() => void) | undefined;
}

/**
 * Cancellation state of one request being served. The AbortController exists
 * only if someone asks for the signal: most requests never do. Shared by the
 * dispatcher's requests and the HTTP handler's exchanges.
 */
export class Cancellable {
  done = false;
  cancelled = false;
  private ctl: AbortController | undefined;
  private reason: string | undefined;
  get signal(): AbortSignal {
    if (!this.ctl) {
      this.ctl = new AbortController();
      if (this.cancelled) this.ctl.abort(this.reason);
    }
    return this.ctl.signal;
  }
  cancel(reason = "cancelled"): void {
    if (this.cancelled || this.done) return;
    this.cancelled = true;
    this.reason = reason;
    this.ctl?.abort(reason);
  }
}

/** One request being served by an endpoint. */
class IncomingRequest extends Cancellable implements Incoming {
  constructor(
    readonly id: RequestId,
    readonly method: string,
    readonly params: Params | undefined,
    private readonly ep: Endpoint,
  ) {
    super();
  }
  notify(method: string, params?: Params): void {
    if (this.done || this.cancelled) return;
    this.ep.deliver(makeNotification(method, params));
  }
}

export abstract class Endpoint implements Peer {
  protected handlers: PeerHandlers | undefined;
  protected nextId = 1;
  // Created on first use: an idle endpoint (one per legacy HTTP session) should cost almost nothing.
  private pendingMap: Map<RequestId, Pending> | undefined;
  private tokenMap: Map<RequestId, RequestId> | undefined;
  private incomingMap: Map<RequestId, IncomingRequest> | undefined;
  private get pending(): Map<RequestId, Pending> {
    return (this.pendingMap ??= new Map());
  }
  private get byToken(): Map<RequestId, RequestId> {
    return (this.tokenMap ??= new Map());
  }
  private get incoming(): Map<RequestId, IncomingRequest> {
    return (this.incomingMap ??= new Map());
  }
  closed = false;

  /** Put one message on the way to the other side. */
  abstract deliver(msg: JsonRpcMessage, route?: unknown): void;
  abstract start(): Promise<void>;
  protected abstract closeTransport(): Promise<void>;

  bind(handlers: PeerHandlers): void {
    this.handlers = handlers;
  }

  get inFlight(): { outgoing: number; incoming: number } {
    return { outgoing: this.pendingMap?.size ?? 0, incoming: this.incomingMap?.size ?? 0 };
  }

  request(method: string, params?: Params, opts: RequestOptions = {}): Promise<Params> {
    if (this.closed) return Promise.reject(new ConnectionClosedError());
    const signal = opts.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    // Ids only grow, so one is never reused while a request with it is in flight.
    const id = this.nextId++;
    return new Promise<Params>((resolve, reject) => {
      const p: Pending = { resolve, reject, opts, started: Date.now(), timer: undefined, lastProgress: -Infinity, onAbort: undefined };
      this.pending.set(id, p);
      if (opts.progressToken !== undefined) this.byToken.set(opts.progressToken, id);
      this.arm(id, p, opts.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
      if (signal) {
        p.onAbort = () => this.abandon(id, signal.reason ?? new McpError(ErrorCode.RequestTimeout, "Request cancelled"), "cancelled");
        signal.addEventListener("abort", p.onAbort, { once: true });
      }
      this.deliver(makeRequest(id, method, params), opts.route);
    });
  }

  notify(method: string, params?: Params): void {
    if (!this.closed) this.deliver(makeNotification(method, params));
  }

  private arm(id: RequestId, p: Pending, ms: number): void {
    if (p.timer) clearTimeout(p.timer);
    p.timer = undefined;
    const max = p.opts.maxTotalTimeoutMs ?? DEFAULT_MAX_TOTAL_TIMEOUT_MS;
    const left = Math.min(ms, max - (Date.now() - p.started));
    if (!Number.isFinite(left)) return;
    const t = setTimeout(() => {
      const total = Date.now() - p.started;
      this.abandon(id, new RequestTimeoutError(total), "timeout");
    }, Math.max(0, left));
    // A pending request alone should not keep a process alive.
    (t as any).unref?.();
    p.timer = t;
  }

  /** Give up on an outgoing request and tell the other side. */
  private abandon(id: RequestId, err: unknown, reason: string): void {
    const p = this.take(id);
    if (!p) return;
    p.reject(err);
    if (!this.closed) this.handlers?.cancelledOutgoing?.(id, reason);
  }

  private take(id: RequestId): Pending | undefined {
    const p = this.pendingMap?.get(id);
    if (!p) return undefined;
    this.pending.delete(id);
    if (p.timer) clearTimeout(p.timer);
    if (p.opts.progressToken !== undefined) this.byToken.delete(p.opts.progressToken);
    if (p.onAbort) p.opts.signal?.removeEventListener("abort", p.onAbort);
    return p;
  }

  progress(token: RequestId, params: Params): void {
    const id = this.tokenMap?.get(token);
    const p = id === undefined ? undefined : this.pending.get(id);
    if (!p) return;
    const value = params.progress;
    // Progress must increase; a stale or repeated report is ignored.
    if (typeof value !== "number" || value <= p.lastProgress) return;
    p.lastProgress = value;
    if (p.opts.resetTimeoutOnProgress) this.arm(id!, p, p.opts.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
    try {
      p.opts.onProgress?.(params);
    } catch {
      // A throwing progress callback must not break the connection.
    }
  }

  /** An answer arrived. Unknown ids (late answers to abandoned requests) are dropped. */
  protected onResponse(msg: JsonRpcResponse): void {
    if (msg.id === null) return;
    const p = this.take(msg.id);
    if (!p) return;
    if ("error" in msg) p.reject(new McpError(msg.error.code, msg.error.message, msg.error.data));
    else p.resolve(msg.result);
  }

  protected onNotification(method: string, params: Params | undefined): void {
    try {
      this.handlers?.notification?.(method, params);
    } catch {
      // Notification handlers cannot answer; their errors stay local.
    }
  }

  protected onRequest(id: RequestId, method: string, params: Params | undefined): void {
    if (this.incoming.has(id)) {
      this.deliver(makeError(id, new McpError(ErrorCode.InvalidRequest, `Request id ${JSON.stringify(id)} is already in flight`)));
      return;
    }
    const inc = new IncomingRequest(id, method, params, this);
    this.incoming.set(id, inc);
    let out: Params | Promise<Params>;
    try {
      out = this.handlers!.request(inc);
    } catch (e) {
      this.finish(inc, undefined, e);
      return;
    }
    if (out instanceof Promise) out.then((r) => this.finish(inc, r, undefined), (e) => this.finish(inc, undefined, e));
    else this.finish(inc, out, undefined);
  }

  private finish(inc: IncomingRequest, result: Params | undefined, err: unknown): void {
    this.incoming.delete(inc.id);
    // A cancelled request gets no answer at all.
    if (inc.cancelled || this.closed) return;
    inc.done = true;
    if (err !== undefined) this.deliver(makeError(inc.id, McpError.from(err)));
    else this.deliver(makeResult(inc.id, result ?? {}));
  }

  cancelIncoming(id: RequestId, reason = "cancelled"): void {
    this.incomingMap?.get(id)?.cancel(reason);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.closeTransport();
    this.onClosed();
  }

  /** The connection is gone: fail what we wait for, abort what we serve. */
  protected onClosed(reason?: Error): void {
    if (this.closed) return;
    this.closed = true;
    const err = new ConnectionClosedError(reason ? `Connection closed: ${reason.message}` : "Connection closed");
    for (const id of [...(this.pendingMap?.keys() ?? [])]) this.take(id)?.reject(err);
    for (const inc of this.incomingMap?.values() ?? []) inc.cancel("connection closed");
    this.incomingMap?.clear();
    this.handlers?.closed?.(reason);
  }
}
