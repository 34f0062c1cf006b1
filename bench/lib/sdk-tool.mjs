// The `add` tool as the official SDKs register it (both take a zod 4 object
// schema: v1 through its zod compat layer, v2 as a Standard Schema).
import { z } from 'zod';

export const addConfig = (name = 'add') => ({
  description: 'Adds two numbers',
  inputSchema: z.object({ a: z.number(), b: z.number() }),
});

export const addHandler = async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] });

/** Registers `add` plus `extra` padding tools (`add_1` …) on an McpServer. */
export function registerAdd(server, extra = 0) {
  server.registerTool('add', addConfig('add'), addHandler);
  for (let i = 1; i <= extra; i++) server.registerTool(`add_${i}`, addConfig(`add_${i}`), addHandler);
  return server;
}
