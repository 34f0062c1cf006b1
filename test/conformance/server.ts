/**
 * THE conformance server: every fixture the official MCP conformance suite
 * needs, for both of its lines (0.1.16: legacy era; 0.2.0-alpha.12: 2025-11-25
 * and 2026-07-28), on one endpoint: http://localhost:$PORT/mcp (PORT, default 3000).
 *
 *   node --import tsx test/conformance/server.ts
 *
 * Written with the high-level API only. Handlers are era-neutral: `ctx.sample`
 * and `ctx.elicit` are real requests to the client on a legacy session and an
 * `input_required` round trip on 2026-07-28; the `key` option gives the MRTR
 * fixtures the input-request keys the suite expects (user_name, confirm, …).
 */
import { createServer, type IncomingMessage, type Server as NodeServer, type ServerResponse } from "node:http";
import { pathToFileURL } from "node:url";
import { Audio, embeddedResource, Image, McpServer, user, type Context } from "../../src/index.js";
import { nodeListener } from "../../src/node/http.js";

// ---- payloads ------------------------------------------------------------------------------

/** A 1×1 PNG. */
const PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
const PNG = Uint8Array.from(atob(PNG_BASE64), (c) => c.charCodeAt(0));

/** 10 ms of silence: a valid 8 kHz, 8-bit mono WAV file. */
function wav(): Uint8Array {
  const samples = 80;
  const b = new Uint8Array(44 + samples);
  const v = new DataView(b.buffer);
  const ascii = (at: number, s: string) => [...s].forEach((c, i) => (b[at + i] = c.charCodeAt(0)));
  ascii(0, "RIFF");
  v.setUint32(4, 36 + samples, true);
  ascii(8, "WAVEfmt ");
  v.setUint32(16, 16, true); // fmt chunk size
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, 8000, true); // sample rate
  v.setUint32(28, 8000, true); // byte rate
  v.setUint16(32, 1, true); // block align
  v.setUint16(34, 8, true); // bits per sample
  ascii(36, "data");
  v.setUint32(40, samples, true);
  b.fill(128, 44);
  return b;
}
const WAV = wav();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const textOf = (r: { content?: unknown }): string => {
  const c = r.content as { type?: string; text?: string } | { type?: string; text?: string }[] | undefined;
  const first = Array.isArray(c) ? c[0] : c;
  return first?.type === "text" ? String(first.text) : JSON.stringify(c);
};

/** SEP-1613 / SEP-2106: a hand-written 2020-12 schema that must reach the client verbatim. */
const JSON_SCHEMA_2020_12 = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  $defs: {
    address: { $anchor: "addressDef", type: "object", properties: { street: { type: "string" }, city: { type: "string" } } },
  },
  properties: {
    name: { type: "string" },
    address: { $ref: "#/$defs/address" },
    contactMethod: { type: "string", enum: ["phone", "email"] },
    phone: { type: "string" },
    email: { type: "string" },
  },
  allOf: [{ anyOf: [{ required: ["phone"] }, { required: ["email"] }] }],
  if: { properties: { contactMethod: { const: "phone" } }, required: ["contactMethod"] },
  then: { required: ["phone"] },
  else: { required: ["email"] },
  additionalProperties: false,
};

const NAME_SCHEMA = { type: "object", properties: { name: { type: "string" } }, required: ["name"] };

// ---- the server ----------------------------------------------------------------------------

