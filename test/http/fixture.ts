// Shared scaffolding for the HTTP tests: an mcpkit McpServer with a known surface,
// served by serveHttp on port 0, plus small raw-HTTP helpers (POST a JSON-RPC
// message with the right headers, read an SSE body into messages).
//
// tools      add {a,b} -> "5"; echo {message} -> "Echo: <message>";
//            confirm {action} -> ctx.elicit -> "<action>: confirmed" | "<action>: <decision>";
//            progress {steps} -> ctx.reportProgress + ctx.info per step, then "done after <steps> steps";
//            wait {tag} -> progress 0 (if asked for), then runs until aborted (records the abort in `aborted`) or released with `release(tag)`;
//            poll {tag} -> closes its SSE stream (legacy polling), then waits for `release(tag)` and returns "polled <tag>"
// resources  test://static ("static content"); template greeting://{name} ("Hello, <name>!")
// prompts    greet {name} -> one user message "Hello <name>"
import { z } from "zod";
import { McpServer } from "../../src/app/index.js";
import { serveHttp, type RunningHttpServer, type ServeHttpOptions } from "../../src/node/http.js";
import { SseParser } from "../../src/transports/http/sse-parser.js";

export const INFO = { name: "mcpkit-http", version: "1.0.0" };
export const LEGACY = "2025-11-25";
export const MODERN = "2026-07-28";
export const ENVELOPE = {
  "io.modelcontextprotocol/protocolVersion": MODERN,
  "io.modelcontextprotocol/clientCapabilities": {},
  "io.modelcontextprotocol/clientInfo": { name: "raw", version: "0.0.0" },
};

export interface Fixture {
  mcp: McpServer;
  /** Abort reasons of `wait` calls, by tag, in order of arrival. */
  aborted: Map<string, unknown>;
  /** Tags of `wait`/`poll` calls that have started. */
  started: Set<string>;
  /** Resolves when a `wait`/`poll` call with `tag` starts. */
  whenStarted(tag: string): Promise<void>;
  /** Let a waiting `wait`/`poll` call finish. */
  release(tag: string): void;
}

export function makeFixture(): Fixture {
  const mcp = new McpServer({ ...INFO, instructions: "HTTP fixture." });
  const aborted = new Map<string, unknown>();
  const started = new Set<string>();
  const gates = new Map<string, () => void>();
  const startWaiters = new Map<string, (() => void)[]>();
  const gate = (tag: string) => new Promise<void>((r) => gates.set(tag, r));
  const begin = (tag: string) => {
    started.add(tag);
    for (const w of startWaiters.get(tag) ?? []) w();
    startWaiters.delete(tag);
  };

  mcp.tool("add", { description: "Add two numbers", input: { a: z.number(), b: z.number() } }, ({ a, b }) => String(a + b));
  mcp.tool("echo", { description: "Echo a message", input: { message: z.string() } }, ({ message }) => `Echo: ${message}`);
  mcp.tool("confirm", { description: "Ask the user to confirm", input: { action: z.string() } }, async ({ action }, ctx) => {
    const r = await ctx.elicit(`Really ${action}?`, { confirm: z.boolean() });
    return r.action === "accept" && r.content.confirm ? `${action}: confirmed` : `${action}: ${r.action}`;
  });
  mcp.tool("progress", { description: "Report progress", input: { steps: z.number() } }, async ({ steps }, ctx) => {
    for (let i = 1; i <= steps; i++) {
      await ctx.reportProgress(i, steps, `step ${i}`);
      ctx.info(`step ${i}`, "fixture");
    }
    // The official clients run notification handlers a microtask late, so notifications that
    // arrive in the same read as the response can be dropped (typescript-sdk#2580). A ping
    // round trip on the same stream lets the client catch up first.
    if (ctx.era === "legacy") await ctx.request.request("ping", {}).catch(() => {});
    return `done after ${steps} steps`;
  });
  mcp.tool("wait", { description: "Wait until released or aborted", input: { tag: z.string() } }, async ({ tag }, ctx) => {
    const released = gate(tag);
    // With a progress token this first notification turns the answer into an SSE stream.
    await ctx.reportProgress(0, undefined, "started");
    begin(tag);
    const outcome = await Promise.race([
      released.then(() => "released"),
      new Promise<string>((resolve) => {
        if (ctx.signal.aborted) resolve("aborted");
        ctx.signal.addEventListener("abort", () => resolve("aborted"), { once: true });
      }),
    ]);
    if (outcome === "aborted") aborted.set(tag, ctx.signal.reason);
    return `${tag}: ${outcome}`;
  });
  mcp.tool("poll", { description: "Close the SSE stream, then answer later", input: { tag: z.string() } }, async ({ tag }, ctx) => {
    const released = gate(tag);
    ctx.request.http?.closeStream?.();
    begin(tag);
    await released;
    return `polled ${tag}`;
  });
  mcp.resource("test://static", { name: "static", description: "A static resource", mimeType: "text/plain" }, () => "static content");
  mcp.resource("greeting://{name}", { name: "greeting", description: "A greeting", mimeType: "text/plain" }, ({ name }) => `Hello, ${name}!`);
  mcp.prompt("greet", { description: "Greet someone", args: { name: z.string() } }, ({ name }) => `Hello ${name}`);

  return {
    mcp,
    aborted,
    started,
    whenStarted: (tag) =>
      started.has(tag) ? Promise.resolve() : new Promise<void>((r) => startWaiters.set(tag, [...(startWaiters.get(tag) ?? []), r])),
    release: (tag) => gates.get(tag)?.(),
  };
}

