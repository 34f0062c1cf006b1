// The README twins under examples/, each spawned over stdio and driven by the official v1
// client (@modelcontextprotocol/sdk) in the legacy era. Every message an example writes is
// checked against the schema of the negotiated revision.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { PNG } from "pngjs";
import { openV1, onlyText, withSession } from "../helpers/examples.js";
import { ROOT, readWire } from "../helpers/wire.js";
import { BOOKING_ALTERNATIVE, ECHO, rejectsWith } from "../helpers/expect.js";

const T = { timeout: 60_000 };
const text = (t: string) => ({ content: [{ type: "text", text: t }] });
const DATA = path.join(ROOT, "examples/data");
const file = (name: string) => `file://${path.join(DATA, name)}`;
const size = (name: string) => fs.statSync(path.join(DATA, name)).size;

describe("v1 client (legacy) -> examples/echo.ts", T, () => {
  it("is the README's Echo server: one template, one tool, one prompt, each echoing", () =>
    withSession(openV1("echo.ts"), async (s) => {
      assert.deepEqual(s.client.getServerVersion(), ECHO.serverInfo);
      assert.deepEqual(s.client.getServerCapabilities(), ECHO.capabilities);
      assert.deepEqual((await s.client.listTools()).tools, ECHO.tools);
      assert.deepEqual((await s.client.listResourceTemplates()).resourceTemplates, ECHO.resourceTemplates);
      assert.deepEqual((await s.client.listResources()).resources, []);
      assert.deepEqual((await s.client.listPrompts()).prompts, ECHO.prompts);

      assert.deepEqual(await s.client.callTool({ name: "echo_tool", arguments: { message: "hi" } }), text("Tool echo: hi"));
      assert.deepEqual(await s.client.readResource({ uri: "echo://hello%20world" }), {
        contents: [{ uri: "echo://hello%20world", mimeType: "text/plain", text: "Resource echo: hello world" }],
      });
      assert.deepEqual(await s.client.getPrompt({ name: "echo_prompt", arguments: { message: "hi" } }), {
        description: "Create an echo prompt",
        messages: [{ role: "user", content: { type: "text", text: "Please process this message: hi" } }],
      });
      await rejectsWith(s.client.getPrompt({ name: "echo_prompt" }), -32602, /Missing required arguments for prompt echo_prompt: message/);
      await rejectsWith(s.client.callTool({ name: "echo", arguments: {} }), -32602, /Unknown tool: echo/);
      assert.ok((await s.closeAndCheck("2025-11-25")) >= 9);
    }));
});