export function buildServer(): McpServer {
  const mcp = new McpServer({ name: "mcpkit-conformance-server", version: "1.0.0" });

  // -- content tools
  mcp.tool("test_simple_text", { description: "Tests simple text content response" }, () => "This is a simple text response for testing.");
  mcp.tool("test_image_content", { description: "Tests image content response" }, () => new Image({ data: PNG, mimeType: "image/png" }));
  mcp.tool("test_audio_content", { description: "Tests audio content response" }, () => new Audio({ data: WAV, mimeType: "audio/wav" }));
  mcp.tool("test_embedded_resource", { description: "Tests embedded resource content response" }, () =>
    embeddedResource({ uri: "test://embedded-resource", mimeType: "text/plain", text: "This is an embedded resource content." }),
  );
  mcp.tool("test_multiple_content_types", { description: "Tests response with multiple content types (text, image, resource)" }, () => [
    "Multiple content types test:",
    new Image({ data: PNG, mimeType: "image/png" }),
    embeddedResource({ uri: "test://mixed-content-resource", mimeType: "application/json", text: JSON.stringify({ test: "data", value: 123 }) }),
  ]);
  mcp.tool("test_error_handling", { description: "Tests error response handling" }, () => {
    throw new Error("This tool intentionally returns an error for testing");
  });

  // -- logging and progress
  mcp.tool("test_tool_with_logging", { description: "Tests tool that emits log messages during execution" }, async (_args, ctx) => {
    ctx.info("Tool execution started");
    await sleep(50);
    ctx.info("Tool processing data");
    await sleep(50);
    ctx.info("Tool execution completed");
    return "Tool with logging executed successfully";
  });
  mcp.tool("test_tool_with_progress", { description: "Tests tool that reports progress notifications" }, async (_args, ctx) => {
    for (const step of [0, 50, 100]) {
      await ctx.reportProgress(step, 100, `Completed step ${step} of 100`);
      if (step < 100) await sleep(50);
    }
    return String(ctx.request.progressToken ?? "no progress token");
  });
  mcp.tool("test_logging_tool", { description: "Logs only when the request asked for a log level" }, (_args, ctx) => {
    ctx.info("Diagnostic trace logging activated");
    return "Logging evaluated";
  });

  // -- SEP-1699 polling: close the SSE stream mid-call; the client resumes with GET + Last-Event-ID
  mcp.tool(
    "test_reconnection",
    { description: "Closes the SSE stream mid-call; the result arrives after the client reconnects (SEP-1699)" },
    async (_args, ctx) => {
      ctx.request.http?.closeStream?.();
      await sleep(100);
      return "Reconnection test completed successfully. If you received this, the client properly reconnected after stream closure.";
    },
  );

  // -- sampling and elicitation (legacy: requests on the session; 2026-07-28: input_required)
  mcp.tool(
    "test_sampling",
    { description: "Tests server-initiated sampling (LLM completion request)", input: { type: "object", properties: { prompt: { type: "string", description: "The prompt to send to the LLM" } }, required: ["prompt"] } },
    async ({ prompt }, ctx) => `LLM response: ${textOf(await ctx.sample(String(prompt), { maxTokens: 100 }))}`,
  );
  mcp.tool(
    "test_elicitation",
    { description: "Tests server-initiated elicitation (user input request)", input: { type: "object", properties: { message: { type: "string", description: "The message to show the user" } }, required: ["message"] } },
    async ({ message }, ctx) => {
      const r = await ctx.elicit(String(message), {
        type: "object",
        properties: { username: { type: "string", description: "Your user name" }, email: { type: "string", description: "Your e-mail address" } },
      });
      return `User response: action=${r.action}, content=${JSON.stringify(r.content ?? {})}`;
    },
  );
  mcp.tool("test_elicitation_sep1034_defaults", { description: "Tests elicitation with default values per SEP-1034" }, async (_args, ctx) => {
    const r = await ctx.elicit("Please review and update the form fields with defaults", {
      type: "object",
      properties: {
        name: { type: "string", description: "User name", default: "John Doe" },
        age: { type: "integer", description: "User age", default: 30 },
        score: { type: "number", description: "User score", default: 95.5 },
        status: { type: "string", description: "User status", enum: ["active", "inactive", "pending"], default: "active" },
        verified: { type: "boolean", description: "Verification status", default: true },
      },
      required: [],
    });
    return `Elicitation completed: action=${r.action}, content=${JSON.stringify(r.content ?? {})}`;
  });
  mcp.tool("test_elicitation_sep1330_enums", { description: "Tests elicitation with enum schema improvements per SEP-1330" }, async (_args, ctx) => {
    const titled = (prefix: string, word: string) => [1, 2, 3].map((i) => ({ const: `${prefix}${i}`, title: `${["First", "Second", "Third"][i - 1]} ${word}` }));
    const r = await ctx.elicit("Please select options from the enum fields", {
      type: "object",
      properties: {
        untitledSingle: { type: "string", description: "Select one option", enum: ["option1", "option2", "option3"] },
        titledSingle: { type: "string", description: "Select one option with titles", oneOf: titled("value", "Option") },
        legacyEnum: { type: "string", description: "Select one option (legacy)", enum: ["opt1", "opt2", "opt3"], enumNames: ["Option One", "Option Two", "Option Three"] },
        untitledMulti: { type: "array", description: "Select multiple options", minItems: 1, maxItems: 3, items: { type: "string", enum: ["option1", "option2", "option3"] } },
        titledMulti: { type: "array", description: "Select multiple options with titles", minItems: 1, maxItems: 3, items: { anyOf: titled("value", "Choice") } },
      },
      required: [],
    });
    return `Elicitation completed: action=${r.action}, content=${JSON.stringify(r.content ?? {})}`;
  });

  // -- schemas
  mcp.tool(
    "json_schema_2020_12_tool",
    { description: "Tool with JSON Schema 2020-12 features for conformance testing (SEP-1613)", input: JSON_SCHEMA_2020_12 },
    (args) => `JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}`,
  );
  mcp.tool(
    "test_x_mcp_header",
    {
      description: "Echoes a region that the client mirrors into the Mcp-Param-Region header (SEP-2243)",
      input: { type: "object", properties: { region: { type: "string", "x-mcp-header": "Region" }, query: { type: "string" } }, required: ["region"] },
    },
    ({ region, query }) => `region=${region}${query === undefined ? "" : ` query=${query}`}`,
  );

  // -- 2026-07-28 (SEP-2575) diagnostics
  mcp.tool("test_missing_capability", { description: "Needs the client's sampling capability" }, async (_args, ctx) => {
    const r = await ctx.sample("Say hello", { maxTokens: 20 });
    return `Success: ${textOf(r)}`;
  });
  mcp.tool("test_streaming_elicitation", { description: "Asks for input without ever sending a request on the response stream" }, async (_args, ctx) => {
    const r = await ctx.elicit("Anything to add?", { type: "object", properties: { note: { type: "string" } } });
    return `Streaming complete: action=${r.action}`;
  });
  // Hidden fixtures whose flip (off and on in one tick) is one list_changed with an unchanged list.
  const flipTool = mcp.tool("test_list_changed_marker", { description: "Toggled by test_trigger_tool_change" }, () => "marker");
  const flipPrompt = mcp.prompt("test_list_changed_marker_prompt", { description: "Toggled by test_trigger_prompt_change" }, () => "marker");
  mcp.tool("test_trigger_tool_change", { description: "Sends notifications/tools/list_changed" }, () => {
    flipTool.disable();
    flipTool.enable();
    return "Mutation triggered";
  });
  mcp.tool("test_trigger_prompt_change", { description: "Sends notifications/prompts/list_changed" }, () => {
    flipPrompt.disable();
    flipPrompt.enable();
    return "Mutation triggered";
  });

  // -- SEP-2322 input_required (MRTR) fixtures: exact keys
  mcp.tool("test_input_required_result_elicitation", { description: "MRTR: asks for the user's name (key user_name)" }, async (_args, ctx) => {
    const r = await ctx.elicit("What is your name?", NAME_SCHEMA, { key: "user_name" });
    return r.action === "accept" ? `Hello, ${r.content.name}!` : `No name given (${r.action})`;
  });
  mcp.tool("test_input_required_result_sampling", { description: "MRTR: asks the client's model a question (key capital_question)" }, async (_args, ctx) => {
    const r = await ctx.sample("What is the capital of France?", { maxTokens: 100 }, { key: "capital_question" });
    return `Model says: ${textOf(r)}`;
  });
  mcp.tool("test_input_required_result_list_roots", { description: "MRTR: asks for the client's roots (key client_roots)" }, async (_args, ctx) => {
    const roots = await ctx.listRoots({ key: "client_roots" });
    return `Roots: ${roots.map((r) => r.name ? `${r.name} (${r.uri})` : r.uri).join(", ") || "none"}`;
  });
  mcp.tool("test_input_required_result_request_state", { description: "MRTR: asks for confirmation; the answer round trips a signed requestState" }, async (_args, ctx) => {
    const r = await ctx.elicit("Please confirm", { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] }, { key: "confirm" });
    // Reaching this line on a retry means the requestState verified.
    return `state-ok: action=${r.action}, ok=${r.action === "accept" ? r.content.ok : "n/a"}`;
  });
  mcp.tool("test_input_required_result_multiple_inputs", { description: "MRTR: elicitation, sampling and roots asked together" }, async (_args, ctx) => {
    const [name, greeting, roots] = await Promise.all([
      ctx.elicit("What is your name?", NAME_SCHEMA, { key: "user_name" }),
      ctx.sample("Generate a greeting", { maxTokens: 50 }, { key: "greeting" }),
      ctx.listRoots({ key: "client_roots" }),
    ]);
    return `name=${name.action === "accept" ? name.content.name : name.action}; greeting=${textOf(greeting)}; roots=${roots.length}`;
  });
  mcp.tool("test_input_required_result_multi_round", { description: "MRTR: two rounds (step1, step2), a new requestState each" }, async (_args, ctx) => {
    const step1 = await ctx.elicit("Step 1: What is your name?", NAME_SCHEMA, { key: "step1" });
    const step2 = await ctx.elicit(
      "Step 2: What is your favorite color?",
      { type: "object", properties: { color: { type: "string" } }, required: ["color"] },
      { key: "step2" },
    );
    const name = step1.action === "accept" ? step1.content.name : "?";
    const color = step2.action === "accept" ? step2.content.color : "?";
    return `${name} likes ${color}`;
  });
  mcp.tool("test_input_required_result_tampered_state", { description: "MRTR: HMAC-signed requestState; a tampered one is rejected" }, async (_args, ctx) => {
    const r = await ctx.elicit("Please confirm", { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] }, { key: "confirm" });
    return `confirmed: ${r.action}`;
  });
  mcp.tool("test_input_required_result_capabilities", { description: "MRTR: asks only for what the client declared" }, async (_args, ctx: Context) => {
    const caps = ctx.clientCapabilities;
    const asks: Promise<string>[] = [];
    if (caps.elicitation) {
      asks.push(ctx.elicit("Elicitation input", { type: "object", properties: { value: { type: "string" } }, required: ["value"] }, { key: "elicit_input" }).then((r) => `elicitation ${r.action}`));
    }
    if (caps.sampling) asks.push(ctx.sample("Sample request", { maxTokens: 50 }, { key: "sample_input" }).then((r) => `sampling ${textOf(r)}`));
    if (asks.length === 0) return "No supported capabilities declared";
    return `capabilities-ok: ${(await Promise.all(asks)).join("; ")}`;
  });

  // -- resources
  mcp.resource(
    "test://static-text",
    { name: "static-text", title: "Static Text Resource", description: "A static text resource for testing", mimeType: "text/plain" },
    () => "This is the content of the static text resource.",
  );
  mcp.resource(
    "test://static-binary",
    { name: "static-binary", title: "Static Binary Resource", description: "A static binary resource (image) for testing", mimeType: "image/png" },
    () => PNG,
  );
  mcp.resource(
    "test://watched-resource",
    { name: "watched-resource", title: "Watched Resource", description: "A resource clients can subscribe to", mimeType: "text/plain" },
    () => `Watched resource content at ${new Date().toISOString()}`,
  );
  mcp.resource(
    "test://template/{id}/data",
    { name: "template", title: "Resource Template", description: "A resource template with parameter substitution", mimeType: "application/json" },
    ({ id }) => JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }),
  );

  // -- prompts
  mcp.prompt("test_simple_prompt", { title: "Simple Test Prompt", description: "A simple prompt without arguments" }, () => "This is a simple prompt for testing.");
  mcp.prompt(
    "test_prompt_with_arguments",
    {
      title: "Prompt With Arguments",
      description: "A prompt with required arguments",
      args: [
        { name: "arg1", description: "First test argument", required: true },
        { name: "arg2", description: "Second test argument", required: true },
      ],
      complete: { arg1: (value) => ["test", "testValue1", "other"].filter((v) => v.startsWith(value)) },
    },
    ({ arg1, arg2 }) => `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'`,
  );
  mcp.prompt(
    "test_prompt_with_embedded_resource",
    {
      title: "Prompt With Embedded Resource",
      description: "A prompt that includes an embedded resource",
      args: [{ name: "resourceUri", description: "URI of the resource to embed", required: true }],
    },
    ({ resourceUri }) => [
      user(embeddedResource({ uri: String(resourceUri), mimeType: "text/plain", text: "Embedded resource content for testing." })),
      user("Please process the embedded resource above."),
    ],
  );
  mcp.prompt("test_prompt_with_image", { title: "Prompt With Image", description: "A prompt that includes image content" }, () => [
    user(new Image({ data: PNG, mimeType: "image/png" })),
    user("Please analyze the image above."),
  ]);
  mcp.prompt("test_input_required_result_prompt", { description: "MRTR: a prompt that asks for context first (key user_context)" }, async (_args, ctx) => {
    const r = await ctx.elicit(
      "What context should the prompt use?",
      { type: "object", properties: { context: { type: "string" } }, required: ["context"] },
      { key: "user_context" },
    );
    return `Write a short note using this context: ${r.action === "accept" ? r.content.context : "(none)"}`;
  });

  return mcp;
}

// Run when started directly (not when imported by a test).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.PORT ?? 3000);
  const mcp = buildServer();
  // One handler (one set of sessions) behind both loopback addresses: "localhost"
  // is 127.0.0.1 on some machines and ::1 on others.
  const handler = mcp.httpHandler();
  const listener = nodeListener(handler);
  const route = (req: IncomingMessage, res: ServerResponse) => {
    if ((req.url ?? "/").split("?")[0] === "/mcp") return listener(req, res);
    res.writeHead(404, { "content-type": "text/plain" }).end("Not Found");
  };
  const servers: NodeServer[] = [];
  for (const host of ["127.0.0.1", "::1"]) {
    const s = createServer(route);
    const ok = await new Promise<boolean>((resolve) => {
      s.once("error", () => resolve(false));
      s.listen(port, host, () => resolve(true));
    });
    if (ok) servers.push(s);
    else if (host === "127.0.0.1") throw new Error(`cannot listen on ${host}:${port}`);
  }
  process.stderr.write(`conformance server listening on http://localhost:${port}/mcp\n`);
  const stop = async () => {
    handler.close();
    for (const s of servers) s.closeAllConnections();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    await mcp.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
