// In-process requester over an SDK's linked in-memory transport pair: the
// benchmark holds one end and speaks raw JSON-RPC, the server holds the other.
// `connect(serverEnd)` wires the server; the legacy era does the handshake.
import { initializeJson, INITIALIZED_JSON } from './protocol.mjs';

export async function linkedRequester(InMemoryTransport, era, connect) {
  const [mine, theirs] = InMemoryTransport.createLinkedPair();
  const waiters = new Map();
  mine.onmessage = (msg) => {
    const w = waiters.get(msg.id);
    if (w) waiters.delete(msg.id), w(msg);
  };
  await connect(theirs);
  await mine.start();
  const request = (msg) =>
    new Promise((resolve) => {
      waiters.set(msg.id, resolve);
      mine.send(msg);
    });
  if (era === 'legacy') {
    const init = await request(JSON.parse(initializeJson(0)));
    if (!init.result) throw new Error(`initialize failed: ${JSON.stringify(init)}`);
    await mine.send(JSON.parse(INITIALIZED_JSON));
  }
  return { request, close: () => mine.close() };
}
