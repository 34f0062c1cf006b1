/**
 * Cache of list results by the server's 2026-07-28 hints (`ttlMs`, `cacheScope`).
 * Keyed by method and cursor; a list-changed notification drops that list.
 * Only complete results are stored; input_required answers never are.
 */
import type { Params } from "../protocol/jsonrpc.js";

const LIST_OF: Record<string, string> = {
  "notifications/tools/list_changed": "tools/list",
  "notifications/prompts/list_changed": "prompts/list",
  "notifications/resources/list_changed": "resources/list",
};

export class ListCache {
  private readonly entries = new Map<string, { result: Params; expires: number }>();

  private static key(method: string, cursor: string | undefined): string {
    return `${method}\n${cursor ?? ""}`;
  }

  get(method: string, cursor: string | undefined): Params | undefined {
    const k = ListCache.key(method, cursor);
    const e = this.entries.get(k);
    if (!e) return undefined;
    if (e.expires <= Date.now()) {
      this.entries.delete(k);
      return undefined;
    }
    return e.result;
  }

  put(method: string, cursor: string | undefined, result: Params): void {
    const ttl = result.ttlMs;
    if (typeof ttl !== "number" || ttl <= 0 || (result.resultType ?? "complete") !== "complete") return;
    this.entries.set(ListCache.key(method, cursor), { result, expires: Date.now() + ttl });
  }

  /** Drop what a notification says has changed. */
  invalidate(notification: string): void {
    const method = LIST_OF[notification];
    if (!method) return;
    for (const k of this.entries.keys()) {
      if (k.startsWith(`${method}\n`) || (method === "resources/list" && k.startsWith("resources/templates/list\n"))) this.entries.delete(k);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
