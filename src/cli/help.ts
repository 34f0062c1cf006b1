/** The help pages: `mcp --help` and `mcp <command> --help`. */
import { DEFAULT_INSPECTOR } from "./inspector.js";

export const MAIN_HELP = `Usage: mcp <command> [options]

Run, inspect, install and script MCP servers written with mcpkit.

Commands:
  run <file>[:export]         serve a server file (.ts, .mts, .js …) over stdio or Streamable HTTP
  dev <file>[:export]         open the MCP Inspector on the server; restarts it when its files change
  install <file>[:export]     add the server to Claude Desktop, Claude Code, Cursor or VS Code
  list <target> [kind]        list tools, resources, templates and prompts as JSON
  call <target> <tool> [args] call a tool, print the result as JSON
  read <target> <uri>         read a resource, print the contents as JSON
  prompt <target> <name> [args]
                              get a prompt, print the messages as JSON
  version                     print the version

A <target> is a server file, an http(s):// URL, or a command after "--":
  mcp list examples/echo.ts
  mcp call http://127.0.0.1:8000/mcp add '{"a":1,"b":2}'
  mcp list tools -- npx -y @modelcontextprotocol/server-everything

Run "mcp <command> --help" for a command's options.`;

const RUN = `Usage: mcp run <file>[:export] [options] [-- server args…]

Serve a server file, TypeScript or JavaScript, with no build step.

The server is found in this order: the export named after the colon; a server
the file starts itself (\`await mcp.run()\` or \`serveStdio(server)\` — started
once, on the transport given here); the default export; the one server among
the named exports (or the one called mcp, server or app). A function export is
called to make the server. A file that starts its server after some async setup
is waited for. Low-level \`Server\`s work too.

Options:
  -t, --transport <stdio|http>  default: what the file asks for, else stdio
  -p, --port <n>                HTTP port (default 8000; implies --transport http)
      --host <addr>             HTTP bind address (default 127.0.0.1)
      --path <path>             HTTP endpoint (default /mcp)
  -e, --env KEY=VALUE           set an environment variable (repeatable)
      --env-file <file>         load variables from a .env file (repeatable)
      --cwd <dir>               working directory of the server
  -w, --watch                   restart the server when a file it imports changes
                                (a stdio client stays connected)
  -h, --help                    this page

Arguments after "--" become the server's process.argv.
Over stdio, console.log in the server goes to stderr: stdout is the protocol's.

Examples:
  mcp run examples/echo.ts
  mcp run examples/echo.ts --transport http --port 8000
  mcp run server.ts:mcp --env-file .env --watch`;

const DEV = `Usage: mcp dev <file>[:export] [options] [-- server args…]

Start the MCP Inspector (${DEFAULT_INSPECTOR}, fetched by npx on first
use, never bundled) connected to the server over stdio, and print the URL to
open. The server restarts when a file it imports changes; the Inspector stays
connected and is told that the lists changed.

Options:
      --inspector-port <n>      web UI port (default 6274)
      --inspector-version <v>   Inspector version from npm (default ${DEFAULT_INSPECTOR.split("@").at(-1)})
      --no-open                 do not open a browser
  -e, --env KEY=VALUE           set an environment variable for the server (repeatable)
      --env-file <file>         load the server's variables from a .env file
  -h, --help                    this page`;

const INSTALL = `Usage: mcp install <file>[:export] [options] [-- server args…]

Add the server to an MCP client's configuration. The entry runs
"node <mcpkit>/dist/cli/main.js run <file>" with absolute paths, from the
current directory. An existing configuration keeps its other servers, comments
and formatting; it is backed up to <file>.bak and replaced atomically.

Options:
  -c, --client <name>           claude-desktop (default), claude-code, cursor, vscode,
                                or json (print an mcp.json to stdout); repeatable
      --project                 claude-code, cursor, vscode: the project's file
                                (.mcp.json, .cursor/mcp.json, .vscode/mcp.json)
                                instead of the user's
  -n, --name <name>             name of the entry (default: the server's own name,
                                read by starting it once)
  -v, --env KEY=VALUE           environment variable for the server (repeatable)
  -f, --env-file <file>         variables from a .env file
      --force                   create the client's configuration folder if missing
  -h, --help                    this page

Configuration files:
  claude-desktop  macOS   ~/Library/Application Support/Claude/claude_desktop_config.json
                  Windows %APPDATA%\\Claude\\claude_desktop_config.json
                  Linux   ~/.config/Claude/claude_desktop_config.json
  claude-code     ~/.claude.json (with --project: ./.mcp.json)
  cursor          ~/.cursor/mcp.json (./.cursor/mcp.json)
  vscode          <VS Code user folder>/mcp.json (./.vscode/mcp.json)`;

const TARGET = `A <target> is a server file (run with "mcp run"), an http(s):// URL
(Streamable HTTP, falling back to HTTP+SSE), or a command given after "--".

Options:
  -e, --env KEY=VALUE           environment for a file or command target (repeatable)
      --env-file <file>         variables from a .env file
  -H, --header "Name: value"    HTTP header for a URL target (repeatable)
      --timeout <seconds>       per request (default 60)
      --raw                     print results as received (with resultType, cache
                                hints and the protocol's _meta keys)
  -h, --help                    this page

Output is JSON on stdout; errors are one line on stderr and a non-zero exit.`;

const LIST = `Usage: mcp list <target> [tools|resources|templates|prompts]
       mcp list [kind] -- <command> [args…]

Print what the server offers: an object with "tools", "resources",
"resourceTemplates" and "prompts" (those the server has), or one kind's array.

${TARGET}`;

const CALL = `Usage: mcp call <target> <tool> [json | key=value…]
       mcp call <tool> [json | key=value…] -- <command> [args…]

Call a tool and print its result. Arguments are one JSON object, or key=value
pairs (a value that parses as JSON is taken as JSON, else as a string).
Exits 1 when the result has "isError": true.

${TARGET}`;

const READ = `Usage: mcp read <target> <uri>
       mcp read <uri> -- <command> [args…]

Read a resource and print its contents.

${TARGET}`;

const PROMPT = `Usage: mcp prompt <target> <name> [json | key=value…]
       mcp prompt <name> [json | key=value…] -- <command> [args…]

Get a prompt with its arguments and print the result.

${TARGET}`;

const VERSION = `Usage: mcp version

Print the mcpkit version, the protocol revisions it speaks and the Node version.`;

export const HELP: Record<string, string> = { run: RUN, dev: DEV, install: INSTALL, list: LIST, call: CALL, read: READ, prompt: PROMPT, version: VERSION };
