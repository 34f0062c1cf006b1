// Helpers for driving examples/*.ts with the official clients over stdio: v1
// (@modelcontextprotocol/sdk, legacy era) and v2 (@modelcontextprotocol/client,
// pinned to 2026-07-28), each behind the wire tee so every message the example
// writes can be checked against the schema afterwards.
import path from "node:path";
import type { Stream } from "node:stream";
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport as V1Stdio } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { Transport as V1Transport, TransportSendOptions } from "@modelcontextprotocol/sdk/shared/transport.js";
import { ElicitRequestSchema, LoggingMessageNotificationSchema, type JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { Client as V2Client } from "@modelcontextprotocol/client";
import { StdioClientTransport as V2Stdio } from "@modelcontextprotocol/client/stdio";
import type { Transport, TransportSink } from "../../src/dispatch/types.js";
import type { JsonRpcMessage } from "../../src/protocol/jsonrpc.js";
import { MODERN, ROOT, assertWireValid, readWire, sessionRevision, teed } from "./wire.js";

/** tsx by absolute URL, so an example also runs from another working directory. */
const TSX = import.meta.resolve("tsx");
export const exampleArgs = (name: string, ...args: string[]) => ["--import", TSX, path.join(ROOT, "examples", name), ...args];

export interface SpawnOptions {
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Answer elicitation/create (both clients). Default: no elicitation capability. */
  elicit?: (params: any) => any;
}

export interface Session<C> {
  client: C;
  /** The wire log (see wire.ts); `checkWire` validates it. */
  log: string;
  /** notifications/message params received. */
  logs: any[];
  /** elicitation/create params received. */
  elicited: any[];
  /** What the example wrote to stderr so far. */
  stderr(): string;
  /** Close the client, then check every message the example wrote against the schema of `rev`. */
  closeAndCheck(rev?: string): Promise<number>;
}

function collect(stream: Stream | null): () => string {
  let text = "";
  stream?.on("data", (c: Buffer) => (text += c.toString("utf8")));
  return () => text;
}

/** v1 always offers its latest revision; rewrite the outgoing initialize to ask for another (NOTES). */
export function forceInitializeVersion<T extends V1Transport>(transport: T, version: string): T {
  const send = transport.send.bind(transport);
  transport.send = (msg: JSONRPCMessage, opts?: TransportSendOptions) =>
    send("method" in msg && msg.method === "initialize" ? { ...msg, params: { ...msg.params, protocolVersion: version } } : msg, opts);
  return transport;
}

async function finish<C extends { close(): Promise<void> }>(client: C, log: string, rev: string | undefined): Promise<number> {
  await client.close();
  const wire = readWire(log);
  return assertWireValid(wire, "server", rev ?? sessionRevision(wire));
}

/** A failed connect says what the example wrote to stderr (a crash at start-up shows there). */
async function connectOrExplain(connecting: Promise<void>, name: string, stderr: () => string): Promise<void> {
  try {
    await connecting;
  } catch (e) {
    await new Promise((r) => setTimeout(r, 100));
    throw new Error(`connecting to examples/${name} failed: ${(e as Error).message}\n--- stderr ---\n${stderr()}`, { cause: e });
  }
}

/** Open a session, run `fn`, and close the client whatever happens (a failed test must not leave a server running). */
export async function withSession<C extends { close(): Promise<void> }>(open: Promise<Session<C>>, fn: (s: Session<C>) => Promise<void>): Promise<void> {
  const s = await open;
  try {
    await fn(s);
  } finally {
    await s.client.close().catch(() => {});
  }
}

/** The official v1 client on `examples/<name>` (legacy era; 2025-11-25 unless `version`). */
export async function openV1(name: string, opts: SpawnOptions & { version?: string } = {}): Promise<Session<V1Client>> {
  const spawn = teed(exampleArgs(name, ...(opts.args ?? [])));
  const transport = new V1Stdio({ command: spawn.command, args: spawn.args, cwd: opts.cwd ?? spawn.cwd, env: opts.env, stderr: "pipe" });
  const stderr = collect(transport.stderr);
  const client = new V1Client({ name: "v1-examples", version: "1.0.0" }, { capabilities: opts.elicit ? { elicitation: {} } : {} });
  const s: Session<V1Client> = {
    client,
    log: spawn.log,
    logs: [],
    elicited: [],
    stderr,
    closeAndCheck: (rev) => finish(client, spawn.log, rev),
  };
  if (opts.elicit) {
    const answer = opts.elicit;
    client.setRequestHandler(ElicitRequestSchema, async (req) => {
      s.elicited.push(req.params);
      return answer(req.params);
    });
  }
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void s.logs.push(n.params));
  await connectOrExplain(client.connect(opts.version ? forceInitializeVersion(transport, opts.version) : transport), name, stderr);
  return s;
}

