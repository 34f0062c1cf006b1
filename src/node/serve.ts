/** `McpServer.run({ transport: "http" })`: listen, print where, close on SIGINT/SIGTERM. */
import type { Serveable } from "../transports/http/handler.js";
import { serveHttp, type ServeHttpOptions } from "./http.js";

export async function runHttp(target: Serveable & { close(): Promise<void> }, o: ServeHttpOptions = {}): Promise<void> {
  const running = await serveHttp(target, o);
  process.stderr.write(`MCP server listening on ${running.url} (Streamable HTTP, every revision 2024-11-05 … 2026-07-28)\n`);
  const stop = async () => {
    await running.close();
    await target.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
export { serveHttp };
