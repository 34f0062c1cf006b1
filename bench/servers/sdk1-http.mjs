// Official SDK v1: McpServer + StreamableHTTPServerTransport on node:http, one
// transport+server per Mcp-Session-Id (the SDK's documented sessionful wiring),
// JSON responses (enableJsonResponse) like the bare server. Legacy era only.
// Contract: bench/run.mjs.
import { importOnly, serverArgs, unsupportedEra, announceReady } from '../lib/server-common.mjs';
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { registerAdd } from '../lib/sdk-tool.mjs';
import { readBody } from '../lib/node-web.mjs';

function fail(res, status, message) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32000, message } }));
}

if (!importOnly) {
  const { era, port } = serverArgs();
  if (era !== 'legacy') unsupportedEra('sdk-v1', era);
  const transports = new Map();
  const server = createServer(async (req, res) => {
    try {
      if (req.url !== '/mcp') return fail(res, 404, 'Not found');
      const sid = req.headers['mcp-session-id'];
      let body;
      if (req.method === 'POST') {
        try {
          body = JSON.parse((await readBody(req)).toString('utf8'));
        } catch {
          return fail(res, 400, 'Parse error');
        }
      }
      let transport = sid ? transports.get(sid) : undefined;
      if (!transport) {
        if (sid) return fail(res, 404, 'Session not found');
        if (!body || body.method !== 'initialize') return fail(res, 400, 'Missing Mcp-Session-Id');
        transport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          enableJsonResponse: true,
          onsessioninitialized: (id) => transports.set(id, transport),
        });
        transport.onclose = () => transport.sessionId && transports.delete(transport.sessionId);
        const mcp = registerAdd(new McpServer({ name: 'sdk1-bench', version: '1.0.0' }));
        await mcp.connect(transport);
      }
      await transport.handleRequest(req, res, body);
    } catch (e) {
      if (!res.headersSent) fail(res, 500, String(e));
    }
  });
  server.keepAliveTimeout = 60_000;
  server.listen(port, '127.0.0.1', () => announceReady(server.address().port));
}
