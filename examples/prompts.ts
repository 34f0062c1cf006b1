/**
 * The README's "Prompts": one returning a string (a single user message), one
 * returning a conversation built with `user(...)` / `assistant(...)`.
 *
 *   npx tsx examples/prompts.ts       # stdio
 */
import { McpServer, assistant, user } from "mcpkit";
import { z } from "zod";

const mcp = new McpServer("My App");

mcp.prompt("review_code", { args: { code: z.string() } }, ({ code }) => `Please review this code:\n\n${code}`);

mcp.prompt("debug_error", { args: { error: z.string() } }, ({ error }) => [
  user("I'm seeing this error:"),
  user(error),
  assistant("I'll help debug that. What have you tried so far?"),
]);

await mcp.run();
