// Server -> client round trips through our handlers, against the official SDKs: sampling,
// elicitation (accept with the schema's defaults filled in, and decline), roots and
// progress, over stdio and Streamable HTTP. v1 servers speak the legacy era only; the v2
// server is driven in both eras — on 2026-07-28 the same tools answer `input_required`
// and our client fulfils and retries (also over two rounds with requestState), on a
// legacy session the v2 shim sends real requests. (Basic tools/resources/prompts against
// these SDKs: test/interop/our-client.test.ts.)
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Client } from "../../src/client/client.js";
import { startV1InteractiveHttp, type V1InteractiveHttp } from "../peers/v1-interactive.js";
import { startV2InteractiveHttp, type V2InteractiveHttp } from "../peers/v2-interactive.js";
import { connected, http, recordingHandlers, stdio, textOf, type Asked } from "./helpers.js";

let v1http: V1InteractiveHttp;
let v2http: V2InteractiveHttp;
before(async () => {
  [v1http, v2http] = await Promise.all([startV1InteractiveHttp(), startV2InteractiveHttp()]);
});
after(async () => {
  await Promise.all([v1http?.close(), v2http?.close()]);
});

interface Case {
  name: string;
  era: "legacy" | "modern";
  sdk: "v1" | "v2";
  open: (opts: Parameters<typeof connected>[1]) => Promise<Client>;
}

const CASES: Case[] = [
  { name: "v1 server, stdio", sdk: "v1", era: "legacy", open: (o) => connected(stdio("test/peers/v1-interactive.ts"), o) },
  { name: "v1 server, HTTP", sdk: "v1", era: "legacy", open: (o) => connected(http(v1http.url), o) },
  { name: "v2 server, stdio, legacy era", sdk: "v2", era: "legacy", open: (o) => connected(stdio("test/peers/v2-interactive.ts"), { ...o, era: "legacy" }) },
  { name: "v2 server, stdio, 2026-07-28", sdk: "v2", era: "modern", open: (o) => connected(stdio("test/peers/v2-interactive.ts"), o) },
  { name: "v2 server, HTTP, legacy era", sdk: "v2", era: "legacy", open: (o) => connected(http(v2http.url), { ...o, era: "legacy" }) },
  { name: "v2 server, HTTP, 2026-07-28", sdk: "v2", era: "modern", open: (o) => connected(http(v2http.url), o) },
];

for (const c of CASES) {
  describe(`mcpkit Client <-> ${c.name}: server requests through our handlers`, () => {
    let client: Client;
    const asked: Asked[] = [];
    let decision: "accept" | "decline" = "accept";
    before(async () => {
      client = await c.open({ handlers: recordingHandlers(asked, () => decision) });
    });
    after(() => client?.close());

    it(`speaks the ${c.era} era, found by itself`, () => {
      assert.equal(client.era, c.era);
      assert.deepEqual(Object.keys(client.capabilities).sort(), ["elicitation", "roots", "sampling"]);
    });

    it("sampling: the server's prompt reaches our handler, our answer reaches the tool", async () => {
      asked.length = 0;
      const r = await client.callTool("ask", { question: "What is 2+2?" });
      assert.equal(textOf(r), "model said: echo(What is 2+2?) (test-model)");
      assert.equal(asked.length, 1);
      assert.equal(asked[0].method, "sampling/createMessage");
      assert.equal(asked[0].era, c.era);
      assert.equal(asked[0].params.maxTokens, 50);
      assert.deepEqual(asked[0].params.messages, [{ role: "user", content: { type: "text", text: "What is 2+2?" } }]);
    });

    it("elicitation: accepted, with the schema's default filled in for the field we left out", async () => {
      asked.length = 0;
      const r = await client.callTool("confirm", { action: "deploy" });
      assert.equal(textOf(r), "deploy: confirmed, note none");
      assert.deepEqual(asked.map((a) => [a.method, a.params.message, a.era]), [["elicitation/create", "Really deploy?", c.era]]);
    });

    it("elicitation: declined", async () => {
      decision = "decline";
      try {
        assert.equal(textOf(await client.callTool("confirm", { action: "drop" })), "drop: decline");
      } finally {
        decision = "accept";
      }
    });

    it("roots/list answered from our handler", async () => {
      asked.length = 0;
      assert.equal(textOf(await client.callTool("roots", {})), "file:///work/a,file:///work/b");
      assert.deepEqual(asked.map((a) => a.method), ["roots/list"]);
    });

    it("concurrent calls each get their own answer", async () => {
      const rs = await Promise.all(["a", "b", "c"].map((q) => client.callTool("ask", { question: q })));
      assert.deepEqual(rs.map(textOf), ["a", "b", "c"].map((q) => `model said: echo(${q}) (test-model)`));
    });

    if (c.sdk === "v1") {
      it("progress notifications reach onProgress, in order, before the result", async () => {
        const seen: number[] = [];
        const r = await client.callTool("progress", { steps: 3 }, { onProgress: (p) => seen.push(p.progress as number) });
        assert.equal(textOf(r), "done");
        assert.deepEqual(seen, [1, 2, 3]);
      });
    }

    if (c.era === "modern") {
      it("two input_required rounds: elicitation then sampling, requestState echoed each time", async () => {
        asked.length = 0;
        const r = await client.callTool("two_step", {});
        assert.equal(textOf(r), "Ann / echo(Greet Ann) / states s1,s2");
        assert.deepEqual(asked.map((a) => [a.method, a.era]), [["elicitation/create", "modern"], ["sampling/createMessage", "modern"]]);
      });
    }
  });
}
