// In-process face of official SDK v1: McpServer over its InMemoryTransport (legacy only).
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { registerAdd } from '../lib/sdk-tool.mjs';
import { linkedRequester } from '../lib/inproc-link.mjs';

export async function setup(extraTools, era) {
  if (era !== 'legacy') return null;
  const server = registerAdd(new McpServer({ name: 'sdk1-bench', version: '1.0.0' }), extraTools);
  return linkedRequester(InMemoryTransport, era, (t) => server.connect(t));
}
