// `mcp run` as a process: the official v1 client (@modelcontextprotocol/sdk) over stdio and
// Streamable HTTP, how the server is found, the transport flags, env and argv, and errors.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { FIXTURES, MAIN, ROOT, freePort, mcp, start } from "./helpers/cli.js";

const fx = (name: string) => path.join("test/cli/fixtures", name);
const text = (r: any) => r.content.map((c: any) => c.text).join("");

async function stdioClient(args: string[], env?: Record<string, string>) {
  const transport = new StdioClientTransport({ command: process.execPath, args: [MAIN, "run", ...args], cwd: ROOT, env: { ...(process.env as any), ...env }, stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (c) => (stderr += c));
  const client = new Client({ name: "cli-test", version: "1.0.0" });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

async function httpClient(url: string) {
  const client = new Client({ name: "cli-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

const running: Array<{ stop(): Promise<void> }> = [];
after(async () => {
  await Promise.all(running.map((r) => r.stop()));
});

async function serveHttp(args: string[], env?: Record<string, string>) {
  const s = start(["run", ...args], { env });
  running.push(s);
  const m = await s.waitFor(/listening on (http:\/\/\S+)/);
  return { ...s, url: m[1] };
}

describe("mcp run: the official v1 client", () => {
  it("answers over stdio: examples/echo.ts", async () => {
    const { client } = await stdioClient(["examples/echo.ts"]);
    assert.equal(client.getServerVersion()?.name, "Echo");
    assert.deepEqual((await client.listTools()).tools.map((t) => t.name), ["echo_tool"]);
    assert.equal(text(await client.callTool({ name: "echo_tool", arguments: { message: "hi" } })), "Tool echo: hi");
    const read = await client.readResource({ uri: "echo://hello%20world" });
    assert.equal((read.contents[0] as any).text, "Resource echo: hello world");
    const prompt = await client.getPrompt({ name: "echo_prompt", arguments: { message: "yo" } });
    assert.equal((prompt.messages[0].content as any).text, "Please process this message: yo");
    await client.close();
  });

  it("answers over Streamable HTTP: --transport http --port N", async () => {
    const port = await freePort();
    const s = await serveHttp(["examples/echo.ts", "--transport", "http", "--port", String(port)]);
    assert.equal(s.url, `http://127.0.0.1:${port}/mcp`);
    const client = await httpClient(s.url);
    assert.equal(text(await client.callTool({ name: "echo_tool", arguments: { message: "over http" } })), "Tool echo: over http");
    await client.close();
    await s.stop();
  });

  it("--port alone means HTTP; --path and --host are honoured", async () => {
    const port = await freePort();
    const s = await serveHttp(["examples/quickstart.ts", "-p", String(port), "--path", "/custom/mcp", "--host", "127.0.0.1"]);
    assert.equal(s.url, `http://127.0.0.1:${port}/custom/mcp`);
    const client = await httpClient(s.url);
    assert.equal(text(await client.callTool({ name: "add", arguments: { a: 2, b: 3 } })), "5");
    await client.close();
    await s.stop();
  });

  it("serves a low-level Server that starts itself with serveStdio(), over HTTP when asked", async () => {
    const port = await freePort();
    const s = await serveHttp(["examples/lowlevel.ts", "--port", String(port)]);
    const client = await httpClient(s.url);
    assert.ok((await client.listTools()).tools.some((t) => t.name === "query_db"));
    await client.close();
    await s.stop();
  });
});

describe("mcp run: finding the server", () => {
  it("serves a file that only exports its server (among several, the one named mcp)", async () => {
    const { client } = await stdioClient([fx("exported.ts")]);
    assert.deepEqual(client.getServerVersion(), { name: "Exported", version: "2.0.0" });
    await client.close();
  });

  it("file:export picks an export; a function export is a factory", async () => {
    for (const [spec, name] of [["exported.ts:other", "Other"], ["exported.ts:makeServer", "Made"]]) {
      const { client } = await stdioClient([fx(spec)]);
      assert.equal(client.getServerVersion()?.name, name);
      await client.close();
    }
  });

  it("a self-starting file is started once, on the command line's transport", async () => {
    const port = await freePort();
    // stdin gets an initialize: a second (stdio) server would answer it on stdout.
    const s = start(["run", fx("self-start.ts"), "--transport", "http", "--port", String(port)]);
    running.push(s);
    await s.waitFor(/listening on/);
    s.child.stdin!.write(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "x", version: "1" } } }) + "\n");
    const client = await httpClient(`http://127.0.0.1:${port}/mcp`);
    assert.equal(client.getServerVersion()?.name, "SelfStart");
    await client.close();
    await s.waitFor(/after run/); // run() returned once listening, as it does without the CLI
    assert.doesNotMatch(s.out(), /jsonrpc/);
    await s.stop();
  });

  it("the command line overrides the transport the file asked for", async () => {
    const port = await freePort();
    const h = await serveHttp([fx("prefers-http.ts")], { PORT: String(port) });
    assert.equal(h.url, `http://127.0.0.1:${port}/mcp`);
    await h.stop();
    const { client } = await stdioClient([fx("prefers-http.ts"), "--transport", "stdio"], { PORT: String(port) });
    assert.equal(text(await client.callTool({ name: "where", arguments: {} })), "here");
    await client.close();
  });

  it("a file that starts its server after async setup is waited for; an exported server started later is served once", async () => {
    for (const [file, tool, answer] of [["deferred.ts", "ready", "yes"], ["exported-and-started.ts", "once", "once"]]) {
      const { client, stderr } = await stdioClient([fx(file)]);
      assert.equal(text(await client.callTool({ name: tool, arguments: {} })), answer);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(stderr(), "");
      await client.close();
    }
  });

  it("a file that starts two servers is told that mcp run serves one", async () => {
    const r = await mcp(["run", fx("twice.ts")]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /serves one server per process/);
  });

  it("no server: one clear line, exit 1", async () => {
    const r = await mcp(["run", fx("no-server.ts")]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), "mcp run: no server found in test/cli/fixtures/no-server.ts: export it (named or default), or start it in the file with mcp.run()");
    const e = await mcp(["run", `${fx("exported.ts")}:nope`]);
    assert.match(e.stderr, /has no export "nope" \(exports: makeServer, mcp, other\)/);
  });
});

