/**
 * The README's "Context": a long-running tool that logs, reports progress and
 * reads resources served by this same server (`file://{+path}`, real files
 * under a sample directory).
 *
 *   npx tsx examples/context.ts                  # serves examples/data/
 *   npx tsx examples/context.ts --root ./docs    # or any directory
 *
 * long_task takes file names relative to that directory (or absolute paths
 * inside it), e.g. `{ "files": ["notes.txt", "todo.md"] }`.
 */
import { readdir, readFile } from "node:fs/promises";
import { extname, isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { McpServer, ResourceNotFoundError } from "mcpkit";
import { z } from "zod";

const { values } = parseArgs({ options: { root: { type: "string" } }, strict: false });
const ROOT = resolve((values.root as string | undefined) ?? fileURLToPath(new URL("./data/", import.meta.url)));

const MIME: Record<string, string> = {
  ".txt": "text/plain", ".md": "text/markdown", ".csv": "text/csv", ".json": "application/json",
  ".png": "image/png", ".jpg": "image/jpeg", ".gif": "image/gif",
};
const mimeOf = (file: string) => MIME[extname(file)] ?? "application/octet-stream";
const isText = (mimeType: string) => mimeType.startsWith("text/") || mimeType === "application/json";
const inRoot = (file: string) => {
  const rel = relative(ROOT, file);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
};

const mcp = new McpServer("My App");

mcp.resource(
  "file://{+path}",
  {
    name: "sample_file",
    description: `Files under ${ROOT}`,
    // resources/list enumerates the concrete files this template serves.
    list: async () =>
      (await readdir(ROOT, { withFileTypes: true }))
        .filter((e) => e.isFile())
        .map((e) => ({ uri: pathToFileURL(resolve(ROOT, e.name)).href, name: e.name, mimeType: mimeOf(e.name) })),
  },
  async ({ path }) => {
    const file = resolve("/", path);
    const uri = pathToFileURL(file).href;
    if (!inRoot(file)) throw new ResourceNotFoundError(uri);
    const bytes = await readFile(file).catch(() => {
      throw new ResourceNotFoundError(uri);
    });
    // Text as text, anything else as a base64 blob.
    const mimeType = mimeOf(file);
    return isText(mimeType) ? { uri, mimeType, text: bytes.toString("utf8") } : { uri, mimeType, blob: bytes.toString("base64") };
  },
);

mcp.tool(
  "long_task",
  { description: "Process multiple files with progress tracking", input: { files: z.array(z.string()) } },
  async ({ files }, ctx) => {
    for (const [i, file] of files.entries()) {
      ctx.info(`Processing ${file}`);
      await ctx.reportProgress(i, files.length);
      const uri = pathToFileURL(resolve(ROOT, file)).href;
      // A resource that cannot be read is a tool error the model can act on.
      const [contents] = await ctx.readResource(uri).catch((e: Error) => {
        throw new Error(`Cannot read ${file}: ${e.message}`);
      });
      const size = "text" in contents ? Buffer.byteLength(contents.text) : Buffer.from(contents.blob, "base64").length;
      ctx.debug(`${file}: ${contents.mimeType}, ${size} bytes`);
    }
    await ctx.reportProgress(files.length, files.length);
    return "Processing complete";
  },
);

await mcp.run();
