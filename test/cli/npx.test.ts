// `npx mcp` in this repository: npm never links a package's own bin into its node_modules/.bin, so
// the devDependency "mcpkit-repo-bin" (file:scripts/mcp-bin) does; published, "bin" points at dist/cli/main.js.
import { it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./helpers/cli.js";

it("package.json's bin is the built CLI, and `npx mcp` runs it here", () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
  assert.deepEqual(pkg.bin, { mcp: "./dist/cli/main.js" });
  assert.ok(pkg.dependencies.tsx, "tsx is a runtime dependency: mcp run loads .ts files with it");
  assert.match(readFileSync(path.join(ROOT, pkg.bin.mcp), "utf8"), /^#!\/usr\/bin\/env node\n/);
  const r = spawnSync(process.platform === "win32" ? "npx.cmd" : "npx", ["--no", "mcp", "version"], { cwd: ROOT, encoding: "utf8", shell: process.platform === "win32" });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^mcpkit \d+\.\d+\.\d+ /);
});
