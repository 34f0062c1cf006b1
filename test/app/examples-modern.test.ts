// The README twins under examples/, each spawned over stdio and driven by the official v2
// client (@modelcontextprotocol/client) pinned to 2026-07-28: no initialize, an envelope on
// every request, input_required for elicitation. Every message an example writes is checked
// against the 2026-07-28 schema.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { PNG } from "pngjs";
import { openV2, onlyText, stamped, withSession } from "../helpers/examples.js";
import { MODERN, ROOT, readWire } from "../helpers/wire.js";
import { BOOKING_ALTERNATIVE, ECHO, rejectsWith } from "../helpers/expect.js";

const T = { timeout: 60_000 };
const text = (t: string, server = "My App") => stamped({ content: [{ type: "text", text: t }] }, server);
const DATA = path.join(ROOT, "examples/data");
const file = (name: string) => `file://${path.join(DATA, name)}`;
const LOG_LEVEL = "io.modelcontextprotocol/logLevel";

describe("v2 client (2026-07-28) -> examples/echo.ts", T, () => {
  it("discovers the Echo server and echoes through tool, resource and prompt", () =>
    withSession(openV2("echo.ts"), async (s) => {
      assert.equal(s.client.getProtocolEra(), "modern");
      assert.equal(s.client.getNegotiatedProtocolVersion(), MODERN);
      assert.deepEqual(s.client.getServerVersion(), ECHO.serverInfo);
      assert.deepEqual(s.client.getServerCapabilities(), ECHO.capabilities);
      assert.deepEqual((await s.client.listTools()).tools, ECHO.tools);
      assert.deepEqual((await s.client.listResourceTemplates()).resourceTemplates, ECHO.resourceTemplates);
      assert.deepEqual((await s.client.listPrompts()).prompts, ECHO.prompts);
      assert.deepEqual(await s.client.callTool({ name: "echo_tool", arguments: { message: "hi" } }), text("Tool echo: hi", "Echo"));
      const r = await s.client.readResource({ uri: "echo://caf%C3%A9" });
      assert.deepEqual(r.contents, [{ uri: "echo://caf%C3%A9", mimeType: "text/plain", text: "Resource echo: café" }]);
      assert.deepEqual(
        await s.client.getPrompt({ name: "echo_prompt", arguments: { message: "hi" } }),
        stamped({ description: "Create an echo prompt", messages: [{ role: "user", content: { type: "text", text: "Please process this message: hi" } }] }, "Echo"),
      );
      await rejectsWith(s.client.callTool({ name: "echo", arguments: {} }), -32602, /Unknown tool: echo/);
      await rejectsWith(s.client.getPrompt({ name: "echo_prompt" }), -32602, /Missing required arguments for prompt echo_prompt: message/);
      assert.ok((await s.closeAndCheck()) >= 8);
    }));
});

