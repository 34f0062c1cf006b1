/**
 * The README's "mount several servers" example: an Echo server under /echo and a
 * Math server under /math in one HTTP application, plus servers on the old
 * HTTP+SSE transport at custom mount paths. Each server's lifespan runs once,
 * however many endpoints it is mounted at.
 *
 *   npx tsx examples/mount.ts [--port 8000]
 *   → http://127.0.0.1:8000/echo/mcp   http://127.0.0.1:8000/math/mcp   (Streamable HTTP)
 *   → http://127.0.0.1:8000/github/sse http://127.0.0.1:8000/search/sse (HTTP+SSE, 2024-11-05)
 */
import { createServer } from "node:http";
import { McpServer } from "mcpkit";
import { nodeListener } from "mcpkit/node";
import { z } from "zod";

// echo.py
const echo = new McpServer({ name: "EchoServer", version: "1.0.0" });
echo.tool("echo", { description: "A simple echo tool", input: { message: z.string() } }, ({ message }) => `Echo: ${message}`);

// math.py
let mathStarts = 0;
const math = new McpServer({
  name: "MathServer",
  version: "1.0.0",
  lifespan: async () => ({ startedAt: new Date().toISOString(), starts: ++mathStarts }),
});
math.tool("add_two", { description: "A simple add tool", input: { n: z.number().int() } }, ({ n }) => n + 2);
math.tool("lifespan_starts", { description: "How often the lifespan ran" }, (_a, ctx) => ctx.lifespan.starts);

// Servers on the deprecated HTTP+SSE transport, each at a custom mount path.
const github = new McpServer("GitHub API");
github.tool("whoami", () => "octocat");
const search = new McpServer("Search");
search.tool("search", { input: { q: z.string() } }, ({ q }) => `results for ${q}`);

// main.py: one application, each server mounted under its own prefix. A stateless
// legacy mode (the README's stateless_http=True) for echo; sessions for math.
const mounts: [string, ReturnType<typeof nodeListener>][] = [
  ["/echo", nodeListener(echo.httpHandler({ legacy: { mode: "stateless" } }))],
  ["/math", nodeListener(math.httpHandler())],
  // The same math server again at a second path: one lifespan, shared.
  ["/calc", nodeListener(math.httpHandler())],
  ["/github", nodeListener(github.httpHandler({ legacySse: { ssePath: "/github/sse", messagesPath: "/github/messages" } }))],
  ["/search", nodeListener(search.httpHandler({ legacySse: { ssePath: "/search/sse", messagesPath: "/search/messages" } }))],
];

const app = createServer((req, res) => {
  const path = (req.url ?? "/").split("?")[0];
  const hit = mounts.find(([prefix]) => path === `${prefix}/mcp` || path.startsWith(`${prefix}/`));
  if (hit) return hit[1](req, res);
  res.writeHead(404, { "content-type": "text/plain" }).end("Not Found");
});

const args = process.argv.slice(2);
const port = args.includes("--port") ? Number(args[args.indexOf("--port") + 1]) : Number(process.env.PORT ?? 8000);
app.listen(port, "127.0.0.1", () => {
  const base = `http://127.0.0.1:${(app.address() as { port: number }).port}`;
  process.stdout.write(`READY ${base}\n`);
  process.stderr.write(`Mounted: ${mounts.map(([p]) => base + p + (p === "/github" || p === "/search" ? "/sse" : "/mcp")).join("  ")}\n`);
});
