/** The handle `mcp.tool/resource/prompt(...)` return: change one registration at run time. */
export interface Handle {
  readonly enabled: boolean;
  enable(): void;
  disable(): void;
  /** Unregister; a later registration under the same key is not affected. */
  remove(): void;
}

/** A handle over `map.get(key) === entry`; every change calls `changed` (list caches, list_changed). */
export function makeHandle<K, E extends { enabled: boolean }>(map: Map<K, E>, key: K, entry: E, changed: () => void): Handle {
  const set = (on: boolean) => {
    if (entry.enabled === on) return;
    entry.enabled = on;
    changed();
  };
  return {
    get enabled() {
      return entry.enabled;
    },
    enable: () => set(true),
    disable: () => set(false),
    remove: () => {
      if (map.get(key) !== entry) return;
      map.delete(key);
      changed();
    },
  };
}
