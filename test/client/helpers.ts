// Shared pieces of the client tests: handlers that record what the server asked,
// quick ways to connect a Client over stdio or HTTP, and small waiting helpers.
import { Client } from "../../src/client/client.js";
import type { ClientHandlerContext, ClientOptions } from "../../src/client/types.js";
import { StdioClientTransport } from "../../src/transports/stdio-client.js";
import { StreamableHttpClientTransport, type HttpClientOptions } from "../../src/transports/http/client.js";
import { NODE, ROOT } from "../helpers/wire.js";

export const INFO = { name: "mcpkit-client-test", version: "0.1.0" };

/** A server -> client request as our handler saw it. */
export interface Asked {
  method: string;
  params: any;
  era: ClientHandlerContext["era"];
}

/**
 * Handlers for sampling, elicitation and roots that record every request. Elicitation
 * answers `decision` (accept with `{confirm: true}` by default: the schema's other
 * defaults are filled in by the client) or, for a form asking a `name`, `{name: "Ann"}`.
 */
export function recordingHandlers(asked: Asked[], decision: () => "accept" | "decline" = () => "accept"): NonNullable<ClientOptions["handlers"]> {
  return {
    "sampling/createMessage": async (p, ctx) => {
      asked.push({ method: "sampling/createMessage", params: p, era: ctx.era });
      const prompt = (p.messages[0]?.content as { text?: string } | undefined)?.text;
      return { role: "assistant", content: { type: "text", text: `echo(${prompt})` }, model: "test-model", stopReason: "endTurn" };
    },
    "elicitation/create": async (p, ctx) => {
      asked.push({ method: "elicitation/create", params: p, era: ctx.era });
      const d = decision();
      if (d !== "accept") return { action: d };
      const props = (p as { requestedSchema?: { properties?: Record<string, unknown> } }).requestedSchema?.properties ?? {};
      return { action: "accept", content: "name" in props ? { name: "Ann" } : { confirm: true } };
    },
    "roots/list": async (_p, ctx) => {
      asked.push({ method: "roots/list", params: _p, era: ctx.era });
      return { roots: [{ uri: "file:///work/a", name: "a" }, { uri: "file:///work/b" }] };
    },
  };
}

/** `node --import tsx <file> ...args` as a stdio transport, stderr kept for inspection. */
export function stdio(file: string, ...args: string[]): StdioClientTransport {
  return new StdioClientTransport({ command: NODE, args: ["--import", "tsx", `${ROOT}/${file}`, ...args], cwd: ROOT, stderr: "pipe" });
}

export async function connected(source: Parameters<Client["connect"]>[0], opts: ClientOptions = {}): Promise<Client> {
  const client = new Client(INFO, opts);
  await client.connect(source);
  return client;
}

export const http = (url: string, o?: HttpClientOptions) => new StreamableHttpClientTransport(url, o);

export const textOf = (r: { content?: unknown }): string =>
  ((r.content as { type: string; text?: string }[] | undefined) ?? [])
    .filter((c) => c.type === "text")
    .map((c) => c.text)
    .join("\n");

/** Resolve when `check()` holds, polling every 10 ms; reject after `ms`. */
export async function until(check: () => boolean, ms = 5000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
