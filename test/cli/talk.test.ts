// `mcp list | call | read | prompt` as processes against a server file, a command (the official
// "everything" server, not mcpkit) and a URL, printing JSON for scripts; errors are one line.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { ROOT, freePort, mcp, start } from "./helpers/cli.js";

const EVERYTHING = path.join(ROOT, "node_modules/@modelcontextprotocol/server-everything/dist/index.js");
const json = async (args: string[]) => {
  const r = await mcp(args);
  assert.equal(r.code, 0, `mcp ${args.join(" ")}\n${r.stderr}`);
  return JSON.parse(r.stdout);
};

describe("mcp list/call/read/prompt: a server file", () => {
  it("list prints every kind the server has; list <kind> prints that array", async () => {
    const all = await json(["list", "examples/echo.ts"]);
    assert.deepEqual(Object.keys(all), ["tools", "resources", "resourceTemplates", "prompts"]);
    assert.equal(all.tools[0].name, "echo_tool");
    assert.equal(all.resourceTemplates[0].uriTemplate, "echo://{message}");
    assert.deepEqual((await json(["list", "examples/echo.ts", "prompts"])).map((p: any) => p.name), ["echo_prompt"]);
    assert.deepEqual(await json(["list", "examples/quickstart.ts", "prompts"]), []);
  });

  it("call takes a JSON object or key=value pairs; prints the result as an application sees it", async () => {
    assert.deepEqual(await json(["call", "examples/quickstart.ts", "add", '{"a": 20, "b": 22}']), { content: [{ type: "text", text: "42" }] });
    assert.deepEqual(await json(["call", "examples/echo.ts", "echo_tool", "message=hi there"]), { content: [{ type: "text", text: "Tool echo: hi there" }] });
    const raw = await json(["call", "examples/quickstart.ts", "add", "a=1", "b=2", "--raw"]);
    assert.equal(raw.content[0].text, "3");
    assert.ok("resultType" in raw && "_meta" in raw, "--raw keeps the 2026-07-28 envelope");
  });

  it("a tool error prints the result and exits 1; a protocol error is one line", async () => {
    const r = await mcp(["call", "examples/quickstart.ts", "add", "a=1", "b=two"]);
    assert.equal(r.code, 1);
    assert.equal(JSON.parse(r.stdout).isError, true);
    const u = await mcp(["call", "examples/quickstart.ts", "nope"]);
    assert.equal(u.code, 1);
    assert.equal(u.stderr, "mcp call: Unknown tool: nope (-32602)\n");
    assert.equal(u.stdout, "");
  });

  it("read and prompt", async () => {
    assert.deepEqual(await json(["read", "examples/echo.ts", "echo://hello%20world"]), {
      contents: [{ uri: "echo://hello%20world", mimeType: "text/plain", text: "Resource echo: hello world" }],
    });
    const p = await json(["prompt", "examples/echo.ts", "echo_prompt", '{"message": "yo"}']);
    assert.equal(p.messages[0].content.text, "Please process this message: yo");
  });
});

describe("mcp list/call/read/prompt: a command after --", () => {
  it("talks to a server that is not mcpkit", async () => {
    const all = await json(["list", "--", process.execPath, EVERYTHING]);
    assert.ok(all.tools.some((t: any) => t.name === "echo"));
    assert.ok(all.prompts.some((p: any) => p.name === "simple-prompt"));
    assert.deepEqual(await json(["call", "echo", "message=from a command", "--", process.execPath, EVERYTHING]), { content: [{ type: "text", text: "Echo: from a command" }] });
    const uri = all.resources[0].uri;
    assert.equal((await json(["read", uri, "--", process.execPath, EVERYTHING])).contents[0].uri, uri);
    assert.match((await json(["prompt", "simple-prompt", "--", process.execPath, EVERYTHING])).messages[0].content.text, /simple prompt/);
  });

  it("--env reaches the command, and a file target", async () => {
    const r = await json(["call", "get-env", "-e", "MCP_CLI_TEST=yes", "--", process.execPath, EVERYTHING]);
    assert.equal(JSON.parse(r.content[0].text).MCP_CLI_TEST, "yes");
    const f = await json(["call", "test/cli/fixtures/self-start.ts", "env_tool", "-e", "GREETING=hey", "-e", "FROM_FILE=f"]);
    assert.equal(f.content[0].text, "hey|f");
  });
});

describe("mcp list/call/read/prompt: a URL", () => {
  let url = "";
  let server: ReturnType<typeof start>;
  before(async () => {
    const port = await freePort();
    server = start(["run", "examples/echo.ts", "--port", String(port)]);
    url = (await server.waitFor(/listening on (http:\/\/\S+)/))[1];
  });
  after(() => server.stop());

  it("list, call, read, prompt over Streamable HTTP (with a header)", async () => {
    assert.equal((await json(["list", url, "tools", "-H", "Authorization: Bearer t"]))[0].name, "echo_tool");
    assert.equal((await json(["call", url, "echo_tool", "message=web"])).content[0].text, "Tool echo: web");
    assert.equal((await json(["read", url, "echo://x"])).contents[0].text, "Resource echo: x");
    assert.equal((await json(["prompt", url, "echo_prompt", "message=m"])).messages[0].content.text, "Please process this message: m");
  });
});

describe("mcp list/call/read/prompt: usage", () => {
  it("one line and a non-zero exit", async () => {
    const port = await freePort();
    const cases: Array<[string[], number, RegExp]> = [
      [["list"], 2, /^mcp list: missing the target: a server file, a URL, or -- <command> \(see mcp list --help\)\n$/],
      [["call", "examples/echo.ts"], 2, /^mcp call: missing the tool name \(see mcp call --help\)\n$/],
      [["read", "examples/echo.ts"], 2, /^mcp read: missing the URI \(see mcp read --help\)\n$/],
      [["list", "examples/echo.ts", "things"], 2, /^mcp list: list tools, resources, templates or prompts, not "things"\n$/],
      [["list", "nope.ts"], 1, /^mcp list: no such file: nope\.ts \(a target is a server file, an http\(s\):\/\/ URL, or -- <command>\)\n$/],
      [["call", "examples/echo.ts", "echo_tool", "{not json"], 2, /^mcp call: the arguments are not valid JSON: /],
      [["call", "examples/echo.ts", "echo_tool", "noequals"], 2, /^mcp call: arguments are one JSON object or key=value pairs, not "noequals"\n$/],
      [["list", `http://127.0.0.1:${port}/mcp`], 1, /^mcp list: cannot connect to http:\/\/127\.0\.0\.1:\d+\/mcp: HTTP request failed: fetch failed\n$/],
      [["list", "--", process.execPath, "-e", "process.stderr.write('boom\\n'); process.exit(3)"], 1, /^mcp list: cannot connect to .*: the server exited \(code 3\)\n  server: boom\n$/],
      [["list", "--timeout", "x", "examples/echo.ts"], 2, /^mcp list: --timeout is a number of seconds, not "x"\n$/],
    ];
    for (const [args, code, re] of cases) {
      const r = await mcp(args);
      assert.match(r.stderr, re, args.join(" "));
      assert.equal(r.code, code, args.join(" "));
      assert.equal(r.stdout, "");
    }
  });
});
