/**
 * The README's "Writing MCP Clients" example: start a server over stdio (or
 * connect to a URL), answer sampling requests, and use every primitive. The
 * client finds the server's protocol era by itself.
 *
 *   npx tsx examples/client.ts                          # spawns examples/echo.ts over stdio
 *   npx tsx examples/client.ts http://127.0.0.1:8000/mcp
 */
import { Client } from "mcpkit";
import { StreamableHttpClientTransport } from "mcpkit/http";
import { StdioClientTransport } from "mcpkit/stdio";

// Optional: a sampling callback, the twin of handle_sampling_message.
const client = new Client(
  { name: "example-client", version: "1.0.0" },
  {
    handlers: {
      "sampling/createMessage": async () => ({
        role: "assistant",
        content: { type: "text", text: "Hello, world! from model" },
        model: "gpt-3.5-turbo",
        stopReason: "endTurn",
      }),
    },
  },
);

const url = process.argv[2];
await client.connect(
  url
    ? new StreamableHttpClientTransport(url)
    : new StdioClientTransport({ command: process.execPath, args: ["--import", "tsx", new URL("./echo.ts", import.meta.url).pathname] }),
);
console.log(`connected: ${client.serverInfo?.name} (${client.era} era, revision ${client.protocolVersion})`);

const { prompts } = await client.listPrompts();
console.log("prompts:", prompts.map((p) => p.name));
if (prompts[0]) {
  const prompt = await client.getPrompt(prompts[0].name, { message: "value" });
  console.log("prompt:", JSON.stringify(prompt.messages));
}
const { resources } = await client.listResources();
const { resourceTemplates } = await client.listResourceTemplates();
console.log("resources:", resources.map((r) => r.uri), "templates:", resourceTemplates.map((t) => t.uriTemplate));
const { tools } = await client.listTools();
console.log("tools:", tools.map((t) => t.name));
if (resourceTemplates.some((t) => t.uriTemplate === "echo://{message}")) {
  const { contents } = await client.readResource("echo://hello");
  console.log("resource:", contents[0] && "text" in contents[0] ? contents[0].text : contents[0]);
}
if (tools.some((t) => t.name === "echo_tool")) {
  const result = await client.callTool("echo_tool", { message: "hello" });
  console.log("tool:", result.content[0]?.type === "text" ? result.content[0].text : result.content);
}
await client.close();
