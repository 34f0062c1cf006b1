// The JSON/JSONC editor behind `mcp install`: one property changes, every other byte stays.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { getIn, JsoncError, parseJsonc, setIn, toValue } from "../../src/cli/jsonc.js";

const entry = { command: "/usr/bin/node", args: ["/x/main.js", "run", "/p/s.ts"] };

describe("jsonc: setIn", () => {
  it("an empty or missing file becomes a fresh document", () => {
    assert.equal(setIn("", ["mcpServers", "a"], 1), '{\n  "mcpServers": {\n    "a": 1\n  }\n}\n');
    assert.equal(setIn("  \n", ["servers", "a"], true), '{\n  "servers": {\n    "a": true\n  }\n}\n');
  });

  it("adds a server beside the others, in the file's indentation, keeping everything else byte for byte", () => {
    const before = '{\n    "theme": "dark",\n    "mcpServers": {\n        "other": { "command": "x" }\n    }\n}\n';
    const after = setIn(before, ["mcpServers", "new"], entry);
    assert.equal(
      after,
      '{\n    "theme": "dark",\n    "mcpServers": {\n        "other": { "command": "x" },\n        "new": {\n            "command": "/usr/bin/node",\n            "args": [\n                "/x/main.js",\n                "run",\n                "/p/s.ts"\n            ]\n        }\n    }\n}\n',
    );
    assert.deepEqual(JSON.parse(after).mcpServers.other, { command: "x" });
  });

  it("creates the servers object when the file has none", () => {
    const after = setIn('{\n\t"a": [1, 2],\n\t"b": null\n}', ["mcpServers", "s"], { command: "c" });
    assert.equal(after, '{\n\t"a": [1, 2],\n\t"b": null,\n\t"mcpServers": {\n\t\t"s": {\n\t\t\t"command": "c"\n\t\t}\n\t}\n}');
  });

  it("replaces an existing entry in place", () => {
    const before = '{"mcpServers": {"a": {"command": "old"}, "b": {}}, "z": 1}';
    const after = setIn(before, ["mcpServers", "a"], { command: "new" });
    assert.deepEqual(JSON.parse(after), { mcpServers: { a: { command: "new" }, b: {} }, z: 1 });
    assert.ok(after.startsWith('{"mcpServers": {"a": {'));
    assert.ok(after.endsWith(', "b": {}}, "z": 1}'));
  });

  it("keeps comments, trailing commas and CRLF line endings (VS Code's mcp.json is JSONC)", () => {
    const before = [
      "// my servers",
      "{",
      '  "servers": {',
      '    /* keep me */ "one": { "type": "stdio", "command": "a" }, // trailing note',
      "  },",
      '  "inputs": [],',
      "}",
      "",
    ].join("\r\n");
    const after = setIn(before, ["servers", "two"], { command: "b" });
    assert.equal(
      after,
      [
        "// my servers",
        "{",
        '  "servers": {',
        '    /* keep me */ "one": { "type": "stdio", "command": "a" }, // trailing note',
        '    "two": {',
        '      "command": "b"',
        "    },",
        "  },",
        '  "inputs": [],',
        "}",
        "",
      ].join("\r\n"),
    );
  });

  it("adds after a line comment that ends the last property, not inside it", () => {
    const after = setIn('{\n  "mcpServers": {\n    "a": 1 // note\n  }\n}', ["mcpServers", "b"], 2);
    assert.equal(after, '{\n  "mcpServers": {\n    "a": 1, // note\n    "b": 2\n  }\n}');
    assert.deepEqual(toValue(parseJsonc(after)!), { mcpServers: { a: 1, b: 2 } });
  });

  it("fills an empty object, and replaces a non-object servers value", () => {
    assert.equal(setIn('{ "mcpServers": {} }', ["mcpServers", "a"], 1), '{ "mcpServers": {\n  "a": 1\n} }');
    assert.deepEqual(JSON.parse(setIn('{"mcpServers": null}', ["mcpServers", "a"], 1)), { mcpServers: { a: 1 } });
  });

  it("handles strings with braces, escapes and non-ASCII keys", () => {
    const before = '{"k": "a } // not a comment \\" {", "ü": "✓", "mcpServers": {"x/y": 1}}';
    const after = setIn(before, ["mcpServers", "ünïcode name"], { env: { A: 'q"uote' } });
    assert.deepEqual(JSON.parse(after), { k: 'a } // not a comment " {', ü: "✓", mcpServers: { "x/y": 1, "ünïcode name": { env: { A: 'q"uote' } } } });
  });

  it("refuses what it cannot parse, or a top level that is not an object", () => {
    assert.throws(() => setIn('{"a": 1,, }', ["b", "c"], 1), (e: any) => e instanceof JsoncError && /line 1, column 9/.test(e.message));
    assert.throws(() => setIn("[1, 2]", ["b", "c"], 1), /not a JSON object/);
    assert.throws(() => setIn('{"a": 1} x', ["b", "c"], 1), /unexpected text/);
    assert.throws(() => setIn('{"a": /* open', ["b", "c"], 1), /unterminated comment/);
  });

  it("getIn reads through comments; duplicate keys resolve as JSON.parse does (the last wins)", () => {
    const text = '{ /* c */ "mcpServers": {"a": {"env": {"K": "1"}}}, "mcpServers": {"a": {"env": {"K": "2"}}} }';
    assert.deepEqual(getIn(text, ["mcpServers", "a", "env"]), { K: "2" });
    assert.equal(getIn("", ["mcpServers", "a"]), undefined);
    const after = setIn(text, ["mcpServers", "b"], 1);
    assert.deepEqual(getIn(after, ["mcpServers"]), { a: { env: { K: "2" } }, b: 1 });
  });

  it("a large file (a ~/.claude.json with history) edits quickly", () => {
    const big = { projects: Object.fromEntries(Array.from({ length: 4000 }, (_, i) => [`/p/${i}`, { history: Array.from({ length: 20 }, (_, j) => ({ display: `cmd ${j}`, n: j })) }])) };
    const text = JSON.stringify(big, null, 2);
    const t0 = Date.now();
    const after = setIn(text, ["mcpServers", "s"], entry);
    // A no-hang guard against quadratic work, not a benchmark: linear work on these few MB
    // takes about a second, quadratic work would take hours; 30 s leaves a loaded machine room.
    assert.ok(Date.now() - t0 < 30_000, `${Date.now() - t0} ms`);
    assert.equal(after.slice(0, text.length - 2), text.slice(0, -2));
  });
});
