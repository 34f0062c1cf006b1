// mcpkit over Streamable HTTP: one endpoint serving both eras (legacy sessions
// with SSE-or-JSON answers, modern stateless requests), on node:http through
// mcpkit's own adapter. Contract: see the top of bench/run.mjs.
import { importOnly, serverArgs, announceReady } from '../lib/server-common.mjs';
import { McpServer } from '../../dist/index.js';
import { serveHttp } from '../../dist/node/http.js';
import { registerAdd } from '../lib/mcpkit-tool.mjs';

if (!importOnly) {
  const { port } = serverArgs();
  const mcp = registerAdd(new McpServer({ name: 'mcpkit-bench', version: '1.0.0' }));
  const running = await serveHttp(mcp, { port, path: '/mcp', sse: false });
  announceReady(running.httpServer.address().port);
}
