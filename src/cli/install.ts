/** `mcp install <file>`: write the server into MCP clients' configuration files. */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { parse } from "./args.js";
import { CLIENT_NAMES, CLIENTS, type Entry } from "./clients.js";
import { collectEnv } from "./env.js";
import { CliError, UsageError } from "./errors.js";
import { backup, realTarget, writeAtomic } from "./files.js";
import { getIn, JsoncError, setIn } from "./jsonc.js";
import { selfCommand } from "./meta.js";
import { connect } from "./target.js";
import { parseFileSpec, type FileSpec } from "./target-file.js";

const OPTIONS = {
  client: { type: "string", short: "c", multiple: true },
  project: { type: "boolean" },
  name: { type: "string", short: "n" },
  env: { type: "string", short: "v", multiple: true },
  "env-file": { type: "string", short: "f", multiple: true },
  force: { type: "boolean" },
} as const;

interface InstallValues {
  client?: string[];
  project?: boolean;
  name?: string;
  env?: string[];
  "env-file"?: string[];
  force?: boolean;
}

export async function installCommand(argv: string[]): Promise<void> {
  const { values: v, positionals, rest } = parse<InstallValues>("install", argv, OPTIONS);
  if (positionals.length !== 1) throw new UsageError(positionals.length ? "mcp install: one server file (server arguments go after --)" : "mcp install: missing the server file (see mcp install --help)", "install");
  const clients = v.client?.length ? v.client : ["claude-desktop"];
  for (const c of clients) {
    if (!CLIENT_NAMES.includes(c)) throw new UsageError(`mcp install: unknown client "${c}" (one of ${CLIENT_NAMES.join(", ")})`, "install");
    if (v.project && c !== "json" && !CLIENTS[c].project) throw new UsageError(`mcp install: ${CLIENTS[c].label} has no project configuration`, "install");
  }
  if (v.name !== undefined && !v.name.trim()) throw new UsageError("mcp install: --name is empty", "install");
  const spec = parseFileSpec("install", positionals[0]);
  const env = collectEnv("install", v["env-file"], v.env, "-v");
  for (const c of clients) {
    const def = CLIENTS[c];
    const needed = def?.installedDir?.(!!v.project);
    if (needed && !existsSync(needed) && !v.force) throw new CliError(`mcp install: ${needed} does not exist — is ${def.label} installed? (--force creates it)`);
  }
  const name = v.name ?? (await serverName(spec, env));
  const run = selfCommand("run", spec.exportName ? `${spec.file}:${spec.exportName}` : spec.file, "--cwd", process.cwd(), ...(rest ? ["--", ...rest] : []));
  const entry: Entry = { command: run.command, args: run.args, env };

  // Every edit is worked out (and checked) before any file is written: one bad file stops them all.
  const edits = clients.filter((c) => c !== "json").map((c) => plan(c, name, entry, !!v.project));
  if (clients.includes("json")) process.stdout.write(JSON.stringify({ mcpServers: { [name]: CLIENTS["claude-desktop"].entry(entry) } }, null, 2) + "\n");
  for (const e of edits) await apply(e, name, entry);
}

/** The name the server gives itself, read by starting it once. */
async function serverName(spec: FileSpec, env: Record<string, string>): Promise<string> {
  const target = spec.exportName ? `${spec.file}:${spec.exportName}` : spec.file;
  process.stderr.write(`Starting ${spec.shown} to read its name (--name skips this) …\n`);
  let session;
  try {
    session = await connect("install", target, { env: Object.entries(env).map(([k, val]) => `${k}=${val}`), timeout: "20" });
  } catch (e: any) {
    throw new CliError(`mcp install: could not start ${spec.shown} to read its name; fix it, or pass --name`, 1, e instanceof CliError ? [e.message, e.detail].filter(Boolean).join("\n") : String(e));
  }
  const name = session.client.serverInfo?.name;
  await session.close();
  if (!name) throw new CliError(`mcp install: ${spec.shown} did not say its name; pass --name`);
  return name;
}

interface Edit {
  id: string;
  path: string;
  before: string;
  text: string;
  existed: boolean;
  previous: unknown;
}

function plan(id: string, name: string, entry: Entry, project: boolean): Edit {
  const def = CLIENTS[id];
  const path = realTarget(def.file(project));
  const existed = existsSync(path);
  const before = existed ? readFileSync(path, "utf8") : "";
  try {
    const previous = getIn(before, [def.key, name]);
    // Like the Python SDK: a re-install keeps the variables set before, unless given again.
    const oldEnv = previous && typeof previous === "object" && typeof (previous as any).env === "object" ? (previous as any).env : undefined;
    const merged = oldEnv ? { ...entry, env: { ...oldEnv, ...entry.env } } : entry;
    return { id, path, before, text: setIn(before, [def.key, name], def.entry(merged)), existed, previous };
  } catch (e) {
    if (e instanceof JsoncError) throw new CliError(`mcp install: cannot edit ${path}: ${e.message}; it is left as it was`);
    throw e;
  }
}

async function apply(e: Edit, name: string, entry: Entry): Promise<void> {
  const def = CLIENTS[e.id];
  if (e.text === e.before) {
    process.stderr.write(`${def.label}: "${name}" is already installed in ${e.path}\n`);
    return;
  }
  mkdirSync(dirname(e.path), { recursive: true });
  const bak = e.existed ? backup(e.path) : undefined;
  await writeAtomic(e.path, e.text, Object.keys(entry.env ?? {}).length ? 0o600 : 0o644);
  const verb = e.previous === undefined ? "Added" : "Updated";
  process.stderr.write(`${def.label}: ${verb} "${name}" in ${e.path}${bak ? ` (backup: ${bak})` : ""}. ${def.after}\n`);
}
