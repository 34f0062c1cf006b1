// Expectations several test files share: an error with a JSON-RPC code and message, and what
// the README's examples (echo.ts, elicitation.ts) show, whichever client and transport reach them.
import assert from "node:assert/strict";

/** `p` rejects with an error whose `code` is `code` and whose message matches `message`. */
export const rejectsWith = (p: Promise<unknown>, code: number, message: RegExp) =>
  assert.rejects(p, (e: any) => {
    assert.equal(e.code, code);
    assert.match(e.message, message);
    return true;
  });

export const ECHO = {
  serverInfo: { name: "Echo", version: "1.0.0" },
  capabilities: {
    logging: {},
    completions: {},
    tools: { listChanged: true },
    resources: { subscribe: true, listChanged: true },
    prompts: { listChanged: true },
  },
  tools: [{ name: "echo_tool", description: "Echo a message as a tool", inputSchema: { type: "object", properties: { message: { type: "string" } }, required: ["message"] } }],
  resourceTemplates: [{ uriTemplate: "echo://{message}", name: "echo_resource", description: "Echo a message as a resource" }],
  prompts: [{ name: "echo_prompt", description: "Create an echo prompt", arguments: [{ name: "message", required: true }] }],
};

/** The form examples/elicitation.ts asks for when the table is taken. */
export const BOOKING_ALTERNATIVE = {
  type: "object",
  properties: {
    checkAlternative: { type: "boolean", description: "Would you like to check another date?" },
    alternativeDate: { type: "string", default: "2024-12-26", description: "Alternative date (YYYY-MM-DD)" },
  },
  required: ["checkAlternative"],
};