describe("v1 client (legacy) -> examples/resources.ts, tools.ts, prompts.ts", T, () => {
  it("resources: config://app and users://{user_id}/profile", () =>
    withSession(openV1("resources.ts"), async (s) => {
      assert.deepEqual((await s.client.listResources()).resources, [{ uri: "config://app", name: "get_config", description: "Static configuration data" }]);
      assert.deepEqual((await s.client.listResourceTemplates()).resourceTemplates, [
        { uriTemplate: "users://{user_id}/profile", name: "get_user_profile", description: "Dynamic user data" },
      ]);
      assert.deepEqual(await s.client.readResource({ uri: "config://app" }), {
        contents: [{ uri: "config://app", mimeType: "text/plain", text: "App configuration here" }],
      });
      assert.deepEqual(await s.client.readResource({ uri: "users://42/profile" }), {
        contents: [{ uri: "users://42/profile", mimeType: "text/plain", text: "Profile data for user 42" }],
      });
      // Legacy revisions number "resource not found" -32002.
      await rejectsWith(s.client.readResource({ uri: "users://42/settings" }), -32002, /Resource not found: users:\/\/42\/settings/);
      assert.ok((await s.closeAndCheck("2025-11-25")) >= 6);
    }));

  for (const rev of ["2025-11-25", "2024-11-05"]) {
    it(`tools at ${rev}: calculate_bmi, invalid arguments, fetch_weather against a local stub`, async () => {
      const stub = http.createServer((req, res) => res.end(`Sunny in ${decodeURIComponent(req.url!.slice(1))}`));
      await new Promise<void>((r) => stub.listen(0, "127.0.0.1", r));
      const url = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
      const version = rev === "2024-11-05" ? rev : undefined;
      try {
        await withSession(openV1("tools.ts", { env: { WEATHER_API_URL: url }, version }), async (s) => {
          const { tools } = await s.client.listTools();
          assert.deepEqual(tools[0], {
            name: "calculate_bmi",
            description: "Calculate BMI given weight in kg and height in meters",
            inputSchema: {
              type: "object",
              properties: { weight_kg: { type: "number" }, height_m: { type: "number" } },
              required: ["weight_kg", "height_m"],
            },
          });
          const bmi = await s.client.callTool({ name: "calculate_bmi", arguments: { weight_kg: 70, height_m: 1.75 } });
          assert.deepEqual(bmi, text(String(70 / 1.75 ** 2)));
          const bad = s.client.callTool({ name: "calculate_bmi", arguments: { weight_kg: "heavy", height_m: 1.75 } });
          if (rev >= "2025-11-25") {
            // From 2025-11-25 invalid arguments are a tool error the model can read.
            const r = await bad;
            assert.equal(r.isError, true);
            assert.match(onlyText(r), /^Invalid arguments for tool calculate_bmi: weight_kg: .*number/);
          } else {
            await rejectsWith(bad, -32602, /Invalid arguments for tool calculate_bmi: weight_kg/);
          }
          const weather = await s.client.callTool({ name: "fetch_weather", arguments: { city: "São Paulo" } });
          assert.deepEqual(weather, text("Sunny in São Paulo"));
          assert.ok((await s.closeAndCheck(rev)) >= 5);
        });
      } finally {
        stub.close();
      }
    });
  }

  it("tools: fetch_weather without a configured URL is a tool error, not a network call", () =>
    withSession(openV1("tools.ts"), async (s) => {
      assert.deepEqual(await s.client.callTool({ name: "fetch_weather", arguments: { city: "Paris" } }), {
        content: [{ type: "text", text: "fetch_weather is not configured: set WEATHER_API_URL or pass --weather-url" }],
        isError: true,
      });
      await s.closeAndCheck();
    }));

  it("prompts: review_code as one user message, debug_error as a conversation", () =>
    withSession(openV1("prompts.ts"), async (s) => {
      assert.deepEqual((await s.client.listPrompts()).prompts, [
        { name: "review_code", arguments: [{ name: "code", required: true }] },
        { name: "debug_error", arguments: [{ name: "error", required: true }] },
      ]);
      assert.deepEqual(await s.client.getPrompt({ name: "review_code", arguments: { code: "let x = 1" } }), {
        messages: [{ role: "user", content: { type: "text", text: "Please review this code:\n\nlet x = 1" } }],
      });
      const say = (role: string, t: string) => ({ role, content: { type: "text", text: t } });
      assert.deepEqual(await s.client.getPrompt({ name: "debug_error", arguments: { error: "TypeError: x is undefined" } }), {
        messages: [
          say("user", "I'm seeing this error:"),
          say("user", "TypeError: x is undefined"),
          say("assistant", "I'll help debug that. What have you tried so far?"),
        ],
      });
      await rejectsWith(s.client.getPrompt({ name: "nope" }), -32602, /Unknown prompt: nope/);
      assert.ok((await s.closeAndCheck("2025-11-25")) >= 5);
    }));
});

describe("v1 client (legacy) -> examples/context.ts", T, () => {
  it("serves real files as file:// resources, text as text and images as blobs", () =>
    withSession(openV1("context.ts"), async (s) => {
      const { resources } = await s.client.listResources();
      assert.deepEqual(resources.map((r) => [r.name, r.uri, r.mimeType]).sort(), [
        ["notes.txt", file("notes.txt"), "text/plain"],
        ["readings.csv", file("readings.csv"), "text/csv"],
        ["sample.png", file("sample.png"), "image/png"],
        ["todo.md", file("todo.md"), "text/markdown"],
      ]);
      assert.deepEqual((await s.client.readResource({ uri: file("notes.txt") })).contents, [
        { uri: file("notes.txt"), mimeType: "text/plain", text: fs.readFileSync(path.join(DATA, "notes.txt"), "utf8") },
      ]);
      const [png] = (await s.client.readResource({ uri: file("sample.png") })).contents as { blob: string; mimeType: string }[];
      assert.equal(png.mimeType, "image/png");
      assert.deepEqual(Buffer.from(png.blob, "base64"), fs.readFileSync(path.join(DATA, "sample.png")));
      // Outside the served directory there is nothing, however the path is spelled.
      await rejectsWith(s.client.readResource({ uri: file("../../package.json") }), -32002, /Resource not found/);
      await s.closeAndCheck("2025-11-25");
    }));

  it("long_task logs per file, reports progress and reads the server's own resources", () =>
    withSession(openV1("context.ts"), async (s) => {
      const png = path.join(DATA, "sample.png");
      const r = await s.client.callTool({ name: "long_task", arguments: { files: ["notes.txt", "todo.md", png] } }, undefined, {
        onprogress: () => {},
      });
      assert.deepEqual(r, text("Processing complete"));
      // No logging/setLevel yet: every level is sent.
      assert.deepEqual(s.logs, [
        { level: "info", data: "Processing notes.txt" },
        { level: "debug", data: `notes.txt: text/plain, ${size("notes.txt")} bytes` },
        { level: "info", data: "Processing todo.md" },
        { level: "debug", data: `todo.md: text/markdown, ${size("todo.md")} bytes` },
        { level: "info", data: `Processing ${png}` },
        { level: "debug", data: `${png}: image/png, ${size("sample.png")} bytes` },
      ]);
      // Progress on the wire, in order and before the result (v1 may drop the last one: it
      // handles notifications a tick after responses).
      const wire = readWire(s.log);
      const token = wire.find((l) => l.dir === "in" && l.msg.params?.name === "long_task")!.msg.params._meta.progressToken;
      const sent = wire.filter((l) => l.dir === "out" && (l.msg.method === "notifications/progress" || l.msg.id === 1));
      assert.deepEqual(
        sent.map((l) => l.msg.params ?? "result"),
        [...[0, 1, 2, 3].map((i) => ({ progressToken: token, progress: i, total: 3 })), "result"],
      );

      // logging/setLevel filters this session's messages.
      s.logs.length = 0;
      await s.client.setLoggingLevel("info");
      await s.client.callTool({ name: "long_task", arguments: { files: ["todo.md"] } });
      assert.deepEqual(s.logs, [{ level: "info", data: "Processing todo.md" }]);
      const missing = await s.client.callTool({ name: "long_task", arguments: { files: ["missing.txt"] } });
      assert.equal(missing.isError, true);
      assert.equal(onlyText(missing), `Cannot read missing.txt: Resource not found: ${file("missing.txt")}`);
      assert.ok((await s.closeAndCheck("2025-11-25")) >= 15);
    }));
});