/** The fixture on a fresh port (and its own McpServer). */
export async function serveFixture(o: ServeHttpOptions = {}): Promise<{ fx: Fixture; http: RunningHttpServer; url: string; origin: string }> {
  const fx = makeFixture();
  const http = await serveHttp(fx.mcp, { port: 0, ...o });
  return { fx, http, url: http.url, origin: new URL(http.url).origin };
}

// ---- raw HTTP ----------------------------------------------------------------------------------

export const ACCEPT = "application/json, text/event-stream";

/** POST one JSON-RPC message (or raw text) with the usual headers, overridable. */
export function post(url: string, body: unknown, headers: Record<string, string> = {}, init: RequestInit = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: ACCEPT, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...init,
  });
}

/** Legacy initialize over raw HTTP; returns the session id. */
export async function initSession(url: string, version = LEGACY): Promise<string> {
  const res = await post(url, { jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: version, capabilities: {}, clientInfo: { name: "raw", version: "0" } } });
  await res.body?.cancel();
  if (res.status !== 200) throw new Error(`initialize: HTTP ${res.status}`);
  const sid = res.headers.get("mcp-session-id");
  if (!sid) throw new Error("initialize: no session id");
  const done = await post(url, { jsonrpc: "2.0", method: "notifications/initialized" }, { "mcp-session-id": sid, "mcp-protocol-version": version });
  if (done.status !== 202) throw new Error(`initialized: HTTP ${done.status}`);
  return sid;
}

/** The 2026-07-28 headers for a request. */
export function modernHeaders(method: string, name?: string): Record<string, string> {
  return { "mcp-protocol-version": MODERN, "mcp-method": method, ...(name !== undefined ? { "mcp-name": name } : {}) };
}
export function modernCall(id: number | string, name: string, args: Record<string, unknown>) {
  return { jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args, _meta: ENVELOPE } };
}

export interface SseEventOut {
  id: string | undefined;
  event: string;
  data: string;
}

/** Read SSE events from a body until `stop` says so (or the body ends); returns the events seen. */
export async function readEvents(body: ReadableStream<Uint8Array>, stop: (e: SseEventOut, all: SseEventOut[]) => boolean = () => false): Promise<{ events: SseEventOut[]; ended: boolean; lastEventId?: string }> {
  const events: SseEventOut[] = [];
  let done = false;
  const parser = new SseParser((e) => {
    events.push(e);
    if (stop(e, events)) done = true;
  });
  const reader = body.pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader();
  for (;;) {
    const { done: end, value } = await reader.read();
    if (end) return { events, ended: true, lastEventId: parser.lastEventId };
    parser.push(value);
    if (done) {
      await reader.cancel();
      return { events, ended: false, lastEventId: parser.lastEventId };
    }
  }
}

/** The JSON-RPC messages among SSE events. */
export const messages = (events: SseEventOut[]) => events.filter((e) => e.event === "message" && e.data !== "").map((e) => JSON.parse(e.data));

/** Poll until `cond` holds; fails after `ms` (a generous no-hang bound, not a timing assertion). */
export async function until(cond: () => boolean | Promise<boolean>, ms = 10_000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Reads an SSE body in the background; wait for events as they come. */
export class EventTap {
  readonly events: SseEventOut[] = [];
  ended = false;
  private wake: (() => void)[] = [];
  private readonly parser = new SseParser((e) => {
    this.events.push(e);
    this.poke();
  });
  readonly done: Promise<void>;
  constructor(body: ReadableStream<Uint8Array>) {
    const reader = body.pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader();
    this.done = (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          this.parser.push(value);
        }
      } catch {
        // aborted by us
      }
      this.ended = true;
      this.poke();
    })();
  }
  get lastEventId(): string | undefined {
    return this.parser.lastEventId;
  }
  get messages(): any[] {
    return messages(this.events);
  }
  private poke(): void {
    for (const w of this.wake.splice(0)) w();
  }
  /** The first event (already seen or to come) that matches; fails if the stream ends first. */
  async waitFor(pred: (e: SseEventOut) => boolean, what = "an SSE event", ms = 10_000): Promise<SseEventOut> {
    const end = Date.now() + ms;
    for (;;) {
      const hit = this.events.find(pred);
      if (hit) return hit;
      if (this.ended) throw new Error(`stream ended before ${what}`);
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((r) => {
        this.wake.push(r);
        setTimeout(r, 100);
      });
    }
  }
  /** The JSON-RPC message (already seen or to come) that matches. */
  async waitForMessage(pred: (m: any) => boolean, what = "a message"): Promise<any> {
    const e = await this.waitFor((e) => e.event === "message" && e.data !== "" && pred(JSON.parse(e.data)), what);
    return JSON.parse(e.data);
  }
}
