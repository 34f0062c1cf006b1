/** Where the CLI lives and what it is: its entry file, the package version, how to spawn it again. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { REVISIONS } from "../protocol/revisions.js";

/** The package root: dist/cli/ → ../.., and the same from src/cli/ when run through tsx. */
const root = new URL("../../", import.meta.url);

/** Absolute path of the `mcp` entry (dist/cli/main.js once built; src/cli/main.ts under tsx). */
export const MAIN = fileURLToPath(new URL(import.meta.url.endsWith(".ts") ? "./main.ts" : "./main.js", import.meta.url));

export const VERSION: string = JSON.parse(readFileSync(new URL("package.json", root), "utf8")).version;

export function versionText(): string {
  return `mcpkit ${VERSION} (protocol revisions ${REVISIONS[0]} … ${REVISIONS.at(-1)}; node ${process.versions.node})`;
}

/** The command and arguments that run this CLI again in a child process. */
export function selfCommand(...args: string[]): { command: string; args: string[] } {
  // Under tsx (the tests run src/ directly) the child needs the loader too.
  const pre = MAIN.endsWith(".ts") ? ["--import", import.meta.resolve("tsx")] : [];
  return { command: process.execPath, args: [...pre, MAIN, ...args] };
}
