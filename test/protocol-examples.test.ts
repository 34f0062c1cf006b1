// The official 2026-07-28 examples against mcpkit's protocol layer: every JSON-RPC message
// parses (classify / parseMessage) to the kind its type names, every request and notification
// passes checkParams, the embedded input requests and *Params examples pass checkParams for
// their method, and every other example reads as the mcpkit type of the same name.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { classify, parseMessage, type Classified, type JsonRpcErrorObject } from "../src/protocol/jsonrpc.js";
import { McpError } from "../src/protocol/errors.js";
import { checkParams } from "../src/protocol/validate.js";
import type * as T from "../src/protocol/types.js";
import { exampleFiles } from "./helpers/schema.js";

const examples = exampleFiles("2026-07-28");
const isObj = (v: unknown): v is Record<string, any> => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown) => typeof v === "string";

/** The kind a JSON-RPC example's type name implies. */
function expectedKind(type: string): Classified["kind"] {
  if (type.endsWith("Request")) return "request";
  if (type.endsWith("Notification")) return "notification";
  if (type.endsWith("Response") || type.endsWith("Error")) return "response";
  throw new Error(`cannot tell the kind of ${type}`);
}

/** 2026-07-28 has no server → client JSON-RPC requests: these travel inside inputRequests. */
const INPUT_REQUEST_TYPES = new Set(["CreateMessageRequest", "ElicitRequest", "ListRootsRequest"]);

const PARAMS_METHOD: Record<string, string> = {
  CallToolRequestParams: "tools/call",
  CompleteRequestParams: "completion/complete",
  CreateMessageRequestParams: "sampling/createMessage",
  ElicitRequestFormParams: "elicitation/create",
  ElicitRequestURLParams: "elicitation/create",
  GetPromptRequestParams: "prompts/get",
  PaginatedRequestParams: "tools/list",
  CancelledNotificationParams: "notifications/cancelled",
  LoggingMessageNotificationParams: "notifications/message",
  ProgressNotificationParams: "notifications/progress",
  ResourceUpdatedNotificationParams: "notifications/resources/updated",
};

/** Read a value as one of our types; the check looks at the fields that type requires. */
const as = <X>(check: (v: X) => boolean) => (json: unknown) => check(json as X);
const isContent = (c: T.ContentBlock) => ["text", "image", "audio", "resource", "resource_link"].includes(c.type);
const isTool = (t: T.Tool) => str(t.name) && t.inputSchema.type === "object";
const errorObject = as<JsonRpcErrorObject>((e) => typeof e.code === "number" && str(e.message) && McpError.from(e).code === e.code);
const schemaType = (type: string) => as<T.JsonObject>((s) => s.type === type);

