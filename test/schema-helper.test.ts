import { describe, it } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import {
  assertValidOutgoing, classify, createRecorder, exampleFiles, methodMaps, resultTypeFor, revisions,
  validateAgainst, validateOutgoing,
} from "./helpers/schema.js";

const OLD = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"];
const NEW = "2026-07-28";
const clone = <T>(v: T): T => structuredClone(v);
const ok = (errs: string[]) => assert.deepEqual(errs, []);
const fails = (errs: string[], re?: RegExp) => {
  assert.ok(errs.length > 0, "expected validation errors");
  if (re) assert.ok(errs.some((e) => re.test(e)), `no error matching ${re}:\n${errs.join("\n")}`);
};
const res = (result: unknown, id: string | number = 1) => ({ jsonrpc: "2.0", id, result });
const meta = { "io.modelcontextprotocol/protocolVersion": NEW, "io.modelcontextprotocol/clientCapabilities": {} };
const initResult = (v: string) => res({
  protocolVersion: v, capabilities: { tools: { listChanged: true } }, serverInfo: { name: "mcpkit", version: "0.1.0" },
});
const server = (method?: string) => ({ side: "server" as const, method });
const client = (method?: string) => ({ side: "client" as const, method });

describe("spec files", () => {
  it("finds all five revisions", () => {
    assert.deepEqual(revisions(), [...OLD, NEW]);
  });

  it("every 2026-07-28 example validates against its own type", () => {
    const files = exampleFiles();
    assert.ok(files.length > 100, `only ${files.length} examples`);
    const bad = files.flatMap((e) => validateAgainst(NEW, e.type, e.json).map((x) => `${e.type} ${e.file}: ${x}`));
    ok(bad);
  });

  it("message examples pass validateOutgoing with the inferred side and method", () => {
    const maps = methodMaps(NEW);
    const bad: string[] = [];
    let n = 0;
    for (const e of exampleFiles()) {
      const msg = e.json as Record<string, any>;
      const kind = classify(msg);
      if (!kind || msg.jsonrpc !== "2.0") continue;
      n++;
      let errs: string[];
      if (kind === "request") errs = validateOutgoing(NEW, msg, client());
      else if (kind === "notification") errs = validateOutgoing(NEW, msg, maps.notifications.server[msg.method] ? server() : client());
      else if (kind === "error") errs = validateOutgoing(NEW, msg, server());
      else {
        const method = Object.keys(maps.requests.client).find((m) => `${resultTypeFor(NEW, m, "client")}Response` === e.type);
        assert.ok(method, `no method for ${e.type}`);
        errs = validateOutgoing(NEW, msg, server(method));
      }
      if (errs.length) bad.push(`${e.type}/${path.basename(e.file)}: ${errs.join("; ")}`);
    }
    assert.ok(n >= 30, `only ${n} message examples`);
    // Spec quirk: this example omits ttlMs/cacheScope, which ReadResourceResult requires. It only passes
    // its own *ResultResponse type because that is anyOf [InputRequiredResult, ReadResourceResult] and
    // InputRequiredResult requires nothing but resultType. We dispatch on resultType, so we flag it.
    assert.deepEqual(bad, [
      "ReadResourceResultResponse/read-resource-result-response.json: "
        + "ReadResourceResult at /result: must have required property 'cacheScope'; "
        + "ReadResourceResult at /result: must have required property 'ttlMs'",
    ]);
  });

  it("mutated examples fail", () => {
    const get = (t: string) => clone(exampleFiles().find((e) => e.type === t)!.json) as Record<string, any>;
    const list = get("ListToolsResultResponse");
    delete list.result.ttlMs;
    fails(validateOutgoing(NEW, list, server("tools/list")), /ttlMs/);
    const call = get("CallToolResultResponse");
    delete call.result.resultType;
    fails(validateOutgoing(NEW, call, server("tools/call")), /resultType/);
    const req = get("CallToolRequest");
    delete req.params._meta;
    fails(validateOutgoing(NEW, req, client()), /_meta/);
    fails(validateAgainst(NEW, "TextContent", { type: "text" }), /text/);
  });
});