describe("v1 client (legacy) -> examples/images.ts", T, () => {
  it("create_thumbnail returns a real PNG that fits 100x100, aspect kept, colours averaged", () =>
    withSession(openV1("images.ts"), async (s) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mcpkit-img-"));
      // 300x150: left half pure red, right half pure blue.
      const src = new PNG({ width: 300, height: 150 });
      for (let i = 0; i < 300 * 150; i++) src.data.set(i % 300 < 150 ? [255, 0, 0, 255] : [0, 0, 255, 255], i * 4);
      const wide = path.join(dir, "wide.png");
      fs.writeFileSync(wide, PNG.sync.write(src));

      const r = await s.client.callTool({ name: "create_thumbnail", arguments: { image_path: wide } });
      const content = r.content as { type: string; mimeType: string; data: string }[];
      assert.equal(content.length, 1);
      assert.equal(content[0].type, "image");
      assert.equal(content[0].mimeType, "image/png");
      const thumb = PNG.sync.read(Buffer.from(content[0].data, "base64"));
      assert.deepEqual([thumb.width, thumb.height], [100, 50]);
      assert.deepEqual([...thumb.data.subarray(0, 4)], [255, 0, 0, 255]);
      assert.deepEqual([...thumb.data.subarray((50 * 100 - 1) * 4)], [0, 0, 255, 255]);

      // The shipped sample (240x160) becomes 100x67.
      const sample = await s.client.callTool({ name: "create_thumbnail", arguments: { image_path: path.join(DATA, "sample.png") } });
      const img = PNG.sync.read(Buffer.from((sample.content as { data: string }[])[0].data, "base64"));
      assert.deepEqual([img.width, img.height], [100, 67]);
      // A file that is not there is a tool error.
      const missing = await s.client.callTool({ name: "create_thumbnail", arguments: { image_path: path.join(dir, "nope.png") } });
      assert.equal(missing.isError, true);
      assert.match(onlyText(missing), /ENOENT/);
      await s.closeAndCheck("2025-11-25");
    }));
});

describe("v1 client (legacy) -> examples/lifespan.ts", T, () => {
  it("query_db uses the one database the lifespan opened; shutdown closes it", () =>
    withSession(openV1("lifespan.ts"), async (s) => {
      assert.deepEqual((await s.client.listTools()).tools, [
        { name: "query_db", description: "Tool that uses initialized resources", inputSchema: { type: "object", properties: {} } },
      ]);
      assert.deepEqual(await s.client.callTool({ name: "query_db", arguments: {} }), text("query 1 answered by connection 1"));
      assert.deepEqual(await s.client.callTool({ name: "query_db" }), text("query 2 answered by connection 1"));
      assert.equal(s.stderr(), "");
      await s.closeAndCheck("2025-11-25");
      assert.equal(s.stderr(), "database connection 1 closed after 2 queries\n");
    }));
});

