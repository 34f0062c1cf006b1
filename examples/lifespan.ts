/**
 * The README's "Server" section: a typed lifespan that opens a (fake) database
 * once when the server starts and closes it on shutdown, and a `query_db` tool
 * that uses it through `ctx.lifespan`.
 *
 *   npx tsx examples/lifespan.ts      # stdio
 */
import { McpServer } from "mcpkit";

/** Stands in for a real database client (the README's `fake_database`). */
class Database {
  private static opened = 0;
  private queries = 0;
  private constructor(readonly connection: number) {}

  static async connect(): Promise<Database> {
    return new Database(++Database.opened);
  }
  async disconnect(): Promise<void> {
    // stdout carries the protocol; anything for humans goes to stderr.
    console.error(`database connection ${this.connection} closed after ${this.queries} queries`);
  }
  query(): string {
    return `query ${++this.queries} answered by connection ${this.connection}`;
  }
}

interface AppContext {
  db: Database;
}

/** Manage application lifecycle with type-safe context. */
async function* appLifespan(): AsyncGenerator<AppContext> {
  // Initialize on startup
  const db = await Database.connect();
  try {
    yield { db };
  } finally {
    // Cleanup on shutdown
    await db.disconnect();
  }
}

// Pass lifespan to server
const mcp = new McpServer({ name: "My App", lifespan: appLifespan });

// Access type-safe lifespan context in tools
mcp.tool("query_db", { description: "Tool that uses initialized resources" }, (_args, ctx) => ctx.lifespan.db.query());

await mcp.run();
