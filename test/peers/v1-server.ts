// Peer server for interop tests: the official v1 SDK (@modelcontextprotocol/sdk 1.x)
// over stdio. Run: npx tsx test/peers/v1-server.ts
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'v1-peer', version: '1.0.0' });

server.registerTool(
  'add',
  { description: 'Add two numbers', inputSchema: { a: z.number(), b: z.number() } },
  async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }),
);

server.registerTool(
  'echo',
  { description: 'Echo a message', inputSchema: { message: z.string() } },
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
  { description: 'Greet someone', argsSchema: { name: z.string() } },
  ({ name }) => ({
    messages: [{ role: 'user', content: { type: 'text', text: `Hello ${name}` } }],
  }),
);

await server.connect(new StdioServerTransport());
