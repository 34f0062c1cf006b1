// `mcp install` as a process, under a temporary HOME per client: the entry it writes runs the
// server, and what was in the file before is still there, byte for byte, with a backup beside it.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { MAIN, ROOT, mcp, withEnv } from "./helpers/cli.js";

const temps: string[] = [];
after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function home(): { dir: string; env: Record<string, string | undefined> } {
  const dir = mkdtempSync(path.join(tmpdir(), "mcp-install-"));
  temps.push(dir);
  return { dir, env: { HOME: dir, USERPROFILE: dir, XDG_CONFIG_HOME: undefined, APPDATA: undefined } };
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

const ECHO = path.join(ROOT, "examples/echo.ts");

/** The entry must start the server from anywhere: absolute paths, env included. */
async function entryServes(entry: { command: string; args: string[]; env?: Record<string, string> }, tool = "echo_tool"): Promise<string[]> {
  const transport = new StdioClientTransport({ command: entry.command, args: entry.args, env: withEnv(entry.env), cwd: "/", stderr: "pipe" });
  const client = new Client({ name: "installed", version: "1.0.0" });
  await client.connect(transport);
  const names = (await client.listTools()).tools.map((t) => t.name);
  assert.ok(names.includes(tool), names.join());
  await client.close();
  return names;
}

describe("mcp install", () => {
  it("Claude Desktop (Linux path): adds beside the other servers, keeps formatting, backs up, and the entry runs", async () => {
    const h = home();
    const file = path.join(h.dir, ".config/Claude/claude_desktop_config.json");
    const before = '{\n    "globalShortcut": "Ctrl+Space",\n    "mcpServers": {\n        "weather": {\n            "command": "uvx",\n            "args": ["weather-mcp"]\n        }\n    }\n}\n';
    write(file, before);
    chmodSync(file, 0o600);
    const r = await mcp(["install", "examples/echo.ts", "-v", "API_KEY=abc123", "-v", "DB_URL=postgres://x"], { env: h.env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Claude Desktop: Added "Echo" in .*claude_desktop_config\.json \(backup: .*\.bak\)\. Restart Claude Desktop/);
    const text = readFileSync(file, "utf8");
    assert.ok(text.startsWith('{\n    "globalShortcut": "Ctrl+Space",\n    "mcpServers": {\n        "weather": {\n            "command": "uvx",\n            "args": ["weather-mcp"]\n        },\n        "Echo": {\n'), text);
    const config = JSON.parse(text);
    const entry = config.mcpServers.Echo;
    assert.deepEqual(entry, { command: process.execPath, args: [MAIN, "run", ECHO, "--cwd", ROOT], env: { API_KEY: "abc123", DB_URL: "postgres://x" } });
    assert.equal(readFileSync(file + ".bak", "utf8"), before);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(path.dirname(file)).sort(), ["claude_desktop_config.json", "claude_desktop_config.json.bak"]); // no temp file left
    await entryServes(entry);
  });

  it("a re-install updates the entry and keeps the variables set before; --name names it; -f reads a .env", async () => {
    const h = home();
    const file = path.join(h.dir, ".config/Claude/claude_desktop_config.json");
    mkdirSync(path.dirname(file), { recursive: true });
    await mcp(["install", "examples/echo.ts", "--name", "My Echo", "-v", "A=1", "-v", "B=2"], { env: h.env });
    const envFile = path.join(h.dir, "prod.env");
    writeFileSync(envFile, "B=from-file\nC='three'\n");
    const r = await mcp(["install", "examples/echo.ts", "-n", "My Echo", "-f", envFile], { env: h.env });
    assert.match(r.stderr, /Updated "My Echo"/);
    assert.deepEqual(JSON.parse(readFileSync(file, "utf8")).mcpServers["My Echo"].env, { A: "1", B: "from-file", C: "three" });
    const again = await mcp(["install", "examples/echo.ts", "-n", "My Echo", "-f", envFile], { env: h.env });
    assert.match(again.stderr, /already installed/);
  });

  it("Claude Code: ~/.claude.json keeps all its other state; --project writes ./.mcp.json", async () => {
    const h = home();
    const file = path.join(h.dir, ".claude.json");
    const state = { numStartups: 12, projects: { "/p": { allowedTools: [], history: [{ display: "hi" }] } }, mcpServers: { keep: { type: "stdio", command: "k", args: [] } }, userID: "u" };
    const before = JSON.stringify(state, null, 2);
    write(file, before);
    const r = await mcp(["install", "examples/quickstart.ts", "--client", "claude-code"], { env: h.env });
    assert.equal(r.code, 0, r.stderr);
    const after = JSON.parse(readFileSync(file, "utf8"));
    assert.deepEqual({ ...after, mcpServers: undefined }, { ...state, mcpServers: undefined });
    assert.deepEqual(after.mcpServers.keep, state.mcpServers.keep);
    assert.equal(after.mcpServers.Demo.type, "stdio");
    await entryServes(after.mcpServers.Demo, "add");

    const project = mkdtempSync(path.join(tmpdir(), "mcp-project-"));
    temps.push(project);
    const p = await mcp(["install", ECHO, "-c", "claude-code", "--project", "-n", "echo"], { env: h.env, cwd: project });
    assert.equal(p.code, 0, p.stderr);
    const mcpJson = JSON.parse(readFileSync(path.join(project, ".mcp.json"), "utf8"));
    assert.deepEqual(mcpJson.mcpServers.echo.args, [MAIN, "run", ECHO, "--cwd", project]);
  });

  it("Cursor: ~/.cursor/mcp.json", async () => {
    const h = home();
    const file = path.join(h.dir, ".cursor/mcp.json");
    write(file, '{"mcpServers":{"a":{"command":"a"}}}');
    const r = await mcp(["install", "examples/echo.ts", "-c", "cursor", "-n", "echo"], { env: h.env });
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(file, "utf8");
    assert.ok(text.startsWith('{"mcpServers":{"a":{"command":"a"},\n'), text);
    assert.deepEqual(Object.keys(JSON.parse(text).mcpServers), ["a", "echo"]);
  });

  it("VS Code: the user mcp.json (JSONC) under \"servers\", comments kept", async () => {
    const h = home();
    const file = path.join(h.dir, ".config/Code/User/mcp.json");
    const before = '{\n  // Servers for every workspace\n  "servers": {\n    "github": { "type": "http", "url": "https://api.example/mcp" },\n  },\n  "inputs": []\n}\n';
    write(file, before);
    const r = await mcp(["install", "examples/echo.ts", "-c", "vscode", "-n", "echo"], { env: h.env });
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(file, "utf8");
    assert.ok(text.startsWith('{\n  // Servers for every workspace\n  "servers": {\n    "github": { "type": "http", "url": "https://api.example/mcp" },\n    "echo": {\n      "type": "stdio",\n'), text);
    assert.ok(text.endsWith('    },\n  },\n  "inputs": []\n}\n'), text);
  });

  it("several clients at once; json prints an mcp.json to stdout", async () => {
    const h = home();
    mkdirSync(path.join(h.dir, ".cursor"));
    const r = await mcp(["install", "examples/echo.ts", "-n", "echo", "-c", "json", "-c", "cursor", "-v", "K=V"], { env: h.env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { mcpServers: { echo: { command: process.execPath, args: [MAIN, "run", ECHO, "--cwd", ROOT], env: { K: "V" } } } });
    assert.ok(existsSync(path.join(h.dir, ".cursor/mcp.json")));
  });

  it("a symlinked configuration is edited through the link, which stays a link", async () => {
    const h = home();
    const real = path.join(h.dir, "dotfiles/claude.json");
    write(real, '{"mcpServers": {}}');
    const link = path.join(h.dir, ".config/Claude/claude_desktop_config.json");
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(real, link);
    const r = await mcp(["install", "examples/echo.ts", "-n", "echo"], { env: h.env });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.ok(JSON.parse(readFileSync(real, "utf8")).mcpServers.echo);
  });

  it("refusals: a client that is not installed, a file it cannot parse, bad arguments", async () => {
    const h = home();
    const missing = await mcp(["install", "examples/echo.ts", "-n", "e"], { env: h.env });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^mcp install: .*\.config\/Claude does not exist — is Claude Desktop installed\? \(--force creates it\)\n$/);
    const forced = await mcp(["install", "examples/echo.ts", "-n", "e", "--force"], { env: h.env });
    assert.equal(forced.code, 0, forced.stderr);

    const file = path.join(h.dir, ".cursor/mcp.json");
    write(file, '{"mcpServers": {"a": 1,, }}');
    const broken = await mcp(["install", "examples/echo.ts", "-n", "e", "-c", "cursor"], { env: h.env });
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /^mcp install: cannot edit .*mcp\.json: line 1, column 24: .*; it is left as it was\n$/);
    assert.equal(readFileSync(file, "utf8"), '{"mcpServers": {"a": 1,, }}');
    assert.ok(!existsSync(file + ".bak"));
    // All or nothing: the broken Cursor file stops the Claude Code edit too.
    const both = await mcp(["install", "examples/echo.ts", "-n", "e", "-c", "claude-code", "-c", "cursor"], { env: h.env });
    assert.equal(both.code, 1);
    assert.ok(!existsSync(path.join(h.dir, ".claude.json")));

    for (const [args, line] of [
      [["install", "examples/echo.ts", "-c", "zed"], 'mcp install: unknown client "zed" (one of claude-desktop, claude-code, cursor, vscode, json)'],
      [["install", "examples/echo.ts", "--project"], "mcp install: Claude Desktop has no project configuration"],
      [["install", "nope.ts"], "mcp install: no such file: nope.ts"],
      [["install", "examples/echo.ts", "-v", "oops"], 'mcp install: -v takes KEY=VALUE, not "oops"'],
    ] as const) {
      const r = await mcp([...args], { env: h.env });
      assert.equal(r.stderr, line + "\n");
      assert.notEqual(r.code, 0);
    }
  });

  it("a server that cannot start is not installed unless named", async () => {
    const h = home();
    const r = await mcp(["install", "test/cli/fixtures/no-server.ts", "-c", "json"], { env: h.env });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /could not start test\/cli\/fixtures\/no-server\.ts to read its name; fix it, or pass --name/);
    assert.match(r.stderr, /server: mcp run: no server found/);
  });
});