describe("v2 client (2026-07-28) -> examples/resources.ts, tools.ts, prompts.ts", T, () => {
  it("resources: static and templated; not found is -32602 in 2026-07-28", () =>
    withSession(openV2("resources.ts"), async (s) => {
      assert.deepEqual((await s.client.listResources()).resources, [{ uri: "config://app", name: "get_config", description: "Static configuration data" }]);
      assert.deepEqual((await s.client.readResource({ uri: "config://app" })).contents, [
        { uri: "config://app", mimeType: "text/plain", text: "App configuration here" },
      ]);
      assert.deepEqual((await s.client.readResource({ uri: "users://u%2F7/profile" })).contents, [
        { uri: "users://u%2F7/profile", mimeType: "text/plain", text: "Profile data for user u/7" },
      ]);
      await rejectsWith(s.client.readResource({ uri: "users://7" }), -32602, /Resource not found: users:\/\/7/);
      await s.closeAndCheck();
    }));

  it("tools: calculate_bmi, invalid arguments as a tool error, fetch_weather from --weather-url", async () => {
    const stub = http.createServer((req, res) => res.end(`Rain in ${decodeURIComponent(req.url!.slice(1))}`));
    await new Promise<void>((r) => stub.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(stub.address() as AddressInfo).port}/`;
    try {
      await withSession(openV2("tools.ts", { args: ["--weather-url", url] }), async (s) => {
        assert.deepEqual((await s.client.listTools()).tools.map((t) => t.name), ["calculate_bmi", "fetch_weather"]);
        assert.deepEqual(await s.client.callTool({ name: "calculate_bmi", arguments: { weight_kg: 81, height_m: 1.8 } }), text(String(81 / 1.8 ** 2)));
        const bad = await s.client.callTool({ name: "calculate_bmi", arguments: { weight_kg: 81 } });
        assert.equal(bad.isError, true);
        assert.match(onlyText(bad), /^Invalid arguments for tool calculate_bmi: height_m: /);
        assert.deepEqual(await s.client.callTool({ name: "fetch_weather", arguments: { city: "Oslo" } }), text("Rain in Oslo"));
        await s.closeAndCheck();
      });
    } finally {
      stub.close();
    }
  });

  it("prompts: review_code and debug_error", () =>
    withSession(openV2("prompts.ts"), async (s) => {
      const review = await s.client.getPrompt({ name: "review_code", arguments: { code: "x++" } });
      assert.deepEqual(review.messages, [{ role: "user", content: { type: "text", text: "Please review this code:\n\nx++" } }]);
      const debug = await s.client.getPrompt({ name: "debug_error", arguments: { error: "ENOENT" } });
      assert.deepEqual(
        debug.messages.map((m) => [m.role, (m.content as { text: string }).text]),
        [
          ["user", "I'm seeing this error:"],
          ["user", "ENOENT"],
          ["assistant", "I'll help debug that. What have you tried so far?"],
        ],
      );
      await s.closeAndCheck();
    }));
});

describe("v2 client (2026-07-28) -> examples/context.ts", T, () => {
  it("long_task: logs only at the level the request asks for, progress, resource reads", () =>
    withSession(openV2("context.ts"), async (s) => {
      const progress: unknown[] = [];
      const files = ["readings.csv", "notes.txt"];
      const r = await s.client.callTool({ name: "long_task", arguments: { files } }, { onprogress: (p) => progress.push(p) });
      assert.deepEqual(r, text("Processing complete"));
      // Every report is on the wire, in order, before the result. The official clients handle
      // notifications a few ticks after a response, so reports that share its read may be
      // dropped client-side: onprogress sees a prefix.
      const wire = readWire(s.log);
      const call = wire.find((l) => l.dir === "in" && l.msg.params?.name === "long_task")!.msg;
      const expected = [0, 1, 2].map((i) => ({ progress: i, total: 2 }));
      const sent = wire.filter((l) => l.dir === "out" && (l.msg.method === "notifications/progress" || l.msg.id === call.id));
      assert.deepEqual(
        sent.map((l) => l.msg.params ?? "result"),
        [...expected.map((p) => ({ progressToken: call.params._meta.progressToken, ...p })), "result"],
      );
      // Under load the client may drop every report (upstream typescript-sdk#2580), so only their order is checked.
      assert.deepEqual(progress, expected.slice(0, progress.length));
      // Modern era: no level in the request's _meta, no log messages.
      assert.deepEqual(s.logs, []);
      await s.client.callTool({ name: "long_task", arguments: { files }, _meta: { [LOG_LEVEL]: "debug" } });
      assert.deepEqual(s.logs, [
        { level: "info", data: "Processing readings.csv" },
        { level: "debug", data: `readings.csv: text/csv, ${fs.statSync(path.join(DATA, "readings.csv")).size} bytes` },
        { level: "info", data: "Processing notes.txt" },
        { level: "debug", data: `notes.txt: text/plain, ${fs.statSync(path.join(DATA, "notes.txt")).size} bytes` },
      ]);
      s.logs.length = 0;
      await s.client.callTool({ name: "long_task", arguments: { files: ["todo.md"] }, _meta: { [LOG_LEVEL]: "info" } });
      assert.deepEqual(s.logs, [{ level: "info", data: "Processing todo.md" }]);
      // --root is not given: a path outside examples/data is not served.
      const outside = await s.client.callTool({ name: "long_task", arguments: { files: ["../lifespan.ts"] } });
      assert.equal(outside.isError, true);
      assert.equal(onlyText(outside), `Cannot read ../lifespan.ts: Resource not found: file://${path.join(ROOT, "examples/lifespan.ts")}`);
      const csv = await s.client.readResource({ uri: file("readings.csv") });
      assert.equal(onlyText(csv), fs.readFileSync(path.join(DATA, "readings.csv"), "utf8"));
      assert.ok((await s.closeAndCheck()) >= 12);
    }));

  it("--root serves another directory", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mcpkit-root-"));
    fs.writeFileSync(path.join(dir, "a b.txt"), "spaced out");
    await withSession(openV2("context.ts", { args: ["--root", dir] }), async (s) => {
      const { resources } = await s.client.listResources();
      const uri = `file://${dir}/a%20b.txt`;
      assert.deepEqual(resources, [{ uri, name: "a b.txt", mimeType: "text/plain" }]);
      assert.deepEqual((await s.client.readResource({ uri })).contents, [{ uri, mimeType: "text/plain", text: "spaced out" }]);
      assert.deepEqual(await s.client.callTool({ name: "long_task", arguments: { files: ["a b.txt"] } }), text("Processing complete"));
      // resources/list enumerates the directory as it is now.
      fs.writeFileSync(path.join(dir, "later.md"), "# later");
      assert.deepEqual((await s.client.listResources(undefined, { cacheMode: "bypass" })).resources.map((r) => r.name).sort(), ["a b.txt", "later.md"]);
      await s.closeAndCheck();
    });
  });
});

