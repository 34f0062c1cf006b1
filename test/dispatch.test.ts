import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createDirectPair, type DirectPeer } from "../src/dispatch/direct.js";
import { Dispatcher } from "../src/dispatch/dispatcher.js";
import type { Endpoint } from "../src/dispatch/endpoint.js";
import type { Incoming, PeerHandlers } from "../src/dispatch/types.js";
import { createMemoryTransportPair, type MemoryTransport } from "../src/transports/memory.js";
import { ErrorCode, McpError } from "../src/protocol/errors.js";
import type { JsonRpcMessage, Params, RequestId } from "../src/protocol/jsonrpc.js";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** Poll until `check()` holds; the bound only keeps a broken test from hanging. */
async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  for (const t0 = Date.now(); !check(); await sleep(5)) if (Date.now() - t0 > ms) assert.fail(`timed out waiting for ${what}`);
}
const tick = () => new Promise<void>((r) => setImmediate(r));

/** Route the notifications a real MCP layer would route (cancel, progress) and record the rest. */
function wire(ep: Endpoint, request: PeerHandlers["request"], extra: Partial<PeerHandlers> = {}) {
  const notes: { method: string; params: Params | undefined }[] = [];
  const cancelled: { id: RequestId; reason: string }[] = [];
  ep.bind({
    request,
    notification: (method, params) => {
      notes.push({ method, params });
      if (method === "notifications/cancelled" && params) ep.cancelIncoming(params.requestId as RequestId, String(params.reason));
      if (method === "notifications/progress" && params) ep.progress(params.progressToken as RequestId, params);
    },
    cancelledOutgoing: (id, reason) => {
      cancelled.push({ id, reason });
      ep.notify("notifications/cancelled", { requestId: id, reason });
    },
    ...extra,
  });
  return { notes, cancelled };
}

/** Two Dispatchers over an in-memory transport pair, with every message sent recorded. */
async function dispatcherPair() {
  const [ta, tb] = createMemoryTransportPair();
  const sent = { a: [] as JsonRpcMessage[], b: [] as JsonRpcMessage[] };
  const spy = (t: MemoryTransport, log: JsonRpcMessage[]) => {
    const orig = t.send.bind(t);
    t.send = (m) => {
      log.push(structuredClone(m));
      orig(m);
    };
  };
  spy(ta, sent.a);
  spy(tb, sent.b);
  const a = new Dispatcher(ta);
  const b = new Dispatcher(tb);
  return { a, b, ta, tb, sent, start: () => Promise.all([a.start(), b.start()]) };
}

const kinds = [
  ["direct", async () => {
    const [a, b] = createDirectPair();
    return { a, b, start: () => Promise.all([a.start(), b.start()]) };
  }],
  ["dispatcher+memory", dispatcherPair],
] as const satisfies readonly (readonly [string, () => Promise<{ a: Endpoint; b: Endpoint; start(): Promise<unknown> }>])[];

// Request timers are unref'd (a pending request alone must not keep a process alive),
// so while a test waits only on one, something else has to hold the event loop open.
let keepAlive: ReturnType<typeof setInterval> | undefined;
beforeEach(() => void (keepAlive = setInterval(() => {}, 1000)));
afterEach(() => clearInterval(keepAlive));

