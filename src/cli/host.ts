/**
 * How `mcp run` takes charge of a server file.
 *
 * The CLI installs a *run host* on `globalThis[Symbol.for("mcpkit.runHost")]`
 * before it imports the file. `McpServer.run()` and `serveStdio()` look for it
 * first: when it is there, they hand the server to it instead of serving
 * themselves. So a file that starts itself (`await mcp.run()` at top level) is
 * served once, on the transport the command line asked for, and a file that
 * only exports its server is served by the CLI after the import. A global
 * symbol rather than an environment flag: it reaches whichever copy of mcpkit
 * the file imports (the project's own, or the CLI's), and it does not leak into
 * child processes the server spawns, which may run mcpkit servers of their own.
 */
import type { RunOptions } from "../app/mcp-server.js";
import { CliError } from "./errors.js";

export const RUN_HOST = Symbol.for("mcpkit.runHost");

/** Anything `connect`-able: McpServer, the low-level Server, or one of another mcpkit copy. */
export interface ServerLike {
  connect(transport: any): Promise<{ done: Promise<unknown> }>;
  close(): Promise<void>;
  server?: unknown;
}

export type RunHost = (server: ServerLike, opts?: RunOptions) => Promise<void>;

export interface HostOptions {
  /** Transport options from the command line; they override what the file asked for. */
  cli: RunOptions;
  /** `file.ts:name` was given: ignore servers the file starts by itself, serve that export. */
  exportName?: string;
}

export class Host {
  /** The server being served, once one is. */
  started: ServerLike | undefined;
  private importing = true;
  private onStart: (() => void) | undefined;

  constructor(private readonly o: HostOptions) {}

  install(): void {
    (globalThis as any)[RUN_HOST] = ((server, opts) => this.onRun(server, opts ?? {})) satisfies RunHost;
  }

  /** The file (or the CLI) called `run()`/`serveStdio()`. */
  private onRun(server: ServerLike, fileOpts: RunOptions): Promise<void> {
    if (this.importing && this.o.exportName) {
      process.stderr.write(`mcp run: the file starts a server itself; serving the export "${this.o.exportName}" instead\n`);
      return Promise.resolve();
    }
    // The CLI already serves this very server (it was exported, and the file starts it later): nothing to do.
    if (this.started === server) return Promise.resolve();
    if (this.started) {
      return Promise.reject(new Error("mcp run serves one server per process, and this file starts a second one"));
    }
    return this.serve(server, fileOpts);
  }

  /** Serve `server` with the file's options overridden by the command line's. */
  serve(server: ServerLike, fileOpts: RunOptions = {}): Promise<void> {
    this.started = server;
    this.onStart?.();
    return serve(server, { ...fileOpts, ...defined(this.o.cli) });
  }

  /**
   * The file neither exports a server nor has started one yet: it may still start one after
   * some asynchronous setup (`main().then(() => mcp.run())`). Fail only when nothing is left
   * to run — Node's "beforeExit" — rather than after an arbitrary delay.
   */
  waitForStart(file: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const none = () => reject(new CliError(`mcp run: no server found in ${file}: export it (named or default), or start it in the file with mcp.run()`));
      process.once("beforeExit", none);
      this.onStart = () => {
        process.off("beforeExit", none);
        resolve();
      };
    });
  }

  /** The import finished: anything later that calls run() is the CLI's own doing. */
  imported(): void {
    this.importing = false;
  }
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export async function serve(server: ServerLike, opts: RunOptions): Promise<void> {
  const transport = opts.transport ?? "stdio";
  if (transport === "stdio") {
    const { StdioServerTransport } = await import("../transports/stdio.js");
    const conn = await server.connect(new StdioServerTransport());
    await conn.done;
    await server.close();
    process.exit(0);
  }
  const { runHttp } = await import("../node/serve.js");
  await runHttp(server as any, opts);
}

const PREFERRED = ["mcp", "server", "app"];

export function isServerLike(v: unknown): v is ServerLike {
  return typeof v === "object" && v !== null && typeof (v as any).connect === "function" && typeof (v as any).close === "function";
}

/**
 * The server a module exports: `name` if given; else the default export; else
 * the one server-like named export (or, among several, `mcp`, `server`, `app`).
 * A function export is a factory: it is called (and awaited) for the server.
 * Undefined when the module exports no server.
 */
export async function findServer(mod: Record<string, unknown>, file: string, name?: string): Promise<ServerLike | undefined> {
  let picked: [string, unknown] | undefined;
  if (name) {
    if (!(name in mod)) throw new CliError(`mcp run: ${file} has no export "${name}" (exports: ${Object.keys(mod).join(", ") || "none"})`);
    picked = [name, mod[name]];
  } else if (isServerLike(mod.default)) {
    picked = ["default", mod.default];
  } else {
    const servers = Object.entries(mod).filter(([, v]) => isServerLike(v));
    if (servers.length === 1) picked = servers[0];
    else if (servers.length > 1) {
      picked = servers.find(([k]) => PREFERRED.includes(k));
      if (!picked) throw new CliError(`mcp run: ${file} exports several servers (${servers.map(([k]) => k).join(", ")}); pick one with ${file}:<name>`);
    } else if (typeof mod.default === "function") picked = ["default", mod.default];
  }
  if (!picked) return undefined;
  let [key, value] = picked;
  if (typeof value === "function" && !isServerLike(value)) value = await (value as () => unknown)();
  if (!isServerLike(value)) throw new CliError(`mcp run: the export "${key}" of ${file} is not an MCP server`);
  return value;
}
