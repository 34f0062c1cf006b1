/** `KEY=VAL` pairs and `.env` files: for `run`, `dev`, `list`/`call` and `install`. */
import { readFileSync } from "node:fs";
import { CliError, UsageError } from "./errors.js";

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function parsePair(command: string, pair: string, flag = "--env"): [string, string] {
  const eq = pair.indexOf("=");
  const key = eq === -1 ? pair : pair.slice(0, eq);
  if (eq === -1 || !KEY.test(key)) throw new UsageError(`mcp ${command}: ${flag} takes KEY=VALUE, not "${pair}"`, command);
  return [key, pair.slice(eq + 1)];
}

/**
 * A dotenv file: `KEY=value`, `export KEY=value`, `# comments`, single quotes
 * (literal), double quotes (\n, \t, \\ and \" escapes; may span lines), and
 * unquoted values with an ` #` comment after them.
 */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=[ \t]*("(?:\\.|[^"\\])*"|'[^']*'|[^\n]*)[ \t]*(?:#[^\n]*)?$/gm;
  for (const line of text.replace(/\r\n?/g, "\n").matchAll(re)) {
    const [, key, raw] = line;
    let v = raw;
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) {
      v = v.slice(1, -1).replace(/\\([nrt"\\])/g, (_, c: string) => ({ n: "\n", r: "\r", t: "\t" })[c as "n"] ?? c);
    } else if (v.startsWith("'") && v.endsWith("'") && v.length >= 2) {
      v = v.slice(1, -1);
    } else {
      v = v.replace(/\s+#.*$/, "").trim();
    }
    out[key] = v;
  }
  return out;
}

export function readEnvFile(command: string, path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e: any) {
    throw new CliError(`mcp ${command}: cannot read env file ${path}: ${e.code === "ENOENT" ? "no such file" : e.message}`);
  }
  return parseDotenv(text);
}

/** Env files first (in order), then `KEY=VAL` pairs: later wins. */
export function collectEnv(command: string, files: string[] = [], pairs: string[] = [], flag = "--env"): Record<string, string> {
  const env: Record<string, string> = {};
  for (const f of files) Object.assign(env, readEnvFile(command, f));
  for (const p of pairs) {
    const [k, v] = parsePair(command, p, flag);
    env[k] = v;
  }
  return env;
}
