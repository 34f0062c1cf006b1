import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { StdioClientTransport } from "../src/transports/stdio-client.js";
import { Dispatcher } from "../src/dispatch/dispatcher.js";
import { Client } from "../src/client/client.js";
import { generate, MAX_LINE, MODERN_META, prng, type Case, type Expect, type Id } from "./helpers/fuzz-cases.js";
import type { Params } from "../src/protocol/jsonrpc.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FUZZ_SERVER = fileURLToPath(new URL("./fixtures/fuzz-server.ts", import.meta.url));
const STUBBORN = fileURLToPath(new URL("./fixtures/stubborn-server.mjs", import.meta.url));
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed1234);
const CASES = Number(process.env.FUZZ_CASES ?? 2500);

const children = new Set<ChildProcess>();
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

function startServer(): { child: ChildProcess; lines: () => string[]; stderr: () => string; exit: Promise<[number | null, string | null]> } {
  const child = spawn(process.execPath, ["--import", "tsx", FUZZ_SERVER], { cwd: ROOT, env: { ...process.env, FUZZ_MAX_LINE_BYTES: String(MAX_LINE) } });
  let out = "";
  let err = "";
  child.stdout!.setEncoding("utf8").on("data", (s: string) => (out += s));
  child.stderr!.setEncoding("utf8").on("data", (s: string) => (err += s));
  child.stdin!.on("error", () => {});
  children.add(child);
  const exit = new Promise<[number | null, string | null]>((res) => child.on("exit", (c, s) => res([c, s])));
  return { child, lines: () => out.split("\n"), stderr: () => err, exit };
}

async function write(child: ChildProcess, b: Buffer | string) {
  if (!child.stdin!.write(b)) await new Promise((r) => child.stdin!.once("drain", r));
}

async function until(cond: () => boolean, ms: number, what: string) {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const metaFor = (era: string) => (era === "modern" ? { _meta: MODERN_META } : {});

describe("stdio server under hostile input", { timeout: 120_000 }, () => {
  for (const era of ["legacy", "modern"] as const) {
    it(`${era}: answers every bad line correctly, never dies, never writes non-JSON (seed ${SEED})`, async () => {
      const srv = startServer();
      const responses = () => srv.lines().filter((l) => l.length > 0).map((l) => {
        try {
          return JSON.parse(l);
        } catch {
          assert.fail(`non-JSON on stdout: ${JSON.stringify(l.slice(0, 200))}`);
        }
      });
      // Open the era, then wait for it to be settled.
      if (era === "legacy") {
        await write(srv.child, JSON.stringify({ jsonrpc: "2.0", id: "init", method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "fuzzer", version: "1" } } }) + "\n");
        await write(srv.child, '{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
      } else {
        await write(srv.child, JSON.stringify({ jsonrpc: "2.0", id: "init", method: "tools/list", params: metaFor(era) }) + "\n");
      }
      await until(() => responses().some((m) => m.id === "init"), 30_000, "the first answer");

      const cases = generate(era, CASES, SEED + (era === "modern" ? 1 : 0));
      const r = prng(SEED ^ 0xabcdef);
      const stream = Buffer.concat(cases.map((c) => Buffer.concat([c.bytes, Buffer.from(r.next() < 0.15 && !c.lfOnly ? "\r\n" : "\n")])));
      // Write in random-sized pieces that split lines (and UTF-8 sequences) anywhere, yielding now and then.
      for (let at = 0; at < stream.length;) {
        const n = 1 + r.int(r.next() < 0.2 ? 16 : 4096);
        await write(srv.child, stream.subarray(at, at + n));
        at += n;
        if (r.next() < 0.05) await new Promise((res) => setTimeout(res, 1));
      }
      const sentinel = { jsonrpc: "2.0", id: "after", method: "tools/call", params: { name: "add", arguments: { a: 40, b: 2 }, ...metaFor(era) } };
      await write(srv.child, JSON.stringify(sentinel) + "\n");

      const byId = new Map<Id, { c: Case; e: Expect & { id: Id } }>();
      const nullNeed = new Map<number, { min: number; max: number }>();
      for (const c of cases) {
        for (const e of c.expect) {
          if (e.t === "result" || e.t === "error") {
            assert.ok(!byId.has(e.id), `generator reused id ${String(e.id)}`);
            byId.set(e.id, { c, e });
          } else if (e.t === "null") {
            const k = nullNeed.get(e.code) ?? { min: 0, max: 0 };
            if (!e.optional) k.min++;
            k.max++;
            nullNeed.set(e.code, k);
          }
        }
      }
      const minNull = [...nullNeed.values()].reduce((s, k) => s + k.min, 0);
      const done = () => {
        const rs = responses();
        return rs.some((m) => m.id === "after") && rs.filter((m) => m.id === null).length >= minNull && rs.length >= byId.size + minNull + 2;
      };
      await until(done, 60_000, "all answers").catch((e) => {
        throw new Error(`${e.message}; got ${responses().length}, stderr: ${srv.stderr().slice(-2000)}`);
      });
      await new Promise((res) => setTimeout(res, 200)); // anything extra would show up now

      assert.equal(srv.child.exitCode, null, `server died: ${srv.stderr().slice(-2000)}`);
      const all = responses();
      assert.ok(srv.lines().at(-1) === "", "stdout ends with a complete line");
      const seen = new Set<Id>();
      const nullGot = new Map<number, number>();
      for (const m of all) {
        assert.equal(m.jsonrpc, "2.0");
        assert.ok(!("method" in m), `server sent a request/notification: ${JSON.stringify(m).slice(0, 200)}`);
        assert.ok(("result" in m) !== ("error" in m), "exactly one of result/error");
        if ("error" in m) assert.ok(Number.isInteger(m.error.code) && typeof m.error.message === "string");
        if (m.id === "init" || m.id === "after") continue;
        if (m.id === null) {
          assert.ok("error" in m);
          nullGot.set(m.error.code, (nullGot.get(m.error.code) ?? 0) + 1);
          continue;
        }
        const want = byId.get(m.id);
        assert.ok(want, `answer to an id nobody expected: ${JSON.stringify(m).slice(0, 300)}`);
        assert.ok(!seen.has(m.id), `two answers for ${JSON.stringify(m.id)}`);
        seen.add(m.id);
        const where = `${want.c.label}: ${want.c.bytes.toString("utf8").slice(0, 200)} → ${JSON.stringify(m).slice(0, 300)}`;
        if (want.e.t === "error") assert.equal(m.error?.code, want.e.code, where);
        else {
          assert.ok(m.result, where);
          if (era === "modern") assert.equal(m.result.resultType, "complete", where);
          if (want.e.t === "result") want.e.check?.(m.result);
        }
      }
      const missing = [...byId.entries()].filter(([k]) => !seen.has(k)).map(([, v]) => v.c.label);
      assert.deepEqual(missing, [], "every request with a usable id got an answer");
      for (const [code, got] of nullGot) {
        const need = nullNeed.get(code);
        assert.ok(need, `unexpected null-id error ${code} (×${got})`);
        assert.ok(got >= need.min && got <= need.max, `null-id ${code}: got ${got}, expected ${need.min}..${need.max}`);
      }
      for (const [code, need] of nullNeed) assert.ok((nullGot.get(code) ?? 0) >= need.min, `null-id ${code} missing`);
      assert.deepEqual(all.find((m) => m.id === "after")?.result?.content, [{ type: "text", text: "42" }], "a valid request right after still works");

      // One more valid request, then EOF: the server exits 0.
      await write(srv.child, JSON.stringify({ ...sentinel, id: "last" }) + "\n");
      await until(() => responses().some((m) => m.id === "last"), 10_000, "the last answer");
      srv.child.stdin!.end();
      const [code, signal] = await srv.exit;
      assert.deepEqual([code, signal], [0, null], srv.stderr().slice(-2000));
    });
  }

  it("stdin EOF right away makes the server exit with code 0", async () => {
    const srv = startServer();
    srv.child.stdin!.end('{"jsonrpc":"2.0","id":1,"method":"tools/list"');
    const [code, signal] = await srv.exit;
    assert.deepEqual([code, signal], [0, null]);
    // The unterminated last line is still a message (a truncated one here).
    assert.equal(JSON.parse(srv.lines()[0]).error.code, -32700);
  });
});

