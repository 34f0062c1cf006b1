/**
 * The official MCP conformance suite against our conformance server
 * (test/conformance/server.ts), through test/conformance/run.mjs: suite 0.1.16
 * (all 32 server scenarios, the 2 pending ones included) and suite
 * 0.2.0-alpha.12 at both revisions it scores (2025-11-25, 2026-07-28).
 * The first run installs the suite (npm ci in test/conformance/harness).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runConformance } from "./helpers/conformance-runner.js";


interface ScenarioResult {
  ran: boolean;
  status: "pass" | "fail" | "missing";
  scored: boolean;
  reason?: string;
  failures: string[];
}
interface Summary {
  ok: boolean;
  runs: { id: string; title: string; command: string; scenarios: Record<string, ScenarioResult> }[];
}

const MRTR = [
  "basic-elicitation",
  "basic-sampling",
  "basic-list-roots",
  "request-state",
  "multiple-input-requests",
  "multi-round",
  "missing-input-response",
  "non-tool-request",
  "result-type",
  "unsupported-methods",
  "tampered-state",
  "capability-check",
  "ignore-extra-params",
  "validate-input",
].map((s) => `input-required-result-${s}`);

/** What each run must contain and pass: [run id, number of required scenarios, names that must be among the passes]. */
const EXPECT: [string, number, string[]][] = [
  ["0.1.16", 32, ["json-schema-2020-12", "server-sse-polling", "tools-call-sampling", "tools-call-elicitation", "dns-rebinding-protection"]],
  ["2025-11-25", 30, ["server-initialize", "tools-call-sampling", "elicitation-sep1330-enums", "server-session-lifecycle", "json-schema-2020-12", "server-sse-polling"]],
  [
    "2026-07-28",
    37,
    ["server-stateless", "caching", "sep-2164-resource-not-found", ...MRTR, "json-schema-2020-12", "http-header-validation", "http-custom-header-server-validation"],
  ],
];

test("official conformance suite against test/conformance/server.ts", { timeout: 20 * 60_000 }, async (t) => {
  const { code, output, summary } = await runConformance<Summary>("test/conformance/run.mjs", "test/conformance/results/summary.json");
  for (const [id, required, named] of EXPECT) {
    await t.test(`suite run ${id}`, () => {
      const run = summary.runs.find((r) => r.id === id);
      assert.ok(run, `no results for ${id}:\n${output}`);
      const entries = Object.entries(run.scenarios);
      const scored = entries.filter(([, s]) => s.scored);
      assert.equal(scored.length, required, `${id}: expected ${required} required scenarios, the suite listed ${scored.length}`);
      const failed = entries.filter(([, s]) => (s.scored || s.reason !== "extension") && s.status !== "pass");
      assert.deepEqual(
        failed.map(([n, s]) => `${n}: ${s.ran ? s.failures.join(" | ") : "not run"}`),
        [],
        `${id}: failed scenarios (${run.command})\n${output}`,
      );
      for (const n of named) assert.equal(run.scenarios[n]?.status, "pass", `${id}: ${n} did not pass`);
      t.diagnostic(`${run.title}: ${scored.length}/${required} required scenarios passed`);
    });
  }
  assert.equal(code, 0, `test/conformance/run.mjs exited ${code}:\n${output}`);
});
