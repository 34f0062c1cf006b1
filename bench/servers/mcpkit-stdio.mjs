// mcpkit over stdio: one McpServer, both eras (the opening message picks the era
// of the connection). Contract: see the top of bench/run.mjs.
import { importOnly, serverArgs } from '../lib/server-common.mjs';
import { McpServer } from '../../dist/index.js';
import { serveStdio } from '../../dist/transports/stdio.js';
import { registerAdd } from '../lib/mcpkit-tool.mjs';

if (!importOnly) {
  serverArgs(); // validates --era; the connection decides its era by itself
  serveStdio(registerAdd(new McpServer({ name: 'mcpkit-bench', version: '1.0.0' })));
}
