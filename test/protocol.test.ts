import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { classify, makeError, parseMessage, type Classified } from "../src/protocol/jsonrpc.js";
import { ErrorCode, McpError, ResourceNotFoundError } from "../src/protocol/errors.js";
import { checkParams } from "../src/protocol/validate.js";
import { negotiateLegacy, LATEST_LEGACY_REVISION, eraOf, isLegacyRevision, isModernRevision } from "../src/protocol/revisions.js";
import { encodeLegacyResult, encodeModernResult, downgradeBlock } from "../src/protocol/codec.js";
import { META } from "../src/protocol/meta.js";

const one = (text: string): Classified => {
  const c = parseMessage(text);
  assert.ok(!Array.isArray(c), `expected a single message for ${text}`);
  return c;
};
const invalid = (text: string, code: number, id: string | number | null = null) => {
  const c = one(text);
  assert.equal(c.kind, "invalid", `${text} should be invalid`);
  if (c.kind !== "invalid") return;
  assert.equal(c.error.code, code, `${text}: ${c.error.message}`);
  assert.equal(c.id, id, `${text}: id`);
  assert.ok(c.error instanceof McpError);
};

describe("parseMessage / classify", () => {
  it("non-JSON is a -32700 parse error with a null id", () => {
    for (const t of ["", "not json", "{", '{"jsonrpc":"2.0",', "{'a':1}", "\u0000", "[1,]", "NaN", "undefined"]) {
      invalid(t, ErrorCode.ParseError);
    }
  });

  it("JSON that is not a request is -32600", () => {
    invalid("{}", ErrorCode.InvalidRequest);
    invalid("[]", ErrorCode.InvalidRequest);
    invalid('{"jsonrpc":"1.0"}', ErrorCode.InvalidRequest);
    invalid('{"jsonrpc":"1.0","id":3,"method":"ping"}', ErrorCode.InvalidRequest, 3);
    invalid('{"id":4,"method":"ping"}', ErrorCode.InvalidRequest, 4);
    invalid("null", ErrorCode.InvalidRequest);
    invalid("42", ErrorCode.InvalidRequest);
    invalid('"str"', ErrorCode.InvalidRequest);
    invalid("true", ErrorCode.InvalidRequest);
    invalid('{"jsonrpc":"2.0"}', ErrorCode.InvalidRequest);
    invalid('{"jsonrpc":"2.0","id":5}', ErrorCode.InvalidRequest, 5);
    invalid('{"jsonrpc":"2.0","id":1,"method":""}', ErrorCode.InvalidRequest, 1);
    invalid('{"jsonrpc":"2.0","id":1,"method":7}', ErrorCode.InvalidRequest, 1);
    invalid('{"jsonrpc":"2.0","id":1,"method":null}', ErrorCode.InvalidRequest, 1);
  });

  it("a request id must be a string or an integer (null, float, bool, object are -32600 with id null)", () => {
    for (const id of ["null", "1.5", "true", "{}", "[1]", "1e400"]) {
      invalid(`{"jsonrpc":"2.0","id":${id},"method":"ping"}`, ErrorCode.InvalidRequest);
    }
    const ok = one('{"jsonrpc":"2.0","id":"abc","method":"ping"}');
    assert.equal(ok.kind, "request");
    const zero = one('{"jsonrpc":"2.0","id":0,"method":"ping"}');
    assert.equal(zero.kind, "request");
    const neg = one('{"jsonrpc":"2.0","id":-7,"method":"ping"}');
    assert.equal(neg.kind, "request");
  });

  it("non-object params are -32602 on a request, keeping its id", () => {
    for (const p of ["[]", "[1,2]", "1", '"x"', "true", "null"]) {
      invalid(`{"jsonrpc":"2.0","id":9,"method":"tools/list","params":${p}}`, ErrorCode.InvalidParams, 9);
    }
    // Bad params and a bad id: the id problem wins (the id cannot be echoed).
    invalid('{"jsonrpc":"2.0","id":null,"method":"x","params":[]}', ErrorCode.InvalidRequest);
  });

  it("classifies well-formed requests, notifications and responses", () => {
    const r = one('{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"cursor":"c"}}');
    assert.equal(r.kind, "request");
    if (r.kind === "request") assert.deepEqual(r.msg.params, { cursor: "c" });
    assert.equal(one('{"jsonrpc":"2.0","method":"notifications/initialized"}').kind, "notification");
    assert.equal(one('{"jsonrpc":"2.0","id":1,"result":{}}').kind, "response");
    assert.equal(one('{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"x"}}').kind, "response");
    assert.equal(one('{"jsonrpc":"2.0","id":"a","error":{"code":1,"message":"m","data":[1]}}').kind, "response");
  });

  it("rejects malformed responses", () => {
    invalid('{"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1,"message":"m"}}', ErrorCode.InvalidRequest, 1);
    invalid('{"jsonrpc":"2.0","id":1,"result":5}', ErrorCode.InvalidRequest, 1);
    invalid('{"jsonrpc":"2.0","id":null,"result":{}}', ErrorCode.InvalidRequest);
    invalid('{"jsonrpc":"2.0","id":2,"error":{"code":"x","message":"m"}}', ErrorCode.InvalidRequest, 2);
    invalid('{"jsonrpc":"2.0","id":2,"error":{"code":1}}', ErrorCode.InvalidRequest, 2);
    invalid('{"jsonrpc":"2.0","id":2,"error":"boom"}', ErrorCode.InvalidRequest, 2);
    invalid('{"jsonrpc":"2.0","id":1.5,"error":{"code":1,"message":"m"}}', ErrorCode.InvalidRequest);
  });

  it("a non-empty batch is classified member by member", () => {
    const c = parseMessage('[{"jsonrpc":"2.0","id":1,"method":"ping"}, 5, {"jsonrpc":"2.0","method":"n"}]');
    assert.ok(Array.isArray(c));
    assert.deepEqual(c.map((x) => x.kind), ["request", "invalid", "notification"]);
  });

  it("keys like __proto__ and constructor are plain data, never pollution", () => {
    const c = one('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"__proto__":{"polluted":true},"name":"x"}}');
    assert.equal(c.kind, "request");
    assert.equal(({} as any).polluted, undefined);
    invalid('{"__proto__":{"jsonrpc":"2.0"},"id":1,"method":"ping"}', ErrorCode.InvalidRequest, 1);
  });

  it("classify works on already-parsed values and makeError serialises McpError", () => {
    assert.equal(classify({ jsonrpc: "2.0", id: 1, method: "ping" }).kind, "request");
    assert.equal(classify(undefined).kind, "invalid");
    const e = makeError(null, new McpError(ErrorCode.InvalidParams, "bad", { x: 1 }));
    assert.deepEqual(e, { jsonrpc: "2.0", id: null, error: { code: -32602, message: "bad", data: { x: 1 } } });
    assert.deepEqual(makeError(3, new McpError(-32601, "nope")).error, { code: -32601, message: "nope" });
  });

  it("McpError.from keeps codes of error-like objects and maps the rest to -32603", () => {
    assert.equal(McpError.from({ code: -32602, message: "x" }).code, -32602);
    assert.equal(McpError.from(new Error("boom")).code, ErrorCode.InternalError);
    assert.equal(McpError.from(new Error("boom")).message, "boom");
    assert.equal(McpError.from("str").code, ErrorCode.InternalError);
    const nf = new ResourceNotFoundError("file:///x");
    assert.equal(nf.code, ErrorCode.InvalidParams);
    assert.deepEqual(nf.data, { uri: "file:///x" });
  });
});

