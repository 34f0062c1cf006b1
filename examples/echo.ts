/**
 * The README's "Echo Server": one resource template, one tool and one prompt,
 * each echoing its message.
 *
 *   npx tsx examples/echo.ts          # stdio
 */
import { McpServer } from "mcpkit";
import { z } from "zod";

const mcp = new McpServer("Echo");

mcp.resource("echo://{message}", { name: "echo_resource", description: "Echo a message as a resource" }, ({ message }) => `Resource echo: ${message}`);

mcp.tool("echo_tool", { description: "Echo a message as a tool", input: { message: z.string() } }, ({ message }) => `Tool echo: ${message}`);

mcp.prompt("echo_prompt", { description: "Create an echo prompt", args: { message: z.string() } }, ({ message }) => `Please process this message: ${message}`);

await mcp.run();
