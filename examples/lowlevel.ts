/**
 * The README's "Low-Level Server" example in TypeScript: a handler per method,
 * a lifespan that opens a (toy) database once and closes it on shutdown, and the
 * `example-prompt` prompt with its `arg1` argument. Serves stdio:
 *
 *   npx tsx examples/lowlevel.ts
 */
import { McpError, ErrorCode } from "mcpkit";
import { Server } from "mcpkit/server";
import { serveStdio } from "mcpkit/stdio";

/** Stands in for a real database client (the README's `fake_database`). */
class Database {
  private open = true;
  private readonly rows = [
    { id: 1, name: "alpha" },
    { id: 2, name: "beta" },
  ];
  static async connect(): Promise<Database> {
    return new Database();
  }
  async disconnect(): Promise<void> {
    this.open = false;
  }
  async query(text: string): Promise<string> {
    if (!this.open) throw new Error("database is closed");
    const hits = this.rows.filter((r) => r.name.includes(text));
    return JSON.stringify(hits);
  }
}

// Runs once per server: yield the value handlers see as ctx.lifespan, clean up after.
async function* serverLifespan() {
  const db = await Database.connect();
  try {
    yield { db };
  } finally {
    await db.disconnect();
  }
}

const server = new Server<{ db: Database }>(
  { name: "example", version: "0.1.0" },
  {
    lifespan: serverLifespan,
    handlers: {
      "prompts/list": () => ({
        prompts: [
          {
            name: "example-prompt",
            description: "An example prompt template",
            arguments: [{ name: "arg1", description: "Example argument", required: true }],
          },
        ],
      }),
      "prompts/get": (_ctx, { name, arguments: args }) => {
        if (name !== "example-prompt") throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${name}`);
        if (!args?.arg1) throw new McpError(ErrorCode.InvalidParams, "Missing required argument: arg1");
        return {
          description: "Example prompt",
          messages: [{ role: "user", content: { type: "text", text: `Example prompt text (arg1=${args.arg1})` } }],
        };
      },
      "tools/list": () => ({
        tools: [
          {
            name: "query_db",
            description: "Query the example database",
            inputSchema: { type: "object", properties: { query: { type: "string" } }, required: ["query"] },
          },
        ],
      }),
      "tools/call": async (ctx, { name, arguments: args }) => {
        if (name !== "query_db") throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
        const text = await ctx.lifespan.db.query(String(args?.query ?? ""));
        return { content: [{ type: "text", text }] };
      },
    },
  },
);

await serveStdio(server);
