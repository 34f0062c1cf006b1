// In-process face of the bare server (contract: bench/run.mjs): setup(extraTools, era)
// → { request(msg) → Promise<reply>, close() }, or null when the era is not served.
import { createConnection, createTools } from '../lib/bare.mjs';
import { initializeJson } from '../lib/protocol.mjs';

export async function setup(extraTools, era) {
  const conn = createConnection(createTools(extraTools), era);
  if (era === 'legacy') conn.handle(JSON.parse(initializeJson(0)));
  return { request: async (msg) => conn.handle(msg), close() {} };
}
