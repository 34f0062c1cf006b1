/**
 * The official MCP conformance suite's client scenarios against our conformance
 * client (test/conformance/client.ts), through test/conformance/run-client.mjs:
 * suite 0.1.16 (every client scenario) and suite 0.2.0-alpha.12 at both revisions
 * it scores (2025-11-25, 2026-07-28), plus the 0.2 scenarios in neither set.
 * Each scenario runs in its own CLI process, one at a time. Every auth scenario is
 * required, the extensions too (client credentials, cross-app access / enterprise-managed
 * authorization, WIF JWT-bearer, DPoP); only non-auth `extension` scenarios are optional.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runConformance } from "./helpers/conformance-runner.js";


interface ScenarioResult {
  status: "pass" | "fail";
  kind: string;
  optional: boolean;
  exitCode: number | string;
  command: string;
  failures: string[];
  warnings: string[];
}
interface Summary {
  runs: { id: string; title: string; scenarios: Record<string, ScenarioResult> }[];
}

/**
 * Expected scenarios that fail today, each with its reason; everything else expected must pass.
 * (Reported in the diagnostics, so a fix shows up.) None at present.
 */
const KNOWN_FAILURES: Record<string, string> = {};

const AUTH_COMMON = [
  "metadata-default", "metadata-var1", "metadata-var2", "metadata-var3", "basic-cimd",
  "scope-from-www-authenticate", "scope-from-scopes-supported", "scope-omitted-when-undefined", "scope-step-up", "scope-retry-limit",
  "token-endpoint-auth-basic", "token-endpoint-auth-post", "token-endpoint-auth-none", "pre-registration",
  "client-credentials-jwt", "client-credentials-basic",
].map((n) => `auth/${n}`);
const AUTH_02 = ["enterprise-managed-authorization", "dpop", "dpop-nonce", "wif-jwt-bearer"].map((n) => `auth/${n}`);
/** Every client auth scenario of each run: each must have run, and passed. */
const AUTH: Record<string, string[]> = {
  "0.1.16": [
    ...AUTH_COMMON,
    ...["2025-03-26-oauth-metadata-backcompat", "2025-03-26-oauth-endpoint-fallback", "resource-mismatch", "offline-access-scope", "offline-access-not-supported", "cross-app-access-complete-flow"].map((n) => `auth/${n}`),
  ],
  "2025-11-25": [...AUTH_COMMON, ...AUTH_02],
  "2026-07-28": [
    ...AUTH_COMMON,
    ...AUTH_02,
    ...["resource-mismatch", "offline-access-scope", "offline-access-not-supported", "authorization-server-migration", "metadata-issuer-mismatch"].map((n) => `auth/${n}`),
    ...["supported", "not-advertised", "supported-missing", "wrong-issuer", "unexpected", "normalized"].map((n) => `auth/iss-${n}`),
  ],
  other: ["auth/2025-03-26-oauth-metadata-backcompat", "auth/2025-03-26-oauth-endpoint-fallback"],
};

const NON_AUTH_2025 = ["initialize", "tools_call", "elicitation-sep1034-client-defaults", "sse-retry"];
const NON_AUTH_2026 = ["tools_call", "request-metadata", "sep-2322-client-request-state", "http-standard-headers", "http-custom-headers", "http-invalid-tool-headers", "json-schema-ref-no-deref"];

/** [run id, suite-required count (undefined: no requirement set), non-auth scenarios that must pass]. */
const EXPECT: [string, number | undefined, string[]][] = [
  ["0.1.16", undefined, NON_AUTH_2025],
  ["2025-11-25", 18, [...NON_AUTH_2025, "json-schema-2020-12-preservation"]],
  ["2026-07-28", 32, [...NON_AUTH_2026, "json-schema-2020-12-preservation"]],
  ["other", undefined, []],
];

test("official conformance suite: client scenarios against test/conformance/client.ts", { timeout: 30 * 60_000 }, async (t) => {
  const { output, summary } = await runConformance<Summary>("test/conformance/run-client.mjs", "test/conformance/results/client/summary.json");
  for (const [id, required, nonAuth] of EXPECT) {
    await t.test(`suite run ${id}`, () => {
      const run = summary.runs.find((r) => r.id === id);
      assert.ok(run, `no results for ${id}:\n${output}`);
      const entries = Object.entries(run.scenarios);
      if (required !== undefined) assert.equal(entries.filter(([, s]) => s.kind === "required").length, required, `${id}: required scenarios`);
      for (const n of [...nonAuth, ...AUTH[id]]) assert.ok(run.scenarios[n], `${id}: ${n} was not run`);
      const authRun = entries.filter(([n]) => n.startsWith("auth/")).map(([n]) => n);
      assert.deepEqual(authRun.filter((n) => !AUTH[id].includes(n)), [], `${id}: auth scenarios not listed in AUTH (add them)`);
      for (const n of authRun) assert.equal(run.scenarios[n].optional, false, `${id}: ${n} must be required`);
      const failed = entries.filter(([n, s]) => !s.optional && s.status !== "pass" && !KNOWN_FAILURES[`${id} ${n}`]);
      assert.deepEqual(
        failed.map(([n, s]) => `${n} (exit ${s.exitCode}): ${[...s.failures, ...s.warnings].join(" | ")}\n    $ ${s.command}`),
        [],
        `${id}: failed scenarios`,
      );
      const count = (f: (n: string, s: ScenarioResult) => boolean) => {
        const xs = entries.filter(([n, s]) => f(n, s));
        return `${xs.filter(([, s]) => s.status === "pass").length}/${xs.length}`;
      };
      const auth = (n: string) => n.startsWith("auth/");
      t.diagnostic(
        `${run.title}: non-auth ${count((n, s) => !auth(n) && !s.optional)}, auth ${count((n, s) => auth(n) && !s.optional)}` +
          (required !== undefined ? `, suite-required ${count((_, s) => s.kind === "required")}` : "") +
          `, extensions ${count((_, s) => s.optional)} (not required)`,
      );
      for (const [n, s] of entries) if (KNOWN_FAILURES[`${id} ${n}`]) t.diagnostic(`${id} ${n}: ${s.status} (known: ${KNOWN_FAILURES[`${id} ${n}`]})`);
    });
  }
});
