/**
 * An MCP server inside a Hono application: mcpkit's handler is fetch-style
 * (Request → Response), so it is one line in any web-standard framework
 * (Hono, Bun.serve, Deno.serve, Cloudflare Workers, Next.js route handlers).
 *
 *   npx tsx examples/hono.ts [--port 8000]   → http://127.0.0.1:8000/mcp
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { McpServer } from "mcpkit";
import { z } from "zod";

const mcp = new McpServer({ name: "Hono Demo", version: "1.0.0" });
mcp.tool("add", { description: "Add two numbers", input: { a: z.number(), b: z.number() } }, ({ a, b }) => a + b);
const handler = mcp.httpHandler();

const app = new Hono();
app.get("/health", (c) => c.json({ ok: true }));
app.all("/mcp", (c) => handler.fetch(c.req.raw));

const args = process.argv.slice(2);
const port = args.includes("--port") ? Number(args[args.indexOf("--port") + 1]) : Number(process.env.PORT ?? 8000);
serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, (info) => {
  process.stdout.write(`READY http://127.0.0.1:${info.port}/mcp\n`);
});
