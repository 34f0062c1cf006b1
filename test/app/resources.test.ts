// Resources, templates, pagination, completions and run-time changes in src/app.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { McpServer, UriTemplate } from "../../src/app/index.js";
import { encodeCursor } from "../../src/app/pages.js";
import { connect, failure, LEGACY_LATEST, MODERN } from "../helpers/app.js";

describe("UriTemplate (RFC 6570) matching and expansion", () => {
  const match = (t: string, uri: string) => new UriTemplate(t).match(uri);

  it("{var}: one path segment, percent-decoded", () => {
    assert.deepEqual(match("users://{id}/profile", "users://a%20b/profile"), { id: "a b" });
    assert.deepEqual(match("users://{id}/profile", "users://caf%C3%A9/profile"), { id: "café" });
    assert.deepEqual(match("users://{id}/profile", "users://u%2F7/profile"), { id: "u/7" });
    assert.equal(match("users://{id}/profile", "users://a/b/profile"), undefined);
    assert.equal(match("users://{id}/profile", "users://a/settings"), undefined);
    // A malformed escape is kept as written rather than failing the match.
    assert.deepEqual(match("users://{id}", "users://100%"), { id: "100%" });
  });

  it("{+var}: reserved expansion spans slashes", () => {
    assert.deepEqual(match("file://{+path}", "file:///etc/a%20b/c.txt"), { path: "/etc/a b/c.txt" });
    assert.deepEqual(match("docs://{+path}.md", "docs://guide/intro.md"), { path: "guide/intro" });
  });

  it("{/var*}: exploded path segments become an array", () => {
    assert.deepEqual(match("repo://{owner}{/path*}", "repo://me/src/lib/x%2Fy.ts"), { owner: "me", path: ["src", "lib", "x/y.ts"] });
    assert.deepEqual(match("repo://{owner}{/path*}", "repo://me"), { owner: "me" });
  });

  it("{?q} and {&x}: query parameters, in any order, decoded", () => {
    assert.deepEqual(match("search://items{?q}", "search://items?q=caf%C3%A9"), { q: "café" });
    assert.deepEqual(match("search://items{?q}", "search://items"), {});
    assert.deepEqual(match("search://items{?q,lang}", "search://items?lang=en&q=a%26b"), { q: "a&b", lang: "en" });
    assert.deepEqual(match("search://items{?q}{&page}", "search://items?q=x&page=2"), { q: "x", page: "2" });
    assert.deepEqual(match("list://all{?tag*}", "list://all?tag=a&tag=b"), { tag: ["a", "b"] });
  });

  it("{#frag}, {;param} and several variables in one expression", () => {
    assert.deepEqual(match("doc://{name}{#section}", "doc://readme#install"), { name: "readme", section: "install" });
    assert.deepEqual(match("m://x{;a,b}", "m://x;a=1;b=2"), { a: "1", b: "2" });
    assert.deepEqual(match("pt://{x,y}", "pt://3,4"), { x: "3", y: "4" });
  });

  it("expansion encodes what each operator must, and round-trips through match", () => {
    const t = new UriTemplate("repo://{owner}{/path*}{?q}");
    assert.deepEqual(t.variables, ["owner", "path", "q"]);
    const uri = t.expand({ owner: "me", path: ["a b", "c"], q: "x&y" });
    assert.equal(uri, "repo://me/a%20b/c?q=x%26y");
    assert.deepEqual(t.match(uri), { owner: "me", path: ["a b", "c"], q: "x&y" });
    assert.equal(new UriTemplate("file://{+path}").expand({ path: "/a b/c" }), "file:///a%20b/c");
    assert.equal(new UriTemplate("x://{v:3}").expand({ v: "abcdef" }), "x://abc");
    assert.throws(() => new UriTemplate("bad://{a b}"), /Invalid URI template expression/);
    assert.throws(() => new UriTemplate("bad://{a"), /Invalid URI template/);
  });
});

function server(pageSize?: number) {
  const mcp = new McpServer({ name: "Resources", pageSize });
  mcp.resource("config://app", { description: "Static" }, () => "App configuration here");
  mcp.resource("bin://bytes", () => Uint8Array.from([0, 1, 2, 253, 254, 255]));
  mcp.resource("bin://buffer", { mimeType: "image/png" }, () => Uint8Array.from([137, 80, 78, 71]).buffer);
  mcp.resource("json://object", () => ({ a: 1 }));
  mcp.resource("multi://two", () => [
    { uri: "multi://two#1", text: "one" },
    { uri: "multi://two#2", blob: "AAE=" },
  ]);
  mcp.resource("users://{user_id}/profile", { name: "profile" }, ({ user_id }) => `Profile of ${user_id}`);
  mcp.resource("files://{+path}", ({ path }) => `file ${path}`);
  mcp.resource("repo://{owner}{/path*}", ({ owner, path }) => JSON.stringify({ owner, path: path ?? [] }));
  mcp.resource("search://items{?q,lang}", ({ q, lang }) => `q=${q ?? ""} lang=${lang ?? ""}`);
  // An exact static URI wins over a template that would also match it.
  mcp.resource("users://admin/profile", () => "the admin");
  return mcp;
}