describe("client configuration paths", () => {
  it("Claude Desktop and VS Code on macOS and Windows", async () => {
    const { CLIENTS } = await import("../../src/cli/clients.js");
    const platform = Object.getOwnPropertyDescriptor(process, "platform")!;
    const saved = { HOME: process.env.HOME, APPDATA: process.env.APPDATA };
    try {
      process.env.HOME = "/Users/ann";
      Object.defineProperty(process, "platform", { value: "darwin" });
      assert.equal(CLIENTS["claude-desktop"].file(false), "/Users/ann/Library/Application Support/Claude/claude_desktop_config.json");
      assert.equal(CLIENTS.vscode.file(false), "/Users/ann/Library/Application Support/Code/User/mcp.json");
      Object.defineProperty(process, "platform", { value: "win32" });
      process.env.APPDATA = "C:\\Users\\ann\\AppData\\Roaming";
      assert.equal(CLIENTS["claude-desktop"].file(false), path.join("C:\\Users\\ann\\AppData\\Roaming", "Claude", "claude_desktop_config.json"));
      assert.equal(CLIENTS.vscode.file(false), path.join("C:\\Users\\ann\\AppData\\Roaming", "Code", "User", "mcp.json"));
    } finally {
      Object.defineProperty(process, "platform", platform);
      for (const [k, v] of Object.entries(saved)) v === undefined ? delete process.env[k] : (process.env[k] = v);
    }
  });
});
