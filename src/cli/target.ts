/** A `<target>` for list/call/read/prompt: a server file, an http(s) URL, or a command after `--`. */
import { existsSync } from "node:fs";
import { Client } from "../client/client.js";
import type { Transport } from "../dispatch/types.js";
import { StreamableHttpClientTransport } from "../transports/http/client.js";
import { StdioClientTransport } from "../transports/stdio-client.js";
import { collectEnv } from "./env.js";
import { CliError, UsageError } from "./errors.js";
import { selfCommand, VERSION } from "./meta.js";
import { parseFileSpec } from "./target-file.js";

export const TARGET_OPTIONS = {
  env: { type: "string", short: "e", multiple: true },
  "env-file": { type: "string", multiple: true },
  header: { type: "string", short: "H", multiple: true },
  timeout: { type: "string" },
} as const;

export interface TargetValues {
  env?: string[];
  "env-file"?: string[];
  header?: string[];
  timeout?: string;
}

export interface Session {
  client: Client;
  close(): Promise<void>;
}

/** Take the target off the front of `positionals` (unless it is the command after `--`). */
export function takeTarget(command: string, positionals: string[], rest: string[] | undefined): string | string[] {
  if (rest) {
    if (!rest.length) throw new UsageError(`mcp ${command}: no command after "--"`, command);
    return rest;
  }
  const t = positionals.shift();
  if (t === undefined) throw new UsageError(`mcp ${command}: missing the target: a server file, a URL, or -- <command> (see mcp ${command} --help)`, command);
  return t;
}

export async function connect(command: string, target: string | string[], v: TargetValues): Promise<Session> {
  const timeout = v.timeout === undefined ? undefined : Number(v.timeout);
  if (timeout !== undefined && !(timeout > 0)) throw new UsageError(`mcp ${command}: --timeout is a number of seconds, not "${v.timeout}"`, command);
  const env = collectEnv(command, v["env-file"], v.env);
  let transport: Transport;
  let shown: string;
  let stderr = () => "";
  let exited = (): string | undefined => undefined;
  if (typeof target === "string" && /^https?:\/\//i.test(target)) {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new UsageError(`mcp ${command}: not a valid URL: ${target}`, command);
    }
    transport = new StreamableHttpClientTransport(url, { headers: headers(command, v.header ?? []) });
    shown = target;
  } else {
    if (v.header?.length) throw new UsageError(`mcp ${command}: --header is for URL targets`, command);
    let spawnWith: { command: string; args: string[] };
    if (typeof target === "string") {
      if (!existsSync(target) && !/:[A-Za-z_$][\w$]*$/.test(target)) {
        throw new CliError(`mcp ${command}: no such file: ${target} (a target is a server file, an http(s):// URL, or -- <command>)`);
      }
      const spec = parseFileSpec(command, target);
      spawnWith = selfCommand("run", spec.exportName ? `${spec.file}:${spec.exportName}` : spec.file);
      shown = target;
    } else {
      spawnWith = { command: target[0], args: target.slice(1) };
      shown = target.join(" ");
    }
    const t = new StdioClientTransport({ ...spawnWith, env, stderr: "pipe" });
    stderr = () => t.stderrText;
    exited = () => {
      const c = t.child;
      return c && (c.exitCode !== null || c.signalCode !== null) ? `the server exited (${c.signalCode ?? `code ${c.exitCode}`})` : undefined;
    };
    transport = t;
  }
  const client = new Client({ name: "mcpkit-cli", version: VERSION }, timeout ? { requestTimeoutMs: timeout * 1000 } : {});
  try {
    await client.connect(transport);
  } catch (e: any) {
    await client.close().catch(() => {});
    await new Promise((r) => setTimeout(r, 50)); // let an exit status arrive
    throw new CliError(`mcp ${command}: cannot connect to ${shown}: ${exited() ?? e?.message ?? e}`, 1, tail(stderr()));
  }
  return {
    client,
    close: () => client.close().catch(() => {}),
  };
}

/** A request failed: one line with the server's message and code, and what the server said on stderr. */
export function requestFailed(command: string, e: any): CliError {
  const code = typeof e?.code === "number" ? ` (${e.code})` : "";
  return new CliError(`mcp ${command}: ${e?.message ?? e}${code}`);
}

function headers(command: string, list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of list) {
    const i = h.indexOf(":");
    if (i <= 0) throw new UsageError(`mcp ${command}: --header takes "Name: value", not "${h}"`, command);
    out[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  return out;
}

function tail(text: string): string | undefined {
  const lines = text.trimEnd().split("\n").filter(Boolean).slice(-15);
  return lines.length ? lines.map((l) => `  server: ${l}`).join("\n") : undefined;
}
