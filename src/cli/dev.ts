/** `mcp dev <file>`: the MCP Inspector on the server, which restarts when its files change. */
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { int, parse } from "./args.js";
import { collectEnv } from "./env.js";
import { UsageError } from "./errors.js";
import { INSPECTOR_VERSION, startInspector } from "./inspector.js";
import { selfCommand } from "./meta.js";
import { parseFileSpec } from "./target-file.js";

const OPTIONS = {
  "inspector-port": { type: "string" },
  "inspector-version": { type: "string" },
  "no-open": { type: "boolean" },
  env: { type: "string", short: "e", multiple: true },
  "env-file": { type: "string", multiple: true },
} as const;

interface DevValues {
  "inspector-port"?: string;
  "inspector-version"?: string;
  "no-open"?: boolean;
  env?: string[];
  "env-file"?: string[];
}

export async function devCommand(argv: string[]): Promise<void> {
  const { values: v, positionals, rest } = parse<DevValues>("dev", argv, OPTIONS);
  if (positionals.length !== 1) throw new UsageError(positionals.length ? "mcp dev: one server file (server arguments go after --)" : "mcp dev: missing the server file (see mcp dev --help)", "dev");
  const spec = parseFileSpec("dev", positionals[0]);
  const port = int("dev", "inspector-port", v["inspector-port"]);
  collectEnv("dev", v["env-file"], v.env); // checked here, applied by `mcp run`
  const runArgs = ["run", spec.exportName ? `${spec.file}:${spec.exportName}` : spec.file, "--watch"];
  for (const e of v.env ?? []) runArgs.push("--env", e);
  for (const f of v["env-file"] ?? []) runArgs.push("--env-file", resolve(f));
  if (rest) runArgs.push("--", ...rest);

  const env: Record<string, string> = {
    // The token the Inspector's web backend demands (x-mcp-remote-auth: Bearer …); it is part of the printed URL.
    MCP_INSPECTOR_API_TOKEN: process.env.MCP_INSPECTOR_API_TOKEN ?? randomBytes(24).toString("hex"),
  };
  if (port !== undefined) env.CLIENT_PORT = String(port);
  if (v["no-open"]) env.MCP_AUTO_OPEN_ENABLED = "false";

  const inspector = await startInspector({ version: v["inspector-version"] ?? INSPECTOR_VERSION, server: selfCommand(...runArgs), env });
  process.stdout.write(`MCP Inspector: ${inspector.url}\n`);
  process.stderr.write(`Server: mcp run --watch ${spec.shown} (restarts when a file it imports changes). Ctrl+C stops.\n`);
  const stop = () => {
    inspector.stop();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  process.once("exit", () => inspector.stop());
  await new Promise<void>((resolve) => inspector.child.once("exit", () => resolve()));
}
