/**
 * `mcp run --watch`: restart the server when a file it imported changes.
 *
 * Over stdio the client must not notice, so this process stays between the
 * client and a child `mcp run`: it keeps the client's `initialize`, and after a
 * restart replays it (and `notifications/initialized`, `logging/setLevel`,
 * resource subscriptions) to the new child, swallows the answers, then tells the
 * client `notifications/{tools,resources,prompts}/list_changed`. Requests the old
 * child did not answer get a -32000 error; requests that arrive during a restart
 * wait for it. 2026-07-28 clients are stateless and need no replay at all.
 * Over HTTP the child is simply restarted on the same port.
 *
 * The child reports every module it loads (tsx's onImport, over an IPC
 * channel): those files, minus node_modules, are what is watched.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { ErrorCode } from "../protocol/errors.js";
import { selfCommand } from "./meta.js";
import type { FileSpec } from "./target-file.js";
import { FileWatcher } from "./watcher.js";

type Msg = { jsonrpc?: string; id?: string | number | null; method?: string; params?: any; result?: any; error?: any };

const log = (s: string) => process.stderr.write(`[mcp run --watch] ${s}\n`);

/** The child's command line: the same `run`, without --watch, with absolute paths. */
export function childArgs(spec: FileSpec, v: Record<string, any>, rest: string[] | undefined): string[] {
  const a = ["run", spec.exportName ? `${spec.file}:${spec.exportName}` : spec.file, "--report-imports"];
  for (const k of ["transport", "port", "host", "path"]) if (v[k] !== undefined) a.push(`--${k}`, String(v[k]));
  for (const e of v.env ?? []) a.push("--env", e);
  for (const f of v["env-file"] ?? []) a.push("--env-file", resolve(f));
  return rest ? [...a, "--", ...rest] : a;
}

export function watchRun(spec: FileSpec, args: string[], http: boolean): Promise<void> {
  const relay = new Reloader(spec, args, http);
  relay.start();
  return new Promise(() => {}); // runs until stdin ends or a signal
}

class Reloader {
  private child: ChildProcess | undefined;
  private ready = false;
  private restarting = false;
  private generation = 0;
  private init: Msg | undefined;
  private initialized = false;
  private readonly sticky = new Map<string, Msg>();
  private readonly pending = new Set<string | number>();
  private queue: string[] = [];
  private readonly internal = new Map<string, (m: Msg) => void>();
  private readonly watcher = new FileWatcher((files) => void this.restart(files));

  constructor(
    private readonly spec: FileSpec,
    private readonly args: string[],
    private readonly http: boolean,
  ) {}

