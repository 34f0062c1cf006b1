// Running the built `mcp` command (dist/cli/main.js) as a process, as a user would.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(fileURLToPath(import.meta.url), "../../../..");
export const MAIN = path.join(ROOT, "dist/cli/main.js");
export const FIXTURES = path.join(ROOT, "test/cli/fixtures");

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
}

/** The environment with `env` applied; an undefined value removes the variable. */
export function withEnv(env: Record<string, string | undefined> = {}): Record<string, string> {
  const out = { ...process.env, ...env };
  for (const [k, v] of Object.entries(out)) if (v === undefined) delete out[k];
  return out as Record<string, string>;
}

/** Run `mcp …` to completion. */
export function mcp(args: string[], o: CliOptions = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: o.cwd ?? ROOT, env: withEnv(o.env), stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    const t = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`mcp ${args.join(" ")} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, o.timeoutMs ?? 30_000);
    child.on("exit", (code) => {
      clearTimeout(t);
      // Let the pipes drain.
      setImmediate(() => resolve({ code, stdout, stderr }));
    });
    child.stdin.end(o.input ?? "");
  });
}

/** Start a long-running `mcp …`; `waitFor` reads its output until a pattern shows up. */
export function start(args: string[], o: CliOptions = {}): { child: ChildProcess; out: () => string; err: () => string; waitFor(re: RegExp, ms?: number): Promise<RegExpMatchArray>; stop(): Promise<void> } {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: o.cwd ?? ROOT, env: withEnv(o.env), stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.on("data", (c) => (out += c));
  child.stderr!.on("data", (c) => (err += c));
  return {
    child,
    out: () => out,
    err: () => err,
    waitFor: (re, ms = 20_000) =>
      new Promise((resolve, reject) => {
        const deadline = Date.now() + ms;
        const tick = () => {
          const m = re.exec(out + "\n" + err);
          if (m) return resolve(m);
          if (child.exitCode !== null) return reject(new Error(`exited (${child.exitCode}) before ${re}\nstdout: ${out}\nstderr: ${err}`));
          if (Date.now() > deadline) return reject(new Error(`no ${re} within ${ms} ms\nstdout: ${out}\nstderr: ${err}`));
          setTimeout(tick, 50);
        };
        tick();
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as any).port;
      s.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
