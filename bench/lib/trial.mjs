// One scenario (transport × era) of one repetition. Every implementation's
// server is started (cold start + idle memory), then the load and latency
// windows rotate through the live servers round by round (bare, sdk1, sdk2,
// mcpkit, bare, …) so that the machine's slow phases hit all of them alike;
// per-window counts are summed over the rounds. Then peak memory and, for HTTP
// legacy, heap per open session.
import { spawnServer, waitReady, cpuNs, userNs, rssOf } from './proc.mjs';
import { StdioClient, HttpClient } from './clients.mjs';
import { percentile } from './stats.mjs';

const MB = 1024 * 1024;

async function start(x, file, transport, era, cfg) {
  const http = transport === 'http';
  x.h = spawnServer(file, { era, http });
  x.client = http ? new HttpClient(await waitReady(x.h), era, { agent: cfg.httpAgent, size: cfg.inFlight }) : new StdioClient(x.h, era);
  await x.client.open();
  await x.client.call();
  x.r.coldMs = Number(process.hrtime.bigint() - x.h.t0) / 1e6;
  const idle = await x.h.mem();
  x.r.idleRssMB = rssOf(x.h.pid).rss / MB;
  x.r.idleHeapMB = idle.heapUsed / MB;
}

/** entries: [{ id, file }] → [{ id, r: { metric: value }, err }] */
export async function runScenario({ entries, transport, era, cfg }) {
  const live = entries.map((e) => ({ id: e.id, file: e.file, r: {}, err: null }));
  const guarded = async (x, fn) => {
    if (x.err) return;
    try {
      await fn();
    } catch (e) {
      x.err = e;
    }
  };
  try {
    for (const x of live) await guarded(x, () => start(x, x.file, transport, era, cfg));
    for (const x of live) await guarded(x, () => x.client.load({ inFlight: cfg.inFlight, ms: cfg.warmupMs, maxCalls: cfg.maxCalls }));

    for (const x of live) x.acc = { calls: 0, ms: 0, cpu: 0, user: 0, self: 0, lat: [] };
    for (let round = 0; round < cfg.rounds; round++) {
      for (const x of live) {
        await guarded(x, async () => {
          const cpu0 = cpuNs(x.h.pid);
          const user0 = userNs(x.h.pid);
          const self0 = process.cpuUsage();
          const { calls, ms } = await x.client.load({ inFlight: cfg.inFlight, ms: cfg.loadMs / cfg.rounds, maxCalls: cfg.maxCalls });
          const self = process.cpuUsage(self0);
          x.acc.cpu += cpuNs(x.h.pid) - cpu0;
          x.acc.user += userNs(x.h.pid) - user0;
          x.acc.self += (self.user + self.system) * 1e3;
          x.acc.calls += calls;
          x.acc.ms += ms;
        });
      }
      for (const x of live) {
        await guarded(x, async () => {
          const lat = await x.client.latency({ n: Math.ceil(cfg.latencyN / cfg.rounds), ms: cfg.latencyMs / cfg.rounds });
          for (const v of lat) x.acc.lat.push(v);
        });
      }
    }
    for (const x of live) {
      if (x.err) continue;
      const a = x.acc;
      Object.assign(x.r, {
        calls: a.calls,
        rps: (a.calls / a.ms) * 1000,
        cpuUs: a.cpu / 1e3 / a.calls,
        userUs: a.user / 1e3 / a.calls,
        clientCpuUs: a.self / 1e3 / a.calls,
        p50Us: percentile(a.lat, 50),
        p99Us: percentile(a.lat, 99),
      });
    }

    for (const x of live) {
      await guarded(x, async () => {
        const peak = await x.h.mem();
        x.r.peakRssMB = peak.hwm / MB;
        x.r.peakHeapMB = peak.peakHeapUsed / MB;
      });
    }
    if (transport === 'http' && era === 'legacy' && cfg.sessions > 0) {
      for (const x of live) {
        await guarded(x, async () => {
          const before = await x.h.mem();
          await x.client.openSessions(cfg.sessions);
          await x.client.call(); // the load session still works
          const after = await x.h.mem();
          x.r.sessionKB = (after.heapUsed - before.heapUsed) / 1024 / cfg.sessions;
        });
      }
    }
  } finally {
    for (const x of live) {
      if (x.client && x.client.close) x.client.close();
      if (x.h) await x.h.kill();
    }
  }
  return live.map((x) => ({ id: x.id, r: x.r, err: x.err }));
}