  start(): void {
    this.watcher.add(this.spec.file);
    if (!this.http) {
      const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
      rl.on("line", (line) => this.fromClient(line));
      rl.on("close", () => void this.shutdown());
    }
    for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => void this.shutdown());
    this.spawn();
  }

  private spawn(): void {
    const gen = ++this.generation;
    const { command, args } = selfCommand(...this.args);
    const child = spawn(command, args, { stdio: [this.http ? "inherit" : "pipe", this.http ? "inherit" : "pipe", "inherit", "ipc"] });
    this.child = child;
    this.ready = false;
    child.on("message", (m: any) => typeof m?.imported === "string" && this.watcher.add(m.imported));
    child.on("exit", (code, signal) => this.exited(child, code, signal));
    if (this.http) return;
    child.stdin!.on("error", () => {});
    createInterface({ input: child.stdout!, crlfDelay: Infinity }).on("line", (line) => this.fromServer(child, line));
    if (!this.init) return this.becomeReady();
    // Replay the session's handshake; the client already has its answers.
    this.internalRequest(child, { ...this.init, id: `mcpkit-reload-${gen}` }, (answer) => {
      if (this.initialized) this.write(child, { jsonrpc: "2.0", method: "notifications/initialized" });
      for (const m of this.sticky.values()) this.internalRequest(child, { ...m, id: `mcpkit-reload-${gen}-${m.method}-${this.internal.size}` }, () => {});
      this.becomeReady();
      const caps = answer.result?.capabilities ?? {};
      for (const kind of ["tools", "resources", "prompts"]) {
        if (caps[kind]?.listChanged) process.stdout.write(JSON.stringify({ jsonrpc: "2.0", method: `notifications/${kind}/list_changed` }) + "\n");
      }
    });
  }

  private becomeReady(): void {
    this.ready = true;
    const q = this.queue;
    this.queue = [];
    for (const line of q) this.fromClient(line);
  }

  private internalRequest(child: ChildProcess, m: Msg, then: (answer: Msg) => void): void {
    this.internal.set(String(m.id), then);
    this.write(child, m);
  }

  private write(child: ChildProcess, m: Msg | string): void {
    child.stdin?.write((typeof m === "string" ? m : JSON.stringify(m)) + "\n");
  }

  private fromClient(line: string): void {
    let m: Msg | undefined;
    try {
      m = JSON.parse(line);
    } catch {
      // not JSON: the server will say so
    }
    if (m && !Array.isArray(m) && typeof m.method === "string") this.remember(m);
    if (this.restarting || (this.child && !this.ready)) {
      this.queue.push(line);
      return;
    }
    if (!this.child) {
      if (m && m.method && m.id !== undefined && m.id !== null) this.fail(m.id, "the server is not running (it exited; save a file to restart it)");
      return;
    }
    if (m && m.method && m.id !== undefined && m.id !== null) this.pending.add(m.id);
    this.write(this.child, line);
  }

  /** What a restarted server must be told again. */
  private remember(m: Msg): void {
    if (m.method === "initialize") this.init = m;
    else if (m.method === "notifications/initialized") this.initialized = true;
    else if (m.method === "logging/setLevel") this.sticky.set("level", m);
    else if (m.method === "resources/subscribe") this.sticky.set(`sub ${m.params?.uri}`, m);
    else if (m.method === "resources/unsubscribe") this.sticky.delete(`sub ${m.params?.uri}`);
  }

  private fromServer(child: ChildProcess, line: string): void {
    if (child !== this.child) return;
    let m: Msg | undefined;
    try {
      m = JSON.parse(line);
    } catch {
      // pass it on as it is
    }
    if (m && m.id !== undefined && m.id !== null && !m.method) {
      const then = this.internal.get(String(m.id));
      if (then) {
        this.internal.delete(String(m.id));
        return then(m);
      }
      this.pending.delete(m.id);
    }
    process.stdout.write(line + "\n");
  }

  private fail(id: string | number, message: string): void {
    process.stdout.write(JSON.stringify({ jsonrpc: "2.0", id, error: { code: ErrorCode.ConnectionClosed, message } }) + "\n");
  }

  private failPending(message: string, queuedToo: boolean): void {
    for (const id of this.pending) this.fail(id, message);
    this.pending.clear();
    if (!queuedToo) return;
    const queued = this.queue;
    this.queue = [];
    for (const line of queued) {
      try {
        const m: Msg = JSON.parse(line);
        if (m.method && m.id !== undefined && m.id !== null) this.fail(m.id, message);
      } catch {
        // nothing to answer
      }
    }
  }

  private exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return;
    this.child = undefined;
    this.ready = false;
    this.internal.clear();
    if (this.restarting) return;
    log(`the server exited (${signal ?? `code ${code}`}); waiting for a change to ${this.spec.shown} or what it imports`);
    this.failPending(`the server exited (${signal ?? `code ${code}`})`, true);
  }

  private async restart(files: string[]): Promise<void> {
    if (this.restarting) return;
    this.restarting = true;
    log(`${files.map((f) => f.replace(process.cwd() + "/", "")).join(", ")} changed: restarting the server`);
    const old = this.child;
    if (old) {
      this.failPending("the server restarted (a file changed) before answering", false);
      await stop(old);
    }
    this.restarting = false;
    this.spawn();
  }

  private async shutdown(): Promise<void> {
    this.watcher.close();
    const c = this.child;
    this.child = undefined;
    if (c) await stop(c);
    process.exit(0);
  }
}

/** End stdin (a stdio server exits on that), then SIGTERM, then SIGKILL. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.stdin?.end();
    const t1 = setTimeout(() => child.kill("SIGTERM"), child.stdin ? 1000 : 0);
    const t2 = setTimeout(() => child.kill("SIGKILL"), 4000);
    child.once("exit", () => (clearTimeout(t1), clearTimeout(t2)));
  });
}
