#!/usr/bin/env node
/** The `mcp` command: run, dev, install, list, call, read, prompt, version. */
import { existsSync } from "node:fs";
import { CliError } from "./errors.js";
import { HELP, MAIN_HELP } from "./help.js";
import { versionText } from "./meta.js";

type Command = (argv: string[]) => Promise<void>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import("./run.js")).runCommand,
  dev: async () => (await import("./dev.js")).devCommand,
  install: async () => (await import("./install.js")).installCommand,
  list: async () => (await import("./talk.js")).listCommand,
  call: async () => (await import("./talk.js")).callCommand,
  read: async () => (await import("./talk.js")).readCommand,
  prompt: async () => (await import("./talk.js")).promptCommand,
  version: async () => async () => console.log(versionText()),
};

async function main(args: string[]): Promise<number> {
  const [cmd, ...argv] = args;
  if (cmd === undefined || cmd === "--help" || cmd === "-h") return print(MAIN_HELP);
  if (cmd === "help") return argv[0] && HELP[argv[0]] ? print(HELP[argv[0]]) : print(MAIN_HELP);
  if (cmd === "--version" || cmd === "-V") return print(versionText());
  const load = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  if (!load) {
    const hint = existsSync(cmd) ? ` — did you mean "mcp run ${cmd}"?` : " (see mcp --help)";
    process.stderr.write(`mcp: unknown command "${cmd}"${hint}\n`);
    return 2;
  }
  const head = argv.includes("--") ? argv.slice(0, argv.indexOf("--")) : argv;
  if (head.includes("--help") || head.includes("-h")) return print(HELP[cmd]);
  await (await load())(argv);
  return 0;
}

function print(text: string): number {
  process.stdout.write(text + "\n");
  return 0;
}

const command = process.argv[2]; // `mcp run` replaces process.argv with the server's
main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (e) => {
    if (e instanceof CliError) {
      process.stderr.write(e.message + "\n" + (e.detail ? e.detail.replace(/\n?$/, "\n") : ""));
    } else {
      // In run and dev the error is most likely the server's own: its stack says where.
      const full = e?.stack && (command === "run" || process.env.MCP_DEBUG);
      process.stderr.write(`mcp ${command}: ${full ? e.stack : (e?.message ?? e)}\n`);
    }
    // Exit now, as Node does on an uncaught error: a server already listening must not keep the process up.
    process.exit(e instanceof CliError ? e.exitCode : 1);
  },
);
