/** `mcp list | call | read | prompt`: talk to any server, print JSON, for scripts and CI. */
import { parse } from "./args.js";
import { UsageError } from "./errors.js";
import { connect, requestFailed, takeTarget, TARGET_OPTIONS, type Session, type TargetValues } from "./target.js";

const KINDS: Record<string, string> = { tools: "tools", resources: "resources", templates: "resourceTemplates", resourceTemplates: "resourceTemplates", prompts: "prompts" };

let raw = false;

function print(value: unknown): void {
  process.stdout.write(JSON.stringify(raw ? value : plain(value), null, 2) + "\n");
}

/**
 * The result as an application sees it, the same whichever era the server speaks:
 * without 2026-07-28 plumbing (resultType "complete", cache hints, the protocol's own _meta keys).
 */
export function plain(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const { resultType, ttlMs, cacheScope, _meta, ...rest } = value as Record<string, any>;
  const out: Record<string, unknown> = resultType === undefined || resultType === "complete" ? rest : { resultType, ...rest };
  const meta = _meta && typeof _meta === "object" ? Object.fromEntries(Object.entries(_meta).filter(([k]) => !k.startsWith("io.modelcontextprotocol/"))) : undefined;
  if (meta && Object.keys(meta).length) out._meta = meta;
  return out;
}

async function withSession(command: string, argv: string[], min: number, max: number, fn: (s: Session, args: string[]) => Promise<void>): Promise<void> {
  const { values, positionals, rest } = parse<TargetValues & { raw?: boolean }>(command, argv, { ...TARGET_OPTIONS, raw: { type: "boolean" } });
  raw = !!values.raw;
  const target = takeTarget(command, positionals, rest);
  if (positionals.length < min) throw new UsageError(`mcp ${command}: missing ${["the tool name", "the URI", "the prompt name"][["call", "read", "prompt"].indexOf(command)] ?? "an argument"} (see mcp ${command} --help)`, command);
  if (positionals.length > max) throw new UsageError(`mcp ${command}: unexpected argument "${positionals[max]}" (see mcp ${command} --help)`, command);
  const session = await connect(command, target, values);
  try {
    await fn(session, positionals);
  } catch (e: any) {
    throw e instanceof UsageError ? e : requestFailed(command, e);
  } finally {
    await session.close();
  }
}

/** Every page of a list. */
async function all(fetch: (cursor?: string) => Promise<any>, key: string): Promise<unknown[]> {
  const out: unknown[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const r = await fetch(cursor);
    out.push(...((r[key] as unknown[]) ?? []));
    cursor = r.nextCursor;
    if (!cursor) break;
  }
  return out;
}

export function listCommand(argv: string[]): Promise<void> {
  return withSession("list", argv, 0, 1, async ({ client }, [kind]) => {
    if (kind !== undefined && !Object.hasOwn(KINDS, kind)) throw new UsageError(`mcp list: list tools, resources, templates or prompts, not "${kind}"`, "list");
    const caps = client.serverCapabilities;
    const lists: Record<string, () => Promise<unknown[]>> = {};
    if (caps.tools) lists.tools = () => all((c) => client.listTools(c), "tools");
    if (caps.resources) {
      lists.resources = () => all((c) => client.listResources(c), "resources");
      lists.resourceTemplates = () => all((c) => client.listResourceTemplates(c), "resourceTemplates");
    }
    if (caps.prompts) lists.prompts = () => all((c) => client.listPrompts(c), "prompts");
    if (kind) return print(lists[KINDS[kind]] ? await lists[KINDS[kind]]() : []);
    const out: Record<string, unknown[]> = {};
    for (const [k, fetch] of Object.entries(lists)) out[k] = await fetch();
    print(out);
  });
}

/** One JSON object, or key=value pairs whose values are JSON when they parse as JSON. */
export function toolArgs(command: string, args: string[], strings: boolean): Record<string, unknown> {
  if (args.length === 1 && args[0].trimStart().startsWith("{")) {
    let o: unknown;
    try {
      o = JSON.parse(args[0]);
    } catch (e: any) {
      throw new UsageError(`mcp ${command}: the arguments are not valid JSON: ${e.message}`, command);
    }
    if (typeof o !== "object" || o === null || Array.isArray(o)) throw new UsageError(`mcp ${command}: the arguments must be a JSON object`, command);
    return strings ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])) : (o as Record<string, unknown>);
  }
  const out: Record<string, unknown> = {};
  for (const a of args) {
    const eq = a.indexOf("=");
    if (eq <= 0) throw new UsageError(`mcp ${command}: arguments are one JSON object or key=value pairs, not "${a}"`, command);
    const raw = a.slice(eq + 1);
    let value: unknown = raw;
    if (!strings) {
      try {
        value = JSON.parse(raw);
      } catch {
        // a plain string
      }
    }
    out[a.slice(0, eq)] = value;
  }
  return out;
}

export function callCommand(argv: string[]): Promise<void> {
  return withSession("call", argv, 1, Infinity, async ({ client }, [tool, ...args]) => {
    const result = await client.callTool(tool, toolArgs("call", args, false));
    print(result);
    if (result.isError) process.exitCode = 1;
  });
}

export function readCommand(argv: string[]): Promise<void> {
  return withSession("read", argv, 1, 1, async ({ client }, [uri]) => print(await client.readResource(uri)));
}

export function promptCommand(argv: string[]): Promise<void> {
  return withSession("prompt", argv, 1, Infinity, async ({ client }, [name, ...args]) => {
    const a = toolArgs("prompt", args, true) as Record<string, string>;
    print(await client.getPrompt(name, Object.keys(a).length ? a : undefined));
  });
}
