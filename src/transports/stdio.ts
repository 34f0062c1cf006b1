/** Node-only stdio entry points: `mcpkit/stdio`. */
import type { Server } from "../server/server.js";
import { StdioServerTransport, type StdioServerOptions } from "./stdio-server.js";

export { StdioServerTransport, type StdioServerOptions } from "./stdio-server.js";
export { StdioClientTransport, type StdioClientOptions } from "./stdio-client.js";

export interface ServeStdioOptions extends StdioServerOptions {
  /** Exit the process once stdin ends and the server has closed (default true). */
  exitOnClose?: boolean;
}

/**
 * Serve `server` on this process's stdin/stdout until stdin ends, then close
 * the server (running its lifespan cleanup) and exit.
 */
export async function serveStdio(server: Pick<Server<any>, "connect" | "close">, opts: ServeStdioOptions = {}): Promise<void> {
  // Under `mcp run` the CLI serves the server, on the transport its command line asks for (src/cli/host.ts).
  const host = (globalThis as Record<symbol, unknown>)[Symbol.for("mcpkit.runHost")];
  if (typeof host === "function") return host(server, { transport: "stdio" });
  const conn = await server.connect(new StdioServerTransport(opts));
  await conn.done;
  await server.close();
  if (opts.exitOnClose !== false) process.exit(0);
}
