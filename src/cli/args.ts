/** Argument parsing on node:util parseArgs, with one-line errors and `--` handling. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./errors.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface Parsed<V> {
  values: V;
  positionals: string[];
  /** Everything after `--`, untouched. */
  rest: string[] | undefined;
}

/** Options every command accepts. */
export const COMMON: Options = { help: { type: "boolean", short: "h" } };

export function parse<V = Record<string, any>>(command: string, argv: string[], options: Options): Parsed<V> {
  const sep = argv.indexOf("--");
  const head = sep === -1 ? argv : argv.slice(0, sep);
  const rest = sep === -1 ? undefined : argv.slice(sep + 1);
  try {
    const { values, positionals } = parseArgs({ args: head, options: { ...COMMON, ...options }, allowPositionals: true, strict: true });
    return { values: values as V, positionals, rest };
  } catch (e: any) {
    throw new UsageError(`mcp ${command}: ${describe(e)} (see mcp ${command} --help)`, command);
  }
}

/** parseArgs messages are long and suggest `--`; keep the part that says what went wrong. */
function describe(e: any): string {
  const msg = String(e?.message ?? e);
  const quoted = /'(-[^']*)'/.exec(msg)?.[1] ?? "";
  const opt = /--[\w-]+/.exec(quoted)?.[0] ?? quoted.split(/[ ,]/)[0];
  switch (e?.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${opt || msg}`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      if (/argument missing/.test(msg)) return `option ${opt} needs a value`;
      if (/does not take an argument/.test(msg)) return `option ${opt} takes no value`;
      return msg.split(". ")[0];
    default:
      return msg.split(". ")[0];
  }
}

export function int(command: string, name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`mcp ${command}: --${name} must be a whole number 0–65535, not "${v}"`, command);
  return n;
}
