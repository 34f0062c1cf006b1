/**
 * An MCP server inside an Express application: the handler is an ordinary
 * (req, res) listener, mounted like any route. Works with or without
 * express.json() in front.
 *
 *   npx tsx examples/express.ts [--port 8000]   → http://127.0.0.1:8000/mcp
 */
import express from "express";
import { McpServer } from "mcpkit";
import { nodeListener } from "mcpkit/node";
import { z } from "zod";

const mcp = new McpServer({ name: "Express Demo", version: "1.0.0" });
mcp.tool("add", { description: "Add two numbers", input: { a: z.number(), b: z.number() } }, ({ a, b }) => a + b);

const app = express();
app.use(express.json({ limit: "4mb" }));
app.get("/health", (_req, res) => void res.json({ ok: true }));
app.all("/mcp", nodeListener(mcp.httpHandler()));

const args = process.argv.slice(2);
const port = args.includes("--port") ? Number(args[args.indexOf("--port") + 1]) : Number(process.env.PORT ?? 8000);
const server = app.listen(port, "127.0.0.1", () => {
  process.stdout.write(`READY http://127.0.0.1:${(server.address() as { port: number }).port}/mcp\n`);
});