for (const [name, make] of kinds) {
  describe(`Endpoint over ${name}`, () => {
    it("many requests in flight resolve to their own answers, out of order", async () => {
      const { a, b, start } = await make();
      wire(a, () => ({}));
      const order: number[] = [];
      wire(b, async (inc) => {
        const n = inc.params!.n as number;
        await sleep((50 - n) % 7); // later requests often finish first
        order.push(n);
        if (n % 5 === 0) throw new McpError(ErrorCode.InvalidParams, `bad ${n}`, { n });
        return { n, square: n * n };
      });
      await start();
      const results = await Promise.allSettled(Array.from({ length: 50 }, (_, n) => a.request("calc", { n })));
      results.forEach((r, n) => {
        if (n % 5 === 0) {
          assert.equal(r.status, "rejected");
          const e = (r as PromiseRejectedResult).reason;
          assert.ok(e instanceof McpError);
          assert.equal(e.code, ErrorCode.InvalidParams);
          assert.deepEqual(e.data, { n });
        } else assert.deepEqual((r as PromiseFulfilledResult<Params>).value, { n, square: n * n });
      });
      assert.notDeepEqual(order, [...order].sort((x, y) => x - y), "answers really came back out of order");
      assert.deepEqual(a.inFlight, { outgoing: 0, incoming: 0 });
      assert.deepEqual(b.inFlight, { outgoing: 0, incoming: 0 });
    });

    it("ids are unique and increasing", async () => {
      const { a, b, start } = await make();
      wire(a, () => ({}));
      const ids: RequestId[] = [];
      wire(b, (inc) => {
        ids.push(inc.id);
        return {};
      });
      await start();
      await Promise.all(Array.from({ length: 20 }, () => a.request("x")));
      await a.request("x");
      assert.equal(ids.length, 21);
      assert.equal(new Set(ids).size, 21);
      for (let i = 1; i < ids.length; i++) assert.ok((ids[i] as number) > (ids[i - 1] as number), `${ids[i]} > ${ids[i - 1]}`);
    });

    it("an AbortSignal rejects the request, fires cancelledOutgoing, aborts the handler and drops its late answer", async () => {
      const { a, b, start } = await make();
      const client = wire(a, () => ({}));
      let handlerSignal: AbortSignal | undefined;
      let finishHandler!: () => void;
      const handlerDone = new Promise<void>((r) => (finishHandler = r));
      const server = wire(b, async (inc) => {
        handlerSignal = inc.signal;
        await new Promise<void>((r) => inc.signal.addEventListener("abort", () => r()));
        setTimeout(finishHandler, 5);
        return { late: true };
      });
      const lateResponses: JsonRpcMessage[] = [];
      const origDeliver = b.deliver.bind(b);
      b.deliver = (m) => {
        if (!("method" in m)) lateResponses.push(m);
        origDeliver(m);
      };
      await start();
      const ctl = new AbortController();
      const p = a.request("slow", {}, { signal: ctl.signal });
      await sleep(5);
      assert.ok(handlerSignal && !handlerSignal.aborted);
      ctl.abort(new Error("user gave up"));
      await assert.rejects(p, /user gave up/);
      assert.equal(client.cancelled.length, 1);
      assert.equal(client.cancelled[0].id, 1);
      assert.equal(client.cancelled[0].reason, "cancelled");
      await handlerDone;
      await tick();
      assert.equal(handlerSignal!.aborted, true);
      assert.ok(server.notes.some((n) => n.method === "notifications/cancelled" && n.params?.requestId === 1));
      assert.deepEqual(lateResponses, [], "a cancelled request gets no answer");
      assert.deepEqual(b.inFlight, { outgoing: 0, incoming: 0 });
      // An already-aborted signal never sends anything.
      const pre = AbortSignal.abort(new Error("before"));
      await assert.rejects(a.request("slow", {}, { signal: pre }), /before/);
      assert.equal(client.cancelled.length, 1);
      // The connection is still usable.
      wire(b, () => ({ ok: true }));
      assert.deepEqual(await a.request("fast"), { ok: true });
    });

    it("a timeout rejects with RequestTimeout and tells the peer", async () => {
      const { a, b, start } = await make();
      const client = wire(a, () => ({}));
      let aborted = false;
      wire(b, (inc) => new Promise((r) => inc.signal.addEventListener("abort", () => ((aborted = true), r({})))));
      await start();
      const t0 = Date.now();
      const err = await a.request("slow", {}, { timeoutMs: 30 }).then(() => assert.fail("resolved"), (e) => e);
      assert.ok(err instanceof McpError);
      assert.equal(err.code, ErrorCode.RequestTimeout);
      assert.equal(typeof (err.data as any).timeout, "number");
      assert.ok(Date.now() - t0 < 10_000, "no hang");
      assert.deepEqual(client.cancelled.map((c) => c.reason), ["timeout"]);
      await until(() => aborted, "the server side to be cancelled too");
    });

    it("progress resets the timeout with resetTimeoutOnProgress, but never past maxTotalTimeoutMs", async () => {
      const { a, b, start } = await make();
      wire(a, () => ({}));
      wire(b, async (inc) => {
        const token = (inc.params!._meta as any).progressToken;
        for (let i = 1; !inc.cancelled; i++) {
          inc.notify("notifications/progress", { progressToken: token, progress: i });
          await sleep(20);
        }
        return {};
      });
      await start();
      const seen: number[] = [];
      const t0 = Date.now();
      // Progress every 20 ms against a 1 s timeout: only a stall of a whole second could end it early.
      const p = a.request("work", { _meta: { progressToken: "tok" } }, {
        timeoutMs: 1000,
        maxTotalTimeoutMs: 2500,
        resetTimeoutOnProgress: true,
        progressToken: "tok",
        onProgress: (pp) => seen.push(pp.progress as number),
      });
      const err = await p.then(() => assert.fail("resolved"), (e) => e);
      const elapsed = Date.now() - t0;
      assert.equal(err.code, ErrorCode.RequestTimeout);
      // Timers never fire early: past twice the timeout means progress reset it (more than once).
      assert.ok(elapsed >= 2000, `progress kept it alive well past the 1 s timeout (${elapsed} ms)`);
      assert.ok(elapsed < 15_000, `the 2.5 s total bound held, though progress never stopped (${elapsed} ms)`);
      assert.ok(seen.length >= 2);
      assert.deepEqual(seen, [...seen].sort((x, y) => x - y));
    });

    it("without resetTimeoutOnProgress, progress does not extend the timeout", async () => {
      const { a, b, start } = await make();
      wire(a, () => ({}));
      wire(b, async (inc) => {
        for (let i = 1; !inc.cancelled; i++) {
          inc.notify("notifications/progress", { progressToken: 7, progress: i });
          await sleep(10);
        }
        return {};
      });
      await start();
      const t0 = Date.now();
      let n = 0;
      // Progress never stops, so only the unextended 80 ms timeout can end it long before the 60 s total.
      await assert.rejects(a.request("work", {}, { timeoutMs: 80, maxTotalTimeoutMs: 60_000, progressToken: 7, onProgress: () => n++ }), { code: ErrorCode.RequestTimeout });
      assert.ok(Date.now() - t0 < 20_000, "timed out long before maxTotalTimeoutMs");
      assert.ok(n > 0, "progress was still delivered");
    });

    it("non-increasing progress is ignored and does not reset the timer", async () => {
      const { a, b, start } = await make();
      wire(a, () => ({}));
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      wire(b, async (inc) => {
        for (const v of [1, 1, 0.5, 2, -1, 2, 3]) inc.notify("notifications/progress", { progressToken: "p", progress: v, total: 3 });
        await gate;
        // Stale progress every 10 ms must not keep the request alive.
        while (!inc.cancelled) {
          inc.notify("notifications/progress", { progressToken: "p", progress: 3 });
          await sleep(10);
        }
        return {};
      });
      await start();
      const seen: number[] = [];
      const t0 = Date.now();
      const p = a.request("work", {}, {
        timeoutMs: 150,
        maxTotalTimeoutMs: 60_000,
        resetTimeoutOnProgress: true,
        progressToken: "p",
        onProgress: (pp) => {
          seen.push(pp.progress as number);
          if (pp.progress === 3) release();
        },
      });
      await assert.rejects(p, { code: ErrorCode.RequestTimeout });
      assert.deepEqual(seen, [1, 2, 3]);
      assert.ok(Date.now() - t0 < 20_000, "timed out long before maxTotalTimeoutMs");
    });

    it("a throwing onProgress does not break the request", async () => {
      const { a, b, start } = await make();
      wire(a, () => ({}));
      wire(b, async (inc) => {
        inc.notify("notifications/progress", { progressToken: 1, progress: 1 });
        await sleep(5);
        return { done: true };
      });
      await start();
      const r = await a.request("w", {}, { progressToken: 1, onProgress: () => { throw new Error("callback bug"); } });
      assert.deepEqual(r, { done: true });
    });

    it("close rejects pending requests with ConnectionClosed and aborts handlers on the other side", async () => {
      const { a, b, start } = await make();
      const closed: unknown[] = [];
      wire(a, () => ({}), { closed: (r) => closed.push(r ?? "none") });
      const signals: AbortSignal[] = [];
      wire(b, (inc) => {
        signals.push(inc.signal);
        return new Promise(() => {});
      });
      await start();
      const ps = [a.request("x"), a.request("y", {}, { timeoutMs: Infinity })];
      await sleep(5);
      await a.close();
      for (const p of ps) await assert.rejects(p, (e: any) => e instanceof McpError && e.code === ErrorCode.ConnectionClosed);
      assert.equal(closed.length, 1);
      assert.equal(a.closed, true);
      await assert.rejects(a.request("z"), { code: ErrorCode.ConnectionClosed });
      await sleep(5);
      assert.equal(b.closed, true, "the other side saw the close");
      assert.ok(signals.length === 2 && signals.every((s) => s.aborted));
      await a.close(); // idempotent
    });

    it("a duplicate in-flight incoming id gets an error; the first still gets its answer", async () => {
      const { a, b, start } = await make();
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      wire(b, async () => {
        await gate;
        return { first: true };
      });
      const responses: JsonRpcMessage[] = [];
      wire(a, () => ({}));
      const raw = a as unknown as { deliver(m: JsonRpcMessage): void; onResponse(m: unknown): void };
      raw.onResponse = (m: any) => responses.push(m);
      await start();
      raw.deliver({ jsonrpc: "2.0", id: 42, method: "slow" });
      raw.deliver({ jsonrpc: "2.0", id: 42, method: "slow" });
      await sleep(5);
      assert.equal(responses.length, 1);
      assert.equal((responses[0] as any).id, 42);
      assert.equal((responses[0] as any).error.code, ErrorCode.InvalidRequest);
      release();
      await sleep(5);
      assert.equal(responses.length, 2);
      assert.deepEqual(responses[1], { jsonrpc: "2.0", id: 42, result: { first: true } });
      // Once answered, the id may be used again.
      raw.deliver({ jsonrpc: "2.0", id: 42, method: "slow" });
      await sleep(5);
      assert.deepEqual(responses[2], { jsonrpc: "2.0", id: 42, result: { first: true } });
    });

    it("responses with unknown ids are ignored", async () => {
      const { a, b, start } = await make();
      wire(a, () => ({}));
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      wire(b, async () => {
        await gate;
        return { real: true };
      });
      await start();
      const p = a.request("x");
      const raw = b as unknown as { deliver(m: JsonRpcMessage): void };
      raw.deliver({ jsonrpc: "2.0", id: 999, result: { bogus: true } });
      raw.deliver({ jsonrpc: "2.0", id: "1", result: { wrongType: true } });
      raw.deliver({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "x" } });
      await sleep(5);
      assert.equal(a.inFlight.outgoing, 1);
      release();
      assert.deepEqual(await p, { real: true });
    });
  });
}

