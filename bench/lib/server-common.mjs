// Helpers every benchmark server process imports FIRST (see the contract at the
// top of bench/run.mjs). Importing this module:
//   - installs the memory side channel: on SIGUSR2 the process runs a forced GC
//     (when started with --expose-gc) and writes one stderr line
//     `MCPBENCH_MEM {"heapUsed":…,"heapTotal":…,"rss":…,"peakHeapUsed":…}`;
//   - samples heapUsed every 20 ms (unref'd timer) to report a peak.
// It has no dependencies beyond node:v8 so it adds nothing measurable to import time.
import { getHeapStatistics } from 'node:v8';

/** True when the harness is only timing the module graph's import: do not start serving. */
export const importOnly = process.env.MCPBENCH_IMPORT_ONLY === '1';

let peakHeapUsed = 0;
if (!importOnly) {
  const sample = () => {
    const used = getHeapStatistics().used_heap_size;
    if (used > peakHeapUsed) peakHeapUsed = used;
  };
  setInterval(sample, 20).unref();
  process.on('SIGUSR2', () => {
    sample();
    if (typeof globalThis.gc === 'function') globalThis.gc();
    const m = process.memoryUsage();
    const line = JSON.stringify({ heapUsed: m.heapUsed, heapTotal: m.heapTotal, rss: m.rss, peakHeapUsed });
    process.stderr.write(`MCPBENCH_MEM ${line}\n`);
  });
}

/** Parses `--era legacy|modern` and `--port N` (also `--era=…` forms). */
export function serverArgs(argv = process.argv.slice(2)) {
  const out = { era: 'legacy', port: 0 };
  for (let i = 0; i < argv.length; i++) {
    let [k, v] = argv[i].split('=', 2);
    if (v === undefined && (k === '--era' || k === '--port')) v = argv[++i];
    if (k === '--era') out.era = v;
    else if (k === '--port') out.port = Number(v);
  }
  if (out.era !== 'legacy' && out.era !== 'modern') throw new Error(`--era must be legacy or modern, got ${out.era}`);
  return out;
}

/** HTTP servers call this once listening: the harness waits for this exact line. */
export function announceReady(port) {
  process.stdout.write(`READY ${port}\n`);
}

/** Refuses an era the implementation cannot serve (the harness prints n/a without spawning). */
export function unsupportedEra(name, era) {
  process.stderr.write(`${name} cannot serve the ${era} era\n`);
  process.exit(64);
}
