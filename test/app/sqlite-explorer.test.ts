// examples/sqlite-explorer.ts against a real SQLite file (sql.js): the v1 client in the
// legacy era creates and seeds the sample database on first run; the v2 client pinned to
// 2026-07-28 then opens the same file through MCPKIT_SQLITE_DB and an empty one through --db.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import initSqlJs from "sql.js";
import { openV1, openV2, onlyText, stamped, withSession } from "../helpers/examples.js";

const T = { timeout: 60_000 };
const SCHEMA = [
  "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE)",
  "CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), item TEXT NOT NULL, amount REAL NOT NULL)",
].join("\n");
const USERS = ['[1,"Alice","alice@example.com"]', '[2,"Bob","bob@example.com"]', '[3,"Carol","carol@example.com"]'];
const toolError = (t: string) => ({ content: [{ type: "text", text: t }], isError: true });

async function rowsIn(file: string, sql: string): Promise<unknown[][]> {
  const SQL = await initSqlJs();
  const db = new SQL.Database(fs.readFileSync(file));
  try {
    return db.exec(sql)[0]?.values ?? [];
  } finally {
    db.close();
  }
}

describe("examples/sqlite-explorer.ts", T, () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "mcpkit-sqlite-"));
  const sample = path.join(cwd, ".data/sample.db");

  it("v1 client (legacy): first run seeds ./.data/sample.db; schema://main, query_data, SQL errors as tool errors", () =>
    withSession(openV1("sqlite-explorer.ts", { cwd }), async (s) => {
      assert.deepEqual(s.client.getServerVersion(), { name: "SQLite Explorer", version: "1.0.0" });
      // A real SQLite database file.
      assert.equal(fs.readFileSync(sample).subarray(0, 16).toString("latin1"), "SQLite format 3\0");
      assert.deepEqual((await s.client.listResources()).resources, [
        { uri: "schema://main", name: "get_schema", description: "Provide the database schema as a resource" },
      ]);
      assert.deepEqual(await s.client.readResource({ uri: "schema://main" }), {
        contents: [{ uri: "schema://main", mimeType: "text/plain", text: SCHEMA }],
      });
      assert.deepEqual((await s.client.listTools()).tools, [
        {
          name: "query_data",
          description: "Execute SQL queries safely",
          inputSchema: { type: "object", properties: { sql: { type: "string" } }, required: ["sql"] },
        },
      ]);
      const query = (sql: string) => s.client.callTool({ name: "query_data", arguments: { sql } });
      assert.equal(onlyText(await query("SELECT * FROM users ORDER BY id")), USERS.join("\n"));
      assert.equal(
        onlyText(await query("SELECT u.name, SUM(o.amount) FROM users u JOIN orders o ON o.user_id = u.id GROUP BY u.id ORDER BY u.id")),
        ['["Alice",69.49]', '["Bob",189]', '["Carol",24]'].join("\n"),
      );
      assert.equal(onlyText(await query("SELECT NULL, x'00ff', 1.5")), `[null,"x'00ff'",1.5]`);
      // The Python original answers "Error: ..." as a normal result; here it is a tool error.
      assert.deepEqual(await query("SELECT * FROM nope"), toolError("Error: no such table: nope"));
      assert.deepEqual(await query("SELEC 1"), toolError('Error: near "SELEC": syntax error'));
      assert.deepEqual(
        await query("INSERT INTO users (name, email) VALUES ('Dan', 'alice@example.com')"),
        toolError("Error: UNIQUE constraint failed: users.email"),
      );
      // Writes are saved to the file (each call opens the file afresh, as in the original).
      assert.deepEqual(await query("INSERT INTO users (name, email) VALUES ('Dave', 'dave@example.com')"), { content: [{ type: "text", text: "" }] });
      assert.deepEqual(await rowsIn(sample, "SELECT name FROM users WHERE id = 4"), [["Dave"]]);
      assert.ok((await s.closeAndCheck("2025-11-25")) >= 10);
      // stderr and stdout are separate pipes: read it once the server has gone.
      assert.equal(s.stderr(), `Created sample database ${sample}\n`);
    }));

  it("v2 client (2026-07-28): MCPKIT_SQLITE_DB names the database; DDL is saved too", () =>
    withSession(openV2("sqlite-explorer.ts", { env: { MCPKIT_SQLITE_DB: sample } }), async (s) => {
      const query = (sql: string) => s.client.callTool({ name: "query_data", arguments: { sql } });
      assert.deepEqual(await query("SELECT id, name FROM users WHERE id > 2"), stamped({ content: [{ type: "text", text: '[3,"Carol"]\n[4,"Dave"]' }] }, "SQLite Explorer"));
      assert.deepEqual(await query("DROP TABLE missing"), stamped(toolError("Error: no such table: missing"), "SQLite Explorer"));
      await query("CREATE TABLE notes (body TEXT)");
      const schema = await s.client.readResource({ uri: "schema://main" });
      assert.equal(onlyText(schema), `${SCHEMA}\nCREATE TABLE notes (body TEXT)`);
      assert.deepEqual(await rowsIn(sample, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'notes'"), [[1]]);
      await s.closeAndCheck();
      assert.equal(s.stderr(), "");
    }));

  it("v2 client (2026-07-28): --db with a new path creates an empty database, as sqlite3.connect would", async () => {
    const file = path.join(cwd, "fresh/empty.db");
    await withSession(openV2("sqlite-explorer.ts", { args: ["--db", file] }), async (s) => {
      assert.deepEqual((await s.client.readResource({ uri: "schema://main" })).contents, [{ uri: "schema://main", mimeType: "text/plain", text: "" }]);
      const r = await s.client.callTool({ name: "query_data", arguments: { sql: "SELECT * FROM users" } });
      assert.equal(r.isError, true);
      assert.equal(onlyText(r), "Error: no such table: users");
      await s.closeAndCheck();
      assert.equal(s.stderr(), `Created database ${file}\n`);
    });
    assert.equal(fs.readFileSync(file).subarray(0, 15).toString("latin1"), "SQLite format 3");
  });
});
