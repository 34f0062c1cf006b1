/**
 * The README's "SQLite Explorer": the database schema as a resource and a tool
 * that runs SQL. A real SQLite database file, through sql.js (SQLite compiled
 * to WebAssembly: no native build).
 *
 *   npx tsx examples/sqlite-explorer.ts                 # ./.data/sample.db, created and seeded on first run
 *   npx tsx examples/sqlite-explorer.ts --db shop.db     # or MCPKIT_SQLITE_DB=shop.db
 *
 * Like the Python original, each call opens the database file afresh. Unlike it,
 * changes made by query_data are saved (Python never commits them), and a
 * failing query is a tool error (isError) rather than a successful "Error: …" text.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { McpServer } from "mcpkit";
import initSqlJs, { type Database } from "sql.js";
import { z } from "zod";

const { values } = parseArgs({ options: { db: { type: "string" } }, strict: false });
const given = (values.db as string | undefined) ?? process.env.MCPKIT_SQLITE_DB;
const DB_PATH = resolve(given ?? ".data/sample.db");

const SQL = await initSqlJs();

const SAMPLE = `
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE);
CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), item TEXT NOT NULL, amount REAL NOT NULL);
INSERT INTO users (name, email) VALUES ('Alice', 'alice@example.com'), ('Bob', 'bob@example.com'), ('Carol', 'carol@example.com');
INSERT INTO orders (user_id, item, amount) VALUES (1, 'Keyboard', 49.5), (1, 'Mouse', 19.99), (2, 'Monitor', 189.0), (3, 'Desk lamp', 24.0);
`;

// First run without --db: create and seed the sample database. A --db path that does
// not exist yet becomes an empty database, as sqlite3.connect() would make it.
if (!existsSync(DB_PATH)) {
  const db = new SQL.Database();
  if (given === undefined) db.run(SAMPLE);
  await mkdir(dirname(DB_PATH), { recursive: true });
  await writeFile(DB_PATH, db.export());
  db.close();
  console.error(`Created ${given === undefined ? "sample " : ""}database ${DB_PATH}`);
}

/** Open the database file, run `fn`, save the file if `fn` changed rows or the schema, close. */
async function withDatabase<T>(fn: (db: Database) => T): Promise<T> {
  const db = new SQL.Database(await readFile(DB_PATH));
  try {
    const before = changeMark(db);
    const result = fn(db);
    if (changeMark(db) !== before) await writeFile(DB_PATH, db.export());
    return result;
  } finally {
    db.close();
  }
}
const changeMark = (db: Database) => JSON.stringify(db.exec("SELECT total_changes(), (SELECT schema_version FROM pragma_schema_version)")[0].values[0]);

const blobAsHex = (_key: string, v: unknown) => (v instanceof Uint8Array ? `x'${Buffer.from(v).toString("hex")}'` : v);

const mcp = new McpServer("SQLite Explorer");

mcp.resource("schema://main", { name: "get_schema", description: "Provide the database schema as a resource" }, () =>
  withDatabase((db) => {
    const rows = db.exec("SELECT sql FROM sqlite_master WHERE type='table'")[0]?.values ?? [];
    return rows.map(([sql]) => sql).filter(Boolean).join("\n");
  }),
);

mcp.tool("query_data", { description: "Execute SQL queries safely", input: { sql: z.string() } }, async ({ sql }) => {
  try {
    // One line per row, each a JSON array of the row's values (BLOBs as SQL hex literals).
    const rows = await withDatabase((db) => db.exec(sql).flatMap((set) => set.values));
    return rows.map((row) => JSON.stringify(row, blobAsHex)).join("\n");
  } catch (e) {
    return { content: [{ type: "text", text: `Error: ${e instanceof Error ? e.message : String(e)}` }], isError: true };
  }
});

// `--http [--port N]` serves Streamable HTTP (what `npm start` does); the default is stdio.
const args = process.argv.slice(2);
if (args.includes("--http")) {
  const port = args.includes("--port") ? Number(args[args.indexOf("--port") + 1]) : Number(process.env.PORT ?? 8000);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    process.stderr.write(`sqlite-explorer: --port must be a port number from 1 to 65535\n`);
    process.exit(2);
  }
  await mcp.run({ transport: "http", port });
  const url = `http://127.0.0.1:${port}/mcp`;
  process.stderr.write(
    [
      "",
      `SQLite Explorer is serving the sample database ${DB_PATH} at ${url}`,
      "Connect a client:",
      `  MCP Inspector:   npx @modelcontextprotocol/inspector   (transport "Streamable HTTP", URL ${url})`,
      `  Claude Code:     claude mcp add --transport http sqlite-explorer ${url}`,
      `  Claude Desktop:  npx mcp install examples/sqlite-explorer.ts --name "SQLite Explorer"   (stdio)`,
      `  From a script:   npx mcp call ${url} query_data '{"sql":"SELECT name FROM sqlite_master"}'`,
      "Press Ctrl+C to stop.",
      "",
    ].join("\n"),
  );
} else {
  await mcp.run();
}
