#!/usr/bin/env node
// mcpkit benchmark harness — `npm run bench [-- options]`.
//
// Measures MCP server implementations serving the same `add` tool
// ({a:number, b:number} → text content with the sum) over stdio and Streamable
// HTTP, in the legacy era (initialize + notifications/initialized; HTTP with
// Mcp-Session-Id sessions) and the modern era (2026-07-28: stateless, per-request
// _meta envelope, MCP-Protocol-Version / Mcp-Method / Mcp-Name headers).
// Repetitions are interleaved (bare, sdk1, sdk2, mcpkit, then again) and every
// figure is the median over repetitions. See bench/README.md.
//
// Options:
//   --quick              smoke run: 1 repetition, a few hundred calls per figure (seconds)
//   --only=a,b           implementations to run: bare, sdk1, sdk2, mcpkit
//                        (ratios need bare / sdk1 in the same run, else shown as –)
//   --reps=N             repetitions (default 5; quick 1); heap per session and the
//                        in-process figures are measured in the first 3 only
//   --skip=x,y           skip parts: stdio, http, legacy, modern, import, inproc, sessions
//   --json=PATH          also write raw samples (default bench/results/latest.json)
//   --readme             also put the report between the RESULTS markers of bench/README.md
//   --http-agent         HTTP load through node:http's keep-alive http.Agent instead
//                        of the default raw keep-alive HTTP/1.1 client (lib/http-wire.mjs)
//
// ── SERVER FILE CONTRACT ───────────────────────────────────────────────────
// For each implementation <impl> there are three files in bench/servers/:
//
//   <impl>-stdio.mjs   node --expose-gc <impl>-stdio.mjs --era legacy|modern
//       A standalone process serving newline-delimited JSON-RPC on
//       stdin/stdout. Prints nothing else on stdout. Exits when stdin ends.
//   <impl>-http.mjs    node --expose-gc <impl>-http.mjs --era legacy|modern --port N
//       A standalone process serving Streamable HTTP on http://127.0.0.1:<port>/mcp
//       (N = 0: pick a free port). Once listening it prints exactly
//       `READY <port>` on stdout. Legacy era: sessions keyed by Mcp-Session-Id.
//   <impl>-inproc.mjs  export async function setup(extraTools, era)
//       → { request(msg) → Promise<reply>, close() } or null (era not served);
//       registers `add` plus `extraTools` padding tools add_1 … add_<extraTools>.
//
// Both server processes must:
//   - import '../lib/server-common.mjs' FIRST: it installs the memory side
//     channel (SIGUSR2 → forced GC → one stderr line `MCPBENCH_MEM {json}`)
//     and the peak-heap sampler; stderr is otherwise free for logs;
//   - honour `importOnly` from that module (env MCPBENCH_IMPORT_ONLY=1): load
//     every module the server needs, then do nothing — used for import time;
//   - serve the era given by --era; an implementation that lacks an era calls
//     `unsupportedEra()` (and is listed without it in IMPLS below → "n/a").
// A file that still contains `export const PENDING = true` is reported as
// PENDING in every table (the original mcpkit placeholders ran the bare logic).
// ─────────────────────────────────────────────────────────────────────────────
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { runScenario } from './lib/trial.mjs';
import { importTimeMs } from './lib/proc.mjs';
import { renderReport, SCENARIOS, scenarioKey } from './lib/report.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const version = (pkg) => JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;

const IMPLS = [
  { id: 'bare', label: 'bare (no SDK)', eras: ['legacy', 'modern'] },
  { id: 'sdk1', label: `official SDK v1 ${version('@modelcontextprotocol/sdk')}`, eras: ['legacy'] },
  { id: 'sdk2', label: `official SDK v2 ${version('@modelcontextprotocol/server')}`, eras: ['legacy', 'modern'] },
  { id: 'mcpkit', label: 'mcpkit', eras: ['legacy', 'modern'] },
];

function parseArgs(argv) {
  const o = { quick: false, only: null, reps: null, skip: new Set(), json: join(HERE, 'results', 'latest.json'), httpAgent: false };
  for (const a of argv) {
    const [k, v] = a.split('=', 2);
    if (k === '--quick') o.quick = true;
    else if (k === '--only') o.only = new Set(v.split(','));
    else if (k === '--reps') o.reps = Number(v);
    else if (k === '--skip') o.skip = new Set(v.split(','));
    else if (k === '--json') o.json = v;
    else if (k === '--http-agent') o.httpAgent = true;
    else if (k === '--readme') o.readme = true;
    else if (k === '--help' || k === '-h') {
      console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 23).join('\n').replace(/^\/\/ ?/gm, ''));
      process.exit(0);
    } else throw new Error(`unknown option ${a} (try --help)`);
  }
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const cfg = opts.quick
  ? { reps: 1, slowReps: 1, rounds: 1, inFlight: 64, warmupMs: 50, loadMs: 300, maxCalls: 400, latencyN: 100, latencyMs: 150, sessions: 50,
      inproc: { sizes: [1, 100, 1000], warmupMs: 20, rounds: 1, windowMs: 5, minOps: 2 } }
  : { reps: 5, slowReps: 3, rounds: 4, inFlight: 64, warmupMs: 300, loadMs: 600, maxCalls: Infinity, latencyN: 2000, latencyMs: 250, sessions: 1000,
      inproc: { sizes: [1, 100, 1000], warmupMs: 800, rounds: 5, windowMs: 25, minOps: 2 } };
if (opts.reps) cfg.reps = opts.reps;
cfg.slowReps = Math.min(cfg.slowReps, cfg.reps);
cfg.httpAgent = opts.httpAgent;
if (opts.skip.has('sessions')) cfg.sessions = 0;

