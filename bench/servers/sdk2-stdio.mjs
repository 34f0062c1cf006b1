// Official SDK v2 (@modelcontextprotocol/server 2.4): serveStdio(factory), the
// v2 stdio entry that serves both eras (the opening message picks the era).
// Contract: bench/run.mjs.
import { importOnly, serverArgs } from '../lib/server-common.mjs';
import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { registerAdd } from '../lib/sdk-tool.mjs';

if (!importOnly) {
  serverArgs(); // validates --era; the entry itself decides the era per connection
  serveStdio(() => registerAdd(new McpServer({ name: 'sdk2-bench', version: '1.0.0' })));
}
