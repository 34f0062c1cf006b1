/**
 * One subscription API over both eras. Legacy: list changes arrive anyway, and
 * resource updates need resources/subscribe per URI. Modern: one long-lived
 * `subscriptions/listen` request carries everything, and is re-opened (with
 * backoff) when it ends unexpectedly.
 */
import type { Params } from "../protocol/jsonrpc.js";
import type { ListenFilter } from "../protocol/types.js";

export interface SubscriptionFilter {
  toolsListChanged?: boolean;
  promptsListChanged?: boolean;
  resourcesListChanged?: boolean;
  /** Resource URIs whose updates you want. */
  resources?: string[];
}

export interface SubscriptionHost {
  era: "legacy" | "modern" | undefined;
  rawRequest(method: string, params: Params, opts?: { signal?: AbortSignal; timeoutMs?: number }): Promise<Params>;
  readonly isClosed: boolean;
}

export class Subscriptions {
  private filter: SubscriptionFilter = {};
  private legacyUris = new Set<string>();
  private listen: AbortController | undefined;
  /** What the server agreed to on the current listen stream. */
  acknowledged: ListenFilter | undefined;
  /** Who waits for the acknowledgement; `caller`: subscribe() itself, not a re-open after a break. */
  private ackWaiter: { resolve: (f: ListenFilter) => void; reject: (e: unknown) => void; caller: boolean } | undefined;
  private backoffMs = 500;

  constructor(private readonly host: SubscriptionHost) {}

  get current(): SubscriptionFilter {
    return this.filter;
  }

  async set(filter: SubscriptionFilter): Promise<ListenFilter> {
    this.filter = { ...filter, resources: [...new Set(filter.resources ?? [])] };
    if (this.host.era === "legacy") return this.syncLegacy();
    return this.openListen();
  }

  private async syncLegacy(): Promise<ListenFilter> {
    const want = new Set(this.filter.resources);
    for (const uri of want) if (!this.legacyUris.has(uri)) await this.host.rawRequest("resources/subscribe", { uri });
    for (const uri of this.legacyUris) if (!want.has(uri)) await this.host.rawRequest("resources/unsubscribe", { uri });
    this.legacyUris = want;
    const { resources, ...lists } = this.filter;
    return { ...lists, resourceSubscriptions: [...want] };
  }

  /** Replace the listen stream with one for the current filter; resolves with the acknowledgement. */
  private openListen(caller = true): Promise<ListenFilter> {
    this.listen?.abort();
    const f = this.filter;
    const notifications: ListenFilter = {};
    if (f.toolsListChanged) notifications.toolsListChanged = true;
    if (f.promptsListChanged) notifications.promptsListChanged = true;
    if (f.resourcesListChanged) notifications.resourcesListChanged = true;
    if (f.resources?.length) notifications.resourceSubscriptions = f.resources;
    if (Object.keys(notifications).length === 0) return Promise.resolve({});
    const ctl = (this.listen = new AbortController());
    const ack = new Promise<ListenFilter>((resolve, reject) => (this.ackWaiter = { resolve, reject, caller }));
    const started = Date.now();
    this.host.rawRequest("subscriptions/listen", { notifications }, { signal: ctl.signal, timeoutMs: Infinity }).then(
      () => this.ended(ctl, started),
      (e) => this.ended(ctl, started, e),
    );
    return ack;
  }

  /** The stream ended (server shutdown, broken connection): open it again unless we meant to stop. */
  private ended(ctl: AbortController, started: number, err?: unknown): void {
    if (ctl.signal.aborted || this.listen !== ctl || this.host.isClosed) return;
    if (err !== undefined && this.ackWaiter?.caller) {
      // Refused before any acknowledgement (e.g. -32601): tell the caller instead of retrying forever.
      this.ackWaiter.reject(err);
      this.ackWaiter = undefined;
      this.listen = undefined;
      return;
    }
    this.backoffMs = Date.now() - started > 10_000 ? 500 : Math.min(this.backoffMs * 2, 30_000);
    const t = setTimeout(() => {
      if (this.listen === ctl && !this.host.isClosed) void this.openListen(false).catch(() => {});
    }, this.backoffMs);
    (t as any).unref?.();
  }

  onAcknowledged(params: Params | undefined): void {
    this.acknowledged = (params?.notifications as ListenFilter) ?? {};
    this.ackWaiter?.resolve(this.acknowledged);
    this.ackWaiter = undefined;
  }

  /** After a reconnect or re-initialize, restore what was subscribed. */
  async restore(): Promise<void> {
    this.legacyUris.clear();
    // Best effort: a server that no longer takes the subscription must not fail the reconnect.
    if (Object.keys(this.filter).length) await this.set(this.filter).catch(() => {});
  }

  stop(): void {
    this.listen?.abort();
    this.listen = undefined;
  }
}
