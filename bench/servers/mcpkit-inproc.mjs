// In-process face of mcpkit (contract: bench/run.mjs): the benchmark holds one
// end of mcpkit's direct peer pair (no serialization) and the server the other.
import { McpServer } from '../../dist/index.js';
import { createDirectPair } from '../../dist/dispatch/index.js';
import { registerAdd } from '../lib/mcpkit-tool.mjs';
import { initializeJson, INITIALIZED_JSON } from '../lib/protocol.mjs';

export async function setup(extraTools, era) {
  const mcp = registerAdd(new McpServer({ name: 'mcpkit-bench', version: '1.0.0', pageSize: 10_000 }), extraTools);
  const [mine, theirs] = createDirectPair();
  mine.bind({ request: () => ({}) });
  await mcp.connect(theirs);
  const request = (msg) =>
    mine.request(msg.method, msg.params).then(
      (result) => ({ jsonrpc: '2.0', id: msg.id, result }),
      (e) => ({ jsonrpc: '2.0', id: msg.id, error: { code: e.code, message: e.message } }),
    );
  if (era === 'legacy') {
    const init = JSON.parse(initializeJson(0));
    const r = await request(init);
    if (!r.result) throw new Error(`initialize failed: ${JSON.stringify(r)}`);
    const n = JSON.parse(INITIALIZED_JSON);
    mine.notify(n.method, n.params);
  }
  return { request, close: () => mcp.close() };
}
