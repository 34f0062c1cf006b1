// Schemas in src/app: zod 4, valibot, arktype (Standard Schema objects and raw shapes of them)
// and plain JSON Schema 2020-12, as tool inputs, tool outputs, prompt arguments and
// elicitation schemas — what goes on the wire, and what handlers receive.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import * as v from "valibot";
import { type } from "arktype";
import { McpServer } from "../../src/app/index.js";
import { compileSchema } from "../../src/app/schema.js";
import { connect, failure, LEGACY_LATEST, MODERN } from "../helpers/app.js";

const echoArgs = (a: unknown) => JSON.stringify(a);
const textOf = (r: { content: unknown }) => (r.content as { text: string }[])[0].text;

describe("compileSchema", () => {
  it("zod 4 objects: optional and defaulted fields are not required; defaults reach the value", async () => {
    const c = compileSchema(z.object({ name: z.string(), nick: z.string().optional(), tags: z.array(z.string()).default(["x"]) }));
    assert.deepEqual(c.json, {
      type: "object",
      properties: { name: { type: "string" }, nick: { type: "string" }, tags: { default: ["x"], type: "array", items: { type: "string" } } },
      required: ["name"],
    });
    assert.deepEqual(await c.validate({ name: "a" }), { ok: true, value: { name: "a", tags: ["x"] } });
    assert.deepEqual(await c.validate({ nick: 1 }), {
      ok: false,
      message: "name: Invalid input: expected string, received undefined; nick: Invalid input: expected string, received number",
    });
  });

  it("output side: a defaulted field is required in what the handler's value becomes", async () => {
    const schema = z.object({ a: z.string().default("x") });
    assert.deepEqual(compileSchema(schema).json.required, undefined);
    const out = compileSchema(schema, false, "output");
    assert.deepEqual(out.json, { type: "object", properties: { a: { default: "x", type: "string" } }, required: ["a"], additionalProperties: false });
    assert.deepEqual(await out.validate({}), { ok: true, value: { a: "x" } });
  });

  it("valibot objects are converted asynchronously; json is final once ready settles", async () => {
    const c = compileSchema(v.object({ id: v.number(), note: v.optional(v.string()) }));
    await c.ready;
    assert.deepEqual(c.json, { type: "object", properties: { id: { type: "number" }, note: { type: "string" } }, required: ["id"] });
    assert.deepEqual(await c.validate({ id: 1 }), { ok: true, value: { id: 1 } });
    assert.deepEqual(await c.validate({ id: "1" }), { ok: false, message: 'id: Invalid type: Expected number but received "1"' });
  });

  it("raw shapes of zod, valibot and arktype: a property that accepts undefined is optional", async () => {
    for (const shape of [
      { a: z.number(), b: z.string().optional() },
      { a: v.number(), b: v.optional(v.string()) },
      { a: type("number"), b: type("string | undefined") },
    ]) {
      const c = compileSchema(shape);
      await c.ready;
      assert.deepEqual(c.json.required, ["a"]);
      assert.deepEqual(Object.keys(c.json.properties as object), ["a", "b"]);
      assert.deepEqual(await c.validate({ a: 1 }), { ok: true, value: { a: 1 } });
      // Unknown keys pass through a raw shape; known ones are checked.
      assert.deepEqual(await c.validate({ a: 1, extra: true }), { ok: true, value: { a: 1, extra: true } });
      const bad = await c.validate({ a: "1", b: 2 });
      assert.equal(bad.ok, false);
      assert.match((bad as { message: string }).message, /^a: .*; b: /);
      assert.deepEqual(await c.validate([]), { ok: false, message: "arguments must be an object" });
    }
  });

  it("arktype types (functions with ~standard) are Standard Schemas, not JSON Schema", () => {
    const c = compileSchema(type({ name: "string", "age?": "number" }));
    assert.deepEqual(c.json, { type: "object", properties: { name: { type: "string" }, age: { type: "number" } }, required: ["name"] });
  });

  it("JSON Schema 2020-12 is kept verbatim ($defs, $ref, additionalProperties) and validated with $ref resolved", async () => {
    const schema = {
      type: "object",
      $defs: { point: { type: "object", properties: { x: { type: "number" }, y: { type: "number" } }, required: ["x", "y"], additionalProperties: false } },
      properties: { from: { $ref: "#/$defs/point" }, to: { $ref: "#/$defs/point" }, label: { type: "string" } },
      required: ["from", "to"],
      additionalProperties: false,
    };
    const c = compileSchema(schema);
    assert.equal(c.json, schema);
    assert.deepEqual(await c.validate({ from: { x: 0, y: 0 }, to: { x: 1, y: 2 } }), { ok: true, value: { from: { x: 0, y: 0 }, to: { x: 1, y: 2 } } });
    // The messages name the leaf problems, not their wrappers.
    assert.deepEqual(await c.validate({ from: { x: 0 }, to: { x: 1, y: 2, z: 3 }, color: "red" }), {
      ok: false,
      message: [
        'from: Instance does not have required property "y".',
        'to: Property "z" does not match additional properties schema.',
        '(root): Property "color" does not match additional properties schema.',
      ].join("; "),
    });
  });

  it("a tool or prompt JSON Schema must describe an object; an empty shape means no arguments", async () => {
    assert.throws(() => compileSchema({ type: "string" }), /must have type "object"/);
    assert.deepEqual(compileSchema({ type: "string" }, false).json, { type: "string" });
    const none = compileSchema({});
    assert.deepEqual(none.json, { type: "object", properties: {} });
    assert.deepEqual(await none.validate(undefined), { ok: true, value: {} });
  });
});