describe("mcp run: environment, arguments, working directory", () => {
  it("--env-file, then --env (later wins); args after -- are the server's argv; --cwd; console.log kept off stdout", async () => {
    const { client, stderr } = await stdioClient([
      fx("self-start.ts"),
      "--env-file",
      fx("demo.env"),
      "-e",
      "GREETING=hello",
      "--cwd",
      FIXTURES,
      "--",
      "--db",
      "x.db",
    ]);
    assert.equal(text(await client.callTool({ name: "env_tool", arguments: {} })), "hello|from the file");
    assert.equal(text(await client.callTool({ name: "argv_tool", arguments: {} })), '["--db","x.db"]');
    assert.equal(text(await client.callTool({ name: "cwd_tool", arguments: {} })), FIXTURES);
    assert.match(stderr(), /this line must not reach stdout/);
    await client.close();
  });
});

describe("mcp run: usage", () => {
  it("unknown options, missing files, bad values: one line and a non-zero exit", async () => {
    const cases: Array<[string[], number, string]> = [
      [["run", "examples/echo.ts", "--bogus"], 2, "mcp run: unknown option --bogus (see mcp run --help)"],
      [["run", "nope.ts"], 1, "mcp run: no such file: nope.ts"],
      [["run"], 2, "mcp run: missing the server file (see mcp run --help)"],
      [["run", "examples/echo.ts", "--port"], 2, "mcp run: option --port needs a value (see mcp run --help)"],
      [["run", "examples/echo.ts", "--port", "http"], 2, 'mcp run: --port must be a whole number 0–65535, not "http"'],
      [["run", "examples/echo.ts", "-t", "sse"], 2, 'mcp run: --transport is stdio or http, not "sse"'],
      [["run", "examples/echo.ts", "-e", "NOEQUALS"], 2, 'mcp run: --env takes KEY=VALUE, not "NOEQUALS"'],
      [["frob"], 2, 'mcp: unknown command "frob" (see mcp --help)'],
      [["examples/echo.ts"], 2, 'mcp: unknown command "examples/echo.ts" — did you mean "mcp run examples/echo.ts"?'],
    ];
    for (const [args, code, line] of cases) {
      const r = await mcp(args);
      assert.equal(r.stderr, line + "\n", args.join(" "));
      assert.equal(r.code, code, args.join(" "));
      assert.equal(r.stdout, "");
    }
  });

  it("a missing --env-file: one line, non-zero exit", async () => {
    // Node 20 itself checks `--env-file` anywhere on its command line (even after the script) and
    // stops with "node: missing.env: not found" before mcp runs; later Nodes leave it to mcp.
    const r = await mcp(["run", "examples/echo.ts", "--env-file", "missing.env"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /^(mcp run: cannot read env file missing\.env: no such file|\S*node: missing\.env: not found)\n$/);
  });

  it("mcp version, mcp --help, and a help page for each command", async () => {
    const v = await mcp(["version"]);
    assert.match(v.stdout, /^mcpkit \d+\.\d+\.\d+ \(protocol revisions 2024-11-05 … 2026-07-28; node \d+/);
    assert.equal((await mcp(["--version"])).stdout, v.stdout);
    const h = await mcp(["--help"]);
    assert.equal(h.code, 0);
    for (const cmd of ["run", "dev", "install", "list", "call", "read", "prompt", "version"]) {
      assert.match(h.stdout, new RegExp(`^  ${cmd}\\b`, "m"), cmd);
      const page = await mcp([cmd, "--help"]);
      assert.equal(page.code, 0, cmd);
      assert.match(page.stdout, new RegExp(`^Usage: mcp ${cmd}\\b`), cmd);
      assert.equal((await mcp(["help", cmd])).stdout, page.stdout);
    }
  });
});
