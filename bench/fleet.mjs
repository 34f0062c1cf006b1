#!/usr/bin/env node
// Fleet benchmark — `npm run bench:fleet [-- options]`.
//
// Throughput of one mcpkit node against three behind nginx (round robin), all sharing a real
// redis-server through mcpkit/redis (bus, sessions, events, keyring). Everything runs on this
// machine on free loopback ports with temporary configs: redis-server, three node processes
// (test/fixtures/fleet-node.ts) and two nginx instances — one in front of node A alone, one in
// front of A, B and C. The load generator keeps `--conns` keep-alive connections busy, one
// request at a time each, for `--seconds` per figure after a warm-up.
//
// Workloads:
//   modern whoami   2026-07-28 stateless tools/call of a trivial tool (HTTP + MCP overhead)
//   modern spin     the same, with a tool that burns `--spin` ms of CPU per call (CPU-bound work)
//   legacy session  2025-11-25: one Mcp-Session-Id per connection, initialized through the
//                   balancer, then tools/call whoami — every node serves every session
//
// Columns: 1 node direct (no nginx), 1 node via nginx, 3 nodes via nginx, and the ratio of the
// last two. With 3 nodes on a machine of N cores the CPU-bound figure can scale at most to about
// N× (the nodes, nginx, Redis and the load generator share the cores).
//
// Each figure is the median of --reps repetitions, taken in turns (direct, 1 node, 3 nodes, then
// again), so a slow phase of the machine hits all three alike.
//
// Options: --seconds=N (default 4), --reps=N (default 3), --conns=N (default 32), --spin=MS
// (default 2), --quick (1 s, 1 repetition), --json=PATH (raw figures).
import os from 'node:os';
import fs from 'node:fs';
import { RawPool } from './lib/http-wire.mjs';
import { startRedis, startNode, startNginx } from '../test/helpers/fleet.ts';

const args = Object.fromEntries(process.argv.slice(2).map((a) => { const [k, v] = a.replace(/^--/, '').split('='); return [k, v ?? true]; }));
const SECONDS = args.quick ? 1 : Number(args.seconds ?? 4);
const REPS = args.quick ? 1 : Number(args.reps ?? 3);
const CONNS = Number(args.conns ?? 32);
const SPIN = Number(args.spin ?? 2);
const WARM = args.quick ? 300 : 1000;

const ENVELOPE = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
const ACCEPT = 'application/json, text/event-stream';

function modern(tool, a) {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: a, _meta: ENVELOPE } });
  const headers = { 'content-type': 'application/json', accept: ACCEPT, 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': tool };
  return async () => ({ headers, body });
}

/** Legacy: each connection slot initializes its own session (through the same pool) on first use. */
function legacy(pool) {
  const sessions = new Map();
  const body = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'whoami', arguments: {} } });
  return async (slot) => {
    let sid = sessions.get(slot);
    if (!sid) {
      const init = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '0' } } });
      const r = await pool.post(slot, { 'content-type': 'application/json', accept: ACCEPT }, init);
      sid = r.headers['mcp-session-id'];
      if (r.status !== 200 || !sid) throw new Error(`initialize: HTTP ${r.status} ${r.body}`);
      const h = { 'content-type': 'application/json', accept: ACCEPT, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' };
      await pool.post(slot, h, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
      sessions.set(slot, sid);
    }
    return { headers: { 'content-type': 'application/json', accept: ACCEPT, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' }, body };
  };
}

/** Keep CONNS requests in flight for `ms`; count answered calls (HTTP 200 with a result). */
async function load(port, makeRequest, ms) {
  const pool = new RawPool(port, CONNS);
  const next = makeRequest === 'legacy' ? legacy(pool) : makeRequest;
  let ok = 0;
  let bad = 0;
  const lat = [];
  const end = Date.now() + ms;
  const nodes = new Map();
  await Promise.all(
    Array.from({ length: CONNS }, async (_, slot) => {
      while (Date.now() < end) {
        const req = await next(slot);
        const t0 = performance.now();
        const r = await pool.post(slot, req.headers, req.body);
        lat.push(performance.now() - t0);
        if (r.status === 200 && r.body.includes('"result"')) {
          ok++;
          const n = r.headers['x-fleet-node'];
          nodes.set(n, (nodes.get(n) ?? 0) + 1);
        } else bad++;
      }
    }),
  );
  pool.close();
  lat.sort((a, b) => a - b);
  return { calls: ok, errors: bad, perSec: ok / (ms / 1000), p50: lat[Math.floor(lat.length / 2)] ?? 0, p99: lat[Math.floor(lat.length * 0.99)] ?? 0, nodes: Object.fromEntries(nodes) };
}

async function measure(port, req) {
  await load(port, req, WARM);
  return load(port, req, SECONDS * 1000);
}

const started = [];
const stopAll = async () => {
  for (const s of started.reverse()) await s.stop().catch(() => {});
};
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));

try {
  console.log(`mcpkit fleet bench: ${os.cpus().length} cores, ${CONNS} connections, ${SECONDS} s per figure, median of ${REPS} (node ${process.version})`);
  const redis = await startRedis();
  started.push(redis);
  const prefix = `bench-${process.pid}:`;
  const nodes = await Promise.all(['A', 'B', 'C'].map((n) => startNode(n, redis.url, { FLEET_PREFIX: prefix, FLEET_MAX_SESSIONS: '100000' })));
  started.push(...nodes);
  const lb1 = await startNginx([nodes[0].port]);
  started.push(lb1);
  const lb3 = await startNginx(nodes.map((n) => n.port));
  started.push(lb3);

  const workloads = [
    ['modern whoami', modern('whoami', {})],
    [`modern spin ${SPIN} ms`, modern('spin', { ms: SPIN })],
    ['legacy session', 'legacy'],
  ];
  const rows = [];
  for (const [name, req] of workloads) {
    const runs = { direct: [], one: [], three: [] };
    for (let i = 0; i < REPS; i++) {
      runs.direct.push(await measure(nodes[0].port, req));
      runs.one.push(await measure(lb1.port, req));
      runs.three.push(await measure(lb3.port, req));
    }
    const median = (list) => [...list].sort((a, b) => a.perSec - b.perSec)[Math.floor(list.length / 2)];
    const [direct, one, three] = [median(runs.direct), median(runs.one), median(runs.three)];
    rows.push({ name, direct, one, three, runs });
    const f = (r) => `${Math.round(r.perSec).toString().padStart(6)} /s  p50 ${r.p50.toFixed(1).padStart(5)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms${r.errors ? `  (${r.errors} errors)` : ''}`;
    console.log(`\n${name}`);
    console.log(`  1 node direct      ${f(direct)}`);
    console.log(`  1 node via nginx   ${f(one)}`);
    console.log(`  3 nodes via nginx  ${f(three)}   served: ${JSON.stringify(three.nodes)}`);
    console.log(`  3 nodes / 1 node (both via nginx): ${(three.perSec / one.perSec).toFixed(2)}×`);
  }

  console.log('\n| workload | 1 node direct | 1 node via nginx | 3 nodes via nginx | 3 / 1 via nginx |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(`| ${r.name} | ${Math.round(r.direct.perSec)}/s | ${Math.round(r.one.perSec)}/s | ${Math.round(r.three.perSec)}/s | ${(r.three.perSec / r.one.perSec).toFixed(2)}× |`);
  }
  if (args.json) fs.writeFileSync(String(args.json), JSON.stringify({ cores: os.cpus().length, conns: CONNS, seconds: SECONDS, reps: REPS, rows }, null, 2));
} finally {
  await stopAll();
}
