#!/usr/bin/env node
/**
 * Runs the official MCP conformance suite against our conformance server
 * (test/conformance/server.ts) and prints one table.
 *
 *   node test/conformance/run.mjs                  # all three runs below
 *   node test/conformance/run.mjs --suite 2026-07-28 [--scenario caching]
 *   node test/conformance/run.mjs --url http://localhost:3000/mcp   # a server you started
 *
 * Runs: suite 0.1.16 `server --suite all` (legacy era, all 32 scenarios incl.
 * the 2 pending), and suite 0.2.0-alpha.12 `server --requirements 2025-11-25`
 * and `--requirements 2026-07-28` (each revision's frozen set, at its own wire).
 *
 * The suite needs Node >= 22; it runs on the Node 22 binary that the harness
 * package (test/conformance/harness, installed here with `npm ci` on first use
 * and whenever its lock file changes) brings. Our server runs on the Node that
 * runs this script. Results: test/conformance/results/ (summary.json, one
 * folder of checks.json per run, logs). The client scenarios against our
 * client: test/conformance/run-client.mjs (shared pieces: common.mjs). Exit code 1 when any expected scenario
 * failed: every 0.1.16 scenario, and every scenario of a 0.2 requirement set
 * except the `extension` ones (reported, never counted).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, createWriteStream } from "node:fs";
import { createServer, connect } from "node:net";
import { join, relative } from "node:path";
import { CLI, HARNESS, ROOT, RESULTS, cli, ensureHarness, node22, requirementSet, sleep } from "./common.mjs";

/** The three runs: which CLI, which arguments, and how to learn the scenarios it should run. */
const RUNS = [
  { id: "0.1.16", suite: "0.1.16", args: ["--suite", "all"], title: "0.1.16 (all)" },
  { id: "2025-11-25", suite: "0.2.0-alpha.12", args: ["--requirements", "2025-11-25"], title: "0.2 @ 2025-11-25" },
  { id: "2026-07-28", suite: "0.2.0-alpha.12", args: ["--requirements", "2026-07-28"], title: "0.2 @ 2026-07-28" },
];
const SUITE_TIMEOUT_MS = 10 * 60_000;

// ---- arguments ---------------------------------------------------------------------------

