// Runs one of the conformance runners (test/conformance/run.mjs, run-client.mjs) to its end
// and reads the summary it wrote; a missing or unreadable summary fails with the runner's output.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";

const ROOT = join(import.meta.dirname, "..", "..");

export async function runConformance<S>(runner: string, summaryFile: string): Promise<{ code: number | null; output: string; summary: S }> {
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, runner)], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, output }));
  });
  let summary: S;
  try {
    summary = JSON.parse(readFileSync(join(ROOT, summaryFile), "utf8"));
  } catch {
    assert.fail(`${runner} wrote no summary (exit ${code}):\n${output}`);
  }
  return { code, output, summary };
}
