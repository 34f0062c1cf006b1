// Official SDK v1 (@modelcontextprotocol/sdk): McpServer + StdioServerTransport.
// v1 speaks only the legacy era. Contract: bench/run.mjs.
import { importOnly, serverArgs, unsupportedEra } from '../lib/server-common.mjs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { registerAdd } from '../lib/sdk-tool.mjs';

if (!importOnly) {
  const { era } = serverArgs();
  if (era !== 'legacy') unsupportedEra('sdk-v1', era);
  const server = registerAdd(new McpServer({ name: 'sdk1-bench', version: '1.0.0' }));
  await server.connect(new StdioServerTransport());
}