function parseArgs(argv) {
  const o = { suites: [], scenario: undefined, url: undefined, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--suite") o.suites.push(argv[++i]);
    else if (a === "--scenario") o.scenario = argv[++i];
    else if (a === "--url") o.url = argv[++i];
    else if (a === "--verbose") o.verbose = true;
    else if (a === "-h" || a === "--help") {
      console.log("usage: node test/conformance/run.mjs [--suite 0.1.16|2025-11-25|2026-07-28]… [--scenario NAME] [--url URL] [--verbose]");
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  for (const s of o.suites) if (!RUNS.some((r) => r.id === s)) throw new Error(`unknown suite ${s} (one of ${RUNS.map((r) => r.id).join(", ")})`);
  return o;
}

// ---- which scenarios each run should contain ---------------------------------------------

/** Map scenario → { scored, reason }: what a run must (or may) contain. */
function expectedScenarios(run) {
  const out = new Map();
  if (run.suite === "0.1.16") {
    for (const m of cli(run.suite, ["list", "--server"]).matchAll(/^\s+- (\S+)/gm)) out.set(m[1], { scored: true });
    return out;
  }
  const set = requirementSet(run.id);
  for (const s of set.server ?? []) out.set(s, { scored: true });
  for (const n of set.not_scored ?? []) if (n.leg === "server") out.set(n.scenario, { scored: false, reason: n.reason });
  return out;
}

// ---- our server --------------------------------------------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startServer() {
  const port = await freePort();
  const log = createWriteStream(join(RESULTS, "server.log"));
  const child = spawn(process.execPath, ["--import", "tsx", join("test", "conformance", "server.ts")], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = false;
  child.once("exit", () => (exited = true));
  const deadline = Date.now() + 60_000;
  while (!(await canConnect(port))) {
    if (exited) throw new Error(`the conformance server exited at start; see ${relative(ROOT, join(RESULTS, "server.log"))}`);
    if (Date.now() > deadline) throw new Error("the conformance server did not start listening within 60 s");
    await sleep(100);
  }
  return {
    url: `http://localhost:${port}/mcp`,
    stop: async () => {
      if (exited) return;
      const gone = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([gone, sleep(3000)]);
      if (!exited) child.kill("SIGKILL");
    },
    kill: () => !exited && child.kill("SIGKILL"),
  };
}

function canConnect(port) {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

// ---- running a suite and reading its checks ----------------------------------------------

function runSuite(run, url, scenario, verbose) {
  const out = join(RESULTS, run.id);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  let args = ["server", "--url", url, "-o", out];
  if (!scenario) args.push(...run.args);
  else if (run.suite === "0.1.16") args.push("--scenario", scenario);
  else args.push("--scenario", scenario, "--spec-version", run.id, "--force");
  const logPath = join(RESULTS, `${run.id}.log`);
  const log = createWriteStream(logPath);
  const command = `${relative(ROOT, node22())} ${relative(ROOT, CLI[run.suite])} ${args.map((a) => (a === out ? relative(ROOT, out) : a)).join(" ")}`;
  log.write(`$ ${command}\n`);
  return new Promise((resolve) => {
    const child = spawn(node22(), [CLI[run.suite], ...args], { cwd: HARNESS, stdio: ["ignore", "pipe", "pipe"], detached: process.platform !== "win32" });
    for (const s of [child.stdout, child.stderr]) {
      s.pipe(log, { end: false });
      if (verbose) s.pipe(process.stderr, { end: false });
    }
    const timer = setTimeout(() => {
      log.write(`\n[run.mjs] timed out after ${SUITE_TIMEOUT_MS} ms\n`);
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, SUITE_TIMEOUT_MS);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      log.end();
      resolve({ command, exitCode: code ?? signal, dir: out, log: logPath });
    });
  });
}

/** scenario → { status, counts, failures } from the checks.json files of one run. */
function readChecks(dir) {
  const res = new Map();
  for (const d of existsSync(dir) ? readdirSync(dir) : []) {
    const m = /^server-(.+)-\d{4}-\d{2}-\d{2}T[\d-]+Z$/.exec(d);
    const file = join(dir, d, "checks.json");
    if (!m || !existsSync(file)) continue;
    const checks = JSON.parse(readFileSync(file, "utf8"));
    const count = (s) => checks.filter((c) => c.status === s).length;
    const counts = { success: count("SUCCESS"), failure: count("FAILURE"), warning: count("WARNING"), skipped: count("SKIPPED") };
    const notes = (s) => checks.filter((c) => c.status === s).map((c) => `${c.id}: ${c.errorMessage ?? c.description}`);
    res.set(m[1], { status: counts.failure === 0 ? "pass" : "fail", counts, failures: notes("FAILURE"), warnings: notes("WARNING") });
  }
  return res;
}

// ---- report ------------------------------------------------------------------------------

function cell(r) {
  if (!r) return "·";
  if (!r.ran) return r.scored || !r.optional ? "✗ (not run)" : "– (not run)";
  if (r.counts.success + r.counts.failure + r.counts.warning === 0) return r.optional ? "– ext, skipped" : "– skipped";
  const mark = r.status === "pass" ? "✓" : r.optional ? "✗ ext" : "✗";
  const tail = [];
  if (r.counts.warning) tail.push(`${r.counts.warning}w`);
  if (!r.scored && !r.optional) tail.push(r.reason);
  return tail.length ? `${mark} ${tail.join(" ")}` : mark;
}

function printTable(summary) {
  const names = [];
  for (const run of summary.runs) for (const n of Object.keys(run.scenarios)) if (!names.includes(n)) names.push(n);
  const w0 = Math.max(8, ...names.map((n) => n.length));
  const widths = summary.runs.map((r) => Math.max(r.title.length, ...Object.values(r.scenarios).map((s) => cell(s).length)));
  const line = (a, cells) => `${a.padEnd(w0)}  ${cells.map((c, i) => c.padEnd(widths[i])).join("  ")}`.trimEnd();
  console.log(line("scenario", summary.runs.map((r) => r.title)));
  console.log(line("-".repeat(w0), widths.map((w) => "-".repeat(w))));
  for (const n of names) console.log(line(n, summary.runs.map((r) => cell(r.scenarios[n]))));
  console.log("");
  console.log("✓ passed (Nw: with N warnings)  ✗ failed  · not in that run  ext: extension, reported but not required");
  for (const r of summary.runs) {
    const t = r.totals;
    const ext = t.optional.total ? `; extensions ${t.optional.passed}/${t.optional.total} (not required)` : "";
    const extra = t.unscored.total ? `; not scored but expected ${t.unscored.passed}/${t.unscored.total}` : "";
    console.log(`${r.title}: required ${t.required.passed}/${t.required.total}${extra}${ext}  — exit ${r.exitCode}  — $ ${r.command}`);
  }
  const bad = summary.runs.flatMap((r) => Object.entries(r.scenarios).filter(([, s]) => s.expected && s.status !== "pass").map(([n, s]) => ({ run: r, n, s })));
  if (bad.length) {
    console.log("\nFailures:");
    for (const { run, n, s } of bad) {
      console.log(`  [${run.id}] ${n}${s.ran ? "" : " (no results: the suite crashed or skipped it; see the log)"}`);
      for (const f of s.failures ?? []) console.log(`      ${f.slice(0, 400)}`);
    }
    console.log(`\nLogs and checks: ${relative(ROOT, RESULTS)}/`);
  }
}

// ---- main --------------------------------------------------------------------------------

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const runs = o.suites.length ? RUNS.filter((r) => o.suites.includes(r.id)) : RUNS;
  await ensureHarness();
  mkdirSync(RESULTS, { recursive: true });
  rmSync(join(RESULTS, "summary.json"), { force: true });
  const server = o.url ? undefined : await startServer();
  const onExit = () => server?.kill();
  process.once("exit", onExit);
  const url = o.url ?? server.url;
  const summary = { url, node: { server: process.version, suite: spawnSync(node22(), ["--version"], { encoding: "utf8" }).stdout.trim() }, runs: [], ok: true };
  try {
    for (const run of runs) {
      const expected = expectedScenarios(run);
      if (o.scenario) for (const k of [...expected.keys()]) if (k !== o.scenario) expected.delete(k);
      const r = await runSuite(run, url, o.scenario, o.verbose);
      const got = readChecks(r.dir);
      const scenarios = {};
      const totals = { required: { passed: 0, total: 0 }, unscored: { passed: 0, total: 0 }, optional: { passed: 0, total: 0 } };
      for (const name of new Set([...expected.keys(), ...got.keys()])) {
        const e = expected.get(name) ?? { scored: false, reason: "extra" };
        const optional = !e.scored && (e.reason === "extension" || e.reason === "extra");
        const g = got.get(name);
        const s = { ran: !!g, status: g?.status ?? "missing", scored: e.scored, reason: e.reason, optional, expected: !optional, counts: g?.counts, failures: g?.failures ?? [], warnings: g?.warnings ?? [] };
        scenarios[name] = s;
        const bucket = e.scored ? totals.required : optional ? totals.optional : totals.unscored;
        bucket.total++;
        if (s.status === "pass") bucket.passed++;
        if (s.expected && s.status !== "pass") summary.ok = false;
      }
      summary.runs.push({ id: run.id, suite: run.suite, title: run.title, command: r.command, exitCode: r.exitCode, log: relative(ROOT, r.log), scenarios, totals });
    }
  } finally {
    await server?.stop();
    process.off("exit", onExit);
  }
  writeFileSync(join(RESULTS, "summary.json"), JSON.stringify(summary, null, 2));
  printTable(summary);
  console.log(summary.ok ? "\nconformance: every expected scenario passed" : "\nconformance: FAILED");
  return summary.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`conformance: ${e?.stack ?? e}`);
    process.exit(2);
  },
);
