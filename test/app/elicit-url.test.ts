// ctx.elicitUrl: URL-mode elicitation (send the user to a page, e.g. to sign in) answered by
// our own Client's elicitation handler, in both eras. 2025-11-25 carries an elicitationId;
// 2026-07-28 dropped it (and asks through input_required). The answer is only the action.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client } from "../../src/client/index.js";
import type { ClientOptions } from "../../src/client/types.js";
import { McpServer } from "../../src/app/index.js";
import { createMemoryTransportPair } from "../../src/transports/memory.js";

function server() {
  const mcp = new McpServer("ElicitUrl");
  mcp.tool("connect", async (_args, ctx) => {
    const r = await ctx.elicitUrl("Sign in to Example to continue", "https://example.com/connect?state=abc");
    return `${ctx.era}: ${r.action}`;
  });
  return mcp;
}

async function connect(mcp: McpServer, opts: ClientOptions): Promise<Client> {
  const client = new Client({ name: "url-client", version: "1.0.0" }, opts);
  const [c, s] = createMemoryTransportPair();
  await mcp.connect(s);
  await client.connect(c);
  return client;
}

const textOf = (r: { content: unknown[] }) => (r.content[0] as { text: string }).text;

for (const era of ["legacy", "modern"] as const) {
  describe(`ctx.elicitUrl, ${era}`, () => {
    it("the client's handler gets mode url, the message and the url; its action comes back to the tool", async () => {
      const mcp = server();
      const asked: any[] = [];
      const answers = ["accept", "decline", "cancel"] as const;
      let i = 0;
      const client = await connect(mcp, {
        era,
        handlers: {
          "elicitation/create": async (params: any, ctx) => {
            asked.push({ params, era: ctx.era });
            return { action: answers[i++] };
          },
        },
      });
      try {
        for (const action of answers) assert.equal(textOf(await client.callTool("connect")), `${era}: ${action}`);
        assert.equal(asked.length, 3);
        for (const a of asked) {
          assert.equal(a.era, era);
          assert.equal(a.params.mode, "url");
          assert.equal(a.params.message, "Sign in to Example to continue");
          assert.equal(a.params.url, "https://example.com/connect?state=abc");
          assert.equal(a.params.requestedSchema, undefined);
          if (era === "legacy") assert.match(a.params.elicitationId, /^[0-9a-f-]{36}$/);
          else assert.equal(a.params.elicitationId, undefined);
        }
        // A fresh id per legacy request.
        if (era === "legacy") assert.equal(new Set(asked.map((a) => a.params.elicitationId)).size, 3);
      } finally {
        await client.close();
        await mcp.close();
      }
    });
  });
}