describe("schemas through McpServer", () => {
  function server() {
    const mcp = new McpServer("Schemas");
    mcp.tool("zod", { input: z.object({ name: z.string().min(2), age: z.number().int().optional(), tags: z.array(z.string()).default([]) }) }, echoArgs);
    mcp.tool("valibot", { input: v.object({ name: v.pipe(v.string(), v.minLength(2)), age: v.optional(v.number()) }) }, echoArgs);
    mcp.tool("valibot_shape", { input: { name: v.string(), age: v.optional(v.number()) } }, echoArgs);
    mcp.tool("arktype", { input: type({ name: "string", "age?": "number" }) }, echoArgs);
    mcp.tool(
      "json",
      {
        input: {
          type: "object",
          $defs: { tag: { type: "string", pattern: "^[a-z]+$" } },
          properties: { tags: { type: "array", items: { $ref: "#/$defs/tag" } } },
          additionalProperties: false,
        },
      },
      echoArgs,
    );
    mcp.prompt("greet", { args: { name: z.string().describe("Who to greet"), mood: z.string().optional() } }, ({ name, mood }) => `Hi ${name}${mood ? ` (${mood})` : ""}`);
    mcp.prompt("greet_v", { args: { name: v.string(), mood: v.optional(v.string()) } }, ({ name, mood }) => `Hi ${name}${mood ? ` (${mood})` : ""}`);
    return mcp;
  }

  it("tools/list carries each converted schema; JSON Schema exactly as given", async () => {
    const mcp = server();
    const client = await connect(mcp, MODERN.opts);
    try {
      const tools = Object.fromEntries((await client.listTools()).tools.map((t) => [t.name, t.inputSchema]));
      assert.deepEqual(tools.valibot, { type: "object", properties: { name: { type: "string", minLength: 2 }, age: { type: "number" } }, required: ["name"] });
      assert.deepEqual(tools.valibot_shape, { type: "object", properties: { name: { type: "string" }, age: { type: "number" } }, required: ["name"] });
      assert.deepEqual(tools.arktype, { type: "object", properties: { name: { type: "string" }, age: { type: "number" } }, required: ["name"] });
      assert.deepEqual(tools.json, {
        type: "object",
        $defs: { tag: { type: "string", pattern: "^[a-z]+$" } },
        properties: { tags: { type: "array", items: { $ref: "#/$defs/tag" } } },
        additionalProperties: false,
      });
      assert.deepEqual((tools.zod as any).required, ["name"]);
    } finally {
      await client.close();
      await mcp.close();
    }
  });

  for (const era of [LEGACY_LATEST, MODERN]) {
    it(`${era.label}: handlers get validated values (defaults in, optional fields absent); bad input is a tool error`, async () => {
      const mcp = server();
      const client = await connect(mcp, era.opts);
      try {
        const call = async (name: string, args: Record<string, unknown>) => textOf(await client.callTool(name, args));
        assert.equal(await call("zod", { name: "Al" }), '{"name":"Al","tags":[]}');
        assert.equal(await call("zod", { name: "Al", age: 3, tags: ["t"] }), '{"name":"Al","age":3,"tags":["t"]}');
        assert.equal(await call("valibot", { name: "Al" }), '{"name":"Al"}');
        assert.equal(await call("valibot_shape", { name: "Al", age: 4 }), '{"name":"Al","age":4}');
        assert.equal(await call("arktype", { name: "Al" }), '{"name":"Al"}');
        assert.equal(await call("json", { tags: ["ab", "cd"] }), '{"tags":["ab","cd"]}');

        const bad = async (name: string, args: Record<string, unknown>) => {
          const r = await client.callTool(name, args);
          assert.equal(r.isError, true);
          return textOf(r);
        };
        assert.equal(await bad("zod", { name: "A", age: 1.5 }), "Invalid arguments for tool zod: name: Too small: expected string to have >=2 characters; age: Invalid input: expected int, received number");
        assert.equal(await bad("valibot", { age: 1 }), 'Invalid arguments for tool valibot: name: Invalid key: Expected "name" but received undefined');
        assert.equal(await bad("valibot_shape", { name: 1 }), "Invalid arguments for tool valibot_shape: name: Invalid type: Expected string but received 1");
        assert.equal(await bad("arktype", { name: "Al", age: "x" }), "Invalid arguments for tool arktype: age: age must be a number (was a string)");
        assert.equal(await bad("json", { tags: ["ok", "NOT"] }), "Invalid arguments for tool json: tags/1: String does not match pattern.");
        assert.equal(await bad("json", { other: 1 }), 'Invalid arguments for tool json: (root): Property "other" does not match additional properties schema.');
      } finally {
        await client.close();
        await mcp.close();
      }
    });
  }

  it("prompt arguments from zod and valibot shapes: optional ones are listed as not required", async () => {
    const mcp = server();
    const client = await connect(mcp, LEGACY_LATEST.opts);
    try {
      assert.deepEqual((await client.listPrompts()).prompts, [
        { name: "greet", arguments: [{ name: "name", required: true, description: "Who to greet" }, { name: "mood", required: false }] },
        { name: "greet_v", arguments: [{ name: "name", required: true }, { name: "mood", required: false }] },
      ]);
      for (const name of ["greet", "greet_v"]) {
        assert.deepEqual((await client.getPrompt(name, { name: "Bo" })).messages, [{ role: "user", content: { type: "text", text: "Hi Bo" } }]);
        assert.deepEqual((await client.getPrompt(name, { name: "Bo", mood: "sunny" })).messages, [{ role: "user", content: { type: "text", text: "Hi Bo (sunny)" } }]);
        assert.deepEqual(await failure(client.getPrompt(name, { mood: "x" })), {
          code: -32602,
          message: `Missing required arguments for prompt ${name}: name`,
          data: undefined,
        });
      }
    } finally {
      await client.close();
      await mcp.close();
    }
  });
});
