// Examples run as a user runs them, each in its own process: spawned with tsx, long-running
// ones started with --port 0 and awaited on their `READY <url>` line, all killed by `killExamples`.
import { spawn, type ChildProcess } from "node:child_process";

const children: ChildProcess[] = [];

export function spawnExample(file: string, args: string[] = [], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", file, ...args], { stdio: ["ignore", "pipe", "pipe"], env });
  children.push(child);
  return child;
}

/** Start a long-running example with --port 0 and wait for its READY line (30 s at most: CI machines are slow). */
export function startExample(file: string, ...args: string[]): Promise<string> {
  const child = spawnExample(file, ["--port", "0", ...args]);
  let err = "";
  child.stderr!.on("data", (c) => (err += c));
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${file} did not start: ${err}`)), 30_000);
    let out = "";
    child.stdout!.on("data", (c) => {
      out += c;
      const m = /READY (\S+)/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(m[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`${file} exited ${code}: ${err}`)));
  });
}

export function killExamples(): void {
  for (const c of children.splice(0)) c.kill("SIGKILL");
}
