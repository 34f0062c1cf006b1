// A fleet of three mcpkit server processes behind a real nginx (round robin), sharing a real
// redis-server through mcpkit/redis — every one started here on free loopback ports and stopped
// at the end. The official clients talk to nginx only:
//  - v1 (@modelcontextprotocol/sdk, Streamable HTTP, 2025-11-25) holds one legacy session whose
//    requests land on every node: logging level and resource subscriptions written on one node
//    hold on the others, an elicitation sent by one node is answered through another, a stream
//    the server closed is resumed on another node and continues live, updates published on a
//    third node reach the session's GET stream, and after the node holding that stream is killed
//    the client resumes it on another node and keeps receiving.
//  - v2 (@modelcontextprotocol/client pinned to 2026-07-28): an input_required round starts on
//    one node and finishes on another, across a key rotation; a listen stream held by one node
//    receives the list changes made on the others.
// Every notification is counted: none lost, none twice.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as V1Http } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema, LoggingMessageNotificationSchema, ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { Client as V2Client, StreamableHTTPClientTransport as V2Http } from "@modelcontextprotocol/client";
import { createRedisState, type RedisState } from "../../src/state/redis/index.js";
import { startFleet, startNginx, type Fleet, type FleetNode } from "../helpers/fleet.js";

const T = { timeout: 120_000 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
const textOf = (r: any): string => r.content?.[0]?.text;

/** Every HTTP exchange a client made: its method, JSON-RPC method (or "response"), Last-Event-ID, and the node that served it. */
interface Seen {
  method: string;
  rpc?: string;
  lastEventId: string | null;
  node: string | null;
  body?: any;
  headers: Record<string, string>;
  /** Settles once the response headers are in (`node` is set then). */
  done?: Promise<void>;
  reply?: Promise<any>;
}
function recordingFetch(seen: Seen[]) {
  return async (url: string | URL, init: RequestInit = {}): Promise<Response> => {
    let body: any;
    try {
      body = typeof init.body === "string" ? JSON.parse(init.body) : undefined;
    } catch {}
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const rpc = body?.method ?? (body && ("result" in body || "error" in body) ? "response" : undefined);
    // Recorded before the answer comes: what a request causes may reach the client before its own response does.
    const s: Seen = { method: init.method ?? "GET", rpc, lastEventId: headers["last-event-id"] ?? null, node: null, body, headers };
    seen.push(s);
    const res = fetch(url, init);
    s.done = res.then((r) => void (s.node = r.headers.get("x-fleet-node")), () => {});
    const r = await res;
    if (r.headers.get("content-type")?.startsWith("application/json")) s.reply = r.clone().json();
    return r;
  };
}

/** Wait for the response headers of every exchange recorded so far. */
const settle = (seen: Seen[]) => Promise.all(seen.map((s) => s.done));

/** A 2026-07-28 tools/call straight to one node (no load balancer): what that node does. */
async function callOn(node: FleetNode, name: string, args: Record<string, unknown>): Promise<string> {
  const res = await fetch(node.url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/call", "mcp-name": name },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name, arguments: args, _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} } },
    }),
  });
  const body = await res.json();
  if (!body.result) throw new Error(`${name} on ${node.name}: ${JSON.stringify(body)}`);
  return textOf(body.result);
}

/** The node holding `sid`'s GET stream, among the living. */
async function streamHolder(nodes: FleetNode[], sid: string): Promise<FleetNode | undefined> {
  for (const n of nodes) if (n.proc.exitCode === null && n.proc.signalCode === null && (await n.state()).getStreams.includes(sid)) return n;
  return undefined;
}

/** Wait until `list` has `n` entries, then a little longer: exactly n, nothing late or twice. */
async function exactly<T>(list: T[], n: number, what: string): Promise<void> {
  await until(() => list.length >= n, 20_000, `${n} ${what} (have ${list.length})`);
  await sleep(400);
  assert.equal(list.length, n, `${what}: exactly ${n}`);
}

