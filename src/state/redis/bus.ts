/**
 * A notification bus over Redis pub/sub: a change published on any node
 * reaches the listen streams and legacy GET streams held by every node.
 * Delivery is at most once: while a node's pub/sub connection is down it
 * misses changes (the connection logs when it drops and when it is back).
 */
import type { ChangeEvent, NotificationBus } from "../bus.js";
import { RedisStateError, type RedisConnection } from "./connection.js";

export class RedisBus implements NotificationBus {
  private readonly fns = new Set<(e: ChangeEvent) => void>();
  private subscription: Promise<() => void> | undefined;
  readonly channel: string;

  constructor(
    private readonly conn: RedisConnection,
    opts: { channel?: string } = {},
  ) {
    this.channel = opts.channel ?? conn.key("bus");
  }

  /** Resolves once the change is in Redis (every subscribed node then receives it); rejects if Redis is unreachable. */
  async publish(event: ChangeEvent): Promise<void> {
    await this.conn.run("publish change", (r) => r.publish(this.channel, JSON.stringify(event)));
  }

  subscribe(fn: (e: ChangeEvent) => void): () => void {
    this.fns.add(fn);
    this.listen();
    return () => {
      this.fns.delete(fn);
    };
  }

  /** Resolves once this node receives changes (await it before serving). */
  async ready(): Promise<void> {
    await this.listen();
  }

  private listen(): Promise<() => void> {
    if (!this.subscription) {
      const sub = this.conn.subscribe(this.channel, (raw) => {
        let e: ChangeEvent;
        try {
          e = JSON.parse(raw);
        } catch {
          return;
        }
        for (const fn of this.fns) fn(e);
      });
      this.subscription = sub;
      sub.catch((err: RedisStateError) => {
        // Not listening: say so, and try again on the next ready()/subscribe().
        if (this.subscription === sub) this.subscription = undefined;
        this.conn.report("the notification bus is not receiving changes", err);
      });
    }
    return this.subscription;
  }
}