describe("checkParams", () => {
  const ok = (m: string, p?: Record<string, unknown>) => assert.equal(checkParams(m, p), null, `${m} ${JSON.stringify(p)}`);
  const bad = (m: string, p: unknown, re?: RegExp) => {
    const e = checkParams(m, p as any);
    assert.equal(typeof e, "string", `${m} ${JSON.stringify(p)} should be rejected`);
    if (re) assert.match(e!, re);
  };

  it("initialize", () => {
    ok("initialize", { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "c", version: "1" } });
    bad("initialize", undefined, /protocolVersion/);
    bad("initialize", { protocolVersion: 1, capabilities: {}, clientInfo: { name: "c" } }, /protocolVersion/);
    bad("initialize", { protocolVersion: "x", capabilities: [], clientInfo: { name: "c" } }, /capabilities/);
    bad("initialize", { protocolVersion: "x", capabilities: {}, clientInfo: {} }, /clientInfo/);
  });

  it("tools, resources, prompts", () => {
    ok("tools/list");
    ok("tools/list", { cursor: "abc" });
    bad("tools/list", { cursor: 1 }, /cursor/);
    ok("tools/call", { name: "add", arguments: { a: 1 } });
    bad("tools/call", { arguments: {} }, /name/);
    bad("tools/call", { name: "add", arguments: [1] }, /arguments/);
    bad("tools/call", { name: "add", inputResponses: "x" }, /inputResponses/);
    bad("tools/call", { name: "add", requestState: 5 }, /requestState/);
    ok("tools/call", { name: "add", inputResponses: { a: {} }, requestState: "s" });
    ok("resources/read", { uri: "file:///a" });
    bad("resources/read", {}, /uri/);
    bad("resources/subscribe", { uri: 1 }, /uri/);
    bad("resources/unsubscribe", undefined, /uri/);
    ok("prompts/get", { name: "p", arguments: { a: "x" } });
    bad("prompts/get", { name: "p", arguments: { a: 1 } }, /arguments\.a/);
    bad("prompts/get", { name: 3 }, /name/);
  });

  it("completion, logging, listen, client-side and notification methods", () => {
    ok("completion/complete", { ref: { type: "ref/prompt", name: "p" }, argument: { name: "a", value: "v" } });
    ok("completion/complete", { ref: { type: "ref/resource", uri: "u" }, argument: { name: "a", value: "v" } });
    bad("completion/complete", { ref: { type: "ref/other" }, argument: { name: "a", value: "v" } }, /ref\.type/);
    bad("completion/complete", { ref: { type: "ref/prompt" }, argument: { name: "a", value: "v" } }, /ref\.name/);
    bad("completion/complete", { ref: { type: "ref/prompt", name: "p" }, argument: { name: "a" } }, /argument/);
    bad("completion/complete", { ref: { type: "ref/prompt", name: "p" }, argument: { name: "a", value: "v" }, context: 1 }, /context/);
    ok("logging/setLevel", { level: "warning" });
    bad("logging/setLevel", { level: "loud" }, /level/);
    bad("logging/setLevel", {}, /level/);
    ok("subscriptions/listen", { notifications: {} });
    bad("subscriptions/listen", {}, /notifications/);
    ok("sampling/createMessage", { messages: [], maxTokens: 5 });
    bad("sampling/createMessage", { messages: {}, maxTokens: 5 });
    ok("elicitation/create", { message: "m", requestedSchema: { type: "object" } });
    bad("elicitation/create", { message: "m" }, /requestedSchema/);
    ok("elicitation/create", { mode: "url", message: "m", url: "https://x" });
    bad("elicitation/create", { mode: "url", message: "m" }, /url/);
    ok("notifications/cancelled", { requestId: 3 });
    bad("notifications/cancelled", { requestId: {} });
    ok("notifications/progress", { progressToken: "t", progress: 1 });
    bad("notifications/progress", { progressToken: "t" });
    bad("notifications/message", { level: "nope", data: 1 });
    ok("notifications/resources/updated", { uri: "u" });
  });

  it("non-object params and _meta are rejected for known methods; unknown methods pass", () => {
    bad("tools/list", [] as unknown, /params must be an object/);
    bad("tools/list", { _meta: 5 }, /_meta/);
    bad("tools/list", { _meta: [] }, /_meta/);
    ok("tools/list", { _meta: {} });
    ok("vendor/custom", { anything: 1 });
    ok("ping", undefined);
  });

  it("method names that collide with Object.prototype are unknown methods, not checks", () => {
    for (const m of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"]) {
      assert.equal(checkParams(m, {}), null, m);
      assert.equal(checkParams(m, undefined), null, m);
    }
  });
});

