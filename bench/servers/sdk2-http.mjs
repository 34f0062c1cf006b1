// Official SDK v2 (@modelcontextprotocol/server 2.4) on node:http.
//  modern: createMcpHandler(factory, { legacy: 'reject' }) — stateless, a fresh
//          McpServer per request (the v2 design).
//  legacy: the sessionful wiring v2 documents for 2025-era traffic:
//          WebStandardStreamableHTTPServerTransport per Mcp-Session-Id, JSON responses.
// node:http ⇄ fetch bridging via ../lib/node-web.mjs. Contract: bench/run.mjs.
import { importOnly, serverArgs, announceReady } from '../lib/server-common.mjs';
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { McpServer, createMcpHandler, WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import { registerAdd } from '../lib/sdk-tool.mjs';
import { readBody, toRequest, sendResponse } from '../lib/node-web.mjs';

const factory = () => registerAdd(new McpServer({ name: 'sdk2-bench', version: '1.0.0' }));

function fail(status, message) {
  return Response.json({ jsonrpc: '2.0', id: null, error: { code: -32000, message } }, { status });
}

function legacyHandler() {
  const transports = new Map();
  return async (request, body) => {
    const sid = request.headers.get('mcp-session-id');
    let parsed;
    if (request.method === 'POST') {
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        return fail(400, 'Parse error');
      }
    }
    let transport = sid ? transports.get(sid) : undefined;
    if (!transport) {
      if (sid) return fail(404, 'Session not found');
      if (!parsed || parsed.method !== 'initialize') return fail(400, 'Missing Mcp-Session-Id');
      transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableJsonResponse: true,
        onsessioninitialized: (id) => transports.set(id, transport),
      });
      transport.onclose = () => transport.sessionId && transports.delete(transport.sessionId);
      await factory().connect(transport);
    }
    return transport.handleRequest(request, { parsedBody: parsed });
  };
}

function modernHandler() {
  const handler = createMcpHandler(factory, { legacy: 'reject' });
  return (request) => handler.fetch(request);
}

if (!importOnly) {
  const { era, port } = serverArgs();
  const handle = era === 'modern' ? modernHandler() : legacyHandler();
  const server = createServer(async (req, res) => {
    try {
      if (req.url !== '/mcp') return sendResponse(res, fail(404, 'Not found'));
      const body = await readBody(req);
      await sendResponse(res, await handle(toRequest(req, body), body));
    } catch (e) {
      if (!res.headersSent) await sendResponse(res, fail(500, String(e)));
    }
  });
  server.keepAliveTimeout = 60_000;
  server.listen(port, '127.0.0.1', () => announceReady(server.address().port));
}
