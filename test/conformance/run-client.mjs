#!/usr/bin/env node
/**
 * Runs the official MCP conformance suite's client scenarios against our
 * conformance client (test/conformance/client.ts) and prints one table.
 *
 *   node test/conformance/run-client.mjs                       # every scenario, auth included
 *   node test/conformance/run-client.mjs --no-auth             # the non-auth ones only
 *   node test/conformance/run-client.mjs --suite 2026-07-28 --scenario request-metadata
 *
 * Runs (each scenario in its own CLI process, one at a time — the CLI's own
 * `--suite` runs them in parallel, which makes `sse-retry`'s timing flaky):
 *   0.1.16      every client scenario of `conformance list --client` (legacy wire)
 *   2025-11-25  suite 0.2.0-alpha.12, the revision's requirement set (required and
 *   2026-07-28  not scored), each at that revision's wire (`--spec-version R --force`)
 *   other       0.2 scenarios in neither set (auth back-compat, SEP-2640 skills), default wire
 * A scenario passes when the CLI exits 0 (no FAILURE, no WARNING, the client exited 0 or
 * was allowed to refuse). Expected to pass: everything, auth extensions included (client
 * credentials, WIF JWT-bearer, enterprise-managed authorization, DPoP); only non-auth
 * `extension` scenarios are reported but never counted. Results: test/conformance/results/client/ (summary.json,
 * one folder per run and scenario with checks.json, stdout/stderr of the client, CLI log).
 * Exit code 1 when an expected scenario failed.
 */
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { CLI, ROOT, RESULTS, cli, ensureHarness, node22, requirementSet } from "./common.mjs";

const OUT = join(RESULTS, "client");
const CLIENT = join(ROOT, "test", "conformance", "client.ts");
const SCENARIO_TIMEOUT_MS = 30_000;
const q = (s) => (/\s/.test(s) ? JSON.stringify(s) : s);
/** What the suite runs (with `<server-url>` appended): Node running our client through tsx. */
const COMMAND = `${q(process.execPath)} --import tsx ${q(CLIENT)}`;

const RUNS = [
  { id: "0.1.16", suite: "0.1.16", title: "0.1.16" },
  { id: "2025-11-25", suite: "0.2.0-alpha.12", title: "0.2 @ 2025-11-25", wire: "2025-11-25" },
  { id: "2026-07-28", suite: "0.2.0-alpha.12", title: "0.2 @ 2026-07-28", wire: "2026-07-28" },
  { id: "other", suite: "0.2.0-alpha.12", title: "0.2 other" },
];

function parseArgs(argv) {
  const o = { suites: [], scenarios: [], auth: true, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--suite") o.suites.push(argv[++i]);
    else if (a === "--scenario") o.scenarios.push(argv[++i]);
    else if (a === "--no-auth") o.auth = false;
    else if (a === "--verbose") o.verbose = true;
    else if (a === "-h" || a === "--help") {
      console.log("usage: node test/conformance/run-client.mjs [--suite 0.1.16|2025-11-25|2026-07-28|other]… [--scenario NAME]… [--no-auth] [--verbose]");
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  for (const s of o.suites) if (!RUNS.some((r) => r.id === s)) throw new Error(`unknown suite ${s} (one of ${RUNS.map((r) => r.id).join(", ")})`);
  return o;
}

/** `conformance list --client` as [name, tags[]]. */
function listed(suite) {
  return [...cli(suite, ["list", "--client"]).matchAll(/^\s+- (\S+) \[([^\]]*)\]/gm)].map((m) => [m[1], m[2].split(",")]);
}

/** The plan of one run: [{ scenario, kind }], kind = required | <not_scored reason> | extension | listed. */
function plan(run) {
  if (run.suite === "0.1.16") return listed(run.suite).map(([s, tags]) => ({ scenario: s, kind: tags.includes("extension") ? "extension" : "listed" }));
  if (run.id === "other") {
    const inSets = new Set(["2025-11-25", "2026-07-28"].flatMap((r) => [...requirementSet(r).client, ...requirementSet(r).not_scored.filter((n) => n.leg === "client").map((n) => n.scenario)]));
    return listed(run.suite)
      .filter(([s]) => !inSets.has(s))
      .map(([s, tags]) => ({ scenario: s, kind: tags.includes("extension") ? "extension" : "listed" }));
  }
  const set = requirementSet(run.id);
  return [
    ...set.client.map((s) => ({ scenario: s, kind: "required" })),
    ...set.not_scored.filter((n) => n.leg === "client").map((n) => ({ scenario: n.scenario, kind: n.reason })),
  ];
}

/** One scenario in its own CLI process; resolves with what it left behind. */
function runScenario(run, scenario, verbose) {
  const dir = join(OUT, run.id, scenario.replaceAll("/", "_"));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const args = ["client", "--command", COMMAND, "--scenario", scenario, "--timeout", String(SCENARIO_TIMEOUT_MS), "-o", dir];
  if (run.wire) args.push("--spec-version", run.wire, "--force");
  const command = `${relative(ROOT, node22())} ${relative(ROOT, CLI[run.suite])} ${args.map((a) => (a === COMMAND ? JSON.stringify(a) : a === dir ? relative(ROOT, dir) : a)).join(" ")}`;
  const log = createWriteStream(join(dir, "cli.log"));
  log.write(`$ ${command}\n`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(node22(), [CLI[run.suite], ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], detached: process.platform !== "win32" });
    for (const s of [child.stdout, child.stderr]) {
      s.pipe(log, { end: false });
      if (verbose) s.pipe(process.stderr, { end: false });
    }
    // The CLI kills only the client's shell on timeout; kill the whole group if it hangs on.
    const timer = setTimeout(() => {
      log.write(`\n[run-client.mjs] killed after ${SCENARIO_TIMEOUT_MS * 2} ms\n`);
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, SCENARIO_TIMEOUT_MS * 2);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      log.end();
      resolve({ command, exitCode: code ?? signal, ms: Date.now() - started, ...readChecks(dir) });
    });
  });
}

