// Interop test helpers: where the fixtures and peers live, how to tap the wire
// (a tee process for servers under an official client, a wrapping transport for
// our client), and how to check what our side sent against the official schema.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Transport, TransportSink } from "../../src/dispatch/types.js";
import type { JsonRpcMessage } from "../../src/protocol/jsonrpc.js";
import { createRecorder, type Side } from "./schema.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const NODE = process.execPath;
export const MODERN = "2026-07-28";
/** `node --import tsx <file>` arguments for a TypeScript entry point of this repo. */
export const tsx = (file: string, ...args: string[]): string[] => ["--import", "tsx", path.join(ROOT, file), ...args];
export const FIXTURE = tsx("test/fixtures/lowlevel-server.ts");
export const EXAMPLE = tsx("examples/lowlevel.ts");
export const V1_PEER = tsx("test/peers/v1-server.ts");
export const V2_PEER = tsx("test/peers/v2-server.ts");

/** One message seen on the wire; "out" is what the tapped side sent. */
export interface WireLine {
  dir: "in" | "out";
  msg: any;
  /** The tee's pid: one per spawned server process. */
  pid?: number;
}

/** Spawn parameters that run `args` (a node command line) behind the tee, logging to a fresh file. */
export function teed(args: string[]): { command: string; args: string[]; cwd: string; log: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mcpkit-wire-"));
  const log = path.join(dir, "wire.jsonl");
  return { command: NODE, args: [path.join(ROOT, "test/fixtures/tee.mjs"), log, NODE, ...args], cwd: ROOT, log };
}

/** Everything the tee logged, in order ("out" = written by the server). */
export function readWire(log: string): WireLine[] {
  if (!fs.existsSync(log)) return [];
  return fs
    .readFileSync(log, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const { pid, dir, line } = JSON.parse(l) as { pid: number; dir: "in" | "out"; line: string };
      return { pid, dir, msg: JSON.parse(line) };
    });
}

/** The wire log split per spawned process, in order of first appearance. */
export function perProcess(lines: WireLine[]): WireLine[][] {
  const groups = new Map<number | undefined, WireLine[]>();
  for (const l of lines) {
    let g = groups.get(l.pid);
    if (!g) groups.set(l.pid, (g = []));
    g.push(l);
  }
  return [...groups.values()];
}

/** The revision a conversation settled on: the initialize answer's, else the modern one. */
export function sessionRevision(lines: WireLine[]): string {
  const init = lines.find((l) => l.msg.method === "initialize");
  if (!init) return MODERN;
  const answer = lines.find((l) => l !== init && l.msg.id === init.msg.id && !("method" in l.msg) && l.dir !== init.dir);
  return answer?.msg.result?.protocolVersion ?? MODERN;
}

/**
 * Validate every message `side` sent against the schema of `rev`. server/discover
 * traffic is modern by definition and is checked against 2026-07-28 even when the
 * conversation then fell back to a legacy revision. Returns the number checked.
 */
export function assertWireValid(lines: WireLine[], side: Side, rev: string): number {
  const rec = createRecorder();
  const other: Side = side === "server" ? "client" : "server";
  for (const { dir, msg } of lines) {
    let method: string | undefined = msg.method;
    if (method === undefined) method = rec.methodFor(dir === "out" ? other : side, msg.id);
    rec.record({ rev: method === "server/discover" ? MODERN : rev, side, msg, direction: dir });
  }
  rec.assertAllValid();
  const sent = lines.filter((l) => l.dir === "out").length;
  if (sent === 0) throw new Error(`no ${side} messages were captured`);
  return sent;
}

/** A transport wrapper that records both directions (as they are serialized) for our client. */
export class TapTransport implements Transport {
  readonly lines: WireLine[] = [];
  constructor(readonly inner: Transport) {}
  start(sink: TransportSink): void | Promise<void> {
    return this.inner.start({
      message: (data) => {
        try {
          this.lines.push({ dir: "in", msg: typeof data === "string" ? JSON.parse(data) : structuredClone(data) });
        } catch {
          // Not JSON: the dispatcher answers it; nothing to record.
        }
        sink.message(data);
      },
      invalid: (e) => sink.invalid?.(e),
      closed: (reason) => sink.closed(reason),
    });
  }
  send(message: JsonRpcMessage): void {
    this.lines.push({ dir: "out", msg: JSON.parse(JSON.stringify(message)) });
    this.inner.send(message);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Text of the single text block of a tool result. */
export function textOf(result: unknown): string {
  const content = (result as { content?: unknown }).content as { type: string; text?: string }[] | undefined;
  if (!Array.isArray(content) || content.length !== 1 || content[0].type !== "text") {
    throw new Error(`expected one text block, got ${JSON.stringify(result)}`);
  }
  return content[0].text!;
}
