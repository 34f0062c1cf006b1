/** The client side of stdio: spawn the server, talk over its stdin/stdout, shut it down politely. */
import { spawn, type ChildProcess } from "node:child_process";
import type { JsonRpcMessage } from "../protocol/jsonrpc.js";
import type { Transport, TransportSink } from "../dispatch/types.js";
import { LineDecoder, DEFAULT_MAX_LINE_BYTES } from "./lines.js";
import { BatchedLineWriter } from "./stdio-writer.js";

export interface StdioClientOptions {
  command: string;
  args?: string[];
  /** Added to the inherited environment (see `inheritEnv`). */
  env?: Record<string, string>;
  /** Inherit the whole parent environment (default) or only a safe minimum (PATH, HOME, …). */
  inheritEnv?: boolean;
  cwd?: string;
  /** "pipe" (default) captures stderr for `onStderr`/`stderrText`; "inherit" passes it through. */
  stderr?: "pipe" | "inherit" | "ignore";
  onStderr?: (chunk: string) => void;
  maxLineBytes?: number;
  /** How long to wait after closing stdin, then after SIGTERM, before escalating (default 2000 ms each). */
  shutdownGraceMs?: number;
}

const SAFE_ENV = ["PATH", "HOME", "LOGNAME", "SHELL", "TERM", "USER", "LANG", "TMPDIR", "SYSTEMROOT", "APPDATA"];
const STDERR_KEEP = 64 * 1024;

export class StdioClientTransport implements Transport {
  child: ChildProcess | undefined;
  private writer: BatchedLineWriter | undefined;
  private sink: TransportSink | undefined;
  private exited: Promise<void> | undefined;
  private done = false;
  private stderrBuf = "";
  constructor(private readonly opts: StdioClientOptions) {}

  /** The last 64 KiB the server wrote to stderr (with stderr: "pipe"). */
  get stderrText(): string {
    return this.stderrBuf;
  }
  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(sink: TransportSink): Promise<void> {
    this.sink = sink;
    const o = this.opts;
    const base: Record<string, string | undefined> = o.inheritEnv === false ? pick(process.env, SAFE_ENV) : { ...process.env };
    const child = spawn(o.command, o.args ?? [], {
      cwd: o.cwd,
      env: { ...base, ...o.env },
      stdio: ["pipe", "pipe", o.stderr ?? "pipe"],
      windowsHide: true,
    });
    this.child = child;
    this.writer = new BatchedLineWriter(child.stdin!);
    child.stdin!.on("error", () => {}); // EPIPE when the server dies; reported through "exit"
    const decoder = new LineDecoder({ line: (t) => sink.message(t), invalid: () => {} }, o.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
    child.stdout!.on("data", (c: Buffer) => decoder.push(c));
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (s: string) => {
      this.stderrBuf = (this.stderrBuf + s).slice(-STDERR_KEEP);
      o.onStderr?.(s);
    });
    this.exited = new Promise((resolve) => {
      child.on("exit", (code, signal) => {
        decoder.end();
        this.finish(code === 0 || this.done ? undefined : new Error(`server exited with ${signal ?? `code ${code}`}`));
        resolve();
      });
    });
    return new Promise((resolve, reject) => {
      child.once("spawn", () => resolve());
      child.once("error", (e) => {
        this.finish(e);
        reject(e);
      });
    });
  }

  send(message: JsonRpcMessage): void {
    this.writer?.write(message);
  }

  private finish(reason?: Error): void {
    if (this.done) return;
    this.done = true;
    this.writer?.close();
    this.sink?.closed(reason);
  }

  /** Close stdin, wait; then SIGTERM, wait; then SIGKILL. */
  async close(): Promise<void> {
    const child = this.child;
    this.finish();
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const grace = this.opts.shutdownGraceMs ?? 2000;
    child.stdin?.end();
    if (await within(this.exited!, grace)) return;
    child.kill("SIGTERM");
    if (await within(this.exited!, grace)) return;
    child.kill("SIGKILL");
    await this.exited;
  }
}

function pick(env: NodeJS.ProcessEnv, keys: string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const k of keys) if (env[k] !== undefined) out[k] = env[k];
  return out;
}

function within(p: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    p.then(() => {
      clearTimeout(t);
      resolve(true);
    });
  });
}
