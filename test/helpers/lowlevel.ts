/** Scaffolding for test/server-lowlevel.test.ts: a Server with an `add` tool, Clients and raw peers on in-memory pairs. */
import { Server } from "../../src/server/server.js";
import { Client } from "../../src/client/client.js";
import type { ClientOptions } from "../../src/client/types.js";
import { Dispatcher } from "../../src/dispatch/dispatcher.js";
import { createMemoryTransportPair } from "../../src/transports/memory.js";
import { META } from "../../src/protocol/meta.js";
import type { Params } from "../../src/protocol/jsonrpc.js";
import type { ServerOptions } from "../../src/server/types.js";

export const INFO = { name: "test-server", version: "1.0.0" };
export const MODERN_META = { [META.protocolVersion]: "2026-07-28", [META.clientCapabilities]: {} };

export function makeServer<L = undefined>(opts: ServerOptions<L> = {}) {
  return new Server<L>(INFO, {
    ...opts,
    handlers: {
      "tools/list": () => ({ tools: [{ name: "add", inputSchema: { type: "object" } }] }),
      "tools/call": (_ctx, p) => ({ content: [{ type: "text", text: String((p.arguments?.a as number) + (p.arguments?.b as number)) }] }),
      ...opts.handlers,
    },
  });
}

export async function connectClient(server: Server<any>, opts: ClientOptions) {
  const [st, ct] = createMemoryTransportPair();
  const conn = await server.connect(st);
  const notes: { method: string; params: Params | undefined }[] = [];
  const client = new Client({ name: "test-client", version: "0.0.1" }, opts);
  for (const m of ["notifications/message", "notifications/resources/updated", "notifications/tools/list_changed",
    "notifications/prompts/list_changed", "notifications/resources/list_changed", "notifications/subscriptions/acknowledged"]) {
    client.setNotificationHandler(m, (p) => notes.push({ method: m, params: p }));
  }
  await client.connect(ct);
  return { client, conn, notes };
}

/** A bare JSON-RPC peer talking to the server, for requests our Client would never send. */
export async function rawPeer(server: Server<any>) {
  const [st, ct] = createMemoryTransportPair();
  const conn = await server.connect(st);
  const peer = new Dispatcher(ct);
  const notes: { method: string; params: Params | undefined }[] = [];
  peer.bind({ request: () => ({}), notification: (method, params) => notes.push({ method, params }) });
  await peer.start();
  return { peer, conn, notes };
}
