/**
 * The official conformance suite's authorization-server scenarios (0.2.0-alpha.12
 * `authorization`: `authorization-server-metadata-endpoint`, `authorization-code-grant`)
 * against protected conformance servers (test/conformance/auth-server.ts): a co-hosted
 * authorization server with a public client, an issuer with a path that admits only
 * confidential clients, and the OAuth proxy in front of an upstream identity provider.
 * The suite plays the OAuth client and prints an authorize URL; this test is the user's
 * browser. Suite 0.1.16 has no authorization-server scenarios.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { CLI, HARNESS, RESULTS, ensureHarness, node22 } from "./conformance/common.mjs";
import { browse, startAuthorizationTargets, TARGET_IDS, type AuthorizationTarget, type AuthorizationTargets, type TargetId } from "./conformance/auth-server.js";

const OUT = join(RESULTS, "authorization");
const SCENARIOS = ["authorization-server-metadata-endpoint", "authorization-code-grant"];

interface Check {
  id: string;
  status: "SUCCESS" | "FAILURE" | "WARNING" | "SKIPPED" | "INFO";
  errorMessage?: string;
}

/** Distinct free ports (all held until all are known, so none is handed out twice). */
async function freePorts(n: number): Promise<number[]> {
  const servers = Array.from({ length: n }, () => createServer());
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.listen(0, "127.0.0.1", r))));
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** One run of `conformance authorization` (both scenarios: the grant reads the metadata the first one found). */
function runSuite(t: AuthorizationTarget, dir: string): Promise<{ code: number | null; log: string; visited: string[] }> {
  const args = [CLI["0.2.0-alpha.12"], "authorization", "--url", t.issuer, "--client-id", t.clientId, "--resource", t.resource, "-p", String(t.callbackPort), "-o", dir];
  if (t.clientSecret) args.push("--client-secret", t.clientSecret);
  return new Promise((resolve, reject) => {
    const child = spawn(node22()!, args, { cwd: HARNESS, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    let visited: string[] = [];
    let browsing: Promise<void> | undefined;
    const timer = setTimeout(() => {
      log += "\n[test] the suite did not finish within 60 s; killed\n";
      child.kill("SIGKILL");
    }, 60_000);
    const onData = (d: Buffer) => {
      log += d;
      // The suite prints the authorize URL on a line of its own and, once its callback server
      // listens (which may come later), "Callback server started"; only then is the user done.
      const url = /^(https?:\/\/\S+[?&]response_type=code\S*)$/m.exec(log)?.[1];
      const listening = log.includes(`Callback server started: http://127.0.0.1:${t.callbackPort}`);
      if (url && listening && !browsing)
        browsing = browse(url, `http://127.0.0.1:${t.callbackPort}`).then(
          (v) => void (visited = v),
          (e) => void (log += `\n[browser] ${e.message}\n`),
        );
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (d: Buffer) => (log += d));
    child.on("error", reject);
    child.on("close", async (code) => {
      clearTimeout(timer);
      await browsing;
      resolve({ code, log, visited });
    });
  });
}

function checksOf(dir: string, scenario: string, log: string): Check[] {
  const name = existsSync(dir) ? readdirSync(dir).find((d) => d.startsWith(`authorization-server-${scenario}-`)) : undefined;
  const file = name && join(dir, name, "checks.json");
  assert.ok(file && existsSync(file), `no results for ${scenario} in ${dir}\n${log}`);
  return JSON.parse(readFileSync(file, "utf8"));
}

describe("conformance: authorization server scenarios (suite 0.2.0-alpha.12)", { timeout: 10 * 60_000 }, () => {
  let servers: AuthorizationTargets;

  before(async () => {
    await ensureHarness();
    const ports = await freePorts(TARGET_IDS.length);
    servers = await startAuthorizationTargets(Object.fromEntries(TARGET_IDS.map((id, i) => [id, ports[i]])) as Record<TargetId, number>);
    rmSync(OUT, { recursive: true, force: true });
  });
  after(() => servers?.close());

  for (const id of TARGET_IDS) {
    it(`${id}: both scenarios pass, no failure, warning or skip`, async () => {
      const target = servers.targets.find((t) => t.id === id)!;
      const dir = join(OUT, id);
      const { code, log, visited } = await runSuite(target, dir);
      const all = SCENARIOS.flatMap((s) => checksOf(dir, s, log).map((c) => ({ scenario: s, ...c })));
      const bad = all.filter((c) => c.status !== "SUCCESS" && c.status !== "INFO");
      assert.deepEqual(bad, [], `${target.title}: checks not passed\n${log}`);
      assert.ok(all.some((c) => c.id === "authorization-code-grant" && c.status === "SUCCESS"), log);
      assert.ok(all.some((c) => c.id === "authorization-server-metadata-cimd" && c.status === "SUCCESS"), "client_id_metadata_document_supported advertised");
      assert.equal(code, 0, log);
      // The browser went through this target's authorize endpoint (and, for the proxy, its consent page and the upstream IdP).
      assert.ok(visited[0]?.startsWith(`${target.issuer}/authorize?`), visited.join("\n"));
      if (id === "proxy") assert.ok(visited.some((u) => /\/authorize\?/.test(u) && !u.startsWith(target.issuer)), `went upstream: ${visited.join("\n")}`);
    });
  }

  it("the protected servers refuse a request without a token, naming their metadata", async () => {
    for (const t of servers.targets) {
      const res = await fetch(t.resource, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream" }, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' });
      assert.equal(res.status, 401);
      assert.match(res.headers.get("www-authenticate") ?? "", /^Bearer .*resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp"/);
      await res.body?.cancel();
    }
  });
});
