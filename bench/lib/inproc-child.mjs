// Child process for the in-process figures: `node inproc-child.mjs <file> <era> <json cfg>`.
// Prints one JSON line { "<n>": { call: µs, list: µs } | null } for each tool count n.
import { pathToFileURL } from 'node:url';
import { callObj, listObj, operands, checkCallReply } from './protocol.mjs';

const [file, era, cfgJson] = process.argv.slice(2);
const cfg = JSON.parse(cfgJson); // { sizes: [1, 100, 1000], warmupMs, windowMs, minOps }
const { setup } = await import(pathToFileURL(file).href);
const now = () => Number(process.hrtime.bigint()) / 1e3; // µs

/** Runs `op` for ~warmupMs, then for ~windowMs (at least minOps times); returns µs per op. */
async function timeOp(op) {
  const warmEnd = now() + cfg.warmupMs * 1000;
  for (let i = 0; i < cfg.minOps || now() < warmEnd; i++) await op(i);
  const t0 = now();
  const end = t0 + cfg.windowMs * 1000;
  let n = 0;
  while (n < cfg.minOps || now() < end) await op(n++);
  return (now() - t0) / n;
}

const out = {};
let id = 1;
for (const size of cfg.sizes) {
  const s = await setup(size - 1, era);
  if (!s) {
    out[size] = null;
    continue;
  }
  const name = size === 1 ? 'add' : `add_${size - 1}`; // the last one registered
  const call = async () => {
    const myId = id++;
    const [a, b] = operands(myId);
    const reply = await s.request(callObj(myId, a, b, era, name));
    const bad = checkCallReply(reply, a + b, era);
    if (bad) throw new Error(bad);
  };
  const list = async () => {
    const myId = id++;
    const reply = await s.request(listObj(myId, era));
    if (!reply.result || !Array.isArray(reply.result.tools) || reply.result.tools.length !== size) {
      throw new Error(`tools/list returned ${reply.result?.tools?.length} tools, want ${size}: ${JSON.stringify(reply).slice(0, 200)}`);
    }
  };
  out[size] = { call: await timeOp(call), list: await timeOp(list) };
  await s.close();
}
process.stdout.write(JSON.stringify(out) + '\n');
process.exit(0);
