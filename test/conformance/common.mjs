/**
 * What the two conformance runners share (run.mjs: our server; run-client.mjs: our client):
 * where the harness lives, installing it on first use, the Node >= 22 the suite needs,
 * and running the suite's CLI.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(HERE, "..", "..");
export const HARNESS = join(HERE, "harness");
export const RESULTS = join(HERE, "results");
export const CLI = { "0.1.16": join(HARNESS, "node_modules/conformance-01/dist/index.js"), "0.2.0-alpha.12": join(HARNESS, "node_modules/conformance-02/dist/index.js") };

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- the harness: install on first use, skip when unchanged ------------------------------

function harnessHash() {
  const h = createHash("sha256");
  for (const f of ["package.json", "package-lock.json"]) h.update(readFileSync(join(HARNESS, f)));
  return h.digest("hex");
}

export async function ensureHarness() {
  const stamp = join(HARNESS, "node_modules", ".mcpkit-installed");
  const want = harnessHash();
  const fresh = () => existsSync(stamp) && readFileSync(stamp, "utf8") === want && Object.values(CLI).every(existsSync) && !!node22();
  if (fresh()) return;
  // One installer at a time (two test processes may start together).
  const lock = join(HARNESS, ".install.lock");
  for (let waited = 0; ; waited += 500) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (fresh()) return;
      if (waited > 5 * 60_000 || Date.now() - statSync(lock).mtimeMs > 10 * 60_000) rmSync(lock, { recursive: true, force: true });
      await sleep(500);
    }
  }
  try {
    if (fresh()) return;
    console.error("conformance: installing the harness (npm ci in test/conformance/harness) …");
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const r = spawnSync(npm, ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: HARNESS, stdio: ["ignore", "inherit", "inherit"], shell: process.platform === "win32" });
    if (r.status !== 0) throw new Error(`npm ci in ${relative(ROOT, HARNESS)} failed (exit ${r.status})`);
    if (!node22()) throw new Error("the harness installed, but no Node >= 22 binary was found (package `node` in test/conformance/harness)");
    writeFileSync(stamp, want);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Node >= 22 for the suite: the harness's own binary, else this Node if it is new enough. */
export function node22() {
  const bin = join(HARNESS, "node_modules", "node", "bin", process.platform === "win32" ? "node.exe" : "node");
  if (existsSync(bin)) return bin;
  return Number(process.versions.node.split(".")[0]) >= 22 ? process.execPath : undefined;
}

/** Run the suite's CLI to completion (for `list`); its stdout. */
export function cli(suite, args) {
  const r = spawnSync(node22(), [CLI[suite], ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`conformance ${args.join(" ")} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** A 0.2 requirement set (`2025-11-25`, `2026-07-28`): { server, client, not_scored }. */
export function requirementSet(revision) {
  const { parse } = createRequire(join(HARNESS, "package.json"))("yaml");
  return parse(readFileSync(join(HARNESS, "node_modules/conformance-02/requirements", `${revision}.yaml`), "utf8"));
}