describe("stdio client transport", { timeout: 60_000 }, () => {
  async function openStubborn(opts: { ignoreSigterm?: boolean; cwd?: string; inheritEnv?: boolean; grace?: number }) {
    const t = new StdioClientTransport({
      command: process.execPath,
      args: [STUBBORN],
      cwd: opts.cwd,
      inheritEnv: opts.inheritEnv,
      env: { MCPKIT_FIXTURE_VAR: "from-options", STUBBORN_IGNORE_SIGTERM: opts.ignoreSigterm ? "1" : "0" },
      shutdownGraceMs: opts.grace ?? 300,
    });
    const peer = new Dispatcher(t);
    after(() => void peer.close());
    const hello = new Promise<Params>((res) => peer.bind({ request: () => ({}), notification: (m, p) => m === "fixture/hello" && res(p!) }));
    await peer.start();
    return { t, peer, hello: await hello };
  }

  it("a well-behaved server exits on stdin EOF during shutdown", async () => {
    const t = new StdioClientTransport({ command: process.execPath, args: ["--import", "tsx", FUZZ_SERVER], cwd: ROOT, shutdownGraceMs: 10_000 });
    const client = new Client({ name: "c", version: "1" });
    await client.connect(t);
    assert.equal(client.era, "modern");
    assert.deepEqual((await client.callTool("add", { a: 1, b: 2 })).content, [{ type: "text", text: "3" }]);
    await client.close();
    assert.equal(t.child!.exitCode, 0);
    assert.equal(t.child!.signalCode, null);
  });

  it("a server that ignores stdin EOF gets SIGTERM", async () => {
    const { t, peer } = await openStubborn({});
    await peer.close();
    assert.equal(t.child!.exitCode, 143, "the fixture exits 143 on SIGTERM (after logging it)");
    assert.match(t.stderrText, /stdin ended\n[^]*got SIGTERM/);
  });

  it("a server that ignores stdin EOF and SIGTERM gets SIGKILL, in that order", async () => {
    const { t, peer } = await openStubborn({ ignoreSigterm: true });
    await peer.close();
    assert.equal(t.child!.signalCode, "SIGKILL");
    assert.match(t.stderrText, /stdin ended\n[^]*got SIGTERM\n/);
  });

  it("passes env and cwd; inheritEnv: false keeps the parent's other variables out", async () => {
    process.env.MCPKIT_PARENT_ONLY = "parent";
    try {
      const cwd = realpathSync(tmpdir());
      const a = await openStubborn({ cwd });
      assert.equal(realpathSync(a.hello.cwd as string), cwd);
      assert.equal(a.hello.fixtureVar, "from-options");
      assert.equal(a.hello.parentOnly, "parent");
      await a.peer.close();
      const b = await openStubborn({ inheritEnv: false });
      assert.equal(b.hello.cwd, process.cwd());
      assert.equal(b.hello.fixtureVar, "from-options");
      assert.equal(b.hello.parentOnly, null);
      assert.equal(b.hello.hasPath, true, "the safe minimum (PATH) is kept");
      await b.peer.close();
    } finally {
      delete process.env.MCPKIT_PARENT_ONLY;
    }
  });
});