const impls = IMPLS.filter((i) => !opts.only || opts.only.has(i.id)).map((i) => {
  const file = (kind) => join(HERE, 'servers', `${i.id}-${kind}.mjs`);
  const pending = ['stdio', 'http', 'inproc'].some((k) => readFileSync(file(k), 'utf8').includes('export const PENDING = true'));
  return { ...i, file, pending };
});
if (opts.only) for (const id of opts.only) if (!IMPLS.some((i) => i.id === id)) throw new Error(`unknown impl ${id}`);
const scenarios = SCENARIOS.filter(([t, e]) => !opts.skip.has(t) && !opts.skip.has(e));

const results = {};
const errorCells = new Set();
const errors = [];
const push = (impl, key, metric, v) => {
  const k = ((results[impl] ??= {})[key] ??= {});
  (k[metric] ??= []).push(v);
};
const fail = (impl, key, e) => {
  errorCells.add(`${impl}/${key}`);
  errors.push(`${impl} ${key}: ${e.stack || e}`);
  log(`  ✗ ${impl} ${key}: ${String(e.message || e).split('\n')[0]}`);
};
const log = (s) => process.stderr.write(s + '\n');

function runInproc(impl, era) {
  return new Promise((resolve, reject) => {
    const args = ['--expose-gc', join(HERE, 'lib', 'inproc-child.mjs'), impl.file('inproc'), era, JSON.stringify(cfg.inproc)];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(err.trim().split('\n').slice(-8).join('\n')))));
  });
}

const started = Date.now();
const loadAtStart = loadavg()[0];
log(`bench: ${impls.map((i) => i.id).join(', ')} · ${cfg.reps} rep(s)${opts.quick ? ' · quick' : ''}`);
for (let rep = 1; rep <= cfg.reps; rep++) {
  log(`— repetition ${rep}/${cfg.reps} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  if (!opts.skip.has('import')) {
    for (const impl of impls) {
      for (const t of ['stdio', 'http']) {
        try {
          push(impl.id, 'import', t, await importTimeMs(impl.file(t)));
        } catch (e) {
          fail(impl.id, 'import', e);
        }
      }
    }
  }
  for (const [t, e] of scenarios) {
    const key = scenarioKey(t, e);
    const entries = impls.filter((i) => i.eras.includes(e) && !errorCells.has(`${i.id}/${key}`)).map((i) => ({ id: i.id, file: i.file(t) }));
    const sessions = rep <= cfg.slowReps ? cfg.sessions : 0;
    for (const { id, r, err } of await runScenario({ entries, transport: t, era: e, cfg: { ...cfg, sessions } })) {
      if (err) {
        fail(id, key, err);
        continue;
      }
      for (const [m, v] of Object.entries(r)) push(id, key, m, v);
      log(`  ${key.padEnd(12)} ${id.padEnd(6)} ${Math.round(r.rps)} calls/s · ${r.cpuUs.toFixed(1)} µs CPU/call · p50 ${r.p50Us.toFixed(0)} µs · cold ${r.coldMs.toFixed(0)} ms`);
    }
  }
  if (!opts.skip.has('inproc') && rep <= cfg.slowReps) {
    log(`  in-process (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    for (const era of ['legacy', 'modern']) {
      if (opts.skip.has(era)) continue;
      const key = `inproc-${era}`;
      for (const impl of impls) {
        if (!impl.eras.includes(era) || errorCells.has(`${impl.id}/${key}`)) continue;
        try {
          const r = await runInproc(impl, era);
          for (const [n, v] of Object.entries(r)) if (v) for (const op of ['call', 'list']) push(impl.id, key, `${op}${n}`, v[op]);
          log(`  ${key.padEnd(14)} ${impl.id.padEnd(6)} call@1000 ${r[1000]?.call.toFixed(1)} µs · list@1000 ${r[1000]?.list.toFixed(0)} µs`);
        } catch (err) {
          fail(impl.id, key, err);
        }
      }
    }
  }
}

const command = `npm run bench${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}`;
const meta = {
  node: process.version,
  cpus: cpus().length,
  cpuModel: (cpus()[0]?.model || 'cpu').replace(/\s+/g, ' ').trim(),
  date: new Date().toISOString().slice(0, 10),
  reps: cfg.reps,
  slowReps: cfg.slowReps,
  rounds: cfg.rounds,
  command,
  sessions: cfg.sessions,
  inprocSizes: cfg.inproc.sizes,
  inprocWarmupMs: cfg.inproc.warmupMs,
  inprocRounds: cfg.inproc.rounds,
  load: `1-min load average ${loadAtStart.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end`,
  versions: IMPLS.filter((i) => i.id.startsWith('sdk')).map((i) => i.label).join(', ') + `, zod ${version('zod')}`,
};
const report = renderReport({ impls, results, errorCells, meta });
console.log(report);
if (opts.readme) {
  const readme = join(HERE, 'README.md');
  const text = readFileSync(readme, 'utf8');
  const [begin, end] = ['<!-- RESULTS:BEGIN -->', '<!-- RESULTS:END -->'];
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) log('README.md has no RESULTS markers; not updated');
  else writeFileSync(readme, `${text.slice(0, a + begin.length)}\n${report}\n${text.slice(b)}`);
}
log(`\nbench finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
if (opts.json) {
  mkdirSync(dirname(opts.json), { recursive: true });
  writeFileSync(opts.json, JSON.stringify({ meta, cfg, results, errors }, null, 1));
}
if (errors.length) {
  log(`\n${errors.length} failure(s):\n${errors.join('\n\n')}`);
  process.exitCode = 1;
}
