/**
 * Starting the MCP Inspector through npx: never bundled, fetched by npm on
 * first use and cached by it after. npm's `--loglevel=http` lines are counted
 * to show download progress; the Inspector is ready when it prints its URL.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { CliError } from "./errors.js";

export const INSPECTOR_PACKAGE = "@modelcontextprotocol/inspector";
/** The version `mcp dev` was tested with (its web backend and URL format). */
export const INSPECTOR_VERSION = "2.12.0";
export const DEFAULT_INSPECTOR = `${INSPECTOR_PACKAGE}@${INSPECTOR_VERSION}`;

export interface InspectorOptions {
  version: string;
  /** The stdio server command the Inspector connects to. */
  server: { command: string; args: string[] };
  env: Record<string, string>;
}

export interface RunningInspector {
  url: string;
  child: ChildProcess;
  stop(): void;
}

/** `npx -y -p @modelcontextprotocol/inspector@V -- mcp-inspector --web -- <server…>` */
export function npxArgs(version: string, server: { command: string; args: string[] }): string[] {
  return ["-y", "--loglevel=http", "-p", `${INSPECTOR_PACKAGE}@${version}`, "--", "mcp-inspector", "--web", "--", server.command, ...server.args];
}

export function startInspector(o: InspectorOptions): Promise<RunningInspector> {
  const win = process.platform === "win32";
  const child = spawn(win ? "npx.cmd" : "npx", npxArgs(o.version, o.server), {
    env: { ...process.env, ...o.env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so stopping it stops the servers it spawned too.
    detached: !win,
    shell: win,
  });
  const stop = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      if (!win && child.pid) process.kill(-child.pid, "SIGTERM");
      else child.kill();
    } catch {
      child.kill();
    }
  };
  const progress = new Progress(`Starting the MCP Inspector (npx ${INSPECTOR_PACKAGE}@${o.version})`);
  const early: string[] = [];
  let ready = false;
  let sawBanner = false;

  return new Promise((resolve, reject) => {
    const onLine = (line: string, err: boolean) => {
      if (ready) {
        // The rest of its banner (sandbox URL, the token again, where secrets go) is noise here.
        if (line.trim() && !/^\s+(Sandbox|Auth token|Auth:|Secrets)/.test(line)) process.stderr.write(`inspector: ${line}\n`);
        return;
      }
      early.push(line);
      if (/^npm http fetch /.test(line)) progress.fetched();
      if (err) return;
      if (/up and running/i.test(line)) sawBanner = true;
      const url = /(https?:\/\/\S+)/.exec(line)?.[1];
      if (url && (sawBanner || /_TOKEN=/.test(url))) {
        ready = true;
        progress.done();
        resolve({ url, child, stop });
      }
    };
    createInterface({ input: child.stdout! }).on("line", (l) => onLine(l, false));
    createInterface({ input: child.stderr! }).on("line", (l) => onLine(l, true));
    child.once("error", (e) => {
      progress.done(false);
      reject(new CliError(`mcp dev: cannot start npx (${e.message}); is npm installed?`));
    });
    child.once("exit", (code, signal) => {
      if (ready) return;
      progress.done(false);
      const shown = early.filter((l) => l.trim() && !l.startsWith("npm http")).slice(-25).join("\n");
      reject(new CliError(`mcp dev: the MCP Inspector exited before it was ready (${signal ?? `code ${code}`})`, 1, shown));
    });
  });
}

/** One status line: redrawn in place on a terminal, a line every 5 s otherwise. */
class Progress {
  private readonly start = Date.now();
  private requests = 0; // npm http requests seen
  private readonly timer: NodeJS.Timeout;
  private readonly tty = process.stderr.isTTY;
  private last = "";

  constructor(private readonly what: string) {
    process.stderr.write(`${what} …${this.tty ? "" : "\n"}`);
    this.timer = setInterval(() => this.draw(), this.tty ? 250 : 5000);
    this.timer.unref();
  }

  fetched(): void {
    this.requests++;
  }

  private text(): string {
    const s = Math.round((Date.now() - this.start) / 1000);
    const dl = this.requests > 1 ? `, fetching from npm (first use only): ${this.requests} requests` : s >= 3 ? " (the first run downloads it)" : "";
    return `${this.what} … ${s}s${dl}`;
  }

  private draw(): void {
    const t = this.text();
    if (t === this.last) return;
    this.last = t;
    process.stderr.write(this.tty ? `\r\x1b[K${t}` : `${t}\n`);
  }

  done(ok = true): void {
    clearInterval(this.timer);
    if (!ok) return void process.stderr.write(this.tty ? "\r\x1b[K" : "");
    const s = ((Date.now() - this.start) / 1000).toFixed(1);
    const dl = this.requests > 1 ? ` (${this.requests} npm requests)` : "";
    process.stderr.write(`${this.tty ? "\r\x1b[K" : ""}${this.what}: ready in ${s}s${dl}\n`);
  }
}
