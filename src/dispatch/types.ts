import type { JsonRpcMessage, Params, RequestId } from "../protocol/jsonrpc.js";
import type { McpError } from "../protocol/errors.js";

/** What a transport reports to whoever reads from it. */
export interface TransportSink {
  /** One incoming message: a parsed JSON value, or raw text the receiver parses. */
  message(data: unknown): void;
  /** Input the transport itself rejected (over-long line, bad bytes); answered with a null id. */
  invalid?(error: McpError): void;
  /** The transport is gone (EOF, process exit, close()). Called once. */
  closed(reason?: Error): void;
}

/** A message transport: moves JSON-RPC messages, nothing more. */
export interface Transport {
  start(sink: TransportSink): void | Promise<void>;
  /** Queue one message; transports may batch writes but keep order. */
  send(message: JsonRpcMessage): void;
  close(): Promise<void>;
  /**
   * Work the transport must finish before it can deliver anything (e.g. an OAuth
   * authorization waiting for a person at a login page), or undefined. A caller whose
   * request timed out meanwhile may wait for it and ask again.
   */
  busy?(): Promise<unknown> | undefined;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Per-request timeout; default 60 s. `Infinity` disables it. */
  timeoutMs?: number;
  /** With `resetTimeoutOnProgress`, progress restarts the timer, but never past this total (default 10 min). */
  maxTotalTimeoutMs?: number;
  resetTimeoutOnProgress?: boolean;
  /** The token the caller put into the request; progress for it is routed here. */
  progressToken?: RequestId;
  onProgress?: (params: Params) => void;
  /**
   * Opaque routing hint passed to the transport with the message (HTTP uses it to
   * put a server → client request on the stream of the request that caused it).
   */
  route?: unknown;
}

/** A request received from the peer, as handed to the handler. */
export interface Incoming {
  readonly id: RequestId;
  readonly method: string;
  readonly params: Params | undefined;
  /** Created on first use: most requests never look at it. */
  readonly signal: AbortSignal;
  readonly cancelled: boolean;
  /** Send a notification tied to this request; dropped once it has been answered or cancelled. */
  notify(method: string, params?: Params): void;
}

export interface PeerHandlers {
  /** Returns the result object, or throws (an McpError keeps its code). */
  request(req: Incoming): Params | Promise<Params>;
  notification?(method: string, params: Params | undefined): void;
  /** A request we sent was abandoned (aborted or timed out): tell the peer, if the protocol says so. */
  cancelledOutgoing?(id: RequestId, reason: string): void;
  closed?(reason?: Error): void;
}

/** One end of a JSON-RPC conversation: what the server and client layers talk to. */
export interface Peer {
  bind(handlers: PeerHandlers): void;
  start(): Promise<void>;
  request(method: string, params?: Params, opts?: RequestOptions): Promise<Params>;
  notify(method: string, params?: Params): void;
  /** The peer cancelled request `id`: abort its handler and drop its response. */
  cancelIncoming(id: RequestId, reason?: string): void;
  /** Route a progress report to the outgoing request that owns `token`. */
  progress(token: RequestId, params: Params): void;
  close(): Promise<void>;
  readonly closed: boolean;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_TOTAL_TIMEOUT_MS = 600_000;
