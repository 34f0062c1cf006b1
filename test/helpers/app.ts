// In-memory harness for src/app tests: an McpServer and mcpkit's own Client over a
// linked pair of memory transports, in any era, plus raw requests for wire-level checks.
import { Client } from "../../src/client/index.js";
import type { ClientOptions } from "../../src/client/types.js";
import type { McpServer } from "../../src/app/index.js";
import { META } from "../../src/protocol/meta.js";
import type { Params } from "../../src/protocol/jsonrpc.js";
import type { Revision } from "../../src/protocol/revisions.js";
import { createMemoryTransportPair } from "../../src/transports/memory.js";

export interface EraCase {
  label: string;
  opts: ClientOptions;
  /** From 2025-11-25 on, invalid tool arguments are a tool error rather than -32602. */
  argsAsToolError: boolean;
  /** "Resource not found": -32002 up to 2025-11-25, -32602 in 2026-07-28. */
  notFound: number;
}
const legacy = (v: Revision): EraCase => ({ label: v, opts: { era: "legacy", protocolVersion: v }, argsAsToolError: v >= "2025-11-25", notFound: -32002 });
export const ERAS: EraCase[] = [
  legacy("2024-11-05"),
  legacy("2025-03-26"),
  legacy("2025-06-18"),
  legacy("2025-11-25"),
  { label: "2026-07-28", opts: { era: "modern" }, argsAsToolError: true, notFound: -32602 },
];
export const LEGACY_LATEST = ERAS[3];
export const MODERN = ERAS[4];

/** Connect a fresh Client (list cache off) to `mcp` over an in-memory pair. */
export async function connect(mcp: McpServer<any>, opts: ClientOptions = {}, name = "app-test"): Promise<Client> {
  const [clientSide, serverSide] = createMemoryTransportPair();
  await mcp.connect(serverSide);
  const client = new Client({ name, version: "1.0.0" }, { cache: false, validateOutput: false, ...opts });
  await client.connect(clientSide);
  return client;
}

/** One modern request exactly as given (plus the envelope): no input_required loop, no caching. */
export function rawModern(client: Client, method: string, params: Params = {}): Promise<any> {
  const _meta = {
    [META.protocolVersion]: "2026-07-28",
    [META.clientCapabilities]: client.capabilities,
    [META.clientInfo]: client.info,
    ...(params._meta as object),
  };
  return client.peer!.request(method, { ...params, _meta });
}

/** Assert-friendly: the code and message of a rejected promise. */
export async function failure(p: Promise<unknown>): Promise<{ code: number; message: string; data?: unknown }> {
  try {
    await p;
  } catch (e: any) {
    return { code: e.code, message: e.message, data: e.data };
  }
  throw new Error("expected a failure, got a result");
}
