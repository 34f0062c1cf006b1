/**
 * The conformance client: `node --import tsx test/conformance/client.ts <server-url>`,
 * dispatching on MCP_CONFORMANCE_SCENARIO (and MCP_CONFORMANCE_PROTOCOL_VERSION
 * for the wire), as the official suite expects. One program for every scenario:
 * the `auth/*` ones get an OAuth provider (options from test/auth/conformance-client.ts)
 * on the transport, then list tools and call one. Exit 0 when the flow completes,
 * 1 on an error or a refusal (the suite allows that where refusing is the point).
 */
import { Client } from "../../src/client/client.js";
import { StreamableHttpClientTransport } from "../../src/transports/http/client.js";
import { OAuthClientProvider } from "../../src/auth/client/provider.js";
import type { Tool } from "../../src/protocol/types.js";
import { oauthOptionsFor } from "../auth/conformance-client.js";

const url = process.argv[2];
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? "";
const revision = process.env.MCP_CONFORMANCE_PROTOCOL_VERSION ?? "2025-11-25";
const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? "{}");
const modern = revision >= "2026-07-28";

const log = (...a: unknown[]) => process.stderr.write(`[conformance-client] ${a.map((x) => (typeof x === "string" ? x : JSON.stringify(x))).join(" ")}\n`);

function makeClient(): Client {
  return new Client(
    { name: "mcpkit-conformance-client", version: "1.0.0" },
    {
      era: modern ? "modern" : "legacy",
      protocolVersion: modern ? undefined : (revision as any),
      handlers: {
        // Accept forms with no content of our own: the schema's defaults are filled in by the client.
        "elicitation/create": async () => ({ action: "accept", content: {} }),
        "sampling/createMessage": async (p: any) => ({
          role: "assistant",
          content: { type: "text", text: `Sampled answer to: ${JSON.stringify(p.messages?.[0]?.content?.text ?? "")}` },
          model: "conformance-model",
          stopReason: "endTurn",
        }),
        "roots/list": async () => ({ roots: [{ uri: "file:///tmp/conformance-root", name: "conformance root" }] }),
      },
    },
  );
}

async function connect(): Promise<Client> {
  const client = makeClient();
  const oauth = oauthOptionsFor(url, scenario, context);
  await client.connect(new StreamableHttpClientTransport(url, { auth: oauth ? new OAuthClientProvider(oauth) : undefined }));
  log("connected", client.era, client.protocolVersion);
  return client;
}

const firstText = (r: any) => r?.content?.find((c: any) => c.type === "text")?.text;

async function run(): Promise<void> {
  const client = await connect();
  try {
    switch (scenario) {
      case "initialize":
        await client.listTools().catch((e) => log("tools/list failed (tolerated)", String(e)));
        break;
      case "tools_call": {
        const { tools } = await client.listTools();
        const t = tools.find((x) => x.name === "add_numbers") ?? tools[0];
        log("call", t?.name, firstText(await client.callTool(t.name, { a: 5, b: 3 })));
        break;
      }
      case "elicitation-sep1034-client-defaults":
        log(firstText(await client.callTool("test_client_elicitation_defaults", {})));
        break;
      case "sse-retry":
        await client.listTools();
        log(firstText(await client.callTool("test_reconnection", {})));
        break;
      case "request-metadata":
        await client.listTools();
        break;
      case "sep-2322-client-request-state":
        for (const name of ["test_mrtr_echo_state", "test_mrtr_no_state", "test_mrtr_unrelated", "test_mrtr_no_result_type"]) {
          log(name, firstText(await client.callTool(name, {}).catch((e) => ({ content: [{ type: "text", text: `error: ${e.message}` }] }))));
        }
        break;
      case "http-standard-headers": {
        const { tools } = await client.listTools();
        if (tools[0]) await client.callTool(tools[0].name, sampleArgs(tools[0])).catch((e) => log("call failed", e.message));
        const { resources } = await client.listResources().catch(() => ({ resources: [] as any[] }));
        if (resources[0]) await client.readResource(resources[0].uri).catch((e) => log("read failed", e.message));
        const { prompts } = await client.listPrompts().catch(() => ({ prompts: [] as any[] }));
        if (prompts[0]) await client.getPrompt(prompts[0].name, {}).catch((e) => log("get failed", e.message));
        break;
      }
      case "http-custom-headers": {
        await client.listTools();
        for (const call of context.toolCalls ?? []) {
          await client.callTool(call.name, call.arguments ?? {}).catch((e) => log("call failed", e.message));
        }
        break;
      }
      case "http-invalid-tool-headers": {
        const { tools } = await client.listTools();
        log("tools kept", tools.map((t) => t.name));
        for (const t of tools) await client.callTool(t.name, sampleArgs(t)).catch((e) => log("call failed", e.message));
        break;
      }
      case "json-schema-ref-no-deref":
        await client.listTools();
        break;
      case "json-schema-2020-12-preservation": {
        const { tools } = await client.listTools();
        const source = tools.find((t) => t.name === "json_schema_2020_12_tool");
        await client.callTool("json_schema_echo", { schema: source?.inputSchema ?? {} });
        break;
      }
      default: {
        // auth/* (and anything unknown): list tools and call the scenario's tool, else the first one.
        if (!scenario.startsWith("auth/")) log("unknown scenario, generic flow:", scenario);
        const { tools } = await client.listTools();
        const t = tools.find((x) => x.name === "test-tool") ?? tools.find((x) => x.name === "add_numbers") ?? tools[0];
        if (t) log("call", t.name, firstText(await client.callTool(t.name, sampleArgs(t))));
      }
    }
  } finally {
    await client.close();
  }
}

/** Plausible arguments for a tool from its input schema (strings, numbers, booleans). */
function sampleArgs(t: Tool): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const props = (t.inputSchema?.properties ?? {}) as Record<string, any>;
  for (const k of (t.inputSchema?.required as string[]) ?? Object.keys(props)) {
    const type = props[k]?.type;
    out[k] = type === "number" || type === "integer" ? 1 : type === "boolean" ? true : props[k]?.enum?.[0] ?? "test";
  }
  return out;
}

run().then(
  () => process.exit(0),
  (e) => {
    log("failed:", e?.stack ?? String(e));
    process.exit(1);
  },
);