describe("v2 client (2026-07-28) -> examples/images.ts, lifespan.ts, structured-output.ts", T, () => {
  it("images: create_thumbnail on the shipped sample", () =>
    withSession(openV2("images.ts"), async (s) => {
      const r = await s.client.callTool({ name: "create_thumbnail", arguments: { image_path: path.join(DATA, "sample.png") } });
      const [block] = r.content as { type: string; mimeType: string; data: string }[];
      assert.deepEqual([block.type, block.mimeType], ["image", "image/png"]);
      const img = PNG.sync.read(Buffer.from(block.data, "base64"));
      assert.deepEqual([img.width, img.height], [100, 67]);
      // Left edge red, right edge blue, the middle band green-tinted (see the sample).
      const px = (x: number, y: number) => [...img.data.subarray((y * 100 + x) * 4, (y * 100 + x) * 4 + 4)];
      assert.deepEqual(px(0, 0), [255, 0, 1, 255]);
      assert.deepEqual(px(99, 0), [1, 0, 254, 255]);
      assert.equal(px(50, 33)[1], 200);
      await s.closeAndCheck();
    }));

  it("lifespan: one database for every request, closed at shutdown", () =>
    withSession(openV2("lifespan.ts"), async (s) => {
      for (const n of [1, 2, 3]) {
        assert.deepEqual(await s.client.callTool({ name: "query_db", arguments: {} }), text(`query ${n} answered by connection 1`));
      }
      await s.closeAndCheck();
      assert.equal(s.stderr(), "database connection 1 closed after 3 queries\n");
    }));

  it("structured output: structuredContent as sent, valibot and JSON Schema outputs", () =>
    withSession(openV2("structured-output.ts"), async (s) => {
      const { tools } = await s.client.listTools();
      assert.deepEqual(tools.find((t) => t.name === "get_statistics")?.outputSchema, {
        type: "object",
        propertyNames: { type: "string" },
        additionalProperties: { type: "number" },
      });
      assert.deepEqual(tools.find((t) => t.name === "list_cities")?.outputSchema, {
        type: "object",
        properties: { result: { type: "array", items: { type: "string" } } },
        required: ["result"],
      });
      const weather = await s.client.callTool({ name: "get_weather", arguments: { city: "Berlin" } });
      assert.deepEqual(weather.structuredContent, { temperature: 18, humidity: 45, condition: "sunny", wind_speed: 5.2 });
      assert.deepEqual(JSON.parse(onlyText(weather)), weather.structuredContent);
      const loc = await s.client.callTool({ name: "get_location", arguments: { address: "Trafalgar Square" } });
      assert.deepEqual(loc.structuredContent, { latitude: 51.5074, longitude: -0.1278, name: "London, UK" });
      assert.deepEqual((await s.client.callTool({ name: "list_cities", arguments: {} })).structuredContent, { result: ["London", "Paris", "Tokyo"] });
      await s.closeAndCheck();
    }));
});

