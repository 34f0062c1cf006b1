// The bare, no-SDK MCP server: the physical limit the SDKs are compared with.
// JSON parse, dispatch on method, argument check, JSON reply — nothing else —
// but both eras are served properly (legacy: initialize handshake and, over
// HTTP, an Mcp-Session-Id session map; modern 2026-07-28: per-request _meta
// envelope and HTTP header checks, results tagged resultType "complete").
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { MODERN_VERSION, LEGACY_VERSION, LEGACY_VERSIONS, META_VERSION, META_CAPS } from './protocol.mjs';

const SERVER_INFO = { name: 'bare-bench', version: '1.0.0' };
const ADD_SCHEMA = {
  type: 'object',
  properties: { a: { type: 'number' }, b: { type: 'number' } },
  required: ['a', 'b'],
};

function addTool(name) {
  return {
    descriptor: { name, description: 'Adds two numbers', inputSchema: ADD_SCHEMA },
    run(args) {
      const a = args && args.a;
      const b = args && args.b;
      if (typeof a !== 'number' || typeof b !== 'number') {
        return { content: [{ type: 'text', text: 'a and b must be numbers' }], isError: true };
      }
      return { content: [{ type: 'text', text: String(a + b) }] };
    },
  };
}

/** A tool table holding `add` plus `extra` padding tools (`add_1` …). */
export function createTools(extra = 0) {
  const tools = new Map([['add', addTool('add')]]);
  for (let i = 1; i <= extra; i++) tools.set(`add_${i}`, addTool(`add_${i}`));
  return tools;
}

const err = (id, code, message) => ({ jsonrpc: '2.0', id: id ?? null, error: { code, message } });
const ok = (id, result) => ({ jsonrpc: '2.0', id, result });

/** Answers the era-independent methods; returns a response object. */
function dispatch(tools, msg, modern) {
  const p = msg.params;
  switch (msg.method) {
    case 'tools/call': {
      const tool = p && typeof p.name === 'string' ? tools.get(p.name) : undefined;
      if (!tool) return err(msg.id, -32602, `Unknown tool: ${p && p.name}`);
      const result = tool.run(p.arguments);
      if (modern) result.resultType = 'complete';
      return ok(msg.id, result);
    }
    case 'tools/list': {
      const list = [];
      for (const t of tools.values()) list.push(t.descriptor);
      return ok(msg.id, modern ? { tools: list, resultType: 'complete' } : { tools: list });
    }
    case 'ping':
      return ok(msg.id, modern ? { resultType: 'complete' } : {});
    default:
      return err(msg.id, -32601, `Method not found: ${msg.method}`);
  }
}

/** Checks the 2026-07-28 per-request envelope; returns an error response or null. */
function checkEnvelope(msg) {
  const meta = msg.params && msg.params._meta;
  const v = meta && meta[META_VERSION];
  if (v === undefined) return err(msg.id, -32602, 'Missing protocol version envelope');
  if (v !== MODERN_VERSION) return err(msg.id, -32602, `Unsupported protocol version: ${v}`);
  const caps = meta[META_CAPS];
  if (caps === null || typeof caps !== 'object') return err(msg.id, -32602, 'Missing client capabilities');
  return null;
}

function initializeResult(msg) {
  const asked = msg.params && msg.params.protocolVersion;
  const protocolVersion = LEGACY_VERSIONS.includes(asked) ? asked : LEGACY_VERSION;
  return { protocolVersion, capabilities: { tools: {} }, serverInfo: SERVER_INFO };
}

const isRequest = (m) => m !== null && typeof m === 'object' && typeof m.method === 'string' && m.id !== undefined;

/**
 * A transport-independent connection: `handle(msg)` returns the response
 * object, or null for notifications and stray responses.
 * Legacy state (initialized or not) lives in the connection.
 */
export function createConnection(tools, era) {
  const modern = era === 'modern';
  let initialized = false;
  return {
    handle(msg) {
      if (msg === null || typeof msg !== 'object' || Array.isArray(msg) || msg.jsonrpc !== '2.0') {
        return err(null, -32600, 'Invalid request');
      }
      if (!isRequest(msg)) return null; // notifications (incl. notifications/initialized) and responses
      if (modern) return checkEnvelope(msg) ?? dispatch(tools, msg, true);
      if (msg.method === 'initialize') {
        initialized = true;
        return ok(msg.id, initializeResult(msg));
      }
      if (!initialized && msg.method !== 'ping') return err(msg.id, -32600, 'Server not initialized');
      return dispatch(tools, msg, false);
    },
  };
}

