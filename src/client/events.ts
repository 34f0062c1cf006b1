/** The client's events, one small typed emitter (works on every runtime). */
import type { Params } from "../protocol/jsonrpc.js";
import type { LoggingMessageParams } from "../protocol/types.js";

export interface ClientEvents {
  toolsListChanged: () => void;
  promptsListChanged: () => void;
  resourcesListChanged: () => void;
  resourceUpdated: (uri: string) => void;
  log: (params: LoggingMessageParams) => void;
  /** Any notification, after the client handled it. */
  notification: (method: string, params: Params | undefined) => void;
  /** The connection ended; `reconnecting` when a transport factory will be used on the next call. */
  closed: (info: { reason?: Error; reconnecting: boolean }) => void;
}

export class Emitter {
  private readonly listeners = new Map<keyof ClientEvents, Set<(...a: any[]) => void>>();
  on<E extends keyof ClientEvents>(event: E, fn: ClientEvents[E]): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(fn);
    return () => set!.delete(fn);
  }
  emit<E extends keyof ClientEvents>(event: E, ...args: Parameters<ClientEvents[E]>): void {
    for (const fn of this.listeners.get(event) ?? []) {
      try {
        fn(...args);
      } catch {
        // A listener's error is its own; it must not break message handling.
      }
    }
  }
}

/** Notification method → event. */
export const LIST_EVENTS: Record<string, "toolsListChanged" | "promptsListChanged" | "resourcesListChanged"> = {
  "notifications/tools/list_changed": "toolsListChanged",
  "notifications/prompts/list_changed": "promptsListChanged",
  "notifications/resources/list_changed": "resourcesListChanged",
};
