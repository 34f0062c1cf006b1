// Wire constants and message builders/checkers shared by the load generator and
// the bare servers. Plain strings on the hot path: the generator must stay
// lighter than the servers it measures.

export const MODERN_VERSION = '2026-07-28';
export const LEGACY_VERSION = '2025-11-25';
export const LEGACY_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'];
export const META_VERSION = 'io.modelcontextprotocol/protocolVersion';
export const META_CAPS = 'io.modelcontextprotocol/clientCapabilities';

const MODERN_META = `"_meta":{"${META_VERSION}":"${MODERN_VERSION}","${META_CAPS}":{}}`;

/** Operand pair for request number i: distinct, non-trivial sums. */
export function operands(i) {
  return [i % 1000003, (i * 7) % 999983];
}

/** One tools/call request as a JSON string (no trailing newline). */
export function callJson(id, a, b, era) {
  const meta = era === 'modern' ? `,${MODERN_META}` : '';
  return `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"add","arguments":{"a":${a},"b":${b}}${meta}}}`;
}

export function listJson(id, era) {
  const params = era === 'modern' ? `{${MODERN_META}}` : '{}';
  return `{"jsonrpc":"2.0","id":${id},"method":"tools/list","params":${params}}`;
}

/** The same requests as objects, for in-process use (no parse cost in the timed loop). */
export function callObj(id, a, b, era, name = 'add') {
  const params = { name, arguments: { a, b } };
  if (era === 'modern') params._meta = { [META_VERSION]: MODERN_VERSION, [META_CAPS]: {} };
  return { jsonrpc: '2.0', id, method: 'tools/call', params };
}

export function listObj(id, era) {
  const params = era === 'modern' ? { _meta: { [META_VERSION]: MODERN_VERSION, [META_CAPS]: {} } } : {};
  return { jsonrpc: '2.0', id, method: 'tools/list', params };
}

export function initializeJson(id) {
  return `{"jsonrpc":"2.0","id":${id},"method":"initialize","params":{"protocolVersion":"${LEGACY_VERSION}","capabilities":{},"clientInfo":{"name":"mcpkit-bench","version":"1.0.0"}}}`;
}

export const INITIALIZED_JSON = '{"jsonrpc":"2.0","method":"notifications/initialized"}';

/**
 * Checks one tools/call reply; returns null when good, else a reason string.
 * `expected` is a+b for the request with the reply's id.
 */
export function checkCallReply(msg, expected, era) {
  const r = msg && msg.result;
  if (!r) return `no result: ${JSON.stringify(msg).slice(0, 200)}`;
  if (r.isError) return `tool error: ${JSON.stringify(r).slice(0, 200)}`;
  const c = r.content && r.content[0];
  if (!c || c.type !== 'text' || c.text !== String(expected)) {
    return `wrong sum for id ${msg.id}: want ${expected}, got ${JSON.stringify(r.content).slice(0, 120)}`;
  }
  if (era === 'modern' && r.resultType !== 'complete') return `modern result without resultType "complete" (id ${msg.id})`;
  return null;
}

export function checkInitReply(msg) {
  const r = msg && msg.result;
  if (!r || typeof r.protocolVersion !== 'string' || !r.capabilities) {
    return `bad initialize reply: ${JSON.stringify(msg).slice(0, 200)}`;
  }
  return null;
}

/** Extra HTTP headers a request carries in each era. */
export function httpHeaders(era, method, name, sessionId) {
  const h = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
  };
  if (era === 'modern') {
    h['mcp-protocol-version'] = MODERN_VERSION;
    h['mcp-method'] = method;
    if (name !== undefined) h['mcp-name'] = name;
  } else if (sessionId) {
    h['mcp-session-id'] = sessionId;
    h['mcp-protocol-version'] = LEGACY_VERSION;
  }
  return h;
}

/** Parses an HTTP reply body that is either JSON or an SSE stream; returns the JSON-RPC response(s). */
export function parseHttpBody(contentType, body) {
  if (contentType && contentType.startsWith('text/event-stream')) {
    const out = [];
    for (const line of body.split('\n')) {
      if (line.startsWith('data:')) {
        const d = line.slice(5).trim();
        if (d) out.push(JSON.parse(d));
      }
    }
    return out.filter((m) => m.id !== undefined && (m.result !== undefined || m.error !== undefined));
  }
  if (!body) return [];
  const v = JSON.parse(body);
  return Array.isArray(v) ? v : [v];
}