/** Newline-delimited JSON-RPC on stdin/stdout; replies to one read chunk go out in one write. */
export function serveBareStdio({ era, tools = createTools() }) {
  const conn = createConnection(tools, era);
  let buf = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => {
    buf += chunk;
    let out = '';
    let start = 0;
    let nl;
    while ((nl = buf.indexOf('\n', start)) !== -1) {
      const line = buf.slice(start, nl);
      start = nl + 1;
      if (line.length === 0 || line === '\r') continue;
      let msg;
      try {
        msg = JSON.parse(line);
      } catch {
        out += JSON.stringify(err(null, -32700, 'Parse error')) + '\n';
        continue;
      }
      const reply = conn.handle(msg);
      if (reply) out += JSON.stringify(reply) + '\n';
    }
    buf = buf.slice(start);
    if (out) process.stdout.write(out);
  });
  process.stdin.on('end', () => process.exit(0));
}

function send(res, status, body, headers) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Streamable HTTP on POST /mcp; legacy era keeps an Mcp-Session-Id → session map. */
export function serveBareHttp({ era, port = 0, tools = createTools(), onListen }) {
  const modern = era === 'modern';
  const sessions = new Map(); // id → { conn, protocolVersion }
  const server = createServer((req, res) => {
    if (req.url !== '/mcp') return send(res, 404, err(null, -32600, 'Not found'));
    const sid = req.headers['mcp-session-id'];
    if (req.method === 'DELETE' && !modern) {
      if (!sid || !sessions.delete(sid)) return send(res, 404, err(null, -32001, 'Session not found'));
      return send(res, 200);
    }
    if (req.method !== 'POST') return send(res, 405, err(null, -32000, 'Method not allowed'), { allow: 'POST' });
    const ct = req.headers['content-type'];
    if (!ct || !ct.startsWith('application/json')) return send(res, 415, err(null, -32000, 'Content-Type must be application/json'));
    const accept = req.headers.accept;
    if (!accept || !accept.includes('application/json') || !accept.includes('text/event-stream')) {
      return send(res, 406, err(null, -32000, 'Accept must list application/json and text/event-stream'));
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      let msg;
      try {
        msg = JSON.parse(body);
      } catch {
        return send(res, 400, err(null, -32700, 'Parse error'));
      }
      if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) return send(res, 400, err(null, -32600, 'Invalid request'));
      if (modern) return onModern(req, res, msg);
      return onLegacy(res, msg, sid, req.headers['mcp-protocol-version']);
    });
  });

  const modernConn = createConnection(tools, 'modern');
  function onModern(req, res, msg) {
    const h = req.headers;
    if (h['mcp-protocol-version'] !== MODERN_VERSION) return send(res, 400, err(msg.id, -32602, 'MCP-Protocol-Version header must be ' + MODERN_VERSION));
    if (h['mcp-method'] !== msg.method) return send(res, 400, err(msg.id, -32020, 'Mcp-Method header does not match the body'));
    if (msg.method === 'tools/call' && h['mcp-name'] !== (msg.params && msg.params.name)) {
      return send(res, 400, err(msg.id, -32020, 'Mcp-Name header does not match the body'));
    }
    const reply = modernConn.handle(msg);
    if (!reply) return send(res, 202);
    send(res, reply.error && reply.error.code === -32600 ? 400 : 200, reply);
  }

  function onLegacy(res, msg, sid, headerVersion) {
    if (msg.method === 'initialize' && msg.id !== undefined) {
      if (sid) return send(res, 400, err(msg.id, -32600, 'initialize must not carry a session id'));
      const conn = createConnection(tools, 'legacy');
      const reply = conn.handle(msg);
      const id = randomUUID();
      sessions.set(id, { conn, protocolVersion: reply.result.protocolVersion });
      return send(res, 200, reply, { 'mcp-session-id': id });
    }
    if (!sid) return send(res, 400, err(msg.id, -32000, 'Missing Mcp-Session-Id'));
    const session = sessions.get(sid);
    if (!session) return send(res, 404, err(msg.id, -32001, 'Session not found'));
    if (headerVersion !== undefined && !LEGACY_VERSIONS.includes(headerVersion)) {
      return send(res, 400, err(msg.id, -32000, `Unsupported protocol version: ${headerVersion}`));
    }
    const reply = session.conn.handle(msg);
    if (!reply) return send(res, 202);
    send(res, 200, reply);
  }

  server.keepAliveTimeout = 60_000;
  server.listen(port, '127.0.0.1', () => onListen && onListen(server.address().port));
  return server;
}
