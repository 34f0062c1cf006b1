// A server in a temporary directory, to edit while `--watch` or `mcp dev` runs it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./cli.js";

export interface TmpServer {
  dir: string;
  file: string;
  /** Rewrite extra.ts, which the server imports: the tools it adds. */
  setExtra(body: string): void;
  remove(): void;
}

export function tmpServer(name = "Watched"): TmpServer {
  const dir = mkdtempSync(path.join(tmpdir(), "mcp-watch-"));
  const file = path.join(dir, "server.ts");
  writeFileSync(path.join(dir, "package.json"), '{ "type": "module" }\n');
  writeFileSync(
    file,
    [
      `import { McpServer } from ${JSON.stringify(pathToFileURL(path.join(ROOT, "dist/index.js")).href)};`,
      `import { extra } from "./extra.ts";`,
      `const mcp = new McpServer(${JSON.stringify(name)});`,
      `mcp.tool("one", { description: "the first tool" }, () => "1");`,
      `extra(mcp);`,
      `await mcp.run();`,
      ``,
    ].join("\n"),
  );
  const setExtra = (body: string) => writeFileSync(path.join(dir, "extra.ts"), `export function extra(mcp: any): void {\n  ${body}\n}\n`);
  setExtra("");
  return { dir, file, setExtra, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