describe("revisions", () => {
  it("negotiateLegacy echoes a supported legacy revision, else answers the latest legacy one", () => {
    for (const v of ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"]) assert.equal(negotiateLegacy(v), v);
    assert.equal(LATEST_LEGACY_REVISION, "2025-11-25");
    for (const v of ["2026-07-28", "1999-01-01", "", 20241105, null, undefined, {}]) assert.equal(negotiateLegacy(v), "2025-11-25");
    assert.equal(negotiateLegacy("2025-06-18", ["2024-11-05", "2025-03-26"]), "2025-03-26");
    assert.equal(negotiateLegacy("2024-11-05", ["2024-11-05", "2025-03-26"]), "2024-11-05");
    // A modern revision in the supported list is never what initialize answers.
    assert.equal(negotiateLegacy("2026-07-28", ["2025-06-18", "2026-07-28"]), "2025-06-18");
  });

  it("eras", () => {
    assert.equal(eraOf("2026-07-28"), "modern");
    assert.equal(eraOf("2024-11-05"), "legacy");
    assert.ok(isLegacyRevision("2025-11-25") && !isLegacyRevision("2026-07-28") && !isLegacyRevision("x"));
    assert.ok(isModernRevision("2026-07-28") && !isModernRevision("2025-11-25"));
  });
});

describe("codec", () => {
  const serverInfo = { name: "s", version: "1" };
  const cache = { ttlMs: 1000, cacheScope: "public" as const };

  it("modern: resultType on every result, cache hints on cacheable ones, serverInfo in _meta", () => {
    const list = encodeModernResult("tools/list", { tools: [] }, { serverInfo, cache });
    assert.deepEqual(list, { resultType: "complete", tools: [], ttlMs: 1000, cacheScope: "public", _meta: { [META.serverInfo]: serverInfo } });
    const call = encodeModernResult("tools/call", { content: [] }, { serverInfo, cache });
    assert.equal(call.resultType, "complete");
    assert.ok(!("ttlMs" in call) && !("cacheScope" in call));
    for (const m of ["server/discover", "prompts/list", "resources/list", "resources/templates/list", "resources/read"]) {
      const r = encodeModernResult(m, {}, { cache });
      assert.equal(r.ttlMs, 1000, m);
      assert.equal(r.cacheScope, "public", m);
      assert.equal(r._meta, undefined, "no serverInfo when none is given");
    }
  });

  it("modern: handler-set fields win and the input is not mutated", () => {
    const input = { tools: [], ttlMs: 5, cacheScope: "private", _meta: { a: 1, [META.serverInfo]: { name: "x", version: "0" } } };
    const before = structuredClone(input);
    const r = encodeModernResult("tools/list", input, { serverInfo, cache });
    assert.deepEqual(input, before);
    assert.equal(r.ttlMs, 5);
    assert.equal(r.cacheScope, "private");
    assert.deepEqual(r._meta, before._meta);
    const ir = encodeModernResult("resources/read", { resultType: "input_required", requestState: "s" }, { cache });
    assert.equal(ir.resultType, "input_required");
    assert.ok(!("ttlMs" in ir), "input_required is not cacheable");
  });

  it("legacy: modern-only fields are stripped", () => {
    const r = encodeLegacyResult("tools/list", { resultType: "complete", ttlMs: 3, cacheScope: "public", tools: [] }, "2025-11-25");
    assert.deepEqual(r, { tools: [] });
    const same = { tools: [] };
    assert.equal(encodeLegacyResult("tools/list", same, "2025-11-25"), same, "nothing to strip: no copy");
  });

  const audio = { type: "audio", data: "QUJD", mimeType: "audio/wav" };
  const link = { type: "resource_link", uri: "file:///a.txt", name: "a.txt", title: "A file" };
  const text = { type: "text", text: "hi" };

  it("2024-11-05 rewrites audio and resource_link content and drops structuredContent", () => {
    const input = { content: [text, audio, link], structuredContent: { n: 1 }, resultType: "complete" };
    const before = structuredClone(input);
    const r = encodeLegacyResult("tools/call", input, "2024-11-05");
    assert.deepEqual(input, before, "input untouched");
    assert.deepEqual(r, {
      content: [
        text,
        { type: "resource", resource: { uri: "mcpkit:audio", mimeType: "audio/wav", blob: "QUJD" } },
        { type: "text", text: "A file: file:///a.txt" },
      ],
    });
    const p = encodeLegacyResult("prompts/get", { messages: [{ role: "user", content: audio }, { role: "user", content: text }] }, "2024-11-05");
    assert.deepEqual(p.messages[0].content, { type: "resource", resource: { uri: "mcpkit:audio", mimeType: "audio/wav", blob: "QUJD" } });
    assert.equal(p.messages[1].content, text);
  });

  it("2025-03-26 keeps audio but rewrites resource_link; 2025-06-18 keeps both", () => {
    const r = encodeLegacyResult("tools/call", { content: [audio, link] }, "2025-03-26");
    assert.deepEqual(r.content, [audio, { type: "text", text: "A file: file:///a.txt" }]);
    const input = { content: [audio, link], structuredContent: { n: 1 } };
    assert.deepEqual(encodeLegacyResult("tools/call", input, "2025-06-18"), input);
    assert.deepEqual(downgradeBlock({ type: "resource_link", uri: "u", name: "n" }, "2024-11-05"), { type: "text", text: "n: u" });
    assert.equal(downgradeBlock(null, "2024-11-05"), null);
  });
});