describe("method maps (built from the schema unions)", () => {
  it("maps requests to definitions and results", () => {
    for (const rev of revisions()) {
      assert.equal(methodMaps(rev).requests.client["tools/call"], "CallToolRequest", rev);
      assert.equal(resultTypeFor(rev, "tools/call", "client"), "CallToolResult", rev);
    }
    for (const rev of OLD) {
      assert.equal(resultTypeFor(rev, "initialize", "client"), "InitializeResult");
      assert.equal(resultTypeFor(rev, "ping", "client"), "EmptyResult");
      assert.equal(resultTypeFor(rev, "ping", "server"), "EmptyResult");
      assert.equal(resultTypeFor(rev, "sampling/createMessage", "server"), "CreateMessageResult");
    }
    assert.equal(resultTypeFor(NEW, "server/discover", "client"), "DiscoverResult");
    assert.equal(resultTypeFor(NEW, "initialize", "client"), undefined);
    assert.deepEqual(methodMaps(NEW).requests.server, {});
    assert.deepEqual(methodMaps(NEW).notifications.client, { "notifications/cancelled": "CancelledNotification" });
    assert.equal(methodMaps("2025-11-25").requests.client["tasks/result"], "GetTaskPayloadRequest");
  });
});

describe("hand-made messages", () => {
  it("initialize results pass where initialize exists", () => {
    ok(validateOutgoing("2024-11-05", initResult("2024-11-05"), server("initialize")));
    ok(validateOutgoing("2025-11-25", initResult("2025-11-25"), server("initialize")));
    const broken = initResult("2025-11-25");
    delete (broken.result as Record<string, unknown>).serverInfo;
    fails(validateOutgoing("2025-11-25", broken, server("initialize")), /serverInfo/);
    fails(validateOutgoing(NEW, initResult(NEW), server("initialize")), /initialize/);
  });

  it("requests and notifications per side", () => {
    const init = { jsonrpc: "2.0", id: 0, method: "initialize", params: {
      protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "c", version: "1" } } };
    for (const rev of OLD) ok(validateOutgoing(rev, init, client()));
    fails(validateOutgoing("2025-06-18", init, server()), /not a server request.*it is a client request/);
    fails(validateOutgoing(NEW, init, client()), /"initialize" is not a client request method/);
    const initialized = { jsonrpc: "2.0", method: "notifications/initialized" };
    ok(validateOutgoing("2024-11-05", initialized, client()));
    fails(validateOutgoing("2024-11-05", initialized, server()), /not a server notification/);
    fails(validateOutgoing(NEW, initialized, client()), /not a client notification/);
    const elicit = { jsonrpc: "2.0", id: "e1", method: "elicitation/create",
      params: { message: "name?", requestedSchema: { type: "object", properties: { n: { type: "string" } } } } };
    ok(validateOutgoing("2025-06-18", elicit, server()));
    fails(validateOutgoing("2025-03-26", elicit, server()), /elicitation\/create/);
    const progress = { jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: 1 } };
    fails(validateOutgoing("2024-11-05", progress, server()), /progress/);
    fails(validateOutgoing("2024-11-05", { jsonrpc: "2.0", id: 1, method: "nope/nope" }, client()), /nope\/nope/);
  });

  it("ping answers with an empty result (not in 2026-07-28)", () => {
    for (const rev of OLD) ok(validateOutgoing(rev, res({}), server("ping")));
    ok(validateOutgoing("2025-06-18", res({}), client("ping")));
    fails(validateOutgoing(NEW, res({ resultType: "complete" }), server("ping")), /ping/);
  });

  it("audio content exists from 2025-03-26 on", () => {
    const audio = res({ content: [{ type: "audio", data: "AAAA", mimeType: "audio/wav" }] });
    ok(validateOutgoing("2025-03-26", audio, server("tools/call")));
    ok(validateOutgoing("2025-11-25", audio, server("tools/call")));
    fails(validateOutgoing("2024-11-05", audio, server("tools/call")), /type "audio" is not known in 2024-11-05/);
    const video = res({ resultType: "complete", content: [{ type: "video", data: "AAAA" }] });
    fails(validateOutgoing(NEW, video, server("tools/call")), /"video" is not known/);
    // A known `type` reports only the matching branch's errors, not every anyOf alternative.
    assert.deepEqual(validateOutgoing("2025-06-18", res({ content: [{ type: "text" }] }), server("tools/call")),
      ["CallToolResult > TextContent at /result/content/0: must have required property 'text'"]);
    fails(validateOutgoing("2025-06-18", res({ content: "hi" }), server("tools/call")), /content/);
  });

  it("2026-07-28 results need resultType, cacheable ones ttlMs and cacheScope", () => {
    const tools = { resultType: "complete", tools: [{ name: "echo", inputSchema: { type: "object" } }], ttlMs: 0, cacheScope: "public" };
    ok(validateOutgoing(NEW, res(tools), server("tools/list")));
    const { ttlMs: _t, ...noTtl } = tools;
    fails(validateOutgoing(NEW, res(noTtl), server("tools/list")), /ttlMs/);
    fails(validateOutgoing(NEW, res({ ...tools, cacheScope: "shared" }), server("tools/list")), /cacheScope/);
    const { resultType: _r, ...noType } = tools;
    fails(validateOutgoing(NEW, res(noType), server("tools/list")), /resultType/);
    fails(validateOutgoing(NEW, res({ ...tools, resultType: "done" }), server("tools/list")), /unknown resultType "done"/);
    const discover = { resultType: "complete", supportedVersions: [NEW], capabilities: { tools: {} }, ttlMs: 60000, cacheScope: "public" };
    ok(validateOutgoing(NEW, res(discover), server("server/discover")));
    fails(validateOutgoing(NEW, res({ ...discover, supportedVersions: undefined }), server("server/discover")), /supportedVersions/);
    ok(validateOutgoing(NEW, res({ resultType: "complete", content: [] }), server("tools/call")));
    ok(validateOutgoing("2025-11-25", res({ tools: [] }), server("tools/list")));
    const req = { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "echo", arguments: {}, _meta: meta } };
    ok(validateOutgoing(NEW, req, client()));
    ok(validateOutgoing(NEW, { jsonrpc: "2.0", id: 8, method: "server/discover", params: { _meta: meta } }, client()));
  });

  it("2026-07-28 input_required results", () => {
    const ir = { resultType: "input_required", requestState: "abc", inputRequests: {
      who: { method: "elicitation/create", params: { message: "Name?", requestedSchema: { type: "object", properties: {} } } } } };
    ok(validateOutgoing(NEW, res(ir), server("tools/call")));
    ok(validateOutgoing(NEW, res({ resultType: "input_required", requestState: "x" }), server("prompts/get")));
    fails(validateOutgoing(NEW, res({ resultType: "input_required" }), server("tools/call")), /inputRequests or requestState/);
    fails(validateOutgoing(NEW, res(ir), server("tools/list")), /cannot return an input_required result/);
    const badInner = clone(ir);
    (badInner.inputRequests.who as Record<string, unknown>).method = "tools/call";
    fails(validateOutgoing(NEW, res(badInner), server("tools/call")), /inputRequests/);
  });

  it("2025-11-25 task-augmented calls may return CreateTaskResult", () => {
    const task = { task: { taskId: "t1", status: "working", createdAt: "2025-11-25T00:00:00Z", lastUpdatedAt: "2025-11-25T00:00:00Z", ttl: null } };
    ok(validateOutgoing("2025-11-25", res(task), server("tools/call")));
    fails(validateOutgoing("2025-11-25", res({ task: { taskId: "t1" } }), server("tools/call")), /CreateTaskResult/);
  });

  it("error responses", () => {
    const err = { jsonrpc: "2.0", id: 3, error: { code: -32601, message: "Method not found" } };
    for (const rev of revisions()) ok(validateOutgoing(rev, err, server()));
    fails(validateOutgoing("2024-11-05", { ...err, error: { code: -32601 } }, server()), /message/);
    fails(validateOutgoing("2024-11-05", { ...err, error: { code: 1.5, message: "x" } }, server()), /integer/);
    const { id: _id, ...noId } = err;
    fails(validateOutgoing("2024-11-05", noId, server()), /id/);
    ok(validateOutgoing(NEW, noId, server()));
    const unsupported = { jsonrpc: "2.0", id: 1, error: { code: -32022, message: "Unsupported protocol version" } };
    fails(validateOutgoing(NEW, unsupported, server()), /UnsupportedProtocolVersionError.*data/);
    ok(validateOutgoing(NEW, { ...unsupported, error: { ...unsupported.error, data: { requested: "1999-01-01", supported: [NEW] } } }, server()));
    fails(validateOutgoing(NEW, { ...err, error: { code: -32700, message: 5 } }, server()), /ParseError|string/);
  });

  it("envelope checks", () => {
    const good = res({});
    fails(validateOutgoing("2025-06-18", { ...good, jsonrpc: "1.0" }, server("ping")), /jsonrpc.*"2.0"/);
    fails(validateOutgoing("2025-06-18", { ...good, extra: 1 }, server("ping")), /unexpected top-level member\(s\): extra/);
    fails(validateOutgoing("2025-06-18", { ...good, error: { code: 1, message: "x" } }, server("ping")), /result/);
    fails(validateOutgoing("2025-06-18", { ...good, id: { x: 1 } }, server("ping")), /id/);
    fails(validateOutgoing("2025-06-18", good, server()), /opts\.method/);
    fails(validateOutgoing("2025-06-18", { jsonrpc: "2.0" }, server()), /not a JSON-RPC/);
    fails(validateOutgoing("2025-06-18", "hello", server()), /not a JSON-RPC/);
    fails(validateOutgoing("2025-06-18", res({}), client("tools/call")), /client cannot answer "tools\/call"/);
    fails(validateOutgoing("1999-01-01", good, server("ping")), /unknown MCP revision/);
    const batch = [{ jsonrpc: "2.0", id: 1, method: "ping" }, { jsonrpc: "2.0", method: "notifications/initialized" }];
    ok(validateOutgoing("2025-03-26", batch, client()));
    fails(validateOutgoing("2025-06-18", batch, client()), /batches are not allowed/);
  });

  it("assertValidOutgoing throws with the errors and the message", () => {
    assertValidOutgoing("2024-11-05", initResult("2024-11-05"), server("initialize"));
    assert.throws(
      () => assertValidOutgoing("2024-11-05", res({ content: [{ type: "audio", data: "", mimeType: "a" }] }), server("tools/call")),
      (e: Error) => /answering tools\/call/.test(e.message) && /"audio"/.test(e.message) && /message: \{/.test(e.message),
    );
  });
});