describe("v2 client (2026-07-28) -> examples/elicitation.ts", T, () => {
  const book = { name: "book_table", arguments: { date: "2024-12-25", time: "20:30", party_size: 2 } };

  it("book_table: input_required, the client's handler answers, the retry completes", async () => {
    const answers: object[] = [
      { action: "accept", content: { checkAlternative: true, alternativeDate: "2024-12-28" } },
      { action: "accept", content: { checkAlternative: true } },
      { action: "cancel" },
    ];
    await withSession(openV2("elicitation.ts", { elicit: () => answers.shift() }), async (s) => {
      assert.deepEqual(await s.client.callTool(book), text("[SUCCESS] Booked for 2024-12-28", "Elicitation Example"));
      assert.deepEqual(s.elicited, [
        {
          mode: "form",
          message: "No tables available for 2 on 2024-12-25. Would you like to try another date?",
          requestedSchema: BOOKING_ALTERNATIVE,
        },
      ]);
      assert.deepEqual(await s.client.callTool(book), text("[SUCCESS] Booked for 2024-12-26", "Elicitation Example"));
      assert.deepEqual(await s.client.callTool(book), text("[CANCELLED] Booking cancelled", "Elicitation Example"));
      // On the wire: each call is two requests; the retry carries the answer and the sealed state.
      const calls = readWire(s.log).filter((l) => l.dir === "in" && l.msg.method === "tools/call");
      assert.equal(calls.length, 6);
      const first = readWire(s.log).find((l) => l.dir === "out" && l.msg.id === calls[0].msg.id)!.msg.result;
      assert.equal(first.resultType, "input_required");
      assert.deepEqual(Object.keys(first.inputRequests), ["r0"]);
      assert.equal(first.inputRequests.r0.method, "elicitation/create");
      assert.equal(calls[1].msg.params.requestState, first.requestState);
      assert.deepEqual(calls[1].msg.params.inputResponses, { r0: { action: "accept", content: { checkAlternative: true, alternativeDate: "2024-12-28" } } });
      assert.ok((await s.closeAndCheck()) >= 6);
    });
  });

  it("without the elicitation capability the call fails with -32021", () =>
    withSession(openV2("elicitation.ts"), async (s) => {
      await rejectsWith(s.client.callTool(book), -32021, /elicitation.form/);
      assert.deepEqual(await s.client.callTool({ ...book, arguments: { ...book.arguments, date: "2025-01-02" } }), text("[SUCCESS] Booked for 2025-01-02 at 20:30", "Elicitation Example"));
      await s.closeAndCheck();
    }));
});

describe("v2 client (2026-07-28) -> examples/quickstart.ts and lowlevel.ts", T, () => {
  it("quickstart: add, greeting, invalid arguments as a tool error", () =>
    withSession(openV2("quickstart.ts"), async (s) => {
      assert.deepEqual(await s.client.callTool({ name: "add", arguments: { a: 40, b: 2 } }), text("42", "Demo"));
      assert.equal(onlyText(await s.client.readResource({ uri: "greeting://World" })), "Hello, World!");
      const bad = await s.client.callTool({ name: "add", arguments: { a: "1", b: 2 } });
      assert.equal(bad.isError, true);
      await s.closeAndCheck();
    }));

  it("lowlevel: example-prompt and query_db", () =>
    withSession(openV2("lowlevel.ts"), async (s) => {
      const p = await s.client.getPrompt({ name: "example-prompt", arguments: { arg1: "v" } });
      assert.deepEqual(p.messages, [{ role: "user", content: { type: "text", text: "Example prompt text (arg1=v)" } }]);
      const r = await s.client.callTool({ name: "query_db", arguments: { query: "be" } });
      assert.equal(onlyText(r), '[{"id":2,"name":"beta"}]');
      await s.closeAndCheck();
    }));
});
