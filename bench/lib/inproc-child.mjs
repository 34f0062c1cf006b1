// Child process for the in-process figures: `node inproc-child.mjs <file> <era> <json cfg>`.
// Prints one JSON line { "<n>": { call: µs, list: µs } | null } for each tool count n.
//
// One server per tool count is set up front. After a JIT warm-up on all of them,
// short windows rotate through (count × {call, list}) `rounds` times, and each
// figure is the median of its windows. A window's cost is this process's CPU
// time (all threads, so GC and JIT helpers count) per op: CPU rather than wall
// time, so other work on the machine does not inflate it.
import { pathToFileURL } from 'node:url';
import { callObj, listObj, operands, checkCallReply } from './protocol.mjs';
import { median } from './stats.mjs';

const [file, era, cfgJson] = process.argv.slice(2);
const cfg = JSON.parse(cfgJson); // { sizes: [1, 100, 1000], warmupMs, rounds, windowMs, minOps }
const { setup } = await import(pathToFileURL(file).href);
const now = () => Number(process.hrtime.bigint()) / 1e3; // µs

let id = 1;
function ops(s, size) {
  const name = size === 1 ? 'add' : `add_${size - 1}`; // the last one registered
  return {
    async call() {
      const myId = id++;
      const [a, b] = operands(myId);
      const bad = checkCallReply(await s.request(callObj(myId, a, b, era, name)), a + b, era);
      if (bad) throw new Error(bad);
    },
    async list() {
      const reply = await s.request(listObj(id++, era));
      if (!reply.result || !Array.isArray(reply.result.tools) || reply.result.tools.length !== size) {
        throw new Error(`tools/list returned ${reply.result?.tools?.length} tools, want ${size}: ${JSON.stringify(reply).slice(0, 200)}`);
      }
    },
  };
}

/** Runs `op` for ~ms (at least minOps times); returns CPU µs per op. */
async function window(op, ms) {
  const c0 = process.cpuUsage();
  const end = now() + ms * 1000;
  let n = 0;
  while (n < cfg.minOps || now() < end) await op(n++);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / n;
}

const out = {};
const live = [];
for (const size of cfg.sizes) {
  const s = await setup(size - 1, era);
  out[size] = s ? { call: [], list: [] } : null;
  if (s) live.push({ size, s, ...ops(s, size) });
}
const warmEach = cfg.warmupMs / Math.max(1, live.length * 2);
for (const x of live) await window(x.call, warmEach), await window(x.list, warmEach);
for (let r = 0; r < cfg.rounds; r++) {
  for (const x of live) {
    out[x.size].call.push(await window(x.call, cfg.windowMs));
    out[x.size].list.push(await window(x.list, cfg.windowMs));
  }
}
for (const x of live) {
  out[x.size] = { call: median(out[x.size].call), list: median(out[x.size].list) };
  await x.s.close();
}
process.stdout.write(JSON.stringify(out) + '\n');
process.exit(0);