describe("resources through McpServer", () => {
  for (const era of [LEGACY_LATEST, MODERN]) {
    it(`${era.label}: templates decode their variables; static beats template; not found is ${era.notFound}`, async () => {
      const mcp = server();
      const client = await connect(mcp, era.opts);
      try {
        const read = async (uri: string) => (await client.readResource(uri)).contents as { text?: string }[];
        assert.deepEqual(await read("users://J%C3%BCrgen/profile"), [{ uri: "users://J%C3%BCrgen/profile", mimeType: "text/plain", text: "Profile of Jürgen" }]);
        assert.deepEqual(await read("users://admin/profile"), [{ uri: "users://admin/profile", mimeType: "text/plain", text: "the admin" }]);
        assert.equal((await read("files://a/b%20c.txt"))[0].text, "file a/b c.txt");
        assert.equal((await read("repo://me/x/y"))[0].text, '{"owner":"me","path":["x","y"]}');
        assert.equal((await read("repo://me"))[0].text, '{"owner":"me","path":[]}');
        assert.equal((await read("search://items?lang=de&q=Stra%C3%9Fe"))[0].text, "q=Straße lang=de");
        assert.equal((await read("search://items"))[0].text, "q= lang=");
        assert.deepEqual(await failure(client.readResource("users://a/b/profile")), {
          code: era.notFound,
          message: "Resource not found: users://a/b/profile",
          data: { uri: "users://a/b/profile" },
        });
      } finally {
        await client.close();
        await mcp.close();
      }
    });
  }

  it("binary values become base64 blobs; objects JSON; contents pass through", async () => {
    const mcp = server();
    const client = await connect(mcp, MODERN.opts);
    try {
      const read = async (uri: string) => (await client.readResource(uri)).contents;
      assert.deepEqual(await read("bin://bytes"), [{ uri: "bin://bytes", mimeType: "application/octet-stream", blob: "AAEC/f7/" }]);
      assert.deepEqual(await read("bin://buffer"), [{ uri: "bin://buffer", mimeType: "image/png", blob: "iVBORw==" }]);
      assert.deepEqual(await read("json://object"), [{ uri: "json://object", mimeType: "application/json", text: '{"a":1}' }]);
      assert.deepEqual(await read("multi://two"), [
        { uri: "multi://two#1", text: "one" },
        { uri: "multi://two#2", blob: "AAE=" },
      ]);
      const r = await client.readResource("config://app");
      assert.deepEqual([r.ttlMs, r.cacheScope], [0, "private"]);
      const { resourceTemplates } = await client.listResourceTemplates();
      assert.deepEqual(
        resourceTemplates.map((t) => [t.uriTemplate, t.name]),
        [
          ["users://{user_id}/profile", "profile"],
          ["files://{+path}", "files://{+path}"],
          ["repo://{owner}{/path*}", "repo://{owner}{/path*}"],
          ["search://items{?q,lang}", "search://items{?q,lang}"],
        ],
      );
    } finally {
      await client.close();
      await mcp.close();
    }
  });
});

describe("pagination", () => {
  for (const era of [LEGACY_LATEST, MODERN]) {
    it(`${era.label}: pages follow nextCursor; a cursor we did not mint is -32602`, async () => {
      const mcp = server(2);
      const client = await connect(mcp, era.opts);
      try {
        const p1 = await client.listResources();
        assert.deepEqual(p1.resources.map((r) => r.uri), ["config://app", "bin://bytes"]);
        assert.equal(p1.nextCursor, encodeCursor(2));
        const p2 = await client.listResources(p1.nextCursor);
        assert.deepEqual(p2.resources.map((r) => r.uri), ["bin://buffer", "json://object"]);
        const p3 = await client.listResources(p2.nextCursor);
        assert.deepEqual(p3.resources.map((r) => r.uri), ["multi://two", "users://admin/profile"]);
        assert.equal(p3.nextCursor, undefined);
        assert.equal((await client.listAllResources()).length, 6);
        for (const bad of ["garbage", "mk1.!!!", "mk1.LTE", encodeCursor(99)]) {
          const f = await failure(client.request("resources/list", { cursor: bad }));
          assert.equal(f.code, -32602, bad);
          assert.match(f.message, /^Invalid cursor/);
        }
        assert.equal((await failure(client.request("tools/list", { cursor: 7 } as any))).code, -32602);
      } finally {
        await client.close();
        await mcp.close();
      }
    });
  }
});