async function hmacB64u(secret: string, data: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(data)));
  return Buffer.from(sig).toString("base64url");
}
/** Which of `secrets` signed a requestState (its index), or -1. */
async function signerOf(state: string, secrets: string[]): Promise<number> {
  const [body, sig] = state.split(".");
  for (let i = 0; i < secrets.length; i++) if ((await hmacB64u(secrets[i], body)) === sig) return i;
  return -1;
}

describe("a fleet of three mcpkit nodes behind nginx, sharing Redis", () => {
  let fleet: Fleet;
  let redis: RedisState;
  before(async () => {
    fleet = await startFleet(3);
    redis = createRedisState({ url: fleet.redis.url, prefix: fleet.prefix });
    await redis.ready();
  });
  after(async () => {
    await redis?.close();
    await fleet?.stop();
  });

  // ---- the v1 client's legacy session -----------------------------------------------------------

  const v1seen: Seen[] = [];
  const logs: string[] = [];
  const updates: string[] = [];
  const elicited: string[] = [];
  let v1: V1Client;
  let transport: V1Http;
  let sid: string;

  it("v1: one legacy session served by every node; level and subscriptions written on one node hold on the others", T, async () => {
    v1 = new V1Client({ name: "v1-fleet", version: "1.0.0" }, { capabilities: { elicitation: {} } });
    v1.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(String(n.params.data)));
    v1.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    v1.setRequestHandler(ElicitRequestSchema, async (req) => {
      elicited.push(req.params.message);
      return { action: "accept", content: { confirm: true } };
    });
    transport = new V1Http(new URL(fleet.lb.url), { fetch: recordingFetch(v1seen) });
    await v1.connect(transport);
    sid = transport.sessionId!;
    assert.ok(sid);
    await until(async () => (await streamHolder(fleet.nodes, sid)) !== undefined, 10_000, "the GET stream to open");

    const served = new Set<string>();
    for (let i = 0; i < 6; i++) served.add(textOf(await v1.callTool({ name: "whoami", arguments: {} })));
    assert.deepEqual([...served].sort(), ["A", "B", "C"]);

    // logging/setLevel lands on one node; ticks run on the others and obey it.
    await v1.setLoggingLevel("warning");
    for (let i = 0; i < 2; i++) assert.match(textOf(await v1.callTool({ name: "ticks", arguments: { n: 2, ms: 0 } })), /^ticked 2 on [ABC]$/);
    assert.equal(logs.length, 0, "no info logs below the level set on another node");
    await v1.setLoggingLevel("info");
    const ran = new Set<string>();
    for (let i = 0; i < 3; i++) ran.add(textOf(await v1.callTool({ name: "ticks", arguments: { n: 2, ms: 0 } })).slice(-1));
    assert.equal(ran.size, 3);
    await exactly(logs, 6, "tick logs");
    assert.deepEqual(logs.map((l) => l.slice(-1)).sort(), ["A", "A", "B", "B", "C", "C"]);
    logs.length = 0;

    await settle(v1seen);
    const sessionNodes = new Set(v1seen.filter((s) => s.method === "POST").map((s) => s.node));
    assert.equal(sessionNodes.size, 3, "the session's POSTs were served by all three nodes");
  });

  it("v1: an elicitation sent by one node is answered through another", T, async () => {
    const r = await v1.callTool({ name: "confirm", arguments: { action: "deploy" } });
    assert.equal(elicited.length, 1);
    const asked = /asked on ([ABC])/.exec(elicited[0])![1];
    assert.equal(textOf(r), `deploy: confirmed on ${asked}`);
    const answer = v1seen.filter((s) => s.rpc === "response");
    assert.equal(answer.length, 1);
    await answer[0].done;
    assert.notEqual(answer[0].node, asked, "the client's answer landed on another node and found its way back");
  });

  it("v1: a stream the server closed is resumed on another node and continues live to the result", T, async () => {
    const before = v1seen.length;
    const r = await v1.callTool({ name: "poll", arguments: { n: 5, ms: 60 } });
    const on = /^polled 5 on ([ABC])$/.exec(textOf(r))![1];
    await exactly(logs, 5, "ticks of the resumed stream");
    assert.deepEqual(logs, [1, 2, 3, 4, 5].map((i) => `tick ${i}/5 from ${on}`));
    logs.length = 0;
    await settle(v1seen);
    const resumed = v1seen.slice(before).filter((s) => s.method === "GET" && s.lastEventId?.includes(":") && !s.lastEventId.includes(":get."));
    assert.ok(resumed.length >= 1, "the client resumed with Last-Event-ID");
    assert.ok(resumed.some((s) => s.node !== on), `resumed on another node than ${on} (${resumed.map((s) => s.node)})`);
  });

  it("v1: resource updates published on a third node reach the subscribed session's GET stream", T, async () => {
    await v1.subscribeResource({ uri: "fleet://item/1" });
    await settle(v1seen);
    const subscribedOn = v1seen.filter((s) => s.rpc === "resources/subscribe").at(-1)!.node;
    const holder = (await streamHolder(fleet.nodes, sid))!;
    const third = fleet.nodes.find((n) => n.name !== subscribedOn && n.name !== holder.name) ?? fleet.nodes.find((n) => n.name !== holder.name)!;
    assert.equal(await callOn(third, "touch", { uri: "fleet://item/1", times: 10 }), `published 10 on ${third.name}`);
    assert.equal(await callOn(third, "touch", { uri: "fleet://item/2", times: 3 }), `published 3 on ${third.name}`);
    await exactly(updates, 10, "resource updates");
    assert.deepEqual(new Set(updates), new Set(["fleet://item/1"]));
  });

  // ---- the v2 client, modern ------------------------------------------------------------------

  it("v2 (2026-07-28): an input_required round starts on one node and finishes on another, across a key rotation", T, async () => {
    const seen: Seen[] = [];
    const asked: string[] = [];
    let rotate = true;
    const client = new V2Client({ name: "v2-fleet", version: "2.0.0" }, { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: { pin: "2026-07-28" } } });
    client.setRequestHandler("elicitation/create", async (req) => {
      asked.push(req.params.message as string);
      if (rotate) {
        // A new key signs from now on; the state already issued (old key) must still open on any node.
        await redis.keyring.rotate();
        await sleep(700);
      }
      return { action: "accept", content: { confirm: true } };
    });
    await client.connect(new V2Http(new URL(fleet.lb.url), { fetch: recordingFetch(seen) }));
    try {
      const calls = () => seen.filter((s) => s.rpc === "tools/call");

      const r1 = await client.callTool({ name: "confirm", arguments: { action: "ship" } });
      await settle(seen);
      const first = /asked on ([ABC])/.exec(asked[0])![1];
      const last = /confirmed on ([ABC])$/.exec(textOf(r1))![1];
      assert.notEqual(first, last, "the round started on one node and finished on another");
      assert.deepEqual(calls().map((c) => c.node), [first, last]);
      const state1 = (await calls()[0].reply).result.requestState as string;
      assert.equal(calls()[1].body.params.requestState, state1);
      const keys = await redis.keyring.secrets();
      assert.equal(await signerOf(state1, keys), 1, "minted with the key before the rotation, verified after it");

      rotate = false;
      const r2 = await client.callTool({ name: "confirm", arguments: { action: "sail" } });
      assert.match(textOf(r2), /^sail: confirmed on [ABC]$/);
      await settle(seen);
      const state2 = (await calls()[2].reply).result.requestState as string;
      assert.equal(await signerOf(state2, keys), 0, "the new key signs");
      assert.equal(asked.length, 2);
      assert.equal(calls().length, 4, "one round and one retry per call");
      assert.notEqual(calls()[2].node, calls()[3].node);

      // Once the old key is retired (three newer ones), its state no longer opens anywhere.
      for (let i = 0; i < 3; i++) await redis.keyring.rotate();
      await sleep(700);
      const retry = calls()[1];
      const res = await fetch(fleet.lb.url, { method: "POST", headers: retry.headers, body: JSON.stringify(retry.body) });
      const body = await res.json();
      assert.equal(body.error?.code, -32602);
      assert.match(body.error.message, /Invalid requestState: signature does not verify/);
    } finally {
      await client.close();
    }
  });

  it("v2 (2026-07-28): a listen stream held by one node receives the list changes made on every other node", T, async () => {
    const changed: unknown[] = [];
    const client = new V2Client({ name: "v2-listen", version: "2.0.0" }, { capabilities: {}, versionNegotiation: { mode: { pin: "2026-07-28" } } });
    client.setNotificationHandler("notifications/tools/list_changed", (n) => void changed.push(n));
    await client.connect(new V2Http(new URL(fleet.lb.url)));
    try {
      const sub = await client.listen({ toolsListChanged: true });
      assert.deepEqual(sub.honoredFilter, { toolsListChanged: true });
      let holder: FleetNode | undefined;
      await until(async () => {
        for (const n of fleet.nodes) if ((await n.state()).listeners > 0) holder = n;
        return holder !== undefined;
      }, 10_000, "the listen stream to open");
      const others = fleet.nodes.filter((n) => n !== holder);
      for (const n of others) assert.equal(await callOn(n, "relist", { times: 3 }), `relisted 3 on ${n.name}`);
      await exactly(changed, 6, `list changes from ${others.map((n) => n.name)} on ${holder!.name}'s listen stream`);
      await callOn(holder!, "relist", { times: 2 });
      await exactly(changed, 8, "list changes including the holder's own");
      await sub.close();
    } finally {
      await client.close();
    }
  });

  it("with session affinity (nginx hash on Mcp-Session-Id) a session stays on one node; initialize spreads", T, async () => {
    const lb = await startNginx(fleet.nodes.map((n) => n.port), { affinity: true });
    const clients: V1Client[] = [];
    try {
      const homes = new Set<string>();
      for (let c = 0; c < 6; c++) {
        const seen: Seen[] = [];
        const client = new V1Client({ name: `sticky-${c}`, version: "1.0.0" });
        clients.push(client);
        await client.connect(new V1Http(new URL(lb.url), { fetch: recordingFetch(seen) }));
        const served = new Set<string>();
        for (let i = 0; i < 4; i++) served.add(textOf(await client.callTool({ name: "whoami", arguments: {} })));
        assert.equal(served.size, 1, "every call of the session on one node");
        await settle(seen);
        const after = new Set(seen.filter((s) => s.rpc !== "initialize").map((s) => s.node));
        assert.deepEqual([...after], [...served], "POSTs and the GET stream on the session's node");
        homes.add([...served][0]);
      }
      assert.ok(homes.size >= 2, `sessions spread over nodes (${[...homes]})`);
    } finally {
      for (const c of clients) await c.close();
      await lb.stop();
    }
  });

  // ---- a node dies --------------------------------------------------------------------------------

  it("v1: the node holding the GET stream is killed; the client resumes it on another node and the session goes on", T, async () => {
    const holder = (await streamHolder(fleet.nodes, sid))!;
    assert.ok(holder);
    await holder.kill();
    const living = fleet.nodes.filter((n) => n !== holder);
    let next: FleetNode | undefined;
    await until(async () => (next = await streamHolder(living, sid)) !== undefined, 20_000, "the GET stream to be resumed on a living node");
    await settle(v1seen);
    assert.ok(v1seen.some((s) => s.method === "GET" && s.lastEventId?.includes(":get.") && s.node === next!.name), "resumed with Last-Event-ID on the new holder");

    // The session (created on another node, its stream's node gone) still serves requests.
    const served = new Set<string>();
    for (let i = 0; i < 4; i++) served.add(textOf(await v1.callTool({ name: "whoami", arguments: {} })));
    assert.deepEqual([...served].sort(), living.map((n) => n.name).sort());

    // Updates published on the third node reach the resumed stream: exactly as many as published.
    const third = living.find((n) => n !== next)!;
    updates.length = 0;
    assert.equal(await callOn(third, "touch", { uri: "fleet://item/1", times: 10 }), `published 10 on ${third.name}`);
    await callOn(next!, "touch", { uri: "fleet://item/1", times: 5 });
    await exactly(updates, 15, "resource updates after the failover");
    await v1.close();
  });
});