const TYPES: Record<string, (json: unknown) => boolean> = {
  AudioContent: as<T.AudioContent>((c) => c.type === "audio" && str(c.data) && str(c.mimeType)),
  BlobResourceContents: as<T.BlobResourceContents>((c) => str(c.uri) && str(c.blob)),
  BooleanSchema: schemaType("boolean"),
  CallToolResult: as<T.CallToolResult>((r) => r.resultType === "complete" && r.content.every(isContent)),
  ClientCapabilities: as<T.ClientCapabilities>((c) => isObj(c) && Object.values(c).every(isObj)),
  CompleteResult: as<T.CompleteResult>((r) => r.completion.values.every(str)),
  CreateMessageResult: as<T.CreateMessageResult>((r) => r.role === "assistant" && str(r.model) && r.content !== undefined),
  DiscoverResult: as<T.DiscoverResult>((r) => r.supportedVersions.includes("2026-07-28") && isObj(r.capabilities)),
  ElicitResult: as<T.ElicitResult>((r) => ["accept", "decline", "cancel"].includes(r.action)),
  EmbeddedResource: as<T.EmbeddedResource>((c) => c.type === "resource" && str(c.resource.uri)),
  GetPromptResult: as<T.GetPromptResult>((r) => r.messages.every((m) => ["user", "assistant"].includes(m.role) && isContent(m.content))),
  ImageContent: as<T.ImageContent>((c) => c.type === "image" && str(c.data) && str(c.mimeType)),
  InputRequests: as<T.InputRequests>((r) => Object.values(r).every((q) => checkParams(q.method, q.params) === null)),
  InputRequiredResult: as<T.InputRequiredResult>((r) => r.resultType === "input_required" && (r.inputRequests !== undefined || str(r.requestState))),
  InputResponses: as<T.InputResponses>((r) => Object.values(r).every(isObj)),
  InternalError: errorObject,
  InvalidParamsError: errorObject,
  ListPromptsResult: as<T.ListPromptsResult>((r) => r.prompts.every((p) => str(p.name))),
  ListResourceTemplatesResult: as<T.ListResourceTemplatesResult>((r) => r.resourceTemplates.every((t) => str(t.uriTemplate) && str(t.name))),
  ListResourcesResult: as<T.ListResourcesResult>((r) => r.resources.every((x) => str(x.uri) && str(x.name))),
  ListRootsResult: as<T.ListRootsResult>((r) => r.roots.every((x) => str(x.uri))),
  ListToolsResult: as<T.ListToolsResult>((r) => r.tools.every(isTool)),
  MethodNotFoundError: errorObject,
  ModelPreferences: as<T.JsonObject>((p) => Array.isArray(p.hints)),
  NumberSchema: schemaType("number"),
  ParseError: errorObject,
  ReadResourceResult: as<T.ReadResourceResult>((r) => r.contents.every((c) => str(c.uri))),
  Resource: as<T.Resource>((r) => str(r.uri) && str(r.name)),
  ResourceLink: as<T.ResourceLink>((c) => c.type === "resource_link" && str(c.uri) && str(c.name)),
  Root: as<T.Root>((r) => str(r.uri)),
  SamplingMessage: as<T.SamplingMessage>((m) => ["user", "assistant"].includes(m.role) && m.content !== undefined),
  ServerCapabilities: as<T.ServerCapabilities>((c) => isObj(c) && Object.values(c).every(isObj)),
  StringSchema: schemaType("string"),
  SubscriptionsListenResult: as<T.ResultBase>((r) => r.resultType === "complete" && isObj(r._meta)),
  TextContent: as<T.TextContent>((c) => c.type === "text" && str(c.text)),
  TextResourceContents: as<T.TextResourceContents>((c) => str(c.uri) && str(c.text)),
  TitledMultiSelectEnumSchema: schemaType("array"),
  TitledSingleSelectEnumSchema: schemaType("string"),
  Tool: as<T.Tool>(isTool),
  // Sampling tool-use blocks: mcpkit passes sampling content through as plain JSON.
  ToolResultContent: as<T.JsonObject>((c) => c.type === "tool_result" && str(c.toolUseId)),
  ToolUseContent: as<T.JsonObject>((c) => c.type === "tool_use" && str(c.id) && str(c.name)),
  UntitledMultiSelectEnumSchema: schemaType("array"),
  UntitledSingleSelectEnumSchema: schemaType("string"),
};

const messages = examples.filter((e) => isObj(e.json) && e.json.jsonrpc === "2.0");
const others = examples.filter((e) => !messages.includes(e));

