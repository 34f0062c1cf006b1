/**
 * The notification bus: how "a list changed" and "a resource was updated" reach
 * every listener. In one process it is a plain fan-out; `mcpkit/redis` provides
 * one that spans a fleet, so a change made on any node reaches the legacy
 * sessions and modern listen streams held by every node.
 */
export type ChangeEvent = { kind: "tools" | "prompts" | "resources" } | { kind: "resource"; uri: string };

export interface NotificationBus {
  /** Announce a change; it is delivered to every subscriber, this process's included. */
  publish(event: ChangeEvent): void | Promise<void>;
  /** Receive every change published anywhere; returns an unsubscribe function. */
  subscribe(fn: (event: ChangeEvent) => void): () => void;
}

/** In-process bus: synchronous delivery to the subscribers of this process. */
export class LocalBus implements NotificationBus {
  private readonly fns = new Set<(e: ChangeEvent) => void>();
  publish(event: ChangeEvent): void {
    for (const fn of this.fns) fn(event);
  }
  subscribe(fn: (e: ChangeEvent) => void): () => void {
    this.fns.add(fn);
    return () => this.fns.delete(fn);
  }
}