describe("recorder", () => {
  it("learns request methods per direction and validates outgoing messages", () => {
    const rec = createRecorder();
    const s = rec.tap("2025-06-18", "server");
    s.in({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "c", version: "1" } } });
    s.out(initResult("2025-06-18"));
    s.in({ jsonrpc: "2.0", method: "notifications/initialized" });
    s.in({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "echo" } });
    s.out({ jsonrpc: "2.0", id: "s1", method: "roots/list" });
    s.in({ jsonrpc: "2.0", id: "s1", result: { roots: [] } });
    s.out(res({ content: [{ type: "text", text: "hi" }] }, 2));
    s.out({ jsonrpc: "2.0", method: "notifications/tools/list_changed" });
    assert.equal(rec.records.length, 8);
    assert.equal(rec.records[1].method, "initialize");
    assert.equal(rec.records[5].method, "roots/list");
    assert.equal(rec.methodFor("client", 2), "tools/call");
    assert.equal(rec.methodFor("server", "s1"), "roots/list");
    rec.assertAllValid();

    s.out(res({ content: [{ type: "audio", data: "", mimeType: "a" }] }, 2)); // fine in 2025-06-18
    rec.out("2024-11-05", "server", res({ content: [{ type: "audio", data: "", mimeType: "a" }] }, 2)); // learned id 2 -> tools/call
    s.out(res({}, 99)); // unknown id: no method
    const errs = rec.errors();
    assert.equal(errs.length, 2);
    assert.match(errs[0], /^#9 .*answering tools\/call/s);
    assert.match(errs[1], /^#10 .*opts\.method/s);
    assert.throws(() => rec.assertAllValid(), /2 of 7 recorded outgoing message\(s\) invalid/);
    rec.clear();
    assert.equal(rec.records.length, 0);
    rec.assertAllValid();
  });

  it("works when both peers record into one recorder", () => {
    const rec = createRecorder();
    const req = { jsonrpc: "2.0", id: 5, method: "tools/list", params: { _meta: meta } };
    rec.out(NEW, "client", req);
    rec.in(NEW, "server", req);
    const reply = res({ resultType: "complete", tools: [], ttlMs: 1000, cacheScope: "private" }, 5);
    rec.out(NEW, "server", reply);
    rec.in(NEW, "client", reply);
    assert.equal(rec.records[2].method, "tools/list");
    assert.equal(rec.records[3].method, "tools/list");
    rec.assertAllValid();
    rec.out(NEW, "server", res({ resultType: "complete", tools: [] }, 5));
    assert.throws(() => rec.assertAllValid(), /ttlMs/);
  });
});