describe("2026-07-28 examples", () => {
  it("there are plenty of both kinds", () => {
    assert.ok(messages.length >= 30, `${messages.length} messages`);
    assert.ok(others.length >= 60, `${others.length} other examples`);
  });

  it("every JSON-RPC message classifies to the kind its type names, from an object and from text", () => {
    const bad: string[] = [];
    for (const { type, file, json } of messages) {
      const want = expectedKind(type);
      const c = classify(json);
      const p = parseMessage(fs.readFileSync(file, "utf8"));
      if (c.kind !== want || c.kind === "invalid") bad.push(`${type}/${path.basename(file)}: classify -> ${c.kind}`);
      else if (c.msg !== json) bad.push(`${type}/${path.basename(file)}: classify did not hand back the message`);
      if (Array.isArray(p) || p.kind !== want || p.kind === "invalid") bad.push(`${type}/${path.basename(file)}: parseMessage -> ${JSON.stringify(p)}`);
      else assert.deepEqual(p.msg, json);
    }
    assert.deepEqual(bad, []);
  });

  it("every request and notification passes checkParams; results read as our result types", () => {
    const bad: string[] = [];
    let requests = 0;
    let results = 0;
    for (const { type, file, json } of messages) {
      const m = json as Record<string, any>;
      if ("method" in m) {
        if ("id" in m) requests++;
        const problem = checkParams(m.method, m.params);
        if (problem !== null) bad.push(`${type}/${path.basename(file)}: ${problem}`);
      } else if ("result" in m) {
        const check = TYPES[type.replace(/Response$/, "")];
        if (!check) bad.push(`${type}: no mcpkit type for its result`);
        else if (!check(m.result)) bad.push(`${type}/${path.basename(file)}: result does not read as ${type.replace(/Response$/, "")}`);
        results++;
      } else if (!("error" in m) || !errorObject(m.error)) {
        bad.push(`${type}/${path.basename(file)}: malformed error`);
      }
    }
    assert.deepEqual(bad, []);
    assert.ok(requests >= 9 && results >= 9, `${requests} requests, ${results} results`);
  });

  it("embedded input requests are not JSON-RPC messages, but their params pass checkParams", () => {
    const embedded = others.filter((e) => INPUT_REQUEST_TYPES.has(e.type));
    assert.deepEqual([...new Set(embedded.map((e) => e.type))].sort(), [...INPUT_REQUEST_TYPES].sort());
    for (const { type, json } of embedded) {
      const m = json as { method: string; params?: Record<string, unknown> };
      assert.equal(classify(m).kind, "invalid", type);
      assert.equal(checkParams(m.method, m.params), null, type);
    }
  });

  it("*Params examples pass checkParams for their method", () => {
    const params = others.filter((e) => e.type.endsWith("Params"));
    assert.deepEqual([...new Set(params.map((e) => e.type))].sort(), Object.keys(PARAMS_METHOD).sort());
    for (const { type, file, json } of params) {
      assert.equal(checkParams(PARAMS_METHOD[type], json as Record<string, unknown>), null, `${type}/${path.basename(file)}`);
    }
  });

  it("every other example reads as the mcpkit type of the same name", () => {
    const rest = others.filter((e) => !INPUT_REQUEST_TYPES.has(e.type) && !e.type.endsWith("Params"));
    const missing = [...new Set(rest.map((e) => e.type))].filter((t) => !TYPES[t]);
    assert.deepEqual(missing, [], "example types without a mapping");
    const bad = rest.filter((e) => !TYPES[e.type](e.json)).map((e) => `${e.type}/${path.basename(e.file)}`);
    assert.deepEqual(bad, []);
  });

  it("checkParams is not vacuous: broken copies of the examples fail", () => {
    const get = (type: string) => structuredClone(examples.find((e) => e.type === type)!.json) as Record<string, any>;
    const call = get("CallToolRequest");
    delete call.params.name;
    assert.match(checkParams("tools/call", call.params) ?? "", /name/);
    const prompt = get("GetPromptRequest");
    prompt.params.arguments = { x: 1 };
    assert.match(checkParams("prompts/get", prompt.params) ?? "", /arguments\.x/);
    const progress = get("ProgressNotification");
    delete progress.params.progressToken;
    assert.notEqual(checkParams("notifications/progress", progress.params), null);
    const elicit = get("ElicitRequestFormParams");
    delete elicit.requestedSchema;
    assert.notEqual(checkParams("elicitation/create", elicit), null);
    const response = get("CallToolResultResponse");
    delete response.id;
    assert.equal(classify(response).kind, "invalid");
  });
});