/** The checks.json somewhere under dir (auth scenarios nest a folder): counts and messages. */
function readChecks(dir) {
  const find = (d) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) {
        const f = find(p);
        if (f) return f;
      } else if (n === "checks.json") return p;
    }
  };
  const file = existsSync(dir) ? find(dir) : undefined;
  if (!file) return { ran: false, counts: undefined, failures: [], warnings: [] };
  const checks = JSON.parse(readFileSync(file, "utf8"));
  const count = (s) => checks.filter((c) => c.status === s).length;
  const notes = (s) => checks.filter((c) => c.status === s).map((c) => `${c.id}: ${c.errorMessage ?? c.description}`);
  return {
    ran: true,
    counts: { success: count("SUCCESS"), failure: count("FAILURE"), warning: count("WARNING"), skipped: count("SKIPPED") },
    failures: notes("FAILURE"),
    warnings: notes("WARNING"),
  };
}

const mark = (s) => (s.status === "pass" ? "✓" : "✗") + (s.optional ? " ext" : s.kind !== "required" && s.kind !== "listed" ? ` (${s.kind})` : "");

function printTable(summary) {
  const names = [];
  for (const run of summary.runs) for (const n of Object.keys(run.scenarios)) if (!names.includes(n)) names.push(n);
  const w0 = Math.max(8, ...names.map((n) => n.length));
  const widths = summary.runs.map((r) => Math.max(r.title.length, ...Object.values(r.scenarios).map((s) => mark(s).length)));
  const line = (a, cells) => `${a.padEnd(w0)}  ${cells.map((c, i) => c.padEnd(widths[i])).join("  ")}`.trimEnd();
  console.log(line("scenario", summary.runs.map((r) => r.title)));
  console.log(line("-".repeat(w0), widths.map((w) => "-".repeat(w))));
  for (const n of names) console.log(line(n, summary.runs.map((r) => (r.scenarios[n] ? mark(r.scenarios[n]) : "·"))));
  console.log("\n✓ passed  ✗ failed  · not in that run  (reason): not scored by the suite, expected anyway  ext: extension, reported only");
  for (const r of summary.runs) {
    const t = r.totals;
    const ext = t.optional.total ? `; extensions ${t.optional.passed}/${t.optional.total} (not counted)` : "";
    const req = t.required.total ? `; suite-required ${t.required.passed}/${t.required.total}` : "";
    console.log(`${r.title}: expected ${t.expected.passed}/${t.expected.total} (non-auth ${t.nonAuth.passed}/${t.nonAuth.total}, auth ${t.auth.passed}/${t.auth.total})${req}${ext}`);
  }
  const bad = summary.runs.flatMap((r) => Object.entries(r.scenarios).filter(([, s]) => s.status !== "pass").map(([n, s]) => ({ r, n, s })));
  if (bad.length) {
    console.log("\nNot passed:");
    for (const { r, n, s } of bad) {
      console.log(`  [${r.id}] ${n}${s.optional ? " (extension)" : ""} — exit ${s.exitCode}${s.ran ? "" : ", no checks.json"} — $ ${s.command}`);
      for (const f of [...s.failures, ...s.warnings]) console.log(`      ${f.slice(0, 300)}`);
    }
  }
  console.log(`\nLogs and checks: ${relative(ROOT, OUT)}/`);
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  await ensureHarness();
  mkdirSync(OUT, { recursive: true });
  rmSync(join(OUT, "summary.json"), { force: true });
  const summary = { client: relative(ROOT, CLIENT), command: COMMAND, node: { client: process.version }, runs: [], ok: true };
  for (const run of o.suites.length ? RUNS.filter((r) => o.suites.includes(r.id)) : RUNS) {
    const scenarios = {};
    const totals = { expected: { passed: 0, total: 0 }, nonAuth: { passed: 0, total: 0 }, auth: { passed: 0, total: 0 }, required: { passed: 0, total: 0 }, optional: { passed: 0, total: 0 } };
    for (const { scenario, kind } of plan(run)) {
      if (o.scenarios.length && !o.scenarios.includes(scenario)) continue;
      if (!o.auth && scenario.startsWith("auth/")) continue;
      const r = await runScenario(run, scenario, o.verbose);
      const optional = kind === "extension" && !scenario.startsWith("auth/");
      const s = { ...r, kind, optional, status: r.exitCode === 0 ? "pass" : "fail" };
      scenarios[scenario] = s;
      const buckets = optional ? [totals.optional] : [totals.expected, scenario.startsWith("auth/") ? totals.auth : totals.nonAuth];
      for (const b of [...buckets, ...(kind === "required" ? [totals.required] : [])]) {
        b.total++;
        if (s.status === "pass") b.passed++;
      }
      if (!optional && s.status !== "pass") summary.ok = false;
      process.stderr.write(`conformance client [${run.id}] ${scenario}: ${s.status} (${s.ms} ms)\n`);
    }
    summary.runs.push({ id: run.id, suite: run.suite, title: run.title, wire: run.wire, scenarios, totals });
  }
  writeFileSync(join(OUT, "summary.json"), JSON.stringify(summary, null, 2));
  printTable(summary);
  console.log(summary.ok ? "\nconformance client: every expected scenario passed" : "\nconformance client: FAILED");
  return summary.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`conformance client: ${e?.stack ?? e}`);
    process.exit(2);
  },
);
