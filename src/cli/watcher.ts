/** Watch a growing set of files (the server's module graph) through their directories. */
import { watch, type FSWatcher } from "node:fs";
import { basename, dirname } from "node:path";
import { fileURLToPath } from "node:url";

export class FileWatcher {
  private readonly dirs = new Map<string, { names: Set<string>; watcher: FSWatcher }>();
  private timer: NodeJS.Timeout | undefined;
  private changed = new Set<string>();

  /** `onChange` gets the files changed within `debounceMs` of each other. */
  constructor(
    private readonly onChange: (files: string[]) => void,
    private readonly debounceMs = 120,
  ) {}

  /** A path or file: URL; dependencies (node_modules) and other schemes are not watched. */
  add(fileOrUrl: string): void {
    if (/^[a-z]+:/i.test(fileOrUrl) && !fileOrUrl.startsWith("file:")) return;
    const file = fileOrUrl.startsWith("file:") ? fileURLToPath(fileOrUrl.split("?")[0]) : fileOrUrl;
    if (/[\\/]node_modules[\\/]/.test(file)) return;
    const dir = dirname(file);
    let entry = this.dirs.get(dir);
    if (!entry) {
      let watcher: FSWatcher;
      try {
        watcher = watch(dir, (_event, name) => this.event(dir, name?.toString()));
      } catch {
        return; // the directory went away; nothing to watch
      }
      watcher.on("error", () => {});
      entry = { names: new Set(), watcher };
      this.dirs.set(dir, entry);
    }
    entry.names.add(basename(file));
  }

  get size(): number {
    let n = 0;
    for (const d of this.dirs.values()) n += d.names.size;
    return n;
  }

  private event(dir: string, name: string | undefined): void {
    const entry = this.dirs.get(dir);
    if (!entry || (name !== undefined && !entry.names.has(name))) return;
    this.changed.add(name === undefined ? dir : `${dir}/${name}`);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const files = [...this.changed];
      this.changed.clear();
      this.onChange(files);
    }, this.debounceMs);
  }

  close(): void {
    clearTimeout(this.timer);
    for (const d of this.dirs.values()) d.watcher.close();
    this.dirs.clear();
  }
}
