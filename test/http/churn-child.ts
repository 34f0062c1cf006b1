// Child process of sessions.test.ts (run with --expose-gc): opens N legacy sessions through the
// fetch-style handler, has every other one stream a tool call (so the event store holds its
// events), abandons them all, runs the idle sweep as if the idle timeout had passed, and
// prints heap figures as JSON. The idle timeout is long (10 min by default), so no session
// can expire while the others are still being opened, however slow the machine.
import { createHttpHandler } from "../../src/transports/http/handler.js";
import { ACCEPT, LEGACY, makeFixture } from "./fixture.js";

const N = Number(process.argv[2] ?? 1000);
const IDLE_MS = Number(process.argv[3] ?? 600_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");

const fx = makeFixture();
fx.mcp.tool("chatty", { description: "Log, then answer" }, (_args, ctx) => {
  ctx.info("one");
  ctx.info("two");
  return "ok";
});
const handler = createHttpHandler(fx.mcp, { legacy: { idleTimeoutMs: IDLE_MS } });
const URL_ = "http://localhost/mcp";
const H = { "content-type": "application/json", accept: ACCEPT };

async function openSession(i: number): Promise<void> {
  const init = await handler.fetch(
    new Request(URL_, { method: "POST", headers: H, body: JSON.stringify({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: `c${i}`, version: "1" } } }) }),
  );
  await init.text();
  const sid = init.headers.get("mcp-session-id")!;
  const h = { ...H, "mcp-session-id": sid, "mcp-protocol-version": LEGACY };
  await (await handler.fetch(new Request(URL_, { method: "POST", headers: h, body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) }))).text();
  if (i % 2 === 0) {
    const r = await handler.fetch(new Request(URL_, { method: "POST", headers: h, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "chatty", arguments: {} } }) }));
    const body = await r.text();
    if (!r.headers.get("content-type")?.startsWith("text/event-stream") || !body.includes('"text":"ok"')) throw new Error(`unexpected answer: ${body}`);
  }
}

async function churn(): Promise<{ open: number; heapWhileOpen: number; msToDrain: number }> {
  for (let i = 0; i < N; i += 50) await Promise.all(Array.from({ length: Math.min(50, N - i) }, (_, k) => openSession(i + k)));
  const open = handler.legacy.sessions.size;
  const heapWhileOpen = heap();
  const t0 = Date.now();
  // The idle sweep, run now with a clock past every session's idle timeout.
  handler.legacy.sweep(Date.now() + IDLE_MS + 1);
  while (handler.legacy.sessions.size > 0) {
    if (Date.now() - t0 > 30_000) throw new Error(`sessions never expired: ${handler.legacy.sessions.size} left`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { open, heapWhileOpen, msToDrain: Date.now() - t0 };
}

function heap(): number {
  for (let i = 0; i < 4; i++) gc!();
  return process.memoryUsage().heapUsed;
}

// A first round warms up every code path (JIT, caches), so the baseline is fair.
await churn();
await new Promise((r) => setTimeout(r, 50));
const baseline = heap();
const rounds = [];
for (let r = 0; r < 3; r++) rounds.push(await churn());
await new Promise((r) => setTimeout(r, 50));
const final = heap();
process.stdout.write(JSON.stringify({ n: N, baseline, final, rounds, sessionsLeft: handler.legacy.sessions.size }) + "\n");
handler.close();
