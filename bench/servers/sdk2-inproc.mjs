// In-process face of official SDK v2: serveStdio's connection entry over the
// SDK's InMemoryTransport (its documented bring-your-own-transport option), so
// the opening message picks the era exactly as on a real stdio connection.
import { McpServer, InMemoryTransport } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { registerAdd } from '../lib/sdk-tool.mjs';
import { linkedRequester } from '../lib/inproc-link.mjs';

export async function setup(extraTools, era) {
  const factory = () => registerAdd(new McpServer({ name: 'sdk2-bench', version: '1.0.0' }), extraTools);
  return linkedRequester(InMemoryTransport, era, (transport) => {
    serveStdio(factory, { transport });
  });
}
