// Peer server for interop tests: the official v2 server package
// (@modelcontextprotocol/server 2.x) over stdio, serving BOTH eras:
//   - legacy 2025 era: `initialize` handshake (any 2025-era protocolVersion)
//   - modern 2026-07-28 era: `server/discover` + stateless requests carrying
//     `_meta["io.modelcontextprotocol/protocolVersion"]`
// `serveStdio(factory)` owns the era decision: the first message selects the
// era and one McpServer from the factory is pinned for the connection.
// Run: npx tsx test/peers/v2-server.ts            (both eras)
//      npx tsx test/peers/v2-server.ts --modern-only (legacy: 'reject')
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import * as z from 'zod/v4';

function buildServer(): McpServer {
  const server = new McpServer(
    { name: 'v2-peer', version: '2.0.0' },
    { capabilities: { tools: {}, resources: {}, prompts: {} } },
  );

  server.registerTool(
    'add',
    { description: 'Add two numbers', inputSchema: z.object({ a: z.number(), b: z.number() }) },
    async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }),
  );

  server.registerTool(
    'echo',
    { description: 'Echo a message', inputSchema: z.object({ message: z.string() }) },
    async ({ message }) => ({ content: [{ type: 'text', text: `Echo: ${message}` }] }),
  );

  server.registerResource(
    'static',
    'test://static',
    { description: 'A static resource', mimeType: 'text/plain' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'static content' }] }),
  );

  server.registerResource(
    'greeting',
    new ResourceTemplate('greeting://{name}', { list: undefined }),
    { description: 'A greeting for <name>', mimeType: 'text/plain' },
    async (uri, { name }) => ({
      contents: [{ uri: uri.href, mimeType: 'text/plain', text: `Hello, ${String(name)}!` }],
    }),
  );

  server.registerPrompt(
    'greet',
    { description: 'Greet someone', argsSchema: z.object({ name: z.string() }) },
    ({ name }) => ({
      messages: [{ role: 'user', content: { type: 'text', text: `Hello ${name}` } }],
    }),
  );

  return server;
}

const modernOnly = process.argv.includes('--modern-only');

serveStdio(() => buildServer(), {
  legacy: modernOnly ? 'reject' : 'serve',
  onerror: (error) => process.stderr.write(`[v2-peer] ${error.message}\n`),
});
