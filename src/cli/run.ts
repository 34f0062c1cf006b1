/** `mcp run <file>[:export]`: serve a server file, no build step, over stdio or Streamable HTTP. */
import { pathToFileURL } from "node:url";
import type { RunOptions } from "../app/mcp-server.js";
import { int, parse } from "./args.js";
import { collectEnv } from "./env.js";
import { CliError, UsageError } from "./errors.js";
import { findServer, Host } from "./host.js";
import { isTypeScript, parseFileSpec, registerTsx } from "./target-file.js";
import { childArgs, watchRun } from "./watch.js";

export const RUN_OPTIONS = {
  transport: { type: "string", short: "t" },
  port: { type: "string", short: "p" },
  host: { type: "string" },
  path: { type: "string" },
  env: { type: "string", short: "e", multiple: true },
  "env-file": { type: "string", multiple: true },
  cwd: { type: "string" },
  watch: { type: "boolean", short: "w" },
  // Internal: the parent of a --watch child learns the module graph through IPC.
  "report-imports": { type: "boolean" },
} as const;

interface RunValues {
  transport?: string;
  port?: string;
  host?: string;
  path?: string;
  env?: string[];
  "env-file"?: string[];
  cwd?: string;
  watch?: boolean;
  "report-imports"?: boolean;
}

export function transportOptions(command: string, v: RunValues): RunOptions {
  const port = int(command, "port", v.port);
  let transport = v.transport;
  if (transport === "streamable-http") transport = "http";
  if (transport !== undefined && transport !== "stdio" && transport !== "http") {
    throw new UsageError(`mcp ${command}: --transport is stdio or http, not "${v.transport}"`, command);
  }
  const httpFlag = port !== undefined || v.host !== undefined || v.path !== undefined;
  if (transport === "stdio" && httpFlag) throw new UsageError(`mcp ${command}: --port, --host and --path are for --transport http`, command);
  if (v.path !== undefined && !v.path.startsWith("/")) throw new UsageError(`mcp ${command}: --path must start with "/"`, command);
  return { transport: (transport ?? (httpFlag ? "http" : undefined)) as RunOptions["transport"], port, host: v.host, path: v.path };
}

export async function runCommand(argv: string[]): Promise<void> {
  const { values: v, positionals, rest } = parse<RunValues>("run", argv, RUN_OPTIONS);
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length ? `mcp run: one server file, not ${positionals.length} (server arguments go after --)` : "mcp run: missing the server file (see mcp run --help)", "run");
  }
  const spec = parseFileSpec("run", positionals[0]);
  const cli = transportOptions("run", v);
  const env = collectEnv("run", v["env-file"], v.env);
  if (v.cwd) chdir(v.cwd);
  if (v.watch) return watchRun(spec, childArgs(spec, v, rest), cli.transport === "http");
  Object.assign(process.env, env);
  // The file sees the arguments after `--` as its own, as under `node file.ts args…`.
  process.argv = [process.argv[0], spec.file, ...(rest ?? [])];
  // Over stdio, stdout carries the protocol: a stray console.log must not corrupt it.
  if ((cli.transport ?? "stdio") === "stdio") console.log = console.info = console.debug = console.error;

  const report = v["report-imports"] && typeof process.send === "function" ? reportImport : undefined;
  // A --watch child ends with its parent, even an HTTP one that stdin's end would not stop.
  if (report) process.once("disconnect", () => process.exit(0));
  if (isTypeScript(spec.file) || report) await registerTsx(report);
  report?.(pathToFileURL(spec.file).href);

  const host = new Host({ cli, exportName: spec.exportName });
  host.install();
  const mod = await import(pathToFileURL(spec.file).href).catch((e) => {
    throw /ERR_REQUIRE_(CYCLE|ASYNC)_MODULE/.test(e?.code) && /\.(ts|tsx|js)$/.test(spec.file)
      ? new CliError(`mcp run: ${spec.shown} is loaded as CommonJS, where top-level await is not allowed: add "type": "module" to its package.json, or name it .mts/.mjs`)
      : e;
  });
  host.imported();
  if (host.started) return; // the file started its server (over HTTP it is listening now)
  const server = await findServer(mod, spec.shown, spec.exportName);
  await (server ? host.serve(server) : host.waitForStart(spec.shown));
}

function chdir(dir: string): void {
  try {
    process.chdir(dir);
  } catch {
    throw new CliError(`mcp run: --cwd: no such directory: ${dir}`);
  }
}

function reportImport(url: string): void {
  try {
    process.send?.({ imported: url });
  } catch {
    // the parent is gone; "disconnect" ends this process
  }
}
