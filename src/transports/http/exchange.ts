/**
 * One HTTP request carrying one JSON-RPC request, seen by the server as an
 * `Incoming`. Its answer is plain JSON when nothing else had to be sent first;
 * the first notification (or server → client request) switches it to an SSE
 * stream that ends with the answer.
 */
import { ErrorCode, httpStatusForError, McpError } from "../../protocol/errors.js";
import { makeError, makeNotification, makeResult, type JsonRpcMessage, type Params, type RequestId } from "../../protocol/jsonrpc.js";
import type { Incoming } from "../../dispatch/types.js";
import { Cancellable } from "../../dispatch/endpoint.js";
import type { EventStore } from "./event-store.js";
import { SseStream } from "./sse.js";
import { JSON_HEADERS, SSE_HEADERS, type HttpOut } from "./types.js";

/** The SSE side of an exchange. Legacy sessions can re-attach a new connection to it (resumability). */
export class LogicalStream {
  sse: SseStream | undefined;
  ended = false;
  constructor(
    readonly id: string,
    private readonly store?: EventStore,
  ) {}
  async send(msg: JsonRpcMessage): Promise<void> {
    let eid: string | undefined;
    try {
      eid = this.store ? await this.store.store(this.id, msg) : undefined;
    } catch (e) {
      // The store is unreachable: the message still goes out live, without an id (it cannot be resumed).
      console.error(`[mcpkit] event store failed; sending without an event id (not resumable): ${e instanceof Error ? e.message : e}`);
    }
    this.sse?.send(msg, eid);
  }
  end(): void {
    this.ended = true;
    this.sse?.end();
  }
}

export interface ExchangeOptions {
  headers: Record<string, string>;
  /** False in JSON-only mode: notifications are dropped instead of opening a stream. */
  allowSse: boolean;
  /** Modern: a closed stream cancels the request. Legacy: it does not (the client may resume). */
  cancelOnDisconnect: boolean;
  streamId?: string;
  eventStore?: EventStore;
  /** 2025-11-25 priming: `retry` hint in ms, sent with an empty first event. */
  primeRetryMs?: number;
  /**
   * 2026-07-28: some JSON-RPC errors carry their own HTTP status (-32601 → 404, …).
   * Legacy answers every JSON-RPC error with 200: a 404 there means "session gone".
   */
  errorStatus?: boolean;
  /** Called when the exchange turns into a stream (legacy sessions track streams for resumption). */
  onOpen?: (stream: LogicalStream) => void;
  keepAliveMs?: number;
}

export class Exchange extends Cancellable implements Incoming {
  private logical: LogicalStream | undefined;
  private resolveOut!: (o: HttpOut) => void;
  private sent = false;
  /** What the adapter sends back; settles early if the exchange turns into a stream. */
  readonly out = new Promise<HttpOut>((r) => (this.resolveOut = r));

  constructor(
    readonly id: RequestId,
    readonly method: string,
    readonly params: Params | undefined,
    private readonly opts: ExchangeOptions,
  ) {
    super();
  }

  get stream(): LogicalStream | undefined {
    return this.logical;
  }

  notify(method: string, params?: Params): void {
    if (this.done || this.cancelled) return;
    void this.push(makeNotification(method, params));
  }

  /** Put any message (notification, server → client request) on this exchange's stream. */
  push(msg: JsonRpcMessage): Promise<void> | undefined {
    if (!this.opts.allowSse) return undefined;
    return this.open().send(msg);
  }

  private open(): LogicalStream {
    if (this.logical) return this.logical;
    const sse = new SseStream();
    const logical = new LogicalStream(this.opts.streamId ?? crypto.randomUUID(), this.opts.eventStore);
    logical.sse = sse;
    this.logical = logical;
    if (this.opts.primeRetryMs !== undefined && this.opts.eventStore) {
      // Event ids are `<stream>.<n>` from 1; the priming id `<stream>.0` resumes from the start.
      sse.prime(`${logical.id}.0`, this.opts.primeRetryMs);
    }
    if (this.opts.keepAliveMs) sse.keepAliveEvery(this.opts.keepAliveMs);
    sse.onCancel(() => {
      if (logical.sse === sse) logical.sse = undefined;
      if (this.opts.cancelOnDisconnect) this.cancel("stream closed");
    });
    this.sent = true;
    this.opts.onOpen?.(logical);
    this.resolveOut({ status: 200, headers: { ...SSE_HEADERS, ...this.opts.headers }, stream: sse });
    return logical;
  }

  /**
   * Close the SSE connection now but keep the request running (legacy polling;
   * the client resumes with GET + Last-Event-ID). A response still headed for
   * plain JSON turns into a stream first, so the client gets the priming event
   * it resumes from. Without an event store nothing could be resumed: no-op.
   */
  closeStream(): void {
    if (this.done || this.cancelled || !this.opts.allowSse || !this.opts.eventStore) return;
    // Before 2025-11-25 there is no priming event: a stream not yet opened would close with no
    // event id to resume from, and the answer would be lost. Keep it open instead.
    if (!this.logical && this.opts.primeRetryMs === undefined) return;
    this.open().sse?.end();
  }

  /** Answer the request: as JSON, or as the last event of its stream. */
  finish(result: Params | undefined, err: unknown): void | Promise<void> {
    if (this.done) return;
    this.done = true;
    const msg = err === undefined ? makeResult(this.id, result ?? {}) : makeError(this.id, McpError.from(err));
    if (this.logical) {
      const ls = this.logical;
      return ls.send(msg).then(() => ls.end());
    }
    // Plain JSON — also when nobody listens any more, so the HTTP request is not left hanging.
    this.sent = true;
    this.resolveOut({ status: this.cancelled || !this.opts.errorStatus ? 200 : statusOf(err), headers: { ...JSON_HEADERS, ...this.opts.headers }, body: JSON.stringify(msg) });
  }

  get responded(): boolean {
    return this.sent;
  }
}

/** Handler errors are ordinary JSON-RPC answers (200), except those the status table names. */
function statusOf(err: unknown): number {
  if (!(err instanceof McpError)) return 200;
  if (err.code === ErrorCode.MethodNotFound || err.code === ErrorCode.MissingRequiredClientCapability) return httpStatusForError(err.code);
  return 200;
}

export function jsonOut(status: number, body: unknown, headers: Record<string, string> = {}): HttpOut {
  return { status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}
export function errorOut(status: number, code: number, message: string, id: RequestId | null = null, data?: unknown, headers?: Record<string, string>): HttpOut {
  return jsonOut(status, makeError(id, new McpError(code, message, data)), headers);
}
export const emptyOut = (status: number, headers: Record<string, string> = {}): HttpOut => ({ status, headers });
