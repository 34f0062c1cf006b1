/** `file.ts` or `file.ts:exportName`, checked to exist; and loading TypeScript with tsx. */
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { CliError } from "./errors.js";

export interface FileSpec {
  /** Absolute path. */
  file: string;
  exportName?: string;
  /** As given, for messages. */
  shown: string;
}

/** A colon starts an export name only when what follows is an identifier (so `C:\x.ts` stays a path). */
export function parseFileSpec(command: string, spec: string): FileSpec {
  let file = spec;
  let exportName: string | undefined;
  const m = /^(.+):([A-Za-z_$][\w$]*)$/.exec(spec);
  if (m && !existsSync(spec)) [, file, exportName] = m;
  const abs = resolve(file);
  if (!existsSync(abs)) throw new CliError(`mcp ${command}: no such file: ${file}`);
  if (!statSync(abs).isFile()) throw new CliError(`mcp ${command}: not a file: ${file}`);
  return { file: abs, exportName, shown: file };
}

export const isTypeScript = (file: string) => /\.(ts|mts|cts|tsx)$/.test(file);

/**
 * Register tsx's ESM loader in this process so `import()` takes TypeScript
 * (no build step). `onImport` sees the URL of every module loaded after this.
 */
export async function registerTsx(onImport?: (url: string) => void): Promise<void> {
  const { register } = await import("tsx/esm/api");
  register(onImport ? { onImport } : {});
}