describe("completions", () => {
  function completing() {
    const mcp = new McpServer("Completions");
    const names = Array.from({ length: 150 }, (_, i) => `name${i}`);
    mcp.prompt(
      "greet",
      {
        args: { language: z.string(), name: z.string() },
        complete: {
          language: (v) => ["english", "esperanto", "french"].filter((l) => l.startsWith(v)),
          name: (v, { arguments: args }) => (args.language === "french" ? ["Amélie", "André"] : names).filter((n) => n.startsWith(v)),
        },
      },
      ({ name }) => `hi ${name}`,
    );
    mcp.resource("users://{user_id}/profile", { complete: { user_id: async (v) => ["u1", "u2", "x9"].filter((u) => u.startsWith(v)) } }, ({ user_id }) => user_id);
    return mcp;
  }

  for (const era of [LEGACY_LATEST, MODERN]) {
    it(`${era.label}: prompt arguments (with context) and template variables; at most 100 values`, async () => {
      const mcp = completing();
      const client = await connect(mcp, era.opts);
      try {
        const complete = async (ref: any, name: string, value: string, args?: Record<string, string>) =>
          ((await client.complete({ ref, argument: { name, value }, ...(args ? { context: { arguments: args } } : {}) })) as any).completion;
        const prompt = { type: "ref/prompt", name: "greet" };
        assert.deepEqual(await complete(prompt, "language", "e"), { values: ["english", "esperanto"], total: 2, hasMore: false });
        assert.deepEqual(await complete(prompt, "name", "A", { language: "french" }), { values: ["Amélie", "André"], total: 2, hasMore: false });
        const many = await complete(prompt, "name", "name");
        assert.equal(many.values.length, 100);
        assert.deepEqual([many.values[0], many.values[99], many.total, many.hasMore], ["name0", "name99", 150, true]);
        assert.deepEqual(await complete({ type: "ref/resource", uri: "users://{user_id}/profile" }, "user_id", "u"), { values: ["u1", "u2"], total: 2, hasMore: false });
        // Nothing to complete: an empty answer, not an error.
        assert.deepEqual(await complete({ type: "ref/resource", uri: "other://{x}" }, "x", ""), { values: [], total: 0, hasMore: false });
        assert.deepEqual(await complete(prompt, "mood", ""), { values: [], total: 0, hasMore: false });
        assert.deepEqual(await failure(complete({ type: "ref/prompt", name: "nope" }, "x", "")), { code: -32602, message: "Unknown prompt: nope", data: undefined });
      } finally {
        await client.close();
        await mcp.close();
      }
    });
  }
});

describe("enable, disable and remove at run time", () => {
  for (const era of [LEGACY_LATEST, MODERN]) {
    it(`${era.label}: lists and calls follow every change`, async () => {
      const mcp = new McpServer("Runtime");
      const tool = mcp.tool("t", () => "tool");
      const prompt = mcp.prompt("p", () => "prompt");
      const res = mcp.resource("memo://static", () => "static");
      const tpl = mcp.resource("memo://{id}", ({ id }) => `memo ${id}`);
      const client = await connect(mcp, era.opts);
      try {
        const names = async () => ({
          tools: (await client.listTools()).tools.map((t) => t.name),
          prompts: (await client.listPrompts()).prompts.map((p) => p.name),
          resources: (await client.listResources()).resources.map((r) => r.uri),
          templates: (await client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate),
        });
        assert.deepEqual(await names(), { tools: ["t"], prompts: ["p"], resources: ["memo://static"], templates: ["memo://{id}"] });
        for (const r of [tool, prompt, res, tpl]) r.disable();
        assert.deepEqual([tool.enabled, prompt.enabled, res.enabled, tpl.enabled], [false, false, false, false]);
        assert.deepEqual(await names(), { tools: [], prompts: [], resources: [], templates: [] });
        assert.equal((await failure(client.callTool("t"))).message, "Unknown tool: t");
        assert.equal((await failure(client.getPrompt("p"))).message, "Unknown prompt: p");
        assert.equal((await failure(client.readResource("memo://static"))).code, era.notFound);
        assert.equal((await failure(client.readResource("memo://7"))).code, era.notFound);

        for (const r of [tool, prompt, res, tpl]) r.enable();
        assert.equal(((await client.callTool("t")).content[0] as { text: string }).text, "tool");
        assert.deepEqual((await client.readResource("memo://7")).contents, [{ uri: "memo://7", mimeType: "text/plain", text: "memo 7" }]);

        tool.remove();
        tpl.remove();
        assert.deepEqual(await names(), { tools: [], prompts: ["p"], resources: ["memo://static"], templates: [] });
        assert.equal((await failure(client.callTool("t"))).code, -32602);
        // A removed name can be registered again; the old handle no longer touches it.
        const again = mcp.tool("t", () => "new tool");
        tool.disable();
        tool.remove();
        assert.equal(again.enabled, true);
        assert.equal(((await client.callTool("t")).content[0] as { text: string }).text, "new tool");
        assert.throws(() => mcp.resource("memo://static", () => "dup"), /already registered/);
        assert.throws(() => mcp.prompt("p", () => "dup"), /already registered/);
      } finally {
        await client.close();
        await mcp.close();
      }
    });
  }
});
