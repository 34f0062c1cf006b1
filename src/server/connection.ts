/**
 * One stream-like connection (stdio, in-memory) to a server. Its era is decided
 * by its first message: `initialize` makes it a legacy session, anything else
 * (except a bare ping) makes it modern. An `initialize` arriving later still
 * opens a legacy session, so a client whose discovery probe timed out can fall back.
 */
import type { Params } from "../protocol/jsonrpc.js";
import type { Era } from "../protocol/revisions.js";
import type { Incoming, Peer } from "../dispatch/types.js";
import { LegacySession } from "./legacy.js";
import { handleModern } from "./modern.js";
import type { Server } from "./server.js";

export class ServerConnection {
  era: Era | undefined;
  session: LegacySession | undefined;
  private closing: Promise<void> | undefined;
  private resolveDone!: () => void;
  /** Settles when the connection has ended, from either side. */
  readonly done = new Promise<void>((r) => (this.resolveDone = r));

  constructor(
    readonly server: Server<any>,
    readonly peer: Peer,
  ) {
    peer.bind({
      request: (inc) => this.request(inc),
      notification: (m, p) => this.notification(m, p),
      // Legacy: a server → client request we gave up on is cancelled explicitly.
      cancelledOutgoing: (id, reason) => {
        if (this.era === "legacy") peer.notify("notifications/cancelled", { requestId: id, reason });
      },
      closed: () => this.onClosed(),
    });
  }

  private request(inc: Incoming): Promise<Params> | Params {
    if (inc.method === "initialize" && !this.session) {
      // Only an initialize that succeeds makes (or turns) the connection legacy.
      const session = new LegacySession(this.server, {
        notify: (m, p) => this.peer.notify(m, p),
        request: (m, p, o) => this.peer.request(m, p, o),
      });
      const result = session.handle(inc);
      this.session = session;
      this.era = "legacy";
      return result;
    }
    if (this.era === undefined) {
      if (inc.method === "ping") return {};
      this.era = "modern";
    }
    return this.era === "legacy" && this.session ? this.session.handle(inc) : handleModern(this.server, inc);
  }

  private notification(method: string, params: Params | undefined): void {
    switch (method) {
      case "notifications/cancelled":
        if (params && (typeof params.requestId === "string" || typeof params.requestId === "number")) {
          this.peer.cancelIncoming(params.requestId, typeof params.reason === "string" ? params.reason : "cancelled");
        }
        return;
      case "notifications/progress":
        if (params && (typeof params.progressToken === "string" || typeof params.progressToken === "number")) {
          this.peer.progress(params.progressToken, params);
        }
        return;
      case "notifications/initialized":
        this.session?.onNotification(method);
        return;
    }
    this.server.notification(method, params, { era: this.era ?? "modern", sessionId: this.session?.id });
  }

  private onClosed(): void {
    this.session?.close();
    this.server.connections.delete(this);
    this.resolveDone();
  }

  close(): Promise<void> {
    this.closing ??= this.peer.close().then(() => this.onClosed());
    return this.closing;
  }
}
