#!/usr/bin/env node
// Runs every test file under test/ with Node's own runner (TypeScript through tsx).
// Node 20's --test takes no globs, so the files are listed here.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (!["fixtures", "peers", "helpers", "node_modules", "results"].includes(name)) find(p, out);
    } else if (/\.test\.(ts|mts|mjs|js)$/.test(name)) out.push(p);
  }
  return out;
}

const filter = process.argv.slice(2);
let files = find("test").sort();
if (filter.length) files = files.filter((f) => filter.some((x) => f.includes(x)));
const r = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", ...files], { stdio: "inherit" });
process.exit(r.status ?? 1);
