/**
 * The README's Quickstart: an `add` tool and a `greeting://{name}` resource.
 *
 *   npx tsx examples/quickstart.ts          # stdio
 */
import { McpServer } from "mcpkit";
import { z } from "zod";

// Create an MCP server
const mcp = new McpServer({ name: "Demo", version: "1.0.0" });

// Add an addition tool
mcp.tool("add", { description: "Add two numbers", input: { a: z.number().int(), b: z.number().int() } }, ({ a, b }) => a + b);

// Add a dynamic greeting resource
mcp.resource("greeting://{name}", { description: "Get a personalized greeting" }, ({ name }) => `Hello, ${name}!`);

await mcp.run();