describe("Dispatcher input handling", () => {
  it("answers malformed text with JSON-RPC errors and routes batches member by member", async () => {
    const { a, b, ta, sent, start } = await dispatcherPair();
    wire(a, () => ({}));
    wire(b, (inc: Incoming) => ({ echo: inc.method }));
    const got: unknown[] = [];
    (a as any).onResponse = (m: unknown) => got.push(m);
    await start();
    // Bypass JSON encoding on the a side: send raw text straight into b.
    const push = (text: string) => (ta as any).other.receive(text);
    push("garbage");
    push('{"jsonrpc":"2.0","id":3,"method":"m","params":[1]}');
    push('[{"jsonrpc":"2.0","id":4,"method":"m"},{"jsonrpc":"2.0","id":5,"method":"n"}, 7]');
    await sleep(5);
    const byCode = (c: number) => got.filter((g: any) => g.error?.code === c);
    assert.deepEqual(byCode(-32700).map((g: any) => g.id), [null]);
    assert.deepEqual(byCode(-32602).map((g: any) => g.id), [3]);
    assert.deepEqual(byCode(-32600).map((g: any) => g.id), [null]);
    assert.deepEqual(got.filter((g: any) => g.result).map((g: any) => [g.id, g.result.echo]).sort(), [[4, "m"], [5, "n"]]);
    assert.ok(sent.b.length >= 5);
  });
});
