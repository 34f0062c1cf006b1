/**
 * The session store: where a legacy (2025-era) Streamable HTTP session lives
 * beyond the process that created it. The HTTP handler keeps its live sessions
 * in memory and writes their state through to the store; a process that gets a
 * request for a session it does not hold loads the record and rebuilds it. The
 * store also carries messages between the processes holding one session (its
 * channel): state changes, server → client requests headed for the process that
 * holds the session's GET stream, and the client's answers headed back.
 *
 * The in-memory default serves one process (today's behaviour); `mcpkit/redis`
 * provides one that spans a fleet.
 */
import type { JsonRpcMessage, JsonRpcResponse, Params, RequestId } from "../protocol/jsonrpc.js";
import type { MaybePromise } from "../protocol/maybe.js";

/** What a process needs to rebuild a session. */
export interface SessionRecord {
  /** "new" until initialize succeeds; "ready" once the client sent notifications/initialized. */
  state: "new" | "initialized" | "ready";
  protocolVersion: string;
  clientCapabilities: Record<string, unknown>;
  clientInfo?: Record<string, unknown>;
  logLevel?: string;
  /** URIs of resources/subscribe. */
  subscriptions: string[];
  /** The process (handler) holding the session's GET stream, where server-initiated messages go. */
  streamNode?: string;
}

/** A change to a record. Subscriptions change one URI at a time, so concurrent changes commute. */
export interface SessionPatch extends Partial<Omit<SessionRecord, "subscriptions">> {
  subscribe?: string;
  unsubscribe?: string;
}

/** Messages between the processes holding one session. `from` names the sender's node. */
export type SessionMessage =
  | { t: "state"; from: string; patch: SessionPatch }
  /** Put `msg` on the session's GET stream; only node `to` acts. */
  | { t: "push"; from: string; to: string; msg: JsonRpcMessage }
  /** The client's answer to a server → client request; the node that sent the request takes it. */
  | { t: "answer"; from: string; msg: JsonRpcResponse }
  | { t: "progress"; from: string; params: Params }
  /** The client cancelled one of its requests (notifications/cancelled). */
  | { t: "cancel"; from: string; requestId: RequestId; reason: string }
  /** The session ended (DELETE): every copy closes. */
  | { t: "closed"; from: string };

export interface SessionStore {
  /** Record a new session unless `max` live sessions exist already (fleet-wide): false when full. */
  create(id: string, record: SessionRecord, limits: { max: number; idleMs: number }): MaybePromise<boolean>;
  /** A live session's record, or undefined if it never existed, expired or was deleted. */
  load(id: string): MaybePromise<SessionRecord | undefined>;
  /** Merge a change into a live session's record (an expired session stays expired). */
  update(id: string, patch: SessionPatch): MaybePromise<void>;
  /** These sessions were used: each expires `idleMs` after its last use. */
  touch(ids: string[], idleMs: number): MaybePromise<void>;
  delete(id: string): MaybePromise<void>;
  /** Send a message to every process holding `id`, this one included. */
  publish(id: string, message: SessionMessage): MaybePromise<void>;
  /** Receive the messages of `id`; resolves once receiving, to the function that stops it. */
  subscribe(id: string, fn: (message: SessionMessage) => void): MaybePromise<() => void>;
}

/** Apply a patch to a record in place. */
export function applyPatch(r: SessionRecord, p: SessionPatch): SessionRecord {
  for (const k of ["state", "protocolVersion", "clientCapabilities", "clientInfo", "logLevel", "streamNode"] as const) {
    if (p[k] !== undefined) (r as any)[k] = p[k];
  }
  if (p.subscribe !== undefined && !r.subscriptions.includes(p.subscribe)) r.subscriptions.push(p.subscribe);
  if (p.unsubscribe !== undefined) r.subscriptions = r.subscriptions.filter((u) => u !== p.unsubscribe);
  return r;
}

/**
 * In-process store: records with idle expiry and a fan-out channel per session.
 * Share one instance between several handlers to run a fleet inside one process
 * (tests do); across processes use `mcpkit/redis`.
 */
export class InMemorySessionStore implements SessionStore {
  private readonly records = new Map<string, { rec: SessionRecord; exp: number }>();
  private readonly channels = new Map<string, Set<(m: SessionMessage) => void>>();

  create(id: string, record: SessionRecord, limits: { max: number; idleMs: number }): boolean {
    const now = Date.now();
    if (this.records.size >= limits.max) for (const [k, v] of this.records) if (v.exp <= now) this.records.delete(k);
    if (this.records.size >= limits.max) return false;
    this.records.set(id, { rec: structuredClone(record), exp: now + limits.idleMs });
    return true;
  }
  private live(id: string): { rec: SessionRecord; exp: number } | undefined {
    const e = this.records.get(id);
    if (e && e.exp <= Date.now()) {
      this.records.delete(id);
      return undefined;
    }
    return e;
  }
  load(id: string): SessionRecord | undefined {
    const e = this.live(id);
    return e ? structuredClone(e.rec) : undefined;
  }
  update(id: string, patch: SessionPatch): void {
    const e = this.live(id);
    if (e) applyPatch(e.rec, structuredClone(patch));
  }
  touch(ids: string[], idleMs: number): void {
    const exp = Date.now() + idleMs;
    for (const id of ids) {
      const e = this.live(id);
      if (e && e.exp < exp) e.exp = exp;
    }
  }
  delete(id: string): void {
    this.records.delete(id);
  }
  publish(id: string, message: SessionMessage): void {
    const fns = this.channels.get(id);
    if (fns) for (const fn of [...fns]) queueMicrotask(() => fn(message));
  }
  subscribe(id: string, fn: (m: SessionMessage) => void): () => void {
    let fns = this.channels.get(id);
    if (!fns) this.channels.set(id, (fns = new Set()));
    fns.add(fn);
    return () => {
      fns.delete(fn);
      if (fns.size === 0 && this.channels.get(id) === fns) this.channels.delete(id);
    };
  }
  /** Live sessions (for tests and metrics). */
  get size(): number {
    return this.records.size;
  }
}