describe("v1 client (legacy) -> examples/elicitation.ts", T, () => {
  const ask = {
    mode: "form",
    message: "No tables available for 4 on 2024-12-25. Would you like to try another date?",
    requestedSchema: BOOKING_ALTERNATIVE,
  };
  const book = { name: "book_table", arguments: { date: "2024-12-25", time: "19:00", party_size: 4 } };

  it("book_table asks the user over the connection and uses the answer", async () => {
    const answers: object[] = [
      { action: "accept", content: { checkAlternative: true, alternativeDate: "2024-12-27" } },
      { action: "accept", content: { checkAlternative: true } },
      { action: "accept", content: { checkAlternative: false } },
      { action: "decline" },
    ];
    await withSession(openV1("elicitation.ts", { elicit: () => answers.shift() }), async (s) => {
      const free = await s.client.callTool({ ...book, arguments: { ...book.arguments, date: "2024-12-24" } });
      assert.deepEqual(free, text("[SUCCESS] Booked for 2024-12-24 at 19:00"));
      assert.deepEqual(s.elicited, []);
      assert.deepEqual(await s.client.callTool(book), text("[SUCCESS] Booked for 2024-12-27"));
      assert.deepEqual(s.elicited, [ask]);
      // The schema's default fills an omitted field.
      assert.deepEqual(await s.client.callTool(book), text("[SUCCESS] Booked for 2024-12-26"));
      assert.deepEqual(await s.client.callTool(book), text("[CANCELLED] No booking made"));
      assert.deepEqual(await s.client.callTool(book), text("[CANCELLED] Booking cancelled"));
      assert.equal(s.elicited.length, 4);
      assert.ok((await s.closeAndCheck("2025-11-25")) >= 10);
    });
  });

  it("a client without the elicitation capability gets an error it can see", () =>
    withSession(openV1("elicitation.ts"), async (s) => {
      await rejectsWith(s.client.callTool(book), -32021, /did not declare the elicitation.form capability/);
      await s.closeAndCheck("2025-11-25");
    }));
});

describe("v1 client (legacy) -> examples/structured-output.ts", T, () => {
  it("advertises output schemas and returns validated structuredContent with a JSON mirror", () =>
    withSession(openV1("structured-output.ts"), async (s) => {
      const { tools } = await s.client.listTools();
      const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
      assert.deepEqual(Object.keys(byName), ["get_weather", "get_location", "get_statistics", "list_cities", "get_temperature"]);
      assert.deepEqual(byName.get_weather.outputSchema, {
        type: "object",
        properties: {
          temperature: { type: "number", description: "Temperature in Celsius" },
          humidity: { type: "number", description: "Humidity percentage" },
          condition: { type: "string" },
          wind_speed: { type: "number" },
        },
        required: ["temperature", "humidity", "condition", "wind_speed"],
        additionalProperties: false,
      });
      assert.deepEqual(byName.get_location.outputSchema, {
        type: "object",
        properties: { latitude: { type: "number" }, longitude: { type: "number" }, name: { type: "string" } },
        required: ["latitude", "longitude", "name"],
      });
      assert.deepEqual(byName.get_temperature.outputSchema, {
        type: "object",
        properties: { result: { type: "number" } },
        required: ["result"],
        additionalProperties: false,
      });
      const structured = (v: object) => ({ content: [{ type: "text", text: JSON.stringify(v) }], structuredContent: v });
      const call = (name: string, args: Record<string, unknown> = {}) => s.client.callTool({ name, arguments: args });
      assert.deepEqual(await call("get_weather", { city: "London" }), structured({ temperature: 22.5, humidity: 45, condition: "sunny", wind_speed: 5.2 }));
      assert.deepEqual(await call("get_location", { address: "10 Downing St" }), structured({ latitude: 51.5074, longitude: -0.1278, name: "London, UK" }));
      assert.deepEqual(await call("get_statistics", { data_type: "sales" }), structured({ mean: 42.5, median: 40, std_dev: 5.2 }));
      assert.deepEqual(await call("list_cities"), structured({ result: ["London", "Paris", "Tokyo"] }));
      assert.deepEqual(await call("get_temperature", { city: "Paris" }), structured({ result: 22.5 }));
      assert.ok((await s.closeAndCheck("2025-11-25")) >= 7);
    }));
});

describe("v1 client (legacy) -> examples/quickstart.ts", T, () => {
  it("add and greeting://{name} at 2025-03-26", () =>
    withSession(openV1("quickstart.ts", { version: "2025-03-26" }), async (s) => {
      assert.deepEqual(s.client.getServerVersion(), { name: "Demo", version: "1.0.0" });
      assert.deepEqual(await s.client.callTool({ name: "add", arguments: { a: 2, b: 3 } }), text("5"));
      assert.equal(onlyText(await s.client.readResource({ uri: "greeting://Ada" })), "Hello, Ada!");
      // Before 2025-11-25 invalid arguments are a protocol error.
      await rejectsWith(s.client.callTool({ name: "add", arguments: { a: 1.5, b: 3 } }), -32602, /Invalid arguments for tool add: a: /);
      assert.ok((await s.closeAndCheck("2025-03-26")) >= 4);
    }));
});
