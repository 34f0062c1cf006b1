// One trial = one server process of one implementation, transport and era:
// cold start, idle memory, warm-up, throughput + server CPU under load,
// latency with one in flight, peak memory, and (HTTP legacy) heap per session.
import { spawnServer, waitReady, cpuNs, rssOf } from './proc.mjs';
import { StdioClient, HttpClient } from './clients.mjs';
import { percentile } from './stats.mjs';

const MB = 1024 * 1024;

export async function runTrial({ file, transport, era, cfg }) {
  const http = transport === 'http';
  const h = spawnServer(file, { era, http });
  const r = {};
  let client;
  try {
    if (http) client = new HttpClient(await waitReady(h), era);
    else client = new StdioClient(h, era);
    await client.open();
    await client.call();
    r.coldMs = Number(process.hrtime.bigint() - h.t0) / 1e6;

    const idle = await h.mem();
    r.idleRssMB = rssOf(h.pid).rss / MB;
    r.idleHeapMB = idle.heapUsed / MB;

    await client.load({ inFlight: cfg.inFlight, ms: cfg.warmupMs, maxCalls: cfg.maxCalls });

    const cpu0 = cpuNs(h.pid);
    const self0 = process.cpuUsage();
    const { calls, ms } = await client.load({ inFlight: cfg.inFlight, ms: cfg.loadMs, maxCalls: cfg.maxCalls });
    const cpu1 = cpuNs(h.pid);
    const self1 = process.cpuUsage(self0);
    r.calls = calls;
    r.rps = (calls / ms) * 1000;
    r.cpuUs = (cpu1 - cpu0) / 1e3 / calls;
    r.clientCpuUs = (self1.user + self1.system) / calls;

    const lat = await client.latency({ n: cfg.latencyN, ms: cfg.latencyMs });
    r.p50Us = percentile(lat, 50);
    r.p99Us = percentile(lat, 99);

    const peak = await h.mem();
    r.peakRssMB = peak.hwm / MB;
    r.peakHeapMB = peak.peakHeapUsed / MB;

    if (http && era === 'legacy' && cfg.sessions > 0) {
      const before = await h.mem();
      await client.openSessions(cfg.sessions);
      await client.call(); // the load session still works
      const after = await h.mem();
      r.sessionKB = (after.heapUsed - before.heapUsed) / 1024 / cfg.sessions;
    }
    return r;
  } finally {
    if (client && client.close) client.close();
    await h.kill();
  }
}
