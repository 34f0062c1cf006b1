/**
 * The link between a handler's live legacy sessions and the session store:
 * write-through of state changes, idle-expiry touches, and the per-session
 * channel to the other processes holding the same session. With the default
 * in-memory store (one process) nothing is published and nothing subscribed.
 */
import { ErrorCode, McpError } from "../../protocol/errors.js";
import type { RequestId } from "../../protocol/jsonrpc.js";
import type { SessionMessage, SessionPatch, SessionStore } from "../../state/session-store.js";
import { noStream, type DistributiveOmit, type Hub, type HttpSession } from "./legacy-session.js";

export class SessionHub implements Hub {
  readonly nodeId: string;
  readonly idBase: number;
  /** Touch a session in the store at most this often (its expiry is pushed a little further to match). */
  private readonly touchEveryMs: number;

  constructor(
    readonly store: SessionStore,
    readonly shared: boolean,
    private readonly idleMs: number,
    /** Let go of this process's copy of a session (it ended elsewhere). */
    private readonly drop: (s: HttpSession) => void,
  ) {
    this.nodeId = crypto.randomUUID().slice(0, 13);
    // Random per node, below 2^53, 2^32 ids apart: a forwarded answer is taken by the node whose range holds its id.
    this.idBase = shared ? (1 + Math.floor(Math.random() * (2 ** 20 - 2))) * 2 ** 32 : 0;
    this.touchEveryMs = shared ? Math.min(5_000, Math.floor(idleMs / 10)) : 0;
  }

  /** Send to the other holders; a failure is logged, and the returned promise rejects for a caller who must know. */
  publish(s: HttpSession, m: DistributiveOmit<SessionMessage, "from">): Promise<void> | void {
    if (!this.shared) return;
    const r = this.store.publish(s.id, { ...m, from: this.nodeId } as SessionMessage);
    report(r, `${m.t} for session ${s.id} not delivered`);
    return r;
  }

  /** Start receiving the session's channel (before anyone can act on it elsewhere). */
  async join(s: HttpSession): Promise<void> {
    if (!this.shared || s.leave) return;
    s.leave = await this.store.subscribe(s.id, (m) => {
      if (m.from !== this.nodeId) this.receive(s, m);
    });
  }

  /** A message from another process holding the session. */
  private receive(s: HttpSession, m: SessionMessage): void {
    switch (m.t) {
      case "state":
        s.legacy.restore(m.patch);
        if (m.patch.streamNode !== undefined) {
          s.streamNode = m.patch.streamNode;
          // Another node holds the GET stream now: ours is stale.
          if (s.streamNode !== this.nodeId && s.standalone?.sse) {
            s.standalone.sse.end();
            s.standalone.sse = undefined;
          }
        }
        break;
      case "push":
        if (m.to !== this.nodeId) break;
        if (!s.sendOnStream(m.msg) && "id" in m.msg && "method" in m.msg) this.publish(s, { t: "answer", msg: noStream(m.msg.id) });
        break;
      case "answer":
        if (s.endpoint.owns(m.msg.id)) s.endpoint.answer(m.msg);
        break;
      case "progress":
        s.endpoint.progress(m.params.progressToken as RequestId, m.params);
        break;
      case "cancel":
        s.inflight.get(m.requestId)?.cancel(m.reason);
        break;
      case "closed":
        this.drop(s);
        break;
    }
  }

  /** Write a state change through to the store and tell the other holders. */
  async change(s: HttpSession, patch: SessionPatch): Promise<void> {
    await this.store.update(s.id, patch);
    this.publish(s, { t: "state", patch });
  }

  /** The session was used now (`seen`), or is busy here: keep it alive in the store (throttled). */
  touch(s: HttpSession, now = Date.now(), seen = true): void {
    if (seen) s.lastSeen = now;
    if (now - s.touchedAt < this.touchEveryMs) return;
    s.touchedAt = now;
    report(this.store.touch([s.id], this.idleMs + this.touchEveryMs), `session ${s.id} could not be kept alive`);
  }
}

/** Log a failed fire-and-forget store operation: nothing fails silently. */
export function report(r: void | Promise<unknown>, what: string): void {
  if (r instanceof Promise) r.catch((e) => console.error(`[mcpkit] session store: ${what}: ${e instanceof Error ? e.message : e}`));
}

/** A store failure as the error a client sees: the session may well exist, so never "not found". */
export function storeUnavailable(e: unknown): McpError {
  return new McpError(ErrorCode.InternalError, `Session store unavailable: ${e instanceof Error ? e.message : String(e)}`);
}
