// `npx mcp` in this repository: npm never links a package's own bin into its node_modules/.bin, so
// the devDependency "mcpkit-repo-bin" (file:scripts/mcp-bin) does; published, "bin" points at dist/cli/main.js.
// The last test runs the Quickstart through `npx mcp run` and talks to it with our own Client.
import { it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Client } from "../../src/client/index.js";
import { StdioClientTransport } from "../../src/transports/stdio-client.js";
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

it("`npx mcp run examples/quickstart.ts` answers our Client over stdio, in both eras", { timeout: 120_000 }, async () => {
  for (const era of ["legacy", "modern"] as const) {
    const transport = new StdioClientTransport({
      command: process.platform === "win32" ? "npx.cmd" : "npx",
      args: ["--no", "mcp", "run", "examples/quickstart.ts"],
      cwd: ROOT,
      stderr: "pipe",
    });
    const client = new Client({ name: "npx-test", version: "1.0.0" }, { era, requestTimeoutMs: 60_000 });
    await client.connect(transport);
    try {
      assert.equal(client.serverInfo?.name, "Demo");
      assert.deepEqual((await client.listTools()).tools.map((t) => t.name), ["add"]);
      const sum = await client.callTool("add", { a: 2, b: 3 });
      assert.equal(sum.isError, undefined);
      assert.deepEqual(sum.content, [{ type: "text", text: "5" }]);
      const hello = await client.readResource("greeting://Ann");
      assert.equal((hello.contents[0] as { text: string }).text, "Hello, Ann!");
    } finally {
      await client.close();
    }
  }
});