/** Any subclass makes the v2 client probe on the session's own pipe instead of a sibling process (NOTES). */
class InPlaceStdio extends V2Stdio {}

/** The official v2 client on `examples/<name>`, pinned to 2026-07-28. */
export async function openV2(name: string, opts: SpawnOptions = {}): Promise<Session<V2Client>> {
  const spawn = teed(exampleArgs(name, ...(opts.args ?? [])));
  const transport = new InPlaceStdio({ command: spawn.command, args: spawn.args, cwd: opts.cwd ?? spawn.cwd, env: opts.env, stderr: "pipe" });
  const stderr = collect(transport.stderr);
  const client = new V2Client(
    { name: "v2-examples", version: "2.0.0" },
    { versionNegotiation: { mode: { pin: MODERN } }, capabilities: opts.elicit ? { elicitation: { form: {} } } : {} },
  );
  const s: Session<V2Client> = {
    client,
    log: spawn.log,
    logs: [],
    elicited: [],
    stderr,
    closeAndCheck: (rev) => finish(client, spawn.log, rev ?? MODERN),
  };
  if (opts.elicit) {
    const answer = opts.elicit;
    client.setRequestHandler("elicitation/create", async (req) => {
      s.elicited.push(req.params);
      return answer(req.params);
    });
  }
  client.setNotificationHandler("notifications/message", (n) => void s.logs.push(n.params));
  await connectOrExplain(client.connect(transport), name, stderr);
  return s;
}

/** The `_meta` the v2 client leaves on modern results: our serverInfo stamp. */
export const stamped = <T extends object>(r: T, serverName: string) => ({
  ...r,
  _meta: { "io.modelcontextprotocol/serverInfo": { name: serverName, version: "1.0.0" } },
});

/** The text of a single text block. */
export function onlyText(r: object): string {
  const blocks = ((r as any).content ?? (r as any).contents) as { text?: string }[] | undefined;
  if (!Array.isArray(blocks) || blocks.length !== 1 || typeof blocks[0].text !== "string") throw new Error(`expected one text block: ${JSON.stringify(r)}`);
  return blocks[0].text;
}

/**
 * An official SDK transport (either major version's InMemoryTransport end, or
 * anything with start/send/close/onmessage/onclose) seen as an mcpkit
 * Transport, so an official client can talk to an in-process mcpkit server.
 */
export interface OfficialTransport {
  start(): Promise<void>;
  send(message: any): Promise<void>;
  close(): Promise<void>;
  onmessage?: ((message: any, extra?: any) => void) | undefined;
  onclose?: (() => void) | undefined;
}
export class FromOfficial implements Transport {
  constructor(private readonly inner: OfficialTransport) {}
  start(sink: TransportSink): Promise<void> {
    this.inner.onmessage = (m) => sink.message(structuredClone(m));
    this.inner.onclose = () => sink.closed();
    return this.inner.start();
  }
  send(message: JsonRpcMessage): void {
    void this.inner.send(structuredClone(message));
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
