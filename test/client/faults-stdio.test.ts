// Fault tests over stdio (test/fixtures/faulty-stdio-server.mjs): a server that dies (the
// client restarts it through its transport factory on the next call; without a factory,
// ConnectionClosedError), writes garbage (ignored, no crash), or never answers
// (RequestTimeoutError at the timeout, and a notifications/cancelled; with
// resetTimeoutOnProgress progress extends the timeout, never past maxTotalTimeoutMs).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client } from "../../src/client/client.js";
import { ConnectionClosedError, RequestTimeoutError } from "../../src/protocol/errors.js";
import { StdioClientTransport } from "../../src/transports/stdio-client.js";
import { NODE, ROOT } from "../helpers/wire.js";
import { INFO, textOf } from "./helpers.js";

const SERVER = `${ROOT}/test/fixtures/faulty-stdio-server.mjs`;
const spawnServer = () => new StdioClientTransport({ command: NODE, args: [SERVER], stderr: "pipe", shutdownGraceMs: 500 });

async function open(factory: boolean): Promise<{ client: Client; spawned: StdioClientTransport[] }> {
  const spawned: StdioClientTransport[] = [];
  const make = () => {
    const t = spawnServer();
    spawned.push(t);
    return t;
  };
  const client = new Client(INFO, { requestTimeoutMs: 10_000 });
  await client.connect(factory ? make : make());
  return { client, spawned };
}

describe("stdio server that dies", () => {
  it("with a transport factory: the in-flight call fails typed, the next call restarts the server and succeeds", async () => {
    const { client, spawned } = await open(true);
    const closed: { reconnecting: boolean }[] = [];
    client.on("closed", (c) => closed.push(c));
    try {
      const pid1 = textOf(await client.callTool("pid"));
      assert.equal(pid1, String(spawned[0].pid));
      await assert.rejects(client.callTool("die"), (e) => e instanceof ConnectionClosedError && /code 3/.test(e.message));
      assert.deepEqual(closed.map((c) => c.reconnecting), [true]);
      // Next call: a new process, initialized again, answers.
      const pid2 = textOf(await client.callTool("pid"));
      assert.equal(spawned.length, 2);
      assert.equal(pid2, String(spawned[1].pid));
      assert.notEqual(pid2, pid1);
      assert.equal(client.era, "legacy");
      // Several calls racing the restart share one reconnect.
      await assert.rejects(client.callTool("die"), ConnectionClosedError);
      const rs = await Promise.all(["a", "b", "c"].map((m) => client.callTool("echo", { message: m })));
      assert.deepEqual(rs.map(textOf), ["a", "b", "c"]);
      assert.equal(spawned.length, 3);
    } finally {
      await client.close();
    }
    assert.ok(spawned.every((t) => t.child?.exitCode !== null || t.child?.signalCode !== null));
  });

  it("without a factory: ConnectionClosedError for the in-flight call and every later one", async () => {
    const { client } = await open(false);
    const closed: { reconnecting: boolean }[] = [];
    client.on("closed", (c) => closed.push(c));
    const inflight = client.callTool("hang");
    await assert.rejects(client.callTool("die"), ConnectionClosedError);
    await assert.rejects(inflight, ConnectionClosedError);
    await assert.rejects(client.callTool("pid"), (e) => e instanceof ConnectionClosedError && /not connected/.test(e.message));
    assert.deepEqual(closed.map((c) => c.reconnecting), [false]);
    await client.close();
  });
});

describe("stdio server that misbehaves", () => {
  it("garbage on stdout is ignored: the call completes and the client keeps working", async () => {
    const { client, spawned } = await open(false);
    try {
      assert.equal(textOf(await client.callTool("garbage")), "survived");
      assert.equal(textOf(await client.callTool("echo", { message: "still here" })), "still here");
      assert.equal(spawned[0].child?.exitCode, null);
    } finally {
      await client.close();
    }
  });

  it("never answers: RequestTimeoutError at the timeout, and the server is told to cancel", async () => {
    const { client } = await open(false);
    try {
      const t0 = Date.now();
      const err = await client.callTool("hang", {}, { timeoutMs: 300 }).catch((e) => e);
      assert.ok(err instanceof RequestTimeoutError, String(err));
      // Not before the timeout (timers never fire early); the upper bound only rules out a hang.
      assert.ok(err.elapsedMs >= 290 && Date.now() - t0 < 10_000, `timed out after ${err.elapsedMs} ms`);
      const cancelled = JSON.parse(textOf(await client.callTool("cancelled")));
      assert.equal(cancelled.length, 1);
      // The connection survives a timeout.
      assert.equal(textOf(await client.callTool("echo", { message: "ok" })), "ok");
    } finally {
      await client.close();
    }
  });

  it("resetTimeoutOnProgress: progress keeps the call alive past timeoutMs, until maxTotalTimeoutMs", async () => {
    const { client } = await open(false);
    try {
      const seen: number[] = [];
      const t0 = Date.now();
      // Progress every 50 ms against a 1 s timeout: only a whole-second stall could end it early.
      const err = await client
        .callTool("ticker", {}, { timeoutMs: 1000, resetTimeoutOnProgress: true, maxTotalTimeoutMs: 2500, onProgress: (p) => seen.push(p.progress as number) })
        .catch((e) => e);
      const took = Date.now() - t0;
      assert.ok(err instanceof RequestTimeoutError, String(err));
      // Past twice the timeout (so progress reset it), and stopped though progress never did.
      assert.ok(err.elapsedMs >= 2000 && took < 15_000, `stopped after ${took} ms`);
      assert.ok(seen.length >= 2, `only ${seen.length} progress notifications`);
      assert.deepEqual(seen, [...seen].sort((a, b) => a - b));
      // Without the reset, the same progress does not extend the timeout.
      // Progress never stops, so only the unextended 200 ms timeout can end it long before the 60 s total.
      const t1 = Date.now();
      const err2 = await client.callTool("ticker", {}, { timeoutMs: 200, maxTotalTimeoutMs: 60_000, onProgress: () => {} }).catch((e) => e);
      assert.ok(err2 instanceof RequestTimeoutError);
      assert.ok(Date.now() - t1 < 20_000, `took ${Date.now() - t1} ms`);
    } finally {
      await client.close();
    }
  });

  it("resetTimeoutOnProgress without onProgress: the client still asks for progress, which extends the call until maxTotalTimeoutMs", async () => {
    const { client } = await open(false);
    try {
      const t0 = Date.now();
      // The ticker only sends progress for the token the request carries; the client must add one.
      const err = await client.callTool("ticker", {}, { timeoutMs: 1000, resetTimeoutOnProgress: true, maxTotalTimeoutMs: 2500 }).catch((e) => e);
      assert.ok(err instanceof RequestTimeoutError, String(err));
      // Timers never fire early: past twice the 1 s timeout means progress reset it; the 2.5 s total still held.
      assert.ok(err.elapsedMs >= 2000 && Date.now() - t0 < 15_000, `stopped after ${err.elapsedMs} ms`);
      assert.equal(textOf(await client.callTool("echo", { message: "ok" })), "ok");
    } finally {
      await client.close();
    }
  });
});
